from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    """Models with ``<field>_fr`` and ``<field>_en``: ``tr('label')`` picks the active language."""

    class Meta:
        abstract = True

    def tr(self, field: str) -> str:
        lang = (get_language() or "fr")[:2]
        value = getattr(self, f"{field}_{lang}", "") if lang in {"fr", "en"} else ""
        return value or getattr(self, f"{field}_fr")


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def public(self) -> "FrameworkQuerySet":
        return self.filter(models.Q(organisation__isnull=True) | models.Q(is_public=True))


class Framework(Bilingual):
    """A framework of skills: the common one (no organisation) or an organisation's own."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    version = models.CharField(_("version"), max_length=20)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200)
    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="frameworks",
        help_text=_("Vide pour le référentiel commun, public."),
    )
    is_public = models.BooleanField(_("public"), default=False)
    assessment_rules = models.JSONField(
        _("règles d'évaluation"),
        default=dict,
        blank=True,
        help_text=_("Remplace les règles par défaut (voir docs/assessment.md)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("référentiel")
        verbose_name_plural = _("référentiels")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title_fr

    def get_absolute_url(self) -> str:
        return reverse("referentiel:framework", args=[self.code])


class Level(Bilingual):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("numéro"))
    code = models.SlugField(_("code"), max_length=40)
    label_fr = models.CharField(_("nom (français)"), max_length=100)
    label_en = models.CharField(_("nom (anglais)"), max_length=100)
    description_fr = models.TextField(_("description (français)"))
    description_en = models.TextField(_("description (anglais)"))

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaux")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_level_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label_fr}"


class Family(Bilingual):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="families")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label_fr = models.CharField(_("nom (français)"), max_length=200)
    label_en = models.CharField(_("nom (anglais)"), max_length=200)
    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)

    class Meta:
        verbose_name = _("famille")
        verbose_name_plural = _("familles")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_family_code")
        ]

    def __str__(self) -> str:
        return self.label_fr


class Skill(Bilingual):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="skills")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="skills")
    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label_fr = models.CharField(_("nom (français)"), max_length=200)
    label_en = models.CharField(_("nom (anglais)"), max_length=200)
    definition_fr = models.TextField(_("définition (français)"))
    definition_en = models.TextField(_("définition (anglais)"))
    rome_savoir_etre = models.JSONField(
        _("savoir-être ROME 4.0"), default=list, blank=True, help_text='[{"code_ogr", "label"}]'
    )
    esco = models.JSONField(
        _("compétences ESCO"), default=list, blank=True, help_text='[{"uri", "label"}]'
    )
    assessment_rules = models.JSONField(
        _("règles d'évaluation"),
        default=dict,
        blank=True,
        help_text=_("Remplace, pour cette compétence, les règles du référentiel."),
    )

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["framework", "family__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_skill_code")
        ]

    def __str__(self) -> str:
        return self.label_fr

    def get_absolute_url(self) -> str:
        return reverse("referentiel:skill", args=[self.framework.code, self.code])


class Behaviour(Bilingual):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="behaviours")
    level = models.PositiveSmallIntegerField(_("niveau"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    text_fr = models.TextField(_("texte (français)"))
    text_en = models.TextField(_("texte (anglais)"))

    class Meta:
        verbose_name = _("comportement observable")
        verbose_name_plural = _("comportements observables")
        ordering = ["skill", "level", "position"]

    def __str__(self) -> str:
        return self.text_fr


class Item(Bilingual):
    """A questionnaire statement, in the first person (self) and about the person (referent)."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    self_fr = models.TextField(_("auto-évaluation (français)"))
    self_en = models.TextField(_("auto-évaluation (anglais)"))
    referent_fr = models.TextField(_("référent (français)"), help_text=_("{name} = prénom"))
    referent_en = models.TextField(_("référent (anglais)"), help_text=_("{name} = prénom"))

    class Meta:
        verbose_name = _("item de questionnaire")
        verbose_name_plural = _("items de questionnaire")
        ordering = ["skill", "position"]
        constraints = [models.UniqueConstraint(fields=["skill", "code"], name="unique_item_code")]

    def __str__(self) -> str:
        return self.code

    def phrase(self, form: str, name: str = "") -> str:
        """The statement in the active language: ``form`` "self" or "referent" (about
        ``name``, the person's first name)."""
        return self.tr(form).replace("{name}", name)
