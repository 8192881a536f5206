"""Import the labour-market figures by département (France Travail and DARES open data).

``import_labour`` reads four files of one folder (see the README of the data folder):

- ``bmo_<year>_open_data.csv``: the BMO survey, recruitment projects per BMO métier and
  bassin (``met``, ``xmet`` judged difficult, ``smet`` seasonal; ``*`` = secret);
- ``table_correspondance_fap_pcs_rome.csv``: FAP families → ROME v3 codes, no header, a
  blank first cell continues the family above (parsed statefully; the domain and group
  headings and the footnotes between the families are skipped);
- ``tension_rome_bassin_<year>.csv``: tension indicators per ROME v3 code and bassin
  d'emploi (BE19);
- ``lexique_bassins_be19_communes.csv``: the communes of each BE19 bassin and their
  département.

Like the ROME import, the first pass reads and checks everything and writes nothing: a
broken file (header, encoding, CSV syntax, an unknown département) stops the import before
any write. The figures are then computed in memory for the métiers in the database, which
are keyed on their ROME v3 code (``Metier.parent_code``). With ``write=True`` one step per
transaction replaces the figures of that source and year (and the demo figures). A bad row
is reported through ``on_skip`` with its file and line and skipped; with ``strict=True`` it
stops the import before any write.

How the figures are made, per métier (through its ROME v3 code) and département:

- ``projects``: ``met`` summed over the BMO métiers whose FAP family lists that ROME v3
  code (BMO writes ``X`` where FAP writes ``Z`` in third position) and over the bassins of
  the département. A secret cell is unknown, not zero: the sum of the known cells is kept
  with ``projects_partial`` ("at least"); when every cell is secret, ``projects`` is None.
- ``hard_share`` = Σ ``xmet`` / Σ ``met`` and ``seasonal_share`` = Σ ``smet`` / Σ ``met``,
  over the cells where both are known.
- a BE19 bassin belongs to every département where it has a commune (20 bassins cross a
  border: they count in full in each). ``offers`` = Σ ``oee`` and ``jobseekers`` = Σ
  ``defm_abc`` over the département's bassins; ``competition`` = jobseekers / offers;
  ``tension`` = the mean of ``ind_tension_d`` weighted by ``oee`` (a bassin with more
  offers says more about where the jobs are).
"""

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from atout.accounts.departements import DEPARTEMENTS, normalise_departement

from .csvfiles import count_lines, first_bad_byte
from .importers import PROGRESS_EVERY, ROME_CODE, BadRow, Progress
from .models import LabourFigure, Metier

BATCH_SIZE = 5_000
Dataset = LabourFigure.Dataset

# File → (name pattern, delimiter, exact header; None: the file has none).
FILES: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "bmo": (
        "bmo_*_open_data.csv",
        ",",
        (
            "annee",
            "Code métier BMO",
            "Nom métier BMO",
            "Famille_met",
            "Lbl_fam_met",
            "REG",
            "NOM_REG",
            "Dept",
            "NomDept",
            "BE25",
            "NOMBE25",
            "met",
            "xmet",
            "smet",
        ),
    ),
    "fap": ("table_correspondance_fap_pcs_rome.csv", ";", None),
    "tension": (
        "tension_rome_bassin_*.csv",
        ";",
        (
            "annee",
            "ROME",
            "cbassin",
            "oee",
            "defm_abc",
            "ind_tension_d",
            "ind_int_emb_d",
            "ind_main_oeuvre_d",
            "ind_dur_empl_d",
            "ind_cond_travail_d",
            "ind_mismatch_geo_d",
            "ind_specif_form_empl_d",
        ),
    ),
    "bassins": (
        "lexique_bassins_be19_communes.csv",
        ",",
        ("CODE_COMMUNE_INSEE", "REG_CREDOC", "REG", "DEP", "CCOMMUNE", "NOMCOM", "BE19", "NOMBE19"),
    ),
}
STEPS = ("bmo", "tension")
SOURCES = {  # shown with each figure (names of publications: not translated)
    "bmo": "BMO {year}, France Travail",
    "tension": "Tensions {year}, DARES – France Travail",
}
SECRET = "*"
FAP_FAMILY = re.compile(r"[A-Z]\d[A-Z]\d{2}")  # A0Z40
FAP_HEADING = re.compile(r"[A-Z](\d[A-Z])?")  # domain "D" or group "D0Z", label beside it
BMO_CODE = re.compile(r"[A-Z][0-9A-Z][A-Z]\d{2}")  # A0X40, G0A40, QAX01
BASSIN = re.compile(r"\d{4}")
YEAR = re.compile(r"20\d{2}")
NUMBER = re.compile(r"\d+(,\d+)?")
FAMILIES_MAX = LabourFigure._meta.get_field("bmo_families").max_length or 500


