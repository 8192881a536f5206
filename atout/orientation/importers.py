"""Import the official ROME 4.0 files (France Travail open data, ``RefRomeCsv``).

``import_rome`` reads a folder of ``unix_*_v<version>_utf8.csv`` files in two passes. The
first reads and checks everything (file names, headers, UTF-8, CSV syntax, codes) and writes
nothing: a broken file stops the import before any write. The second, only with
``write=True``, writes one step per transaction: métiers, appellations, items, then the
requirements and the mobilities of the imported métiers, which are replaced.

A row with an unknown code (an appellation of an unknown métier, a mobility to an unknown
target…) is reported through ``on_skip`` and skipped; with ``strict=True`` the first one
stops the import during the first pass, so nothing is written.

The files are streamed with ``csv.DictReader``; only the codes and ids are kept in memory.
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from .access import access_level
from .csvfiles import count_lines, first_bad_byte
from .models import Appellation, Item, Metier, Mobility, Requirement, Source
from .selectors import data_changed

BATCH_SIZE = 5_000
PROGRESS_EVERY = 1_000

# File stem → the exact columns of its header (``code_domaine_professionel``: sic).
COLUMNS: dict[str, tuple[str, ...]] = {
    "referentiel_code_rome": (
        "code_rome",
        "code_fiche_metier",
        "code_ogr",
        "libelle_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "code_rome_parent",
    ),
    "cr_gd_dp": (
        "code_rome",
        "libelle_rome",
        "code_grand_domaine",
        "libelle_grand_domaine",
        "code_domaine_professionel",
        "libelle_domaine_professionel",
    ),
    "referentiel_code_rome_riasec": ("code_rome", "riasec_majeur", "riasec_mineur"),
    "referentiel_appellation": (
        "code_ogr",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "code_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "classification",
        "origine",
        "code_rome_parent",
        "peu_usite",
    ),
    "item": ("code_ogr", "libelle", "code_rubrique"),
    "coherence_item": ("code_rome", "code_ogr", "coeur_metier"),
    "rubrique_mobilite": ("code_rome", "code_rome_cible", "numero_ordre"),
    "texte": (
        "code_rome",
        "code_compo_bloc",
        "libelle_type_texte",
        "position_phrase",
        "libelle_texte",
    ),
}
# Read when present (older exports and the test folders may lack them).
OPTIONAL = frozenset({"texte"})
TEXT_KINDS = {"definition": "definition", "acces_metier": "access"}
STEPS = ("metiers", "appellations", "items", "requirements", "mobilities")
ITEM_KINDS = {"1": Item.Kind.SAVOIR_FAIRE, "2": Item.Kind.SAVOIR_ETRE, "3": Item.Kind.SAVOIR}
WORK_CONTEXT = ""  # code_rubrique of the work contexts (not items a person can hold)
CORE = "Principale"
RIASEC = frozenset("RIASEC")

ROME_CODE = re.compile(r"[A-N]\d{4}")
GRAND_DOMAINE = re.compile(r"[A-N]")
DOMAINE = re.compile(r"[A-N]\d{2}")
CODE_OGR = re.compile(r"\d{1,10}")
# cp1252 bytes read as Latin-1 (one label holds U+0092 for an apostrophe).
C1_CONTROLS = re.compile(r"[\x80-\x9f]")

Progress = Callable[[str, int, int], None]


class RomeImportError(Exception):
    """The files cannot be imported; nothing was written by the step that raised it."""


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped (or that stopped a strict import)."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}"


@dataclass
class _Run:
    """The files of one import and what the first pass learnt from them."""

    paths: dict[str, Path]
    progress: Progress | None
    on_bad: Callable[[BadRow], None]
    metiers: set[str] = field(default_factory=set)
    domains: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    riasec: dict[str, tuple[str, str]] = field(default_factory=dict)
    # code → {"definition": sentences, "access": sentences}, in order
    texts: dict[str, dict[str, list[tuple[int, str]]]] = field(default_factory=dict)
    items: set[str] = field(default_factory=set)
    work_contexts: set[str] = field(default_factory=set)
    work_context_links: int = 0


def import_rome(
    directory: Path,
    *,
    write: bool,
    progress: Progress | None = None,
    strict: bool = False,
    on_skip: Callable[[BadRow], None] | None = None,
) -> dict[str, int]:
    """Check (and with ``write``, import) the ROME files of ``directory``.

    Returns the rows imported (or that would be) per step, ``skipped`` (bad rows), and
    ``work_contexts`` and ``work_context_links`` (the work contexts and their links to
    métiers, ignored by design). Raises ``RomeImportError``.
    """
    skipped: list[BadRow] = []

    def on_bad(bad: BadRow) -> None:
        if strict:
            raise RomeImportError(f"{bad} (--strict: nothing written)")
        skipped.append(bad)
        if on_skip is not None:
            on_skip(bad)

    run = _Run(paths=_find_files(directory), progress=progress, on_bad=on_bad)
    counts = _check(run)
    counts["skipped"] = len(skipped)
    if write:
        run.on_bad = lambda bad: None  # reported by the first pass already
        try:
            _write(run)
        finally:
            data_changed()  # even after a failed step: the steps before it were written
    return counts


def _find_files(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        raise RomeImportError(f"{directory} is not a folder.")
    first = "referentiel_code_rome"
    found = sorted(directory.glob(f"unix_{first}_v*_utf8.csv"))
    if not found:
        raise RomeImportError(
            f"No ROME file in {directory} (expected unix_{first}_v<version>_utf8.csv)."
        )
    if len(found) > 1:
        names = ", ".join(path.name for path in found)
        raise RomeImportError(f"Several ROME versions in {directory}: {names}. Keep one.")
    version = found[0].name.removeprefix(f"unix_{first}_").removesuffix("_utf8.csv")
    paths = {stem: directory / f"unix_{stem}_{version}_utf8.csv" for stem in COLUMNS}
    for stem in OPTIONAL:
        if not paths[stem].is_file():
            del paths[stem]
    missing = [
        path.name for stem, path in paths.items() if stem not in OPTIONAL and not path.is_file()
    ]
    if missing:
        raise RomeImportError(f"Missing in {directory}: {', '.join(missing)}.")
    return paths


# Reading ---------------------------------------------------------------------------------


def _rows(run: _Run, stem: str, step: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each well-formed row of a file; bad rows go to ``run.on_bad``."""
    path = run.paths[stem]
    name, columns = path.name, COLUMNS[stem]
    total = count_lines(path) if run.progress else 0
    line = rows = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, strict=True)
            _check_header(name, reader.fieldnames, columns)
            for row in reader:
                line = reader.line_num
                extra = row.pop(None, None) or []  # type: ignore[call-overload]
                missing = sum(value is None for value in row.values())
                if extra or missing:
                    found = len(columns) + len(extra) - missing
                    run.on_bad(BadRow(name, line, f"{found} fields instead of {len(columns)}"))
                else:
                    yield line, row
                rows += 1
                if run.progress and rows % PROGRESS_EVERY == 0:
                    run.progress(step, min(line - 1, total), total)
    except UnicodeDecodeError as error:
        raise RomeImportError(
            f"{name} is not UTF-8 ({first_bad_byte(path)}): export it again as UTF-8."
        ) from error
    except csv.Error as error:
        raise RomeImportError(
            f"{name} is not valid CSV after line {line} ({error}): truncated or broken file?"
        ) from error
    except OSError as error:
        raise RomeImportError(f"Cannot read {name}: {error}") from error
    if run.progress:
        run.progress(step, total, total)


