from django.urls import path

from . import views

app_name = "referentiel"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:framework>/", views.framework_detail, name="framework"),
    path("<slug:framework>/<slug:skill>/", views.skill_detail, name="skill"),
]
