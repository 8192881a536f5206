from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.index, name="index"),
    path("competence/<slug:code>/", views.skill, name="skill"),
    path("garder/<int:pk>/", views.save, name="save"),
    path("gardes/<int:pk>/fait/", views.done, name="done"),
    path("gardes/<int:pk>/retirer/", views.remove, name="remove"),
    path("gardes/<int:pk>/raconter/", views.tell, name="tell"),
    path("gardes/<int:pk>/relier/", views.link, name="link"),
]
