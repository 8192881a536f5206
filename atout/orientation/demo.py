"""The demo métiers (``data/demo_rome.json``): orientation on a site without the ROME files.

The set is written for atout (our own labels; only the codes and RIASEC letters are ROME's).
The official import (``atout import rome DIR --wet-run``) turns a demo métier into a ROME one
with the same code; loading the demo again never touches a ROME métier.

``data/demo_labour.json`` holds labour-market figures for the demo métiers in one
département (93), invented for atout and shown as "Données de démonstration". They are
loaded only while no real figures exist (``atout import labour DIR --wet-run`` deletes them).
"""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import Item, LabourFigure, Metier, Mobility, Requirement, Source
from .selectors import data_changed

DEMO_FILE = Path(__file__).parent / "data" / "demo_rome.json"
DEMO_FORMAT = "atout-demo-rome/1"
DEMO_LABOUR_FILE = Path(__file__).parent / "data" / "demo_labour.json"
DEMO_LABOUR_FORMAT = "atout-demo-labour/1"
LABOUR_FIELDS = ("projects", "hard_share", "seasonal_share", "tension", "offers", "jobseekers")


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    if data.get("format") != DEMO_FORMAT:
        raise ValueError(f"{DEMO_FILE.name}: format {data.get('format')!r}, not {DEMO_FORMAT}")
    return data


def load_demo(*, force: bool = False) -> int:
    """Create the missing demo métiers (``source="demo"``); with ``force``, also rewrite the
    demo métiers already there (labels, requirements, mobilities) from the file.

    A métier imported from ROME is never changed, nor the label of an item a ROME métier
    requires. Then loads the demo labour figures (``load_demo_labour``). Returns the number
    of métiers created or rewritten.
    """
    written = _load_metiers(force=force)
    load_demo_labour(force=force)
    return written


def _load_metiers(*, force: bool) -> int:
    data = demo_data()
    entries: list[dict[str, Any]] = data["metiers"]
    with transaction.atomic():
        sources = dict(
            Metier.objects.filter(code__in=[e["code"] for e in entries]).values_list(
                "code", "source"
            )
        )
        chosen = [
            entry
            for entry in entries
            if entry["code"] not in sources or (force and sources[entry["code"]] == Source.DEMO)
        ]
        if not chosen:
            return 0
        _write_items(chosen, data["savoir_etre"], force=force)
        Metier.objects.bulk_create(
            [
                Metier(
                    code=entry["code"],
                    label=entry["label"],
                    grand_domaine=entry["code"][0],
                    domaine=entry["code"][:3],
                    riasec_major=entry["riasec_major"],
                    riasec_minor=entry["riasec_minor"],
                    parent_code=entry["code"],
                    access=entry.get("access", ""),
                    access_level=entry.get("access_level"),
                    source=Source.DEMO,
                )
                for entry in chosen
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "label",
                "grand_domaine",
                "domaine",
                "riasec_major",
                "riasec_minor",
                "parent_code",
                "access",
                "access_level",
            ],
        )
        _write_links(chosen, entries)
    data_changed()
    return len(chosen)


def _write_items(chosen: list[dict[str, Any]], savoir_etre: dict[str, str], *, force: bool) -> None:
    wanted: dict[str, tuple[str, str]] = {}
    for entry in chosen:
        for code in entry["savoir_etre"]:
            wanted[code] = (savoir_etre[code], Item.Kind.SAVOIR_ETRE)
        for item in entry["savoir_faire"]:
            wanted[item["code_ogr"]] = (item["label"], Item.Kind.SAVOIR_FAIRE)
    Item.objects.bulk_create(
        [Item(code_ogr=code, label=label, kind=kind) for code, (label, kind) in wanted.items()],
        ignore_conflicts=True,
    )
    if force:
        stale = [
            item
            for item in Item.objects.filter(code_ogr__in=wanted)
            .exclude(requirements__metier__source=Source.ROME)
            .distinct()
            if (item.label, item.kind) != wanted[item.code_ogr]
        ]
        for item in stale:
            item.label, item.kind = wanted[item.code_ogr]
        Item.objects.bulk_update(stale, ["label", "kind"])


def _write_links(chosen: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    """Replace the requirements and mobilities of the chosen métiers."""
    codes = {entry["code"] for entry in entries}
    metier_ids = dict(Metier.objects.filter(code__in=codes).values_list("code", "pk"))
    item_codes = {code for entry in chosen for code in entry["savoir_etre"]} | {
        item["code_ogr"] for entry in chosen for item in entry["savoir_faire"]
    }
    item_ids = dict(Item.objects.filter(code_ogr__in=item_codes).values_list("code_ogr", "pk"))
    written = [metier_ids[entry["code"]] for entry in chosen]
    Requirement.objects.filter(metier_id__in=written).delete()
    Mobility.objects.filter(source_id__in=written).delete()
    requirements, mobilities = [], []
    for entry in chosen:
        metier_id = metier_ids[entry["code"]]
        requirements += [
            Requirement(metier_id=metier_id, item_id=item_ids[code], core=False)
            for code in entry["savoir_etre"]
        ]
        requirements += [
            Requirement(metier_id=metier_id, item_id=item_ids[item["code_ogr"]], core=item["core"])
            for item in entry["savoir_faire"]
        ]
        mobilities += [
            Mobility(source_id=metier_id, target_id=metier_ids[target], order=order)
            for order, target in enumerate(entry["mobilities"], start=1)
            if target in metier_ids
        ]
    Requirement.objects.bulk_create(requirements)
    Mobility.objects.bulk_create(mobilities)


def demo_labour_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_LABOUR_FILE.read_text(encoding="utf-8"))
    if data.get("format") != DEMO_LABOUR_FORMAT:
        raise ValueError(
            f"{DEMO_LABOUR_FILE.name}: format {data.get('format')!r}, not {DEMO_LABOUR_FORMAT}"
        )
    return data


def load_demo_labour(*, force: bool = False) -> int:
    """Create the missing demo labour figures of the métiers with those codes (with
    ``force``, rewrite them too), unless real figures were imported. Returns the number of
    figures created or rewritten."""
    data = demo_labour_data()
    departement, year = data["departement"], data["year"]
    with transaction.atomic():
        if LabourFigure.objects.exclude(dataset=LabourFigure.Dataset.DEMO).exists():
            return 0
        metier_ids = dict(
            Metier.objects.filter(code__in=[f["code"] for f in data["figures"]]).values_list(
                "code", "pk"
            )
        )
        present = set(
            LabourFigure.objects.filter(
                dataset=LabourFigure.Dataset.DEMO, departement=departement
            ).values_list("metier_id", flat=True)
        )
        figures = [
            LabourFigure(
                metier_id=metier_ids[entry["code"]],
                departement=departement,
                dataset=LabourFigure.Dataset.DEMO,
                source=data["source"],
                year=year,
                competition=(
                    round(entry["jobseekers"] / entry["offers"], 2) if entry["offers"] else None
                ),
                **{name: entry[name] for name in LABOUR_FIELDS},
            )
            for entry in data["figures"]
            if entry["code"] in metier_ids and (force or metier_ids[entry["code"]] not in present)
        ]
        LabourFigure.objects.bulk_create(
            figures,
            update_conflicts=True,
            unique_fields=["metier", "departement", "source", "year"],
            update_fields=[*LABOUR_FIELDS, "competition"],
        )
    return len(figures)
