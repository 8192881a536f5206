"""Import ESCO v1.1.1 (European Commission): occupations, skills and what each occupation
calls for.

``import_esco`` reads five files of one folder (see the README of the data folder):

- ``occupations_fr.csv``: the occupations, French labels (``code`` like ``2654.1.7``);
- ``skills_en.csv`` (full) or ``skills_en_v1.1.1_cut.csv`` (fewer columns): every skill
  and knowledge concept, with its type and reuse level, English labels;
- ``skills_fr.csv`` or one ``skills_fr*.csv`` (such as the v1.0.x export): French labels.
  A skill without one keeps its English label; the counts say how many;
- ``transversalSkillsCollection_fr.csv``: the transversal skills, French labels of v1.1.1
  (they win over an older French file);
- ``occupationSkillRelations.csv.gz`` (or the plain ``.csv``): occupation → skill,
  essential or optional.

Like the ROME import, the first pass reads and checks everything and writes nothing: a
broken file (missing, unexpected header, not UTF-8, bad CSV, truncated, another ESCO
version) stops the import before any write. The second, only with ``write=True``, writes
one step per transaction: occupations, skills (then their French labels), then the
relations of the imported occupations, which are replaced. Re-imports update in place
(matched on the URI). A bad row (a relation to an unknown occupation, a malformed URI…) is
reported through ``on_skip`` with its file and line and skipped; with ``strict=True`` the
first one stops the import before any write.

The files are streamed with ``csv.DictReader``; only URIs and ids are kept in memory.
"""

import csv
import gzip
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import models, transaction

from .csvfiles import count_lines, first_bad_byte, open_text
from .importers import BadRow
from .models import EscoOccupation, EscoRelation, EscoSkill
from .selectors import data_changed

BATCH_SIZE = 5_000
PROGRESS_EVERY = 1_000

# The exact columns of each file, ESCO v1.1.1 layouts; the first one is the official one.
OCCUPATION_COLUMNS = (
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "regulatedProfessionNote",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
    "code",
)
SKILL_COLUMNS = (
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
)
SKILL_CUT_COLUMNS = (  # skills_en_v1.1.1_cut.csv: the official file, fewer columns
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "status",
)
SKILL_FR_OLD_COLUMNS = (  # the v1.0.x French export
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "description",
)
TRANSVERSAL_COLUMNS = (
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "status",
    "altLabels",
    "description",
    "broaderConceptUri",
    "broaderConceptPT",
)
RELATION_COLUMNS = ("occupationUri", "relationType", "skillType", "skillUri")


@dataclass(frozen=True)
class _File:
    names: tuple[str, ...]  # accepted names, preferred first; a "*" is a pattern
    layouts: tuple[tuple[str, ...], ...]


FILES = {
    "occupations": _File(("occupations_fr.csv",), (OCCUPATION_COLUMNS,)),
    "skills": _File(
        ("skills_en.csv", "skills_en_v1.1.1_cut.csv"), (SKILL_COLUMNS, SKILL_CUT_COLUMNS)
    ),
    "labels_fr": _File(("skills_fr.csv", "skills_fr*.csv"), (SKILL_COLUMNS, SKILL_FR_OLD_COLUMNS)),
    "transversal": _File(("transversalSkillsCollection_fr.csv",), (TRANSVERSAL_COLUMNS,)),
    "relations": _File(
        ("occupationSkillRelations.csv.gz", "occupationSkillRelations.csv"), (RELATION_COLUMNS,)
    ),
}
STEPS = ("occupations", "skills", "relations")

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
OCCUPATION_URI = re.compile(rf"http://data\.europa\.eu/esco/occupation/{_UUID}")
SKILL_URI = re.compile(rf"http://data\.europa\.eu/esco/skill/{_UUID}")
ISCO_GROUP = re.compile(r"\d{4}")
ESCO_CODE = re.compile(r"\d{4}(\.\d+)+")
SKILL_CONCEPT = "KnowledgeSkillCompetence"
SKILL_TYPES = frozenset(EscoSkill.Type.values) | {""}
REUSE_LEVELS = frozenset(EscoSkill.ReuseLevel.values) | {""}
RELATION_TYPES = {"essential": True, "optional": False}

