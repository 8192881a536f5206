from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atout.experiences.models import OwnedQuerySet


class Assessment(models.Model):
    """A person's assessment of one skill: their own answers, then their referents'."""

    class Status(models.TextChoices):
        OPEN = "open", _("en cours")
        CLOSED = "closed", _("terminée")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    skill = models.ForeignKey("referentiel.Skill", on_delete=models.PROTECT, related_name="+")
    experience = models.ForeignKey(
        "experiences.Experience",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    self_answers = models.JSONField(default=dict, blank=True)  # {item code: 1..4}
    self_done_at = models.DateTimeField(null=True, blank=True)
    reminders = models.BooleanField(_("relancer les référents"), default=True)
    auto_badge = models.BooleanField(
        _("recevoir le badge dès que le niveau le permet"), default=False
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "skill"],
                condition=models.Q(status="open"),
                name="one_open_assessment_per_skill",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.skill.code}"

    @property
    def self_done(self) -> bool:
        return self.self_done_at is not None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Relation(models.TextChoices):
    COACH = "coach", _("Entraîneur ou entraîneuse")
    TUTOR = "tutor", _("Tuteur ou tutrice de stage")
    MANAGER = "manager", _("Responsable, employeur")
    COLLEAGUE = "colleague", _("Collègue")
    TEACHER = "teacher", _("Enseignant ou enseignante")
    VOLUNTEER_LEAD = "volunteer_lead", _("Responsable de bénévoles")
    OTHER = "other", _("Autre")


class ReferentQuerySet(models.QuerySet["Referent"]):
    def answered(self) -> "ReferentQuerySet":
        return self.filter(answered_at__isnull=False)

    def pending(self) -> "ReferentQuerySet":
        return self.filter(answered_at__isnull=True)


class Referent(models.Model):
    """Someone who saw the person act, asked for their view by an emailed one-time link.

    Only the token's hash is stored. The person sees whether the referent answered, never
    the answers themselves.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="referents")
    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("adresse e-mail"))
    identity = models.CharField(max_length=254)  # rules.email_identity(email)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    experience = models.ForeignKey(
        "experiences.Experience", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lang = models.CharField(max_length=2, default="fr")
    token_hash = models.CharField(max_length=64, unique=True)
    first_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # {item code: 0..4}
    comment = models.TextField(blank=True)
    endorses = models.BooleanField(default=False)
    too_fast = models.BooleanField(default=False)

    objects = ReferentQuerySet.as_manager()

    class Meta:
        verbose_name = _("référent")
        verbose_name_plural = _("référents")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "identity"], name="one_referent_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class Decision(models.Model):
    """A level decision, with its inputs and rule version, kept so it can be explained later."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="decisions")
    level = models.PositiveSmallIntegerField()
    rule_version = models.CharField(max_length=20)
    rules = models.JSONField()  # the full rules used
    inputs = models.JSONField()  # self answers and each counted referent's answers (no names)
    outcome = models.JSONField()  # rules.Decision.as_dict()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("décision de niveau")
        verbose_name_plural = _("décisions de niveau")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} → {self.level} ({self.rule_version})"

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return list(self.outcome.get("reasons", []))