def _check_header(name: str, header: Iterable[str] | None, columns: tuple[str, ...]) -> None:
    found = list(header or [])
    if not found:
        raise RomeImportError(f"{name} is empty (no header).")
    missing = [column for column in columns if column not in found]
    unexpected = [column for column in found if column not in columns]
    doubled = sorted({column for column in found if found.count(column) > 1})
    if missing or unexpected or doubled:
        problems = []
        if missing:
            problems.append(f"missing columns: {', '.join(missing)}")
        if unexpected:
            problems.append(f"unexpected columns: {', '.join(unexpected)}")
        if doubled:
            problems.append(f"repeated columns: {', '.join(doubled)}")
        raise RomeImportError(f"{name} has an unexpected header ({'; '.join(problems)}).")


def _text(value: str) -> str:
    value = value.strip()
    if C1_CONTROLS.search(value):
        value = C1_CONTROLS.sub(lambda m: bytes([ord(m.group())]).decode("cp1252", "ignore"), value)
    return value


def _max_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


LABEL_MAX = {
    "metier": _max_length(Metier, "label"),
    "domain": _max_length(Metier, "domaine_label"),
    "appellation": _max_length(Appellation, "label"),
    "item": _max_length(Item, "label"),
}


# The rows of each file, checked: the same code serves the check and the write ------------


