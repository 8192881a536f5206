from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentielConfig(AppConfig):
    name = "atout.referentiel"
    verbose_name = _("Référentiel")
