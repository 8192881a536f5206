import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .departements import DEPARTEMENTS, normalise_departement


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)  # None -> unusable password (magic-link only)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


def validate_birth_year(value: int) -> None:
    this_year = timezone.now().year
    if value > this_year - 10:
        raise ValidationError(_("Il faut avoir au moins 10 ans pour utiliser atout."))


def validate_departement(value: str) -> None:
    if normalise_departement(value) not in DEPARTEMENTS:
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro de département (exemples : 75, 2A, 974)."),
            params={"value": value},
        )


class User(AbstractBaseUser, PermissionsMixin):
    class Language(models.TextChoices):
        FR = "fr", "Français"
        EN = "en", "English"

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=80)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), validate_birth_year],
    )
    departement = models.CharField(
        _("département"), max_length=3, blank=True, validators=[validate_departement]
    )
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    date_joined = models.DateTimeField(_("inscription"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.departement:
            self.departement = normalise_departement(self.departement)

    def get_full_name(self) -> str:
        return self.first_name

    def get_short_name(self) -> str:
        return self.first_name


class MagicLinkQuerySet(models.QuerySet["MagicLink"]):
    def usable(self) -> "MagicLinkQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class MagicLink(models.Model):
    """A one-time login link sent by email. Only the token's hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="magic_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = MagicLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien de connexion")
        verbose_name_plural = _("liens de connexion")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def default_expiry() -> datetime.datetime:
        return timezone.now() + datetime.timedelta(minutes=settings.ATOUT_MAGIC_LINK_MINUTES)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Shown once at creation; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=80)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