Progress = Callable[[str, int, int], None]


class EscoImportError(Exception):
    """The files cannot be imported; nothing was written by the step that raised it."""


@dataclass
class _Run:
    """The files of one import and what the first pass learnt from them."""

    paths: dict[str, Path]
    progress: Progress | None
    on_bad: Callable[[BadRow], None]
    # URI → its number in the file: pairs of numbers check duplicate relations cheaply.
    occupations: dict[str, int] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)  # ESCO codes of the occupations
    skills: dict[str, int] = field(default_factory=dict)
    french: set[str] = field(default_factory=set)  # skills that get a French label


def import_esco(
    directory: Path,
    *,
    write: bool,
    progress: Progress | None = None,
    strict: bool = False,
    on_skip: Callable[[BadRow], None] | None = None,
) -> dict[str, int]:
    """Check (and with ``write``, import) the ESCO files of ``directory``.

    Returns the rows imported (or that would be) per step (``occupations``, ``skills``,
    ``relations``, of which ``essential``), ``labels_fr`` (skills with a French label, of
    which ``labels_transversal`` from the transversal collection), ``labels_en_fallback``
    (skills that keep their English label), ``labels_fr_unused`` (French labels of
    concepts absent from the skills file) and ``skipped`` (bad rows). Raises
    ``EscoImportError``.
    """
    skipped: list[BadRow] = []

    def on_bad(bad: BadRow) -> None:
        if strict:
            raise EscoImportError(f"{bad} (--strict: nothing written)")
        skipped.append(bad)
        if on_skip is not None:
            on_skip(bad)

    run = _Run(paths=find_files(directory), progress=progress, on_bad=on_bad)
    counts = _check(run)
    counts["skipped"] = len(skipped)
    if write:
        run.on_bad = lambda bad: None  # reported by the first pass already
        try:
            _write(run)
        finally:
            data_changed()  # even after a failed step: the steps before it were written
    return counts


def find_files(directory: Path) -> dict[str, Path]:
    """The file of each key of ``FILES`` in ``directory`` (the preferred name first)."""
    if not directory.is_dir():
        raise EscoImportError(f"{directory} is not a folder.")
    paths, missing = {}, []
    for key, spec in FILES.items():
        for name in spec.names:
            found = sorted(directory.glob(name)) if "*" in name else [directory / name]
            found = [path for path in found if path.is_file()]
            if len(found) > 1:
                names = ", ".join(path.name for path in found)
                raise EscoImportError(f"Several files match {name} in {directory}: {names}.")
            if found:
                paths[key] = found[0]
                break
        else:
            missing.append(" or ".join(spec.names))
    if missing:
        raise EscoImportError(f"Missing in {directory}: {'; '.join(missing)}.")
    return paths


# Reading ---------------------------------------------------------------------------------


