"""Reads for orientation: the in-memory index of métiers, and a person's skill profile."""

import threading
import uuid
from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from atout.matching import Index, Profile
from atout.matching import Metier as MetierReq
from atout.referentiel.models import Skill

from .models import Item, Metier, Mobility, Requirement

_lock = threading.Lock()
_cache: dict[str, Any] = {}
UNASSESSED_LEVEL = 2  # a skill confirmed on an experience, not assessed yet


VERSION_KEY = "orientation:data-version"


def data_changed() -> None:
    """Tell every process (through the shared cache) to rebuild its index: call it after
    any import or change of métiers and requirements."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _cache.clear()


def _version() -> tuple[Any, ...]:
    stats = Requirement.objects.aggregate(n=Count("id"), last=Max("id"))
    return (
        cache.get(VERSION_KEY),
        Metier.objects.count(),
        stats["n"],
        stats["last"],
        Mobility.objects.count(),
    )


def index() -> Index:
    """The matching index, rebuilt when the imported data changed (one cheap query to know)."""
    version = _version()
    with _lock:
        if _cache.get("version") != version:
            requirements: dict[int, dict[str, bool]] = defaultdict(dict)
            for metier_id, code_ogr, core in Requirement.objects.values_list(
                "metier_id", "item__code_ogr", "core"
            ).iterator(chunk_size=20_000):
                requirements[metier_id][code_ogr] = core
            mobilities: dict[int, list[tuple[str, int]]] = defaultdict(list)
            for source_id, target_code, order in Mobility.objects.values_list(
                "source_id", "target__code", "order"
            ):
                mobilities[source_id].append((target_code, order))
            metiers = [
                MetierReq(
                    code=m.code,
                    label=m.label,
                    requirements=requirements.get(m.pk, {}),
                    riasec_major=m.riasec_major,
                    riasec_minor=m.riasec_minor,
                    mobilities=tuple(sorted(mobilities.get(m.pk, []), key=lambda t: t[1])),
                )
                for m in Metier.objects.order_by("code")
            ]
            kinds = dict(
                Item.objects.filter(kind__in=["savoir_etre", "savoir_faire"]).values_list(
                    "code_ogr", "kind"
                )
            )
            _cache["index"] = Index(metiers, kinds)
            _cache["version"] = version
        built: Index = _cache["index"]
        return built


def crosswalk() -> dict[str, list[str]]:
    """Référentiel skill code → the ROME savoir-être items it is cross-walked to."""
    return {
        skill.code: [str(r["code_ogr"]) for r in skill.rome_savoir_etre]
        for skill in Skill.objects.filter(framework__code="atout")
    }


def profile_from_levels(
    levels: dict[str, int], savoir_faire: list[str] | None = None, riasec: str = ""
) -> Profile:
    """A profile from soft-skill levels (1–4) and claimed savoir-faire items."""
    items: dict[str, float] = {}
    walk = crosswalk()
    for code, level in levels.items():
        for item in walk.get(code, []):
            items[item] = max(items.get(item, 0.0), min(level, 4) / 4)
    for item in savoir_faire or []:
        items[item] = 1.0
    return Profile(items=items, riasec=riasec)


def person_levels(*, user: Any) -> dict[str, int]:
    """The person's evidenced soft skills: assessed levels, else 2 for a skill they
    confirmed on an experience."""
    from atout.assessments.models import Assessment
    from atout.experiences.models import ExperienceSkill

    levels: dict[str, int] = {}
    for code, level in Assessment.objects.filter(owner=user, level__gte=1).values_list(
        "skill__code", "level"
    ):
        if level is not None:
            levels[code] = max(level, levels.get(code, 0))  # assessed levels come first
    for code in ExperienceSkill.objects.filter(experience__owner=user, confirmed=True).values_list(
        "skill__code", flat=True
    ):
        levels.setdefault(code, UNASSESSED_LEVEL)
    return levels


def item_labels(codes: set[str]) -> dict[str, tuple[str, str]]:
    return {
        code: (label, kind)
        for code, label, kind in Item.objects.filter(code_ogr__in=codes).values_list(
            "code_ogr", "label", "kind"
        )
    }
