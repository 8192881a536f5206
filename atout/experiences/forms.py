from django import forms
from django.utils.translation import gettext_lazy as _

from atout.referentiel.models import Skill

from .models import Experience


class ChatAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Ta réponse"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        required=False,
    )


class ExperienceCardForm(forms.ModelForm[Experience]):
    confirmed = forms.MultipleChoiceField(
        label=_("Les compétences que tu gardes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    add = forms.ModelChoiceField(
        label=_("Ajouter une compétence"),
        queryset=Skill.objects.none(),
        required=False,
        empty_label=_("— choisir —"),
        to_field_name="code",
    )

    class Meta:
        model = Experience
        fields = ["title", "kind", "started_on", "ended_on", "summary"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        links = self.instance.skills.select_related("skill")
        confirmed: forms.MultipleChoiceField = self.fields["confirmed"]  # type: ignore[assignment]
        confirmed.choices = [(link.skill.code, link.skill.tr("label")) for link in links]
        present = [link.skill_id for link in links]
        self.fields["add"].queryset = (  # type: ignore[attr-defined]
            Skill.objects.filter(framework__code="atout")
            .exclude(pk__in=present)
            .order_by("label_fr")
        )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:  # type: ignore[operator]
            self.add_error("ended_on", _("La fin ne peut pas être avant le début."))
        return data
