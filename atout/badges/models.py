import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atout.referentiel.models import Bilingual


class IssuerKey(models.Model):
    """An organisation's signing key. The private half is PKCS#8 PEM encrypted with
    ``ATOUT_KEYS_SECRET``; retired keys stay published so old badges keep verifying."""

    class Kind(models.TextChoices):
        ED25519 = "ed25519", "Ed25519"
        RSA = "rsa", "RSA 2048"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="issuer_keys"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    fragment = models.SlugField(max_length=40)  # "key-1" in did:web:…#key-1
    private_pem = models.TextField()
    public_jwk = models.JSONField()
    public_multibase = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clé de signature")
        verbose_name_plural = _("clés de signature")
        ordering = ["organisation", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fragment"], name="unique_key_fragment")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug}#{self.fragment}"


class Achievement(Bilingual):
    """A badge definition: one per référentiel skill and level, or an organisation's own."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="achievements",
        help_text=_("Vide pour les badges du référentiel commun."),
    )
    code = models.SlugField(_("code"), max_length=80)
    skill = models.ForeignKey(
        "referentiel.Skill", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    name_fr = models.CharField(_("nom (français)"), max_length=200)
    name_en = models.CharField(_("nom (anglais)"), max_length=200)
    description_fr = models.TextField(_("description (français)"))
    description_en = models.TextField(_("description (anglais)"))
    criteria_fr = models.TextField(_("critères (français)"))
    criteria_en = models.TextField(_("critères (anglais)"))
    tags = models.JSONField(default=list, blank=True)
    image = models.BinaryField(null=True, blank=True)  # checked and re-encoded on upload
    image_type = models.CharField(max_length=20, blank=True)  # "image/png" or "image/svg+xml"
    valid_months = models.PositiveSmallIntegerField(
        _("durée de validité (mois)"), null=True, blank=True, help_text=_("Vide : sans fin.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge (définition)")
        verbose_name_plural = _("badges (définitions)")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation__isnull=True),
                name="unique_common_achievement_code",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"], name="unique_organisation_achievement_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name_fr

    def url(self) -> str:
        return settings.SITE_URL + reverse("badges:achievement", args=[self.uid])


class StatusList(models.Model):
    """An issuer's Bitstring Status List (revocation); ``credential`` is the signed list."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="status_lists"
    )
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=131_072)
    next_index = models.PositiveIntegerField(default=0)
    credential = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="unique_status_list")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.slug}/{self.number}"

    def url(self) -> str:
        return settings.SITE_URL + reverse(
            "badges:status_list", args=[self.organisation.slug, self.number]
        )


class AwardQuerySet(models.QuerySet["Award"]):
    def owned_by(self, user: Any) -> "AwardQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)


class Award(models.Model):
    """One badge awarded to one person, stored in every form exactly as issued."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="awards")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="awards"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="awards",
    )
    recipient_email = models.EmailField()
    assessment = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="awards")
    status_index = models.PositiveIntegerField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)
    public = models.BooleanField(_("page publique"), default=False)
    show_evidence = models.BooleanField(_("montrer les fichiers de preuve"), default=False)
    evidence = models.JSONField(default=list, blank=True)
    # Exactly as issued; never rebuilt.
    ob3_json = models.TextField()
    ob3_jwt = models.TextField()  # RS256
    ob3_jwt_eddsa = models.TextField()
    ob2_json = models.TextField()
    png = models.BinaryField()
    svg = models.TextField()

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("badge délivré")
        verbose_name_plural = _("badges délivrés")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="unique_status")
        ]

    def __str__(self) -> str:
        return f"{self.achievement} → {self.recipient_email}"

    def get_absolute_url(self) -> str:
        return reverse("badges:award", args=[self.uid])

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def file_url(self, form: str) -> str:
        return settings.SITE_URL + reverse("badges:download", args=[self.uid, form])


class Endorsement(models.Model):
    """An OB 3.0 EndorsementCredential: an organisation vouches for a badge definition, or
    attests a referent's endorsement of one award (the referent agreed to be named)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="endorsements"
    )
    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.CASCADE, related_name="endorsements"
    )
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.CASCADE, related_name="endorsements"
    )
    comment = models.TextField(_("commentaire"))
    credential = models.JSONField()  # signed, as issued
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(achievement__isnull=False) ^ models.Q(award__isnull=False),
                name="endorsement_has_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.comment[:40]}"


class ImportedBadge(models.Model):
    """A badge earned elsewhere that the person added to their backpack, verified first."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_badges"
    )
    name = models.CharField(max_length=300)
    issuer_name = models.CharField(max_length=300, blank=True)
    issued_on = models.CharField(max_length=40, blank=True)
    format = models.CharField(max_length=20)  # "ob3", "vc-jwt", "ob2"
    payload = models.TextField()  # the credential, JWT or assertion as received
    image = models.BinaryField(null=True, blank=True)  # the baked file, when one was given
    image_type = models.CharField(max_length=40, blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    checks = models.JSONField(default=list)
    valid = models.BooleanField(default=True)
    checked_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge importé")
        verbose_name_plural = _("badges importés")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Collection(models.Model):
    """Badges a person groups to share by one link (theirs and imported ones)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_collections"
    )
    name = models.CharField(_("nom"), max_length=120)
    shared = models.BooleanField(_("partagée par lien"), default=False)
    awards = models.ManyToManyField(Award, blank=True, related_name="collections")
    imported = models.ManyToManyField(ImportedBadge, blank=True, related_name="collections")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collection de badges")
        verbose_name_plural = _("collections de badges")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EvidenceFile(models.Model):
    """A photo, video, sound or PDF that shows what a person did, checked on upload
    (``uploads.clean_evidence``: photos re-encoded without EXIF). Uploaded by the person
    (for an assessment) or by the issuing organisation; linked to the awards citing it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    name = models.CharField(_("description"), max_length=200)
    content = models.BinaryField()
    content_type = models.CharField(max_length=60)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    awards = models.ManyToManyField(Award, blank=True, related_name="evidence_files")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("preuve (fichier)")
        verbose_name_plural = _("preuves (fichiers)")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def url(self) -> str:
        return settings.SITE_URL + reverse("badges:evidence", args=[self.uid])


class BulkIssue(models.Model):
    """A list of awards issued in the background; the page shows its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="bulk_issues"
    )
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.JSONField()  # [[email, evidence], …]
    files = models.ManyToManyField(EvidenceFile, blank=True, related_name="+")
    done = models.PositiveIntegerField(default=0)
    failed = models.JSONField(default=list, blank=True)  # [{"email", "reason"}]
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.achievement} × {len(self.rows)}"

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def percent(self) -> int:
        return round(100 * (self.done + len(self.failed)) / self.total) if self.rows else 100