def _metier_rows(run: _Run, step: str) -> Iterator[tuple[str, str, str]]:
    """(code, label, parent): ``parent`` is the ROME v3 code (``code_rome_parent``, else
    the code itself), the key of the labour-market files."""
    name, seen = run.paths["referentiel_code_rome"].name, set()
    for line, row in _rows(run, "referentiel_code_rome", step):
        code, label = row["code_rome"].strip(), _text(row["libelle_rome"])
        parent = row["code_rome_parent"].strip() or code
        if not ROME_CODE.fullmatch(code):
            run.on_bad(BadRow(name, line, f"code_rome {code!r} is not a ROME code"))
        elif not ROME_CODE.fullmatch(parent):
            run.on_bad(BadRow(name, line, f"code_rome_parent {parent!r} is not a ROME code"))
        elif code in seen:
            run.on_bad(BadRow(name, line, f"code_rome {code} appears twice"))
        elif not label or len(label) > LABEL_MAX["metier"]:
            run.on_bad(BadRow(name, line, f"libelle_rome of {code} is empty or too long"))
        else:
            seen.add(code)
            yield code, label, parent


def _read_domains(run: _Run, step: str) -> None:
    name = run.paths["cr_gd_dp"].name
    for line, row in _rows(run, "cr_gd_dp", step):
        code = row["code_rome"].strip()
        grand, domaine = row["code_grand_domaine"].strip(), row["code_domaine_professionel"].strip()
        labels = _text(row["libelle_grand_domaine"]), _text(row["libelle_domaine_professionel"])
        if code not in run.metiers:
            run.on_bad(BadRow(name, line, f"unknown métier {code!r}"))
        elif code in run.domains:
            run.on_bad(BadRow(name, line, f"code_rome {code} appears twice"))
        elif not GRAND_DOMAINE.fullmatch(grand) or not DOMAINE.fullmatch(domaine):
            run.on_bad(BadRow(name, line, f"bad domain codes {grand!r}, {domaine!r}"))
        elif any(len(label) > LABEL_MAX["domain"] for label in labels):
            run.on_bad(BadRow(name, line, "domain label too long"))
        else:
            run.domains[code] = (grand, labels[0], domaine, labels[1])


def _read_riasec(run: _Run, step: str) -> None:
    name = run.paths["referentiel_code_rome_riasec"].name
    for line, row in _rows(run, "referentiel_code_rome_riasec", step):
        code = row["code_rome"].strip()
        major, minor = row["riasec_majeur"].strip(), row["riasec_mineur"].strip()
        if code not in run.metiers:
            run.on_bad(BadRow(name, line, f"unknown métier {code!r}"))
        elif code in run.riasec:
            run.on_bad(BadRow(name, line, f"code_rome {code} appears twice"))
        elif {major, minor} - RIASEC - {""}:
            run.on_bad(BadRow(name, line, f"RIASEC letters {major!r}, {minor!r}"))
        else:
            run.riasec[code] = (major, minor)


def _read_texts(run: _Run, step: str) -> None:
    """The definition and "Accès à l'emploi" sentences of each métier (optional file)."""
    if "texte" not in run.paths:
        return
    name = run.paths["texte"].name
    for line, row in _rows(run, "texte", step):
        code, kind = row["code_rome"].strip(), row["libelle_type_texte"].strip()
        position, text = row["position_phrase"].strip(), _text(row["libelle_texte"])
        if kind not in TEXT_KINDS:
            continue
        if code not in run.metiers:
            run.on_bad(BadRow(name, line, f"unknown métier {code!r}"))
        elif not position.isdigit():
            run.on_bad(BadRow(name, line, f"position_phrase {position!r} is not a number"))
        elif text:
            # The export doubles apostrophes (SQL-style): "d''un" → "d'un".
            sentence = (int(position), text.replace("''", "'"))
            run.texts.setdefault(code, {}).setdefault(TEXT_KINDS[kind], []).append(sentence)


