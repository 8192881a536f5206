"""ROME 4.0 métiers and what they require, as imported (or the shipped demo set)."""

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
