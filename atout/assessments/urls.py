from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("evaluations/", views.index, name="index"),
    path("evaluations/commencer/", views.start, name="start"),
    path("evaluations/<int:pk>/", views.detail, name="detail"),
    path("evaluations/<int:pk>/inviter/", views.invite, name="invite"),
    path("evaluations/<int:pk>/relances/", views.reminders, name="reminders"),
    path("evaluations/<int:pk>/badge-auto/", views.auto_badge, name="auto_badge"),
    path("evaluations/<int:pk>/terminer/", views.close, name="close"),
    path("evaluations/<int:pk>/supprimer/", views.delete, name="delete"),
    path("avis/<str:token>/", views.referent, name="referent"),
]
