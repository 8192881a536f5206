from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role


class OrganisationForm(forms.ModelForm[Organisation]):
    url = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "url", "email"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.COUNSELLOR)
    language = forms.ChoiceField(
        label=_("Langue de l'e-mail"), choices=[("fr", "Français"), ("en", "English")]
    )
