from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SPORT = "sport", _("Sport")
    JOB = "job", _("Job, stage")
    FAMILY = "family", _("Famille")
    VOLUNTEERING = "volunteering", _("Bénévolat")
    SCHOOL = "school", _("École, formation")
    INCLUSION = "inclusion", _("Chantier ou emploi d'insertion")
    OTHER = "other", _("Autre")


class OwnedQuerySet(models.QuerySet[Any]):
    def owned_by(self, user: Any) -> "OwnedQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class Experience(models.Model):
    """One life experience told by a person, with the skills it shows. Private to its owner."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiences"
    )
    title = models.CharField(_("titre"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    narrative = models.TextField(_("récit"))
    lang = models.CharField(_("langue"), max_length=2, default="fr")
    started_on = models.DateField(_("début"), null=True, blank=True)
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("expérience")
        verbose_name_plural = _("expériences")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ExperienceSkill(models.Model):
    class Source(models.TextChoices):
        DETECTED = "detected", _("repérée")
        ADDED = "added", _("ajoutée par la personne")

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("referentiel.Skill", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("score"), null=True, blank=True)
    evidence = models.JSONField(_("preuves"), default=list, blank=True)  # [{"start", "end"}]
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DETECTED)
    confirmed = models.BooleanField(_("confirmée"), default=False)

    class Meta:
        verbose_name = _("compétence de l'expérience")
        verbose_name_plural = _("compétences de l'expérience")
        ordering = ["-confirmed", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["experience", "skill"], name="one_skill_per_experience")
        ]

    def __str__(self) -> str:
        return f"{self.experience} — {self.skill.code}"

    def quoted_evidence(self) -> list[dict[str, Any]]:
        """The evidence spans with the person's own words they point at."""
        text = self.experience.narrative
        return [
            {"start": e["start"], "end": e["end"], "text": text[e["start"] : e["end"]]}
            for e in self.evidence
        ]


class ChatSession(models.Model):
    """A conversation in progress. Every message is stored as it arrives, so nothing is lost."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chats"
    )
    lang = models.CharField(max_length=2, default="fr")
    state = models.JSONField(default=dict)
    finished = models.BooleanField(default=False)
    experience = models.OneToOneField(
        Experience, null=True, blank=True, on_delete=models.SET_NULL, related_name="chat"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"chat #{self.pk} ({self.owner})"


class ChatMessage(models.Model):
    class Role(models.TextChoices):
        BOT = "bot", "atout"
        PERSON = "person", _("personne")

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    question_id = models.CharField(max_length=60, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"
