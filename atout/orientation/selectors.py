"""Reads for orientation: the in-memory index of métiers, and a person's skill profile.

Two sources: ``"rome"`` (the ROME 4.0 métiers, or the demo set) and ``"esco"`` (the ESCO
v1.1.1 occupations, where a soft skill reaches the ESCO skills listed in
``data/esco_soft_skills.json``).
"""

import functools
import json
import threading
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db.models import Max

from atout.matching import SAVOIR_ETRE, SAVOIR_FAIRE, Index, Profile
from atout.matching import Metier as MetierReq
from atout.referentiel.models import Skill

from .models import EscoOccupation, EscoRelation, EscoSkill, Item, Metier, Mobility, Requirement

_lock = threading.Lock()
_cache: dict[str, Any] = {}
UNASSESSED_LEVEL = 2  # a skill confirmed on an experience, not assessed yet
SOURCES = ("rome", "esco")
ESCO_SOFT_SKILLS = Path(__file__).parent / "data" / "esco_soft_skills.json"


VERSION_KEY = "orientation:data-version"


def data_changed() -> None:
    """Tell every process (through the shared cache) to rebuild its index: call it after
    any import or change of métiers and requirements."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _cache.clear()


def _version() -> tuple[Any, ...]:
    """What tells the index is stale: the key ``data_changed`` sets, and (should a write
    forget to call it) the highest ids of the tables, read from their primary-key index —
    counting 100,000 rows at each request would cost more than the ranking itself."""
    return (
        cache.get(VERSION_KEY),
        Metier.objects.count(),
        Requirement.objects.aggregate(last=Max("id"))["last"],
        Mobility.objects.aggregate(last=Max("id"))["last"],
    )


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}: one of {', '.join(SOURCES)}.")


def index(source: str = "rome") -> Index:
    """The matching index of ``source``, rebuilt when the imported data changed (one cheap
    query to know): ``"rome"``, the ROME (or demo) métiers; ``"esco"``, the ESCO
    occupations."""
    _check_source(source)
    if source == "esco":
        return _esco_index()
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


def _esco_version() -> tuple[Any, ...]:
    return (
        cache.get(VERSION_KEY),
        EscoOccupation.objects.count(),
        EscoSkill.objects.aggregate(last=Max("id"))["last"],
        EscoRelation.objects.aggregate(last=Max("id"))["last"],
    )


def esco_kind(uri: str, skill_type: str, soft: frozenset[str]) -> str | None:
    """How the matching counts an ESCO skill: a soft skill of ``esco_soft_skills.json`` is a
    savoir-être, another skill or competence a savoir-faire; knowledge is left out."""
    if uri in soft:
        return SAVOIR_ETRE
    if skill_type == EscoSkill.Type.KNOWLEDGE:
        return None
    return SAVOIR_FAIRE


def _esco_index() -> Index:
    version = _esco_version()
    with _lock:
        if _cache.get("esco_version") != version:
            soft = esco_soft_uris()
            kinds = {}
            for uri, skill_type in EscoSkill.objects.values_list("uri", "skill_type").iterator(
                chunk_size=20_000
            ):
                if kind := esco_kind(uri, skill_type, soft):
                    kinds[uri] = kind
            requirements: dict[int, dict[str, bool]] = defaultdict(dict)
            for occupation_id, uri, essential in EscoRelation.objects.values_list(
                "occupation_id", "skill__uri", "essential"
            ).iterator(chunk_size=20_000):
                if uri in kinds:
                    requirements[occupation_id][uri] = essential
            occupations = [
                MetierReq(code=code, label=label, requirements=requirements.get(pk, {}))
                for pk, code, label in EscoOccupation.objects.order_by("code").values_list(
                    "pk", "code", "label"
                )
            ]
            _cache["esco_index"] = Index(occupations, kinds)
            _cache["esco_version"] = version
        built: Index = _cache["esco_index"]
        return built


@functools.cache
def _esco_soft_skills() -> dict[str, tuple[str, ...]]:
    data = json.loads(ESCO_SOFT_SKILLS.read_text(encoding="utf-8"))
    return {code: tuple(s["uri"] for s in skills) for code, skills in data["skills"].items()}


def esco_crosswalk() -> dict[str, list[str]]:
    """Référentiel skill code → the ESCO skill URIs that express it
    (``data/esco_soft_skills.json``)."""
    return {code: list(uris) for code, uris in _esco_soft_skills().items()}


def esco_soft_uris() -> frozenset[str]:
    """Every ESCO skill URI a référentiel skill leads to: the savoir-être of ESCO."""
    return frozenset(uri for uris in _esco_soft_skills().values() for uri in uris)


def crosswalk() -> dict[str, list[str]]:
    """Référentiel skill code → the ROME savoir-être items it is cross-walked to."""
    return {
        skill.code: [str(r["code_ogr"]) for r in skill.rome_savoir_etre]
        for skill in Skill.objects.filter(framework__code="atout")
    }


def profile_from_levels(
    levels: dict[str, int],
    savoir_faire: list[str] | None = None,
    riasec: str = "",
    source: str = "rome",
) -> Profile:
    """A profile from soft-skill levels (1–4) and claimed savoir-faire: ROME items
    (``code_ogr``) for ``"rome"``, ESCO skill URIs for ``"esco"``, where the soft skills
    lead to ESCO skills through ``esco_soft_skills.json``."""
    _check_source(source)
    items: dict[str, float] = {}
    walk = esco_crosswalk() if source == "esco" else crosswalk()
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


def item_labels(codes: set[str], source: str = "rome") -> dict[str, tuple[str, str]]:
    """Code → (label, kind) of ROME items, or of ESCO skills (URIs) for ``"esco"``: kind
    ``savoir_etre``, ``savoir_faire`` or ``savoir`` (knowledge), as the index counts them."""
    _check_source(source)
    if source == "esco":
        soft = esco_soft_uris()
        return {
            uri: (label, esco_kind(uri, skill_type, soft) or "savoir")
            for uri, label, skill_type in EscoSkill.objects.filter(uri__in=codes).values_list(
                "uri", "label", "skill_type"
            )
        }
    return {
        code: (label, kind)
        for code, label, kind in Item.objects.filter(code_ogr__in=codes).values_list(
            "code_ogr", "label", "kind"
        )
    }