class _Lines:
    """The lines of a text file, remembering the last one read: a last line without its
    end-of-line means the file was cut (every ESCO file ends with one)."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.last = "\n"

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            self.last = line
            yield line


def _rows(run: _Run, key: str, step: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each well-formed row of a file, ``line`` being where the row starts
    (a cell may hold several lines); bad rows go to ``run.on_bad``."""
    path = run.paths[key]
    name, layouts = path.name, FILES[key].layouts
    total = count_lines(path) if run.progress else 0
    line = end = rows = 0
    try:
        with open_text(path) as handle:
            lines = _Lines(handle)
            reader = csv.DictReader(lines, strict=True)
            columns = _check_header(name, reader.fieldnames, layouts)
            end = reader.line_num
            for row in reader:
                line, end = end + 1, reader.line_num
                if not lines.last.endswith("\n"):
                    raise EscoImportError(
                        f"{name} ends in the middle of a row (line {line}): truncated file?"
                    )
                extra = row.pop(None, None) or []  # type: ignore[call-overload]
                missing = sum(value is None for value in row.values())
                if extra or missing:
                    found = len(columns) + len(extra) - missing
                    run.on_bad(BadRow(name, line, f"{found} fields instead of {len(columns)}"))
                else:
                    yield line, row
                rows += 1
                if run.progress and rows % PROGRESS_EVERY == 0:
                    run.progress(step, min(end - 1, total), total)
    except UnicodeDecodeError as error:
        raise EscoImportError(
            f"{name} is not UTF-8 ({first_bad_byte(path)}): use the official UTF-8 file."
        ) from error
    except csv.Error as error:
        raise EscoImportError(
            f"{name} is not valid CSV after line {end} ({error}): truncated or broken file?"
        ) from error
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise EscoImportError(
            f"{name} is not a complete gzip file ({error}): truncated download?"
        ) from error
    except OSError as error:
        raise EscoImportError(f"Cannot read {name}: {error}") from error
    if run.progress:
        run.progress(step, total, total)


def _check_header(
    name: str, header: Iterable[str] | None, layouts: tuple[tuple[str, ...], ...]
) -> tuple[str, ...]:
    """The layout the header matches (same columns, any order), else ``EscoImportError``
    naming what differs from the closest layout."""
    found = list(header or [])
    if not found:
        raise EscoImportError(f"{name} is empty (no header).")
    doubled = sorted({column for column in found if found.count(column) > 1})

    def differences(columns: tuple[str, ...]) -> tuple[list[str], list[str]]:
        missing = [column for column in columns if column not in found]
        return missing, [column for column in found if column not in columns]

    for columns in layouts:
        if not doubled and differences(columns) == ([], []):
            return columns
    closest = min(layouts, key=lambda columns: sum(map(len, differences(columns))))
    missing, unexpected = differences(closest)
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unexpected:
        problems.append(f"unexpected columns: {', '.join(unexpected)}")
    if doubled:
        problems.append(f"repeated columns: {', '.join(doubled)}")
    if "naceCode" in found:
        hint = "an ESCO version after v1.1.1? Use the v1.1.1 files"
    elif closest is OCCUPATION_COLUMNS and "code" in missing:
        hint = "an ESCO version before v1.1? Use the v1.1.1 files"
    else:
        hint = "expected the ESCO v1.1.1 layout"
    raise EscoImportError(f"{name} has an unexpected header ({'; '.join(problems)}): {hint}.")


def _text(value: str) -> str:
    return " ".join(value.split())


def _lines(value: str) -> str:
    """A multi-valued cell (one value a line) cleaned: no blanks, no repeats."""
    seen: dict[str, None] = {}
    for part in value.splitlines():
        if part := _text(part):
            seen.setdefault(part, None)
    return "\n".join(seen)


def _max_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


OCCUPATION_LABEL_MAX = _max_length(EscoOccupation, "label")
SKILL_LABEL_MAX = _max_length(EscoSkill, "label")


# The rows of each file, checked: the same code serves the check and the write ------------


@dataclass(frozen=True)
class _Occupation:
    uri: str
    code: str
    label: str
    alt_labels: str
    isco_group: str
    description: str


def _occupation_rows(run: _Run, step: str) -> Iterator[_Occupation]:
    name, codes, uris = run.paths["occupations"].name, set(), set()
    for line, row in _rows(run, "occupations", step):
        uri, code = row["conceptUri"].strip(), row["code"].strip()
        isco, label = row["iscoGroup"].strip(), _text(row["preferredLabel"])
        if not OCCUPATION_URI.fullmatch(uri):
            run.on_bad(BadRow(name, line, f"conceptUri {uri!r} is not an ESCO occupation URI"))
        elif uri in uris:
            run.on_bad(BadRow(name, line, f"occupation {uri} appears twice"))
        elif not ISCO_GROUP.fullmatch(isco):
            run.on_bad(BadRow(name, line, f"iscoGroup {isco!r} is not an ISCO code"))
        elif not ESCO_CODE.fullmatch(code) or not code.startswith(f"{isco}."):
            run.on_bad(BadRow(name, line, f"code {code!r} is not an ESCO code of group {isco}"))
        elif code in codes:
            run.on_bad(BadRow(name, line, f"code {code} appears twice"))
        elif not label or len(label) > OCCUPATION_LABEL_MAX:
            run.on_bad(BadRow(name, line, f"preferredLabel of {code} is empty or too long"))
        else:
            uris.add(uri)
            codes.add(code)
            yield _Occupation(
                uri=uri,
                code=code,
                label=label,
                alt_labels=_lines(row["altLabels"]),
                isco_group=isco,
                description=row["description"].strip(),
            )