def _appellation_rows(run: _Run, step: str) -> Iterator[tuple[str, str, str]]:
    name, seen = run.paths["referentiel_appellation"].name, set()
    for line, row in _rows(run, "referentiel_appellation", step):
        code, metier = row["code_ogr"].strip(), row["code_rome"].strip()
        label = _text(row["libelle_appellation_long"])
        if not CODE_OGR.fullmatch(code):
            run.on_bad(BadRow(name, line, f"code_ogr {code!r} is not a number"))
        elif code in seen:
            run.on_bad(BadRow(name, line, f"code_ogr {code} appears twice"))
        elif metier not in run.metiers:
            run.on_bad(BadRow(name, line, f"appellation {code}: unknown métier {metier!r}"))
        elif not label or len(label) > LABEL_MAX["appellation"]:
            run.on_bad(BadRow(name, line, f"label of appellation {code} is empty or too long"))
        else:
            seen.add(code)
            yield code, label, metier


def _item_rows(run: _Run, step: str) -> Iterator[tuple[str, str, str]]:
    name, seen = run.paths["item"].name, set()
    for line, row in _rows(run, "item", step):
        code, rubrique, label = (
            row["code_ogr"].strip(),
            row["code_rubrique"].strip(),
            row["libelle"],
        )
        label = _text(label)
        if not CODE_OGR.fullmatch(code):
            run.on_bad(BadRow(name, line, f"code_ogr {code!r} is not a number"))
        elif code in seen:
            run.on_bad(BadRow(name, line, f"code_ogr {code} appears twice"))
        elif rubrique == WORK_CONTEXT:
            seen.add(code)
            run.work_contexts.add(code)
        elif rubrique not in ITEM_KINDS:
            run.on_bad(BadRow(name, line, f"item {code}: unknown code_rubrique {rubrique!r}"))
        elif not label or len(label) > LABEL_MAX["item"]:
            run.on_bad(BadRow(name, line, f"label of item {code} is empty or too long"))
        else:
            seen.add(code)
            yield code, label, ITEM_KINDS[rubrique]


def _requirement_rows(run: _Run, step: str) -> Iterator[tuple[str, str, bool]]:
    name, seen = run.paths["coherence_item"].name, set()
    for line, row in _rows(run, "coherence_item", step):
        metier, item = row["code_rome"].strip(), row["code_ogr"].strip()
        if metier not in run.metiers:
            run.on_bad(BadRow(name, line, f"unknown métier {metier!r}"))
        elif item in run.work_contexts:
            run.work_context_links += 1
        elif item not in run.items:
            run.on_bad(BadRow(name, line, f"{metier}: unknown item {item!r}"))
        elif (metier, item) in seen:
            run.on_bad(BadRow(name, line, f"pair {metier}, {item} appears twice"))
        else:
            seen.add((metier, item))
            yield metier, item, row["coeur_metier"].strip() == CORE


def _mobility_rows(run: _Run, step: str) -> Iterator[tuple[str, str, int]]:
    name, seen = run.paths["rubrique_mobilite"].name, set()
    for line, row in _rows(run, "rubrique_mobilite", step):
        source, target = row["code_rome"].strip(), row["code_rome_cible"].strip()
        order = row["numero_ordre"].strip()
        if source not in run.metiers:
            run.on_bad(BadRow(name, line, f"unknown métier {source!r}"))
        elif target not in run.metiers:
            run.on_bad(BadRow(name, line, f"{source}: unknown target métier {target!r}"))
        elif source == target:
            run.on_bad(BadRow(name, line, f"{source}: mobility to itself"))
        elif not order.isdigit() or not 0 < int(order) < 32_768:
            run.on_bad(BadRow(name, line, f"{source} → {target}: numero_ordre {order!r}"))
        elif (source, target) in seen:
            run.on_bad(BadRow(name, line, f"pair {source} → {target} appears twice"))
        else:
            seen.add((source, target))
            yield source, target, int(order)


# The two passes --------------------------------------------------------------------------


