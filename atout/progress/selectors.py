"""Reads: a person's levels, suggestions with why and where, and access-checked objects."""

from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from atout.accounts.models import User
from atout.assessments.models import Assessment
from atout.referentiel.models import Level, Skill

from .importers import FRAMEWORK
from .models import Kind, Opportunity, OpportunityQuerySet, SavedItem

MAX_LEVEL = 4
PER_SECTION = 3  # resources, and as many missions, per skill on the person's page
PER_SKILL_PAGE = 20


def get_saved_item_for_user(*, user: User, pk: int) -> SavedItem:
    """The person's own saved item, or 404: nobody sees what another person keeps."""
    return get_object_or_404(SavedItem.objects.owned_by(user).select_related("opportunity"), pk=pk)


def get_opportunity(*, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.current(), pk=pk)


def get_skill(*, code: str) -> Skill:
    return get_object_or_404(Skill.objects.filter(framework__code=FRAMEWORK), code=code)


def skills() -> list[Skill]:
    return list(Skill.objects.filter(framework__code=FRAMEWORK).select_related("family"))


def person_levels(*, user: User) -> dict[str, int]:
    """Skill code → the level of the person's latest decided assessment of it."""
    levels: dict[str, int] = {}
    rows = (
        Assessment.objects.owned_by(user)
        .filter(level__isnull=False)
        .order_by(F("decided_at").desc(nulls_last=True), "-created_at", "-id")
        .values_list("skill__code", "level")
    )
    for code, level in rows:
        levels.setdefault(code, level)
    return levels


def level_labels() -> dict[int, str]:
    """Level number → its name in the active language ("Confirmé")."""
    return {
        level.number: level.tr("label") for level in Level.objects.filter(framework__code=FRAMEWORK)
    }


def target_level(current: int | None) -> int:
    """The next level: Découverte (1) for a skill not assessed yet, never above Expert."""
    return min((current or 0) + 1, MAX_LEVEL)


def because(*, skill: Skill, current: int | None, labels: dict[int, str]) -> str:
    """Why this suggestion: "Parce que tu veux atteindre « Confirmé » en « S'organiser »."."""
    name = skill.tr("label")
    if current is not None and current >= MAX_LEVEL:
        return _("Pour aller plus loin en « %(skill)s », où tu es déjà « %(level)s ».") % {
            "skill": name,
            "level": labels.get(current, str(current)),
        }
    target = target_level(current)
    return _("Parce que tu veux atteindre « %(level)s » en « %(skill)s ».") % {
        "level": labels.get(target, str(target)),
        "skill": name,
    }


def where(*, opportunity: Opportunity, departement: str) -> str:
    """Where it happens, from the person's point of view."""
    location = ""
    if opportunity.departement:
        location = (
            f"{opportunity.place} ({opportunity.departement})"
            if opportunity.place
            else _("département %(code)s") % {"code": opportunity.departement}
        )
    near = bool(departement) and opportunity.departement == departement
    if opportunity.remote and near:
        return _("Près de chez toi : %(location)s, ou à distance") % {"location": location}
    if opportunity.remote:
        return _("À distance")
    if near:
        return _("Près de chez toi : %(location)s") % {"location": location}
    return location


@dataclass(frozen=True)
class Suggestion:
    opportunity: Opportunity
    where: str
    because: str
    saved: SavedItem | None = None


@dataclass
class Section:
    """What helps to progress in one skill."""

    skill: Skill
    current: int | None
    current_label: str
    target_label: str
    resources: list[Suggestion] = field(default_factory=list)
    missions: list[Suggestion] = field(default_factory=list)


def _nearest_first(queryset: OpportunityQuerySet, departement: str) -> OpportunityQuerySet:
    if not departement:
        return queryset.order_by("title", "id")
    return queryset.annotate(
        far=Case(
            When(departement=departement, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("far", "title", "id")


def section(
    *,
    skill: Skill,
    user: User | None,
    departement: str | None,
    levels: dict[str, int],
    labels: dict[int, str],
    saved: dict[int, SavedItem],
    limit: int = PER_SECTION,
) -> Section:
    """Resources and missions for ``skill``: with ``departement`` (possibly "", meaning
    "none given"), only the remote ones and those in it; with None, everywhere."""
    current = levels.get(skill.code)
    queryset = Opportunity.objects.current().for_skill(skill.pk)
    if departement is not None:
        queryset = queryset.near(departement)
    queryset = _nearest_first(queryset, departement or "")
    reason = (
        because(skill=skill, current=current, labels=labels)
        if user is not None
        else _("Pour progresser en « %(skill)s ».") % {"skill": skill.tr("label")}
    )

    def suggest(rows: OpportunityQuerySet) -> list[Suggestion]:
        return [
            Suggestion(
                opportunity=row,
                where=where(opportunity=row, departement=departement or ""),
                because=reason,
                saved=saved.get(row.pk),
            )
            for row in rows[:limit]
        ]

    return Section(
        skill=skill,
        current=current,
        current_label=labels.get(current, "") if current else "",
        target_label=labels.get(target_level(current), ""),
        resources=suggest(queryset.resources()),
        missions=suggest(queryset.missions()),
    )


def saved_by_opportunity(*, user: User | None) -> dict[int, SavedItem]:
    if user is None:
        return {}
    return {item.opportunity_id: item for item in SavedItem.objects.owned_by(user)}


def saved_items(*, user: User) -> list[SavedItem]:
    return list(
        SavedItem.objects.owned_by(user).select_related(
            "opportunity", "experience", "chat__experience"
        )
    )


def trainings_for(*, code: str, departement: str = "", limit: int = 5) -> list[Opportunity]:
    """Trainings that prepare for the métier of ROME ``code``, those in ``departement``
    first."""
    queryset = Opportunity.objects.current().for_metier(code).filter(kind=Kind.TRAINING)
    return list(_nearest_first(queryset, departement)[:limit])


def ways_for_skills(
    *, codes: set[str], departement: str = "", per_skill: int = 3
) -> dict[str, list[Opportunity]]:
    """Skill code → a few current resources and missions to progress in it (remote, or in
    ``departement``, nearest first), read in one query."""
    rows = _nearest_first(
        Opportunity.objects.current()
        .near(departement)
        .filter(skills__code__in=codes, skills__framework__code="atout")
        .annotate(skill_code=F("skills__code")),
        departement,
    )
    ways: dict[str, list[Opportunity]] = {code: [] for code in codes}
    for row in rows:
        code: str = row.skill_code  # type: ignore[attr-defined]  # the annotation
        found = ways[code]
        if len(found) < per_skill:
            found.append(row)
    return ways
