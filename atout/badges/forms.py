import csv
import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_RECIPIENTS = 500


class AchievementForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nom du badge"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Ce que le badge certifie"), widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label=gettext_lazy("Critères : ce qu'il faut avoir fait"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(
        label=gettext_lazy("Mots-clés, séparés par des virgules (facultatif)"), required=False
    )
    valid_months = forms.IntegerField(
        label=gettext_lazy("Durée de validité en mois (vide : sans fin)"),
        required=False,
        min_value=1,
        max_value=240,
    )
    image = forms.FileField(
        label=gettext_lazy("Image (PNG ou SVG, 2 Mo au plus ; facultatif)"), required=False
    )

    def clean_tags(self) -> list[str]:
        raw: str = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in raw.split(",") if t.strip()][:10]


class IssueForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("Adresses e-mail des personnes, une par ligne"),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        required=False,
    )
    file = forms.FileField(
        label=gettext_lazy("Ou un fichier CSV avec une colonne « email » (et « preuve »)"),
        required=False,
    )
    evidence_file = forms.FileField(
        label=gettext_lazy(
            "Un fichier de preuve pour tous : photo, vidéo, son ou PDF (facultatif)"
        ),
        required=False,
    )
    evidence_file_name = forms.CharField(
        label=gettext_lazy("Ce que montre ce fichier"), required=False, max_length=200
    )
    evidence = forms.CharField(
        label=gettext_lazy("Preuve : ce que la personne a fait (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rows: list[tuple[str, str]] = []
        default = (data.get("evidence") or "").strip()
        for line in (data.get("emails") or "").splitlines():
            if line.strip():
                rows.append((line.strip(), default))
        upload = data.get("file")
        if upload is not None:
            if upload.size > 1024 * 1024:
                raise ValidationError(_("Le fichier CSV est trop gros (1 Mo au plus)."))
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("Le fichier doit être un CSV en UTF-8.")) from None
            reader = csv.DictReader(io.StringIO(text))
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "email" not in fields:
                raise ValidationError(_("Le fichier CSV doit avoir une colonne « email »."))
            for row in reader:
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                if row.get("email"):
                    rows.append((row["email"], row.get("preuve") or row.get("evidence") or default))
        if not rows:
            raise ValidationError(_("Indique au moins une adresse e-mail."))
        if len(rows) > MAX_RECIPIENTS:
            raise ValidationError(
                _("%(n)s personnes : c'est plus de %(max)s d'un coup.")
                % {"n": len(rows), "max": MAX_RECIPIENTS}
            )
        problems = []
        seen = set()
        for number, (email, _evidence) in enumerate(rows, start=1):
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("ligne %(n)s : « %(email)s » n'est pas une adresse e-mail")
                                % {"n": number, "email": email})  # fmt: skip
            if email.lower() in seen:
                problems.append(_("ligne %(n)s : « %(email)s » apparaît deux fois")
                                % {"n": number, "email": email})  # fmt: skip
            seen.add(email.lower())
        if problems:
            raise ValidationError(problems[:20])
        data["rows"] = [(email.lower(), evidence) for email, evidence in rows]
        return data