def _check(run: _Run) -> dict[str, int]:
    counts = dict.fromkeys(STEPS, 0)
    for code, _label, _parent in _metier_rows(run, "check metiers"):
        run.metiers.add(code)
    counts["metiers"] = len(run.metiers)
    _read_domains(run, "check domains")
    _read_riasec(run, "check riasec")
    _read_texts(run, "check texts")
    counts["appellations"] = sum(1 for _ in _appellation_rows(run, "check appellations"))
    for code, _label, _kind in _item_rows(run, "check items"):
        run.items.add(code)
    counts["items"] = len(run.items)
    counts["requirements"] = sum(1 for _ in _requirement_rows(run, "check requirements"))
    counts["mobilities"] = sum(1 for _ in _mobility_rows(run, "check mobilities"))
    counts["work_contexts"] = len(run.work_contexts)
    counts["work_context_links"] = run.work_context_links
    return counts


def _write(run: _Run) -> None:
    with transaction.atomic():
        _upsert(
            Metier,
            (
                _metier(run, code, label, parent)
                for code, label, parent in _metier_rows(run, "write metiers")
            ),
            unique=["code"],
            update=[*METIER_DATA, *METIER_TEXTS, "label", "parent_code", "source"],
        )
    metier_ids = {
        code: pk
        for code, pk in Metier.objects.values_list("code", "pk").iterator(chunk_size=BATCH_SIZE)
        if code in run.metiers
    }
    with transaction.atomic():
        _upsert(
            Appellation,
            (
                Appellation(code_ogr=code, label=label, metier_id=metier_ids[metier])
                for code, label, metier in _appellation_rows(run, "write appellations")
            ),
            unique=["code_ogr"],
            update=["label", "metier"],
        )
    with transaction.atomic():
        _upsert(
            Item,
            (
                Item(code_ogr=code, label=label, kind=kind)
                for code, label, kind in _item_rows(run, "write items")
            ),
            unique=["code_ogr"],
            update=["label", "kind"],
        )
    item_ids = {
        code: pk
        for code, pk in Item.objects.values_list("code_ogr", "pk").iterator(chunk_size=BATCH_SIZE)
        if code in run.items
    }
    imported = sorted(metier_ids.values())
    with transaction.atomic():
        for chunk in _chunks(imported, 500):
            Requirement.objects.filter(metier_id__in=chunk).delete()
        _insert(
            Requirement,
            (
                Requirement(metier_id=metier_ids[metier], item_id=item_ids[item], core=core)
                for metier, item, core in _requirement_rows(run, "write requirements")
            ),
        )
    with transaction.atomic():
        for chunk in _chunks(imported, 500):
            Mobility.objects.filter(source_id__in=chunk).delete()
        _insert(
            Mobility,
            (
                Mobility(source_id=metier_ids[source], target_id=metier_ids[target], order=order)
                for source, target, order in _mobility_rows(run, "write mobilities")
            ),
        )


METIER_DATA = (
    "grand_domaine",
    "grand_domaine_label",
    "domaine",
    "domaine_label",
    "riasec_major",
    "riasec_minor",
)
METIER_TEXTS = ("definition", "access", "access_level")


def _metier(run: _Run, code: str, label: str, parent: str) -> Metier:
    data = run.domains.get(code, ("", "", "", "")) + run.riasec.get(code, ("", ""))
    texts = {
        kind: " ".join(text for _position, text in sorted(sentences))
        for kind, sentences in run.texts.get(code, {}).items()
    }
    access = texts.get("access", "")
    return Metier(
        code=code,
        label=label,
        parent_code=parent,
        source=Source.ROME,
        definition=texts.get("definition", ""),
        access=access,
        access_level=access_level(access) if access else None,
        **dict(zip(METIER_DATA, data, strict=True)),
    )


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _batches(objects: Iterable[models.Model]) -> Iterator[list[Any]]:
    batch: list[models.Model] = []
    for obj in objects:
        batch.append(obj)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _upsert(
    model: type[models.Model],
    objects: Iterable[models.Model],
    *,
    unique: list[str],
    update: list[str],
) -> None:
    """Insert, or update the rows that already exist (matched on ``unique``)."""
    for batch in _batches(objects):
        model._default_manager.bulk_create(
            batch,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=unique,
            update_fields=update,
        )


def _insert(model: type[models.Model], objects: Iterable[models.Model]) -> None:
    for batch in _batches(objects):
        model._default_manager.bulk_create(batch, batch_size=BATCH_SIZE)
