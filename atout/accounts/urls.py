from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("connexion/", views.login_view, name="login"),
    path("connexion/lien/", views.magic_link_request, name="magic_link_request"),
    path("lien/<str:token>/", views.magic_link, name="magic_link"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("", views.account, name="account"),
    path("jetons/", views.api_token_create, name="api_token_create"),
    path("jetons/<int:token_id>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
    path("donnees/", views.data_export, name="data_export"),
    path("supprimer/", views.account_delete, name="delete"),
    path("mot-de-passe/", views.password_reset, name="password_reset"),
    path("mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("mot-de-passe/fait/", views.password_reset_complete, name="password_reset_complete"),
]
