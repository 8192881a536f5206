from django.urls import path

from . import views

app_name = "experiences"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("raconter/", views.chat_new, name="chat_new"),
    path("chat/<int:pk>/", views.chat, name="chat"),
    path("<int:pk>/", views.card, name="card"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
]
