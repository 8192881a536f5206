"""Loading and exporting frameworks. Imports validate everything before writing anything."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from atout.core.services import log_action

from . import formats
from .models import Behaviour, Family, Framework, Item, Level, Skill

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "atout.json"


class ImportRefused(Exception):
    """The framework belongs to someone else."""


def _pair(obj: Any, field: str) -> dict[str, str]:
    return {"fr": getattr(obj, f"{field}_fr"), "en": getattr(obj, f"{field}_en")}


def _split(value: dict[str, str] | None, field: str) -> dict[str, str]:
    value = value or {}
    return {f"{field}_fr": value.get("fr", ""), f"{field}_en": value.get("en", "")}


@transaction.atomic
def framework_import(
    *, data: Any, organisation: Any = None, actor: Any = None, is_public: bool | None = None
) -> Framework:
    """Create or update a framework from a native or CASE document.

    Raises ``formats.FormatError`` (nothing written) when the document is broken, and
    ``ImportRefused`` when its code belongs to another organisation's framework.
    Entries are matched by code: a re-import updates, never duplicates.
    """
    data = formats.read(data)
    fw = data["framework"]
    framework = Framework.objects.filter(code=fw["code"]).first()
    owner_id = getattr(organisation, "pk", None)
    if framework is not None and framework.organisation_id != owner_id:
        raise ImportRefused(fw["code"])
    fields = {
        "version": fw["version"],
        **_split(fw["title"], "title"),
        **_split(fw.get("description"), "description"),
        "publisher": fw.get("publisher", ""),
        "licence": fw.get("licence", ""),
        "assessment_rules": fw.get("assessment", {}),
        "organisation": organisation,
    }
    if is_public is not None:
        fields["is_public"] = is_public
    framework, created = Framework.objects.update_or_create(code=fw["code"], defaults=fields)

    numbers = []
    for level in data["levels"]:
        numbers.append(level["number"])
        Level.objects.update_or_create(
            framework=framework,
            number=level["number"],
            defaults={
                "code": level["code"],
                **_split(level["label"], "label"),
                **_split(level["description"], "description"),
            },
        )
    framework.levels.exclude(number__in=numbers).delete()

    family_codes, skill_codes = [], []
    for f, entry in enumerate(data["families"]):
        family_codes.append(entry["code"])
        family, _ = Family.objects.update_or_create(
            framework=framework,
            code=entry["code"],
            defaults={
                "position": f,
                **_split(entry["label"], "label"),
                **_split(entry.get("description"), "description"),
            },
        )
        for s, sk in enumerate(entry["skills"]):
            skill_codes.append(sk["code"])
            crosswalks = sk.get("crosswalks", {})
            skill, _ = Skill.objects.update_or_create(
                framework=framework,
                code=sk["code"],
                defaults={
                    "family": family,
                    "position": s,
                    **_split(sk["label"], "label"),
                    **_split(sk["definition"], "definition"),
                    "rome_savoir_etre": crosswalks.get("rome_savoir_etre", []),
                    "esco": crosswalks.get("esco", []),
                    "assessment_rules": sk.get("assessment", {}),
                },
            )
            skill.behaviours.all().delete()
            Behaviour.objects.bulk_create(
                Behaviour(skill=skill, level=b["level"], position=p, **_split(b["text"], "text"))
                for p, b in enumerate(sk.get("behaviours", []))
            )
            item_codes = []
            for p, it in enumerate(sk.get("items", [])):
                item_codes.append(it["code"])
                Item.objects.update_or_create(
                    skill=skill,
                    code=it["code"],
                    defaults={
                        "position": p,
                        **_split(it["self"], "self"),
                        **_split(it["referent"], "referent"),
                    },
                )
            skill.items.exclude(code__in=item_codes).delete()
    framework.skills.exclude(code__in=skill_codes).delete()
    framework.families.exclude(code__in=family_codes).delete()
    log_action(
        action="referentiel.imported" if created else "referentiel.updated",
        obj=framework,
        actor=actor,
        organisation=organisation,
        data={"version": framework.version, "skills": len(skill_codes)},
    )
    return framework


def framework_load_default() -> Framework:
    """Load (or refresh) the common framework shipped with atout."""
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    return framework_import(data=data)


def framework_export(*, framework: Framework) -> dict[str, Any]:
    """The framework as a native document (what ``atout referentiel export`` prints)."""
    skills = (
        framework.skills.select_related("family")
        .prefetch_related("behaviours", "items")
        .order_by("family__position", "position")
    )
    by_family: dict[int, list[dict[str, Any]]] = {}
    for skill in skills:
        by_family.setdefault(skill.family_id, []).append(
            {
                "code": skill.code,
                "label": _pair(skill, "label"),
                "definition": _pair(skill, "definition"),
                "behaviours": [
                    {"level": b.level, "text": _pair(b, "text")} for b in skill.behaviours.all()
                ],
                "items": [
                    {"code": i.code, "self": _pair(i, "self"), "referent": _pair(i, "referent")}
                    for i in skill.items.all()
                ],
                "crosswalks": {"rome_savoir_etre": skill.rome_savoir_etre, "esco": skill.esco},
                **({"assessment": skill.assessment_rules} if skill.assessment_rules else {}),
            }
        )
    return {
        "format": formats.FORMAT,
        "framework": {
            "code": framework.code,
            "version": framework.version,
            "title": _pair(framework, "title"),
            "description": _pair(framework, "description"),
            "publisher": framework.publisher,
            "licence": framework.licence,
            **({"assessment": framework.assessment_rules} if framework.assessment_rules else {}),
        },
        "levels": [
            {
                "number": level.number,
                "code": level.code,
                "label": _pair(level, "label"),
                "description": _pair(level, "description"),
            }
            for level in framework.levels.all()
        ],
        "families": [
            {
                "code": family.code,
                "label": _pair(family, "label"),
                "description": _pair(family, "description"),
                "skills": by_family.get(family.pk, []),
            }
            for family in framework.families.all()
        ],
    }
