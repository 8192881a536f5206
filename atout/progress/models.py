"""The catalogue of ways to progress (resources and missions) and what each person keeps.

One ``Opportunity`` model: its ``kind`` says whether it is a resource (to learn: MOOC,
video, article, workshop) or a mission (to practise: volunteering, civic service,
challenge, student job). Imported rows are matched by ``(source, external_id)``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atout.accounts.models import validate_departement
from atout.experiences.models import Experience, OwnedQuerySet


class Kind(models.TextChoices):
    MOOC = "mooc", _("Cours en ligne")
    VIDEO = "video", _("Vidéo")
    ARTICLE = "article", _("Article")
    WORKSHOP = "workshop", _("Atelier")
    TRAINING = "training", _("Formation")
    VOLUNTEERING = "volunteering", _("Bénévolat")
    CIVIC_SERVICE = "civic_service", _("Service civique")
    CHALLENGE = "challenge", _("Défi")
    STUDENT_JOB = "student_job", _("Job étudiant")


class Category(models.TextChoices):
    RESOURCE = "resource", _("Ressource")
    MISSION = "mission", _("Mission")


RESOURCE_KINDS = frozenset({Kind.MOOC, Kind.VIDEO, Kind.ARTICLE, Kind.WORKSHOP, Kind.TRAINING})
MISSION_KINDS = frozenset({Kind.VOLUNTEERING, Kind.CIVIC_SERVICE, Kind.CHALLENGE, Kind.STUDENT_JOB})


class Source(models.TextChoices):
    DEMO = "demo", _("données de démonstration")
    CSV = "csv", _("import CSV")
    MISSIONS = "missions", _("flux de missions (API Engagement)")
    ADMIN = "admin", _("saisie dans l'administration")


class Language(models.TextChoices):
    FR = "fr", "Français"
    EN = "en", "English"


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def current(self) -> "OpportunityQuerySet":
        """Active, and not over (a mission whose end date has passed is hidden)."""
        today = timezone.localdate()
        return self.filter(active=True).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today)
        )

    def resources(self) -> "OpportunityQuerySet":
        return self.filter(kind__in=RESOURCE_KINDS)

    def missions(self) -> "OpportunityQuerySet":
        return self.filter(kind__in=MISSION_KINDS)

    def for_metier(self, code: str) -> "OpportunityQuerySet":
        """What prepares for the métier of ROME code ``code`` (codes are 5 characters,
        separated by spaces, so a substring is a whole code)."""
        return self.filter(rome_codes__contains=code.upper())

    def for_skill(self, skill_id: int) -> "OpportunityQuerySet":
        return self.filter(skills=skill_id)

    def near(self, departement: str) -> "OpportunityQuerySet":
        """Remote, or in ``departement`` (remote only when it is empty)."""
        condition = models.Q(remote=True)
        if departement:
            condition |= models.Q(departement=departement)
        return self.filter(condition)


class Opportunity(models.Model):
    """A resource or a mission that helps to progress in some skills of the référentiel."""

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("lien"), max_length=500)
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    duration = models.CharField(
        _("durée"), max_length=100, blank=True, help_text=_("En clair : « 2 h », « 6 mois »…")
    )
    remote = models.BooleanField(_("à distance"), default=False)
    departement = models.CharField(
        _("département"), max_length=3, blank=True, validators=[validate_departement]
    )
    place = models.CharField(_("lieu"), max_length=120, blank=True)
    audience = models.CharField(_("pour qui"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    places = models.PositiveIntegerField(_("places"), null=True, blank=True)
    skills = models.ManyToManyField(
        "referentiel.Skill", verbose_name=_("compétences"), related_name="opportunities"
    )
    rome_codes = models.CharField(
        _("métiers visés"),
        max_length=300,
        blank=True,
        help_text=_("Codes ROME des métiers auxquels elle prépare, séparés par des espaces."),
    )
    raw_skills = models.JSONField(
        _("libellés de compétences non reconnus"),
        default=list,
        blank=True,
        help_text=_("Savoir-être du flux qu'aucune compétence du référentiel ne reprend."),
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )
    external_id = models.CharField(
        _("identifiant d'origine"),
        max_length=255,
        blank=True,
        help_text=_("Un nouvel import de la même origine met à jour la ligne de même identifiant."),
    )
    active = models.BooleanField(_("visible"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("ressource ou mission")
        verbose_name_plural = _("ressources et missions")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_opportunity_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(remote=True) | ~models.Q(departement=""),
                name="opportunity_remote_or_located",
                violation_error_message=_("Indique un département, ou coche « à distance »."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def category(self) -> str:
        return Category.MISSION if self.kind in MISSION_KINDS else Category.RESOURCE

    @property
    def is_mission(self) -> bool:
        return self.category == Category.MISSION


class SavedItem(models.Model):
    """A resource or mission a person keeps, then marks done; a done mission can be told."""

    class Status(models.TextChoices):
        SAVED = "saved", _("gardé")
        DONE = "done", _("fait")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_opportunities"
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="saved_items"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SAVED)
    done_at = models.DateTimeField(null=True, blank=True)
    # The experience the person linked it to, or the chat started to tell it.
    experience = models.ForeignKey(
        Experience, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chat = models.ForeignKey(
        "experiences.ChatSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ressource ou mission gardée")
        verbose_name_plural = _("ressources et missions gardées")
        ordering = ["status", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "opportunity"], name="one_saved_item")
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.opportunity}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def told_experience(self) -> Experience | None:
        """The experience linked by hand, else the one the chat started here produced."""
        if self.experience_id is not None:
            return self.experience
        if self.chat_id is not None and self.chat is not None:
            return self.chat.experience
        return None

    @property
    def done_on(self) -> datetime.date | None:
        return timezone.localdate(self.done_at) if self.done_at else None
