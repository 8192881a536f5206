"""ROME 4.0 métiers and what they require, as imported (or the shipped demo set)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    DEMO = "demo", _("données de démonstration")
    ROME = "rome", _("ROME 4.0 (France Travail)")


class Metier(models.Model):
    """A ROME fiche (``M1805``)."""

    code = models.CharField(_("code ROME"), max_length=5, unique=True)
    label = models.CharField(_("intitulé"), max_length=300)
    grand_domaine = models.CharField(max_length=1, blank=True)
    grand_domaine_label = models.CharField(max_length=300, blank=True)
    domaine = models.CharField(max_length=3, blank=True)
    domaine_label = models.CharField(max_length=300, blank=True)
    riasec_major = models.CharField(max_length=1, blank=True)
    riasec_minor = models.CharField(max_length=1, blank=True)
    # The ROME v3 code this fiche comes from (``code_rome_parent``): the labour-market files
    # (BMO, tension) are keyed on it. Demo métiers use their own code.
    parent_code = models.CharField(max_length=5, blank=True)
    definition = models.TextField(_("définition"), blank=True)
    # "Accès à l'emploi" as ROME words it, and the lowest diploma level it names (levels
    # of the French nomenclature: 0 = accessible without a diploma, 3 = CAP/BEP, 4 = bac,
    # 5 = bac+2, 6 = bac+3, 7 = bac+5, 8 = doctorate); ``None`` = not said.
    access = models.TextField(_("accès au métier"), blank=True)
    access_level = models.PositiveSmallIntegerField(_("niveau de diplôme"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("métier")
        verbose_name_plural = _("métiers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Appellation(models.Model):
    """A job title under a fiche ("Serveur / Serveuse en restauration")."""

    code_ogr = models.CharField(max_length=10, unique=True)
    label = models.CharField(max_length=300)
    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="appellations")

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Item(models.Model):
    """A ROME item a fiche can require: savoir-faire, savoir-être professionnel or savoir."""

    class Kind(models.TextChoices):
        SAVOIR_FAIRE = "savoir_faire", _("savoir-faire")
        SAVOIR_ETRE = "savoir_etre", _("savoir-être professionnel")
        SAVOIR = "savoir", _("savoir")

    code_ogr = models.CharField(max_length=10, unique=True)
    label = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Requirement(models.Model):
    """An item a fiche requires; ``core`` = "cœur de métier" (Principale)."""

    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="requirements")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="requirements")
    core = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["metier", "item"], name="unique_requirement")
        ]

    def __str__(self) -> str:
        return f"{self.metier_id} → {self.item_id}"


class Mobility(models.Model):
    """ROME's mobility link from one fiche to another (``order`` 1 = closest)."""

    source = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="mobilities")
    target = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_mobility")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class LabourFigure(models.Model):
    """Labour-market figures of one métier in one département, from one source and year.

    A BMO row (recruitment projects) fills ``projects`` and the shares; a tension row
    (DARES – France Travail) fills ``tension``, ``offers``, ``jobseekers`` and
    ``competition``; a demo row may fill both. ``None`` = unknown (secret or no data).
    """

    class Dataset(models.TextChoices):
        BMO = "bmo", _("enquête Besoins en main-d'œuvre (France Travail)")
        TENSION = "tension", _("tensions sur le marché du travail (DARES – France Travail)")
        DEMO = "demo", _("données de démonstration")

    metier = models.ForeignKey(Metier, on_delete=models.CASCADE, related_name="labour_figures")
    departement = models.CharField(_("département"), max_length=3)
    dataset = models.CharField(max_length=10, choices=Dataset.choices)
    source = models.CharField(max_length=100)  # as shown: "BMO 2025, France Travail"
    year = models.PositiveSmallIntegerField()
    # BMO: recruitment projects of the BMO families that cover the métier's ROME v3 code.
    projects = models.PositiveIntegerField(null=True, blank=True)
    projects_partial = models.BooleanField(default=False)  # some bassins secret: "at least"
    hard_share = models.FloatField(null=True, blank=True)  # xmet / met
    seasonal_share = models.FloatField(null=True, blank=True)  # smet / met
    bmo_families = models.CharField(max_length=500, blank=True)  # "S2X61 Serveurs de…"
    # Tension: rolled up from the bassins d'emploi of the département.
    tension = models.FloatField(null=True, blank=True)  # 1–5, mean weighted by offers
    offers = models.FloatField(null=True, blank=True)  # oee, summed over the bassins
    jobseekers = models.FloatField(null=True, blank=True)  # defm_abc, summed
    competition = models.FloatField(null=True, blank=True)  # jobseekers / offers

    class Meta:
        verbose_name = _("chiffre du marché du travail")
        verbose_name_plural = _("chiffres du marché du travail")
        constraints = [
            models.UniqueConstraint(
                fields=["metier", "departement", "source", "year"], name="unique_labour_figure"
            )
        ]
        indexes = [models.Index(fields=["departement", "dataset"])]

    def __str__(self) -> str:
        return f"{self.metier_id} {self.departement} {self.source}"