class LabourImportError(Exception):
    """The files cannot be imported; nothing was written by the step that raised it."""


@dataclass
class _Bmo:
    """The known BMO cells of one (BMO métier, département)."""

    projects: int = 0
    secret: int = 0  # cells where met is secret
    cells: int = 0
    hard: tuple[int, int] = (0, 0)  # Σ xmet, Σ met over the cells where both are known
    seasonal: tuple[int, int] = (0, 0)

    def add(self, met: int | None, xmet: int | None, smet: int | None) -> None:
        self.cells += 1
        if met is None:
            self.secret += 1
            return
        self.projects += met
        if xmet is not None:
            self.hard = (self.hard[0] + xmet, self.hard[1] + met)
        if smet is not None:
            self.seasonal = (self.seasonal[0] + smet, self.seasonal[1] + met)


@dataclass
class _Run:
    paths: dict[str, Path]
    on_bad: Callable[[BadRow], None]
    progress: Progress | None = None
    bassins: dict[str, set[str]] = field(default_factory=dict)  # BE19 → départements
    fap: dict[str, set[str]] = field(default_factory=dict)  # FAP family → ROME v3 codes
    bmo_year: int = 0
    bmo_labels: dict[str, str] = field(default_factory=dict)
    bmo: dict[tuple[str, str], _Bmo] = field(default_factory=dict)  # (BMO code, dép.)
    tension_year: int = 0
    # (ROME v3, dép.) → [Σ oee, Σ defm_abc, Σ oee × ind_tension_d]
    tension: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    bmo_by_rome: dict[str, set[str]] = field(default_factory=dict)  # ROME v3 → BMO codes
    bmo_departements: dict[str, set[str]] = field(default_factory=dict)  # BMO code → dép.
    tension_by_rome: dict[str, list[tuple[str, list[float]]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def import_labour(
    directory: Path,
    *,
    write: bool,
    strict: bool = False,
    on_skip: Callable[[BadRow], None] | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Check (and with ``write``, import) the labour-market files of ``directory``;
    ``progress(step, done, total)`` is told how far each file and step got.

    Returns the figures imported (or that would be) per step (``bmo``, ``tension``), the
    métiers and départements they cover, ``skipped`` (bad rows) and what the files hold
    that no métier receives (``bmo_unmapped_*``, ``tension_unmatched_codes``), plus
    ``bmo_year`` and ``tension_year``. Raises ``LabourImportError``.
    """
    skipped: list[BadRow] = []

    def on_bad(bad: BadRow) -> None:
        if strict:
            raise LabourImportError(f"{bad} (--strict: nothing written)")
        skipped.append(bad)
        if on_skip is not None:
            on_skip(bad)

    run = _Run(paths=_find_files(directory), on_bad=on_bad, progress=progress)
    _read_bassins(run)
    _read_fap(run)
    _read_bmo(run)
    _read_tension(run)
    metiers = list(Metier.objects.values_list("pk", "code", "parent_code"))
    _index_bmo(run)
    _index_tension(run, metiers)
    figures: dict[str, Callable[[], Iterator[dict[str, Any]]]] = {
        "bmo": lambda: _bmo_figures(run, metiers),
        "tension": lambda: _tension_figures(run, metiers),
    }
    covered: set[int] = set()
    departements: set[str] = set()
    counts = dict(run.counts)
    for step, rows in figures.items():  # counted here, made again to be written
        counts[step] = 0
        for row in rows():
            counts[step] += 1
            covered.add(row["metier_id"])
            departements.add(row["departement"])
    counts["metiers_in_database"] = len(metiers)
    counts["metiers"], counts["departements"] = len(covered), len(departements)
    counts["skipped"] = len(skipped)
    counts["bmo_year"], counts["tension_year"] = run.bmo_year, run.tension_year
    if write:
        if not metiers:
            raise LabourImportError(
                "No métier in the database: import ROME first (atout import rome DIR --wet-run)."
            )
        _write(figures, {"bmo": run.bmo_year, "tension": run.tension_year}, counts, progress)
    return counts


def _find_files(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        raise LabourImportError(f"{directory} is not a folder.")
    paths, missing = {}, []
    for key, (pattern, _delimiter, _header) in FILES.items():
        found = sorted(directory.glob(pattern))
        if not found:
            missing.append(pattern)
        elif len(found) > 1:
            names = ", ".join(path.name for path in found)
            raise LabourImportError(f"Several files match {pattern} in {directory}: {names}.")
        else:
            paths[key] = found[0]
    if missing:
        raise LabourImportError(f"Missing in {directory}: {', '.join(missing)}.")
    return paths


# Reading ---------------------------------------------------------------------------------


def _lines(run: _Run, key: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each row of a file, its header checked (and left out)."""
    path = run.paths[key]
    name, (_pattern, delimiter, header) = path.name, FILES[key]
    line = 0
    total = count_lines(path) if run.progress else 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            if header is not None:
                _check_header(name, next(reader, None), header)
            for cells in reader:
                line = reader.line_num
                if run.progress and line % PROGRESS_EVERY == 0:
                    run.progress(f"check {key}", min(line, total), total)
                if not any(cells):
                    continue
                width = len(header) if header is not None else 3
                if len(cells) != width:
                    run.on_bad(BadRow(name, line, f"{len(cells)} fields instead of {width}"))
                else:
                    yield line, [cell.strip() for cell in cells]
    except UnicodeDecodeError as error:
        raise LabourImportError(
            f"{name} is not UTF-8 ({first_bad_byte(path)}): export it again as UTF-8."
        ) from error
    except csv.Error as error:
        raise LabourImportError(
            f"{name} is not valid CSV after line {line} ({error}): truncated or broken file?"
        ) from error
    except OSError as error:
        raise LabourImportError(f"Cannot read {name}: {error}") from error
    if run.progress:
        run.progress(f"check {key}", total, total)


def _check_header(name: str, found: list[str] | None, columns: tuple[str, ...]) -> None:
    if not found:
        raise LabourImportError(f"{name} is empty (no header).")
    if tuple(found) != columns:
        missing = [column for column in columns if column not in found]
        unexpected = [column for column in found if column not in columns]
        problems = []
        if missing:
            problems.append(f"missing columns: {', '.join(missing)}")
        if unexpected:
            problems.append(f"unexpected columns: {', '.join(unexpected)}")
        if not problems:
            problems.append(f"columns in another order, expected {', '.join(columns)}")
        raise LabourImportError(f"{name} has an unexpected header ({'; '.join(problems)}).")


def _departement(name: str, line: int, value: str) -> str:
    """A known département code, else the import stops: figures would be lost silently."""
    code = normalise_departement(value)
    if code not in DEPARTEMENTS:
        raise LabourImportError(
            f"{name}, line {line}: unknown département {value!r}. Nothing written."
        )
    return code


def _year(run: _Run, name: str, line: int, value: str, first: int) -> int | None:
    if not YEAR.fullmatch(value):
        run.on_bad(BadRow(name, line, f"annee {value!r} is not a year"))
        return None
    if first and int(value) != first:
        run.on_bad(BadRow(name, line, f"annee {value} differs from the first row ({first})"))
        return None
    return int(value)


def _read_bassins(run: _Run) -> None:
    name = run.paths["bassins"].name
    for line, cells in _lines(run, "bassins"):
        row = dict(zip(FILES["bassins"][2] or (), cells, strict=True))
        departement = _departement(name, line, row["DEP"])
        bassin = row["BE19"]
        if not BASSIN.fullmatch(bassin):
            run.on_bad(BadRow(name, line, f"BE19 {bassin!r} is not a bassin code"))
        else:
            run.bassins.setdefault(bassin, set()).add(departement)
            run.counts["communes"] += 1
    if not run.bassins:
        raise LabourImportError(f"{name} holds no bassin.")
    run.counts["bassins"] = len(run.bassins)


def _read_fap(run: _Run) -> None:
    """FAP family → ROME v3 codes. A row opens a family (``A0Z40;691e;A1416``) or continues
    it (``;;A1403``); a domain or group heading (``D;Mécanique…;``) closes it; a footnote
    (free text in the first cell) is skipped and leaves the family open."""
    name = run.paths["fap"].name
    family: str | None = None
    first = True
    for line, (code, _pcs, rome) in _lines(run, "fap"):
        if first and not (FAP_FAMILY.fullmatch(code) or FAP_HEADING.fullmatch(code)):
            raise LabourImportError(
                f"{name}, line {line}: expected a FAP family or heading first, found "
                f"{code[:40]!r} (the table has no header: FAP;PCS;ROME)."
            )
        first = False
        if FAP_FAMILY.fullmatch(code):
            family = code
            run.fap.setdefault(family, set())
        elif FAP_HEADING.fullmatch(code):
            family = None
            continue
        elif code:
            run.counts["fap_notes"] += 1
            continue
        if not rome:
            continue
        if not ROME_CODE.fullmatch(rome):
            run.on_bad(BadRow(name, line, f"{rome!r} is not a ROME code"))
        elif family is None:
            run.on_bad(BadRow(name, line, f"ROME {rome} outside a FAP family"))
        else:
            run.fap[family].add(rome)
    if not run.fap:
        raise LabourImportError(f"{name} holds no FAP family.")
    run.counts["fap_families"] = len(run.fap)
    run.counts["fap_links"] = sum(len(romes) for romes in run.fap.values())


def _count(value: str) -> int | None:
    """A BMO cell: a count, or None for a secret cell (``*``)."""
    return None if value == SECRET else int(value)


def _read_bmo(run: _Run) -> None:
    name = run.paths["bmo"].name
    columns = FILES["bmo"][2] or ()
    for line, cells in _lines(run, "bmo"):
        row = dict(zip(columns, cells, strict=True))
        departement = _departement(name, line, row["Dept"])
        code = row["Code métier BMO"]
        raw = [row["met"], row["xmet"], row["smet"]]
        year = _year(run, name, line, row["annee"], run.bmo_year)
        if year is None:
            continue
        if not BMO_CODE.fullmatch(code):
            run.on_bad(BadRow(name, line, f"{code!r} is not a BMO métier code"))
            continue
        if not all(value == SECRET or value.isdigit() for value in raw):
            values = ", ".join(map(repr, raw))
            run.on_bad(BadRow(name, line, f"met, xmet, smet {values}: not counts or '*'"))
            continue
        met, xmet, smet = map(_count, raw)
        if met is not None and max(xmet or 0, smet or 0) > met:
            run.on_bad(BadRow(name, line, f"{code}: xmet or smet above met"))
        else:
            run.bmo_year = year
            run.bmo_labels.setdefault(code, row["Nom métier BMO"])
            run.bmo.setdefault((code, departement), _Bmo()).add(met, xmet, smet)
            run.counts["bmo_rows"] += 1
            run.counts["bmo_secret_rows"] += met is None
    if not run.bmo:
        raise LabourImportError(f"{name} holds no row.")


def _number(value: str) -> float | None:
    return float(value.replace(",", ".")) if NUMBER.fullmatch(value) else None


def _read_tension(run: _Run) -> None:
    name = run.paths["tension"].name
    columns = FILES["tension"][2] or ()
    for line, cells in _lines(run, "tension"):
        row = dict(zip(columns, cells, strict=True))
        code, bassin, level = row["ROME"], row["cbassin"], row["ind_tension_d"]
        offers, jobseekers = _number(row["oee"]), _number(row["defm_abc"])
        year = _year(run, name, line, row["annee"], run.tension_year)
        if year is None:
            continue
        if not ROME_CODE.fullmatch(code):
            run.on_bad(BadRow(name, line, f"{code!r} is not a ROME code"))
        elif bassin not in run.bassins:
            run.on_bad(BadRow(name, line, f"{code}: bassin {bassin!r} not in the lexicon"))
        elif offers is None or jobseekers is None:
            run.on_bad(BadRow(name, line, f"{code}: oee {row['oee']!r}, defm_abc not numbers"))
        elif level not in {"1", "2", "3", "4", "5"}:
            run.on_bad(BadRow(name, line, f"{code}: ind_tension_d {level!r} is not 1–5"))
        else:
            run.tension_year = year
            for departement in run.bassins[bassin]:
                sums = run.tension.setdefault((code, departement), [0.0, 0.0, 0.0])
                sums[0] += offers
                sums[1] += jobseekers
                sums[2] += offers * int(level)
            run.counts["tension_rows"] += 1
    if not run.tension:
        raise LabourImportError(f"{name} holds no row.")


# The figures -----------------------------------------------------------------------------


def _index_bmo(run: _Run) -> None:
    """ROME v3 code → the BMO métiers whose FAP family lists it; what no métier gets."""
    for code in run.bmo_labels:
        fap = code[:2] + "Z" + code[3:] if code[2] == "X" else code
        for rome in run.fap.get(fap, ()):
            run.bmo_by_rome.setdefault(rome, set()).add(code)
    mapped = {code for codes in run.bmo_by_rome.values() for code in codes}
    unmapped = set(run.bmo_labels) - mapped
    run.counts["bmo_unmapped_families"] = len(unmapped)
    run.counts["bmo_unmapped_projects"] = sum(
        cell.projects for (code, _dep), cell in run.bmo.items() if code in unmapped
    )
    run.counts["bmo_projects"] = sum(cell.projects for cell in run.bmo.values())
    for code, departement in run.bmo:
        run.bmo_departements.setdefault(code, set()).add(departement)


def _bmo_figures(run: _Run, metiers: list[tuple[int, str, str]]) -> Iterator[dict[str, Any]]:
    source = SOURCES["bmo"].format(year=run.bmo_year)
    cache: dict[frozenset[str], list[tuple[str, _Bmo]]] = {}
    for pk, code, parent in metiers:
        families = frozenset(run.bmo_by_rome.get(parent or code, ()))
        if not families:
            continue
        if families not in cache:
            cache[families] = _sum_bmo(run, families)
        label = "; ".join(f"{c} {run.bmo_labels[c]}" for c in sorted(families))
        if len(label) > FAMILIES_MAX:
            label = label[: FAMILIES_MAX - 1] + "…"
        for departement, cell in cache[families]:
            yield {
                "metier_id": pk,
                "departement": departement,
                "dataset": Dataset.BMO,
                "source": source,
                "year": run.bmo_year,
                "projects": cell.projects if cell.secret < cell.cells else None,
                "projects_partial": 0 < cell.secret < cell.cells,
                "hard_share": _share(cell.hard),
                "seasonal_share": _share(cell.seasonal),
                "bmo_families": label,
            }


def _sum_bmo(run: _Run, families: frozenset[str]) -> list[tuple[str, _Bmo]]:
    out = []
    found = set().union(*(run.bmo_departements.get(code, set()) for code in families))
    for departement in sorted(found):
        total = _Bmo()
        for code in families:
            cell = run.bmo.get((code, departement))
            if cell is not None:
                total.projects += cell.projects
                total.secret += cell.secret
                total.cells += cell.cells
                total.hard = (total.hard[0] + cell.hard[0], total.hard[1] + cell.hard[1])
                total.seasonal = (
                    total.seasonal[0] + cell.seasonal[0],
                    total.seasonal[1] + cell.seasonal[1],
                )
        out.append((departement, total))
    return out


def _share(pair: tuple[int, int]) -> float | None:
    return round(pair[0] / pair[1], 3) if pair[1] else None


def _index_tension(run: _Run, metiers: list[tuple[int, str, str]]) -> None:
    for (rome, departement), sums in sorted(run.tension.items()):
        run.tension_by_rome.setdefault(rome, []).append((departement, sums))
    parents = {parent or code for _pk, code, parent in metiers}
    run.counts["tension_codes"] = len(run.tension_by_rome)
    run.counts["tension_unmatched_codes"] = len(set(run.tension_by_rome) - parents)


def _tension_figures(run: _Run, metiers: list[tuple[int, str, str]]) -> Iterator[dict[str, Any]]:
    source = SOURCES["tension"].format(year=run.tension_year)
    for pk, code, parent in metiers:
        for departement, sums in run.tension_by_rome.get(parent or code, ()):
            offers, jobseekers, weighted = sums
            yield {
                "metier_id": pk,
                "departement": departement,
                "dataset": Dataset.TENSION,
                "source": source,
                "year": run.tension_year,
                "tension": round(weighted / offers, 2) if offers else None,
                "offers": round(offers, 1),
                "jobseekers": round(jobseekers, 1),
                "competition": round(jobseekers / offers, 2) if offers else None,
            }


# Writing ---------------------------------------------------------------------------------


def _write(
    figures: dict[str, Callable[[], Iterator[dict[str, Any]]]],
    years: dict[str, int],
    counts: dict[str, int],
    progress: Progress | None,
) -> None:
    """One transaction per step: the figures of that source and year are replaced; the
    demo figures go with the first step (real figures make them pointless)."""
    for step in STEPS:
        with transaction.atomic():
            if step == STEPS[0]:
                LabourFigure.objects.filter(dataset=Dataset.DEMO).delete()
            LabourFigure.objects.filter(dataset=step, year=years[step]).delete()
            rows = (LabourFigure(**row) for row in figures[step]())
            done = 0
            for batch in _batches(rows):
                LabourFigure.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                done += len(batch)
                if progress:
                    progress(f"write {step}", done, counts[step])
            if progress:
                progress(f"write {step}", counts[step], counts[step])


def _batches(objects: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for obj in objects:
        batch.append(obj)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch
