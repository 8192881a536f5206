from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(forms.ModelForm[User]):
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Au moins 8 caractères, pas seulement des chiffres. Vous pouvez le laisser vide : "
            "vous recevrez alors un lien par e-mail à chaque connexion."
        ),
    )
    password2 = forms.CharField(
        label=_("Le même mot de passe, encore une fois"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["first_name", "email", "language"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("Un compte existe déjà avec cette adresse. Connectez-vous plutôt.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas les mêmes."))
        elif p1:
            probe = User(email=data.get("email", ""), first_name=data.get("first_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        user = authenticate(self.request, email=data["email"], password=data["password"])
        if user is None:
            raise forms.ValidationError(
                _("Adresse e-mail ou mot de passe incorrect. Vérifiez et réessayez."),
                code="invalid_login",
            )
        self.user = user  # type: ignore[assignment]
        return data


class MagicLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["first_name", "birth_year", "departement", "language"]
        help_texts = {
            "birth_year": _("Facultatif. Par exemple : 2008."),
            "departement": _("Facultatif. Le numéro, par exemple 93 ou 2A."),
        }


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=80,
        required=False,
        help_text=_("Pour vous souvenir à quoi il sert, par exemple « tableur »."),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Écrivez SUPPRIMER pour confirmer"),
        max_length=20,
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().upper()
        if value not in {"SUPPRIMER", "DELETE"}:
            raise forms.ValidationError(_("Écrivez exactement SUPPRIMER."))
        return value
