from django.urls import path

from . import views

app_name = "orientation"
urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("metiers/", views.search, name="search"),
    path("metiers/<str:code>/", views.gap, name="gap"),
    path("esco/<str:code>/", views.esco_gap, name="esco_gap"),
    path("recrutent/", views.recruiting, name="recruiting"),
    path("mon-parcours/", views.interests, name="interests"),
]