def _skill_rows(run: _Run, step: str) -> Iterator[tuple[str, str, str, str]]:
    """(uri, English label, skill type, reuse level)."""
    name, uris = run.paths["skills"].name, set()
    for line, row in _rows(run, "skills", step):
        uri, label = row["conceptUri"].strip(), _text(row["preferredLabel"])
        kind, reuse = row["skillType"].strip(), row["reuseLevel"].strip()
        if row["conceptType"].strip() != SKILL_CONCEPT:
            run.on_bad(BadRow(name, line, f"conceptType {row['conceptType']!r} is not a skill"))
        elif not SKILL_URI.fullmatch(uri):
            run.on_bad(BadRow(name, line, f"conceptUri {uri!r} is not an ESCO skill URI"))
        elif uri in uris:
            run.on_bad(BadRow(name, line, f"skill {uri} appears twice"))
        elif kind not in SKILL_TYPES:
            run.on_bad(BadRow(name, line, f"unknown skillType {kind!r}"))
        elif reuse not in REUSE_LEVELS:
            run.on_bad(BadRow(name, line, f"unknown reuseLevel {reuse!r}"))
        elif not label or len(label) > SKILL_LABEL_MAX:
            run.on_bad(BadRow(name, line, f"preferredLabel of {uri} is empty or too long"))
        else:
            uris.add(uri)
            yield uri, label, kind, reuse


def _french_rows(run: _Run, key: str, step: str) -> Iterator[tuple[str, str]]:
    """(uri, French label) of each well-formed row of a French file."""
    name, uris = run.paths[key].name, set()
    for line, row in _rows(run, key, step):
        uri, label = row["conceptUri"].strip(), _text(row["preferredLabel"])
        if not SKILL_URI.fullmatch(uri):
            run.on_bad(BadRow(name, line, f"conceptUri {uri!r} is not an ESCO skill URI"))
        elif uri in uris:
            run.on_bad(BadRow(name, line, f"skill {uri} appears twice"))
        elif not label or len(label) > SKILL_LABEL_MAX:
            run.on_bad(BadRow(name, line, f"preferredLabel of {uri} is empty or too long"))
        else:
            uris.add(uri)
            yield uri, label


def _relation_rows(run: _Run, step: str) -> Iterator[tuple[str, str, bool]]:
    """(occupation URI, skill URI, essential)."""
    name, seen = run.paths["relations"].name, set()
    width = len(run.skills) + 1
    for line, row in _rows(run, "relations", step):
        occupation, skill = row["occupationUri"].strip(), row["skillUri"].strip()
        kind = row["relationType"].strip()
        o, s = run.occupations.get(occupation), run.skills.get(skill)
        if o is None:
            run.on_bad(BadRow(name, line, f"unknown occupation {occupation!r}"))
        elif s is None:
            run.on_bad(BadRow(name, line, f"unknown skill {skill!r}"))
        elif kind not in RELATION_TYPES:
            run.on_bad(BadRow(name, line, f"relationType {kind!r} (essential or optional)"))
        elif o * width + s in seen:
            run.on_bad(BadRow(name, line, f"pair {occupation}, {skill} appears twice"))
        else:
            seen.add(o * width + s)
            yield occupation, skill, RELATION_TYPES[kind]