class Interests(models.Model):
    """What a person told orientation about themselves, beyond their evidenced soft skills:
    savoir-faire they claim, jobs they held, their RIASEC interests. Codes, not foreign
    keys, so a re-import of the référentiels (demo → ROME) keeps them."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orientation_interests"
    )
    savoir_faire = models.JSONField(default=list, blank=True)  # ROME item code_ogr
    held = models.JSONField(default=list, blank=True)  # ROME codes of jobs held
    riasec = models.CharField(max_length=2, blank=True)  # strongest first, e.g. "SE"
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("centres d'intérêt et expériences")
        verbose_name_plural = _("centres d'intérêt et expériences")

    def __str__(self) -> str:
        return f"{self.owner_id}"


class EscoOccupation(models.Model):
    """An ESCO v1.1.1 occupation (European Commission), with its French labels."""

    uri = models.CharField(_("URI ESCO"), max_length=100, unique=True)
    code = models.CharField(_("code ESCO"), max_length=20, unique=True)  # "2654.1.7"
    label = models.CharField(_("intitulé"), max_length=300)
    # Other French names, one a line: what a search reads besides the label.
    alt_labels = models.TextField(_("autres intitulés"), blank=True)
    isco_group = models.CharField(_("groupe CITP"), max_length=4)  # ISCO-08, 4 digits
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("profession ESCO")
        verbose_name_plural = _("professions ESCO")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class EscoSkill(models.Model):
    """An ESCO skill or knowledge concept; ``label`` is French, else English."""

    class Type(models.TextChoices):
        SKILL = "skill/competence", _("aptitude ou compétence")
        KNOWLEDGE = "knowledge", _("savoir")

    class ReuseLevel(models.TextChoices):
        TRANSVERSAL = "transversal", _("transversale")
        CROSS_SECTOR = "cross-sector", _("intersectorielle")
        SECTOR_SPECIFIC = "sector-specific", _("propre à un secteur")
        OCCUPATION_SPECIFIC = "occupation-specific", _("propre à une profession")

    uri = models.CharField(_("URI ESCO"), max_length=100, unique=True)
    label = models.CharField(_("intitulé"), max_length=300)
    label_en = models.CharField(_("intitulé en anglais"), max_length=300)
    # Blank: ESCO does not say (6 concepts of v1.1.1).
    skill_type = models.CharField(_("type"), max_length=20, choices=Type.choices, blank=True)
    reuse_level = models.CharField(
        _("niveau de réutilisation"), max_length=20, choices=ReuseLevel.choices, blank=True
    )

    class Meta:
        verbose_name = _("compétence ESCO")
        verbose_name_plural = _("compétences ESCO")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class EscoRelation(models.Model):
    """A skill an ESCO occupation calls for: ``essential`` or optional."""

    occupation = models.ForeignKey(
        EscoOccupation,
        on_delete=models.CASCADE,
        related_name="relations",
        verbose_name=_("profession ESCO"),
    )
    skill = models.ForeignKey(
        EscoSkill,
        on_delete=models.CASCADE,
        related_name="relations",
        verbose_name=_("compétence ESCO"),
    )
    essential = models.BooleanField(_("essentielle"), default=False)

    class Meta:
        verbose_name = _("compétence d'une profession ESCO")
        verbose_name_plural = _("compétences des professions ESCO")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="unique_esco_relation")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} → {self.skill_id}"
