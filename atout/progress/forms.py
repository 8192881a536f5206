from django import forms
from django.utils.translation import gettext_lazy as _

from atout.accounts.departements import normalise_departement
from atout.accounts.models import validate_departement
from atout.referentiel.models import Skill

from .importers import FRAMEWORK


class SkillChoiceField(forms.ModelChoiceField[Skill]):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.tr("label")


class SkillChoiceForm(forms.Form):
    """« Je veux progresser en… »"""

    label_suffix = ""

    competence = SkillChoiceField(
        label=_("Je veux progresser en…"),
        queryset=Skill.objects.filter(framework__code=FRAMEWORK),
        to_field_name="code",
        empty_label=_("Choisis une compétence"),
    )


class PlaceForm(forms.Form):
    departement = forms.CharField(
        label=_("Département"),
        required=False,
        max_length=3,
        help_text=_("Par exemple 93. Vide : partout."),
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off", "size": 4}),
    )

    def clean_departement(self) -> str:
        value: str = self.cleaned_data["departement"]
        if value:
            validate_departement(value)
            value = normalise_departement(value)
        return value
