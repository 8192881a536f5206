from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("invitation/<str:token>/", views.invitation_accept, name="accept"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/invitations/", views.invitation_create, name="invite"),
    path("<slug:slug>/membres/<int:member_id>/retirer/", views.member_remove, name="member_remove"),
]
