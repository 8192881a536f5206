from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "atout.api"
    verbose_name = "API"