# The two passes --------------------------------------------------------------------------


def _check(run: _Run) -> dict[str, int]:
    counts = dict.fromkeys(STEPS, 0)
    for occupation in _occupation_rows(run, "check occupations"):
        run.occupations[occupation.uri] = len(run.occupations)
        run.codes.add(occupation.code)
    counts["occupations"] = len(run.occupations)
    _check_codes_free(run)
    for uri, _label, _kind, _reuse in _skill_rows(run, "check skills"):
        run.skills[uri] = len(run.skills)
    counts["skills"] = len(run.skills)
    unused = 0
    for key in ("labels_fr", "transversal"):
        known = 0
        for uri, _label in _french_rows(run, key, f"check {key}"):
            if uri in run.skills:
                run.french.add(uri)
                known += 1
            elif key == "labels_fr":
                unused += 1
        if key == "transversal":
            counts["labels_transversal"] = known
    counts["labels_fr"] = len(run.french)
    counts["labels_en_fallback"] = len(run.skills) - len(run.french)
    counts["labels_fr_unused"] = unused
    essential = 0
    for _occupation, _skill, is_essential in _relation_rows(run, "check relations"):
        counts["relations"] += 1
        essential += is_essential
    counts["essential"] = essential
    return counts


def _check_codes_free(run: _Run) -> None:
    """An occupation code held in the database by another URI would break the upsert:
    say so before writing anything."""
    for uri, code in EscoOccupation.objects.values_list("uri", "code").iterator():
        if code in run.codes and uri not in run.occupations:
            raise EscoImportError(
                f"Occupation code {code} belongs in the database to {uri}, absent from "
                f"{run.paths['occupations'].name}: an import of another ESCO version? "
                "Delete the ESCO occupations first."
            )


def _write(run: _Run) -> None:
    with transaction.atomic():
        _upsert(
            EscoOccupation,
            (
                EscoOccupation(
                    uri=o.uri,
                    code=o.code,
                    label=o.label,
                    alt_labels=o.alt_labels,
                    isco_group=o.isco_group,
                    description=o.description,
                )
                for o in _occupation_rows(run, "write occupations")
            ),
            unique=["uri"],
            update=["code", "label", "alt_labels", "isco_group", "description"],
        )
    with transaction.atomic():
        _upsert(
            EscoSkill,
            (
                EscoSkill(uri=uri, label=label, label_en=label, skill_type=kind, reuse_level=reuse)
                for uri, label, kind, reuse in _skill_rows(run, "write skills")
            ),
            unique=["uri"],
            update=["label", "label_en", "skill_type", "reuse_level"],
        )
        for key in ("labels_fr", "transversal"):  # the transversal collection last: v1.1.1
            _upsert(
                EscoSkill,
                (
                    EscoSkill(uri=uri, label=label)  # every one exists: only updates
                    for uri, label in _french_rows(run, key, f"write {key}")
                    if uri in run.skills
                ),
                unique=["uri"],
                update=["label"],
            )
    occupation_ids = _ids(EscoOccupation, run.occupations)
    skill_ids = _ids(EscoSkill, run.skills)
    with transaction.atomic():
        imported = sorted(occupation_ids.values())
        for start in range(0, len(imported), 500):
            EscoRelation.objects.filter(occupation_id__in=imported[start : start + 500]).delete()
        for batch in _batches(
            EscoRelation(
                occupation_id=occupation_ids[occupation],
                skill_id=skill_ids[skill],
                essential=essential,
            )
            for occupation, skill, essential in _relation_rows(run, "write relations")
        ):
            EscoRelation.objects.bulk_create(batch, batch_size=BATCH_SIZE)


def _ids(model: type[EscoOccupation] | type[EscoSkill], uris: dict[str, int]) -> dict[str, int]:
    return {
        uri: pk
        for uri, pk in model._default_manager.values_list("uri", "pk").iterator(
            chunk_size=BATCH_SIZE
        )
        if uri in uris
    }


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
