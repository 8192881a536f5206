from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from atout.experiences.models import Experience
from atout.referentiel.models import Skill

from .models import Relation


class StartForm(forms.Form):
    skill = forms.ModelChoiceField(
        label=_("Compétence à évaluer"),
        queryset=Skill.objects.none(),
        to_field_name="code",
        empty_label=_("— choisir —"),
    )
    experience = forms.ModelChoiceField(
        label=_("Expérience où tu l'as montrée (facultatif)"),
        queryset=Experience.objects.none(),
        required=False,
        empty_label=_("— aucune —"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.filter(framework__code="atout")  # type: ignore[attr-defined]
        self.fields["experience"].queryset = Experience.objects.owned_by(user)  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Son prénom et son nom"), max_length=120)
    email = forms.EmailField(label=_("Son adresse e-mail"))
    relation = forms.ChoiceField(
        label=_("Qui est cette personne pour toi ?"), choices=Relation.choices
    )
    experience = forms.ModelChoiceField(
        label=_("Où t'a-t-elle vu agir ? (facultatif)"),
        queryset=Experience.objects.none(),
        required=False,
        empty_label=_("— aucune expérience en particulier —"),
    )
    lang = forms.ChoiceField(
        label=_("Langue du message"), choices=[("fr", "Français"), ("en", "English")]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experience"].queryset = Experience.objects.owned_by(user)  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["name"].widget.attrs["autocomplete"] = "off"
