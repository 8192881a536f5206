"""Read and check catalogue files; nothing here writes (``services.catalogue_write`` does).

Three shapes, each checked whole before anything is written:

- CSV with a header ``kind,title,description,url,language,duration,remote,departement,skills``
  (``skills``: référentiel codes separated by ``;``), optional ``external_id``, ``place``,
  ``audience`` and ``organisation`` columns;
- a JSON mission feed shaped like API Engagement's ``GET /v0/mission`` (``{"data": [...]}``);
- the shipped demo file (``data/demo_catalogue.json``).

Every problem is reported with its line (CSV) or index (JSON); ``Parsed.errors`` empty means
the file can be written.
"""

import csv
import datetime
import html
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from atout.accounts.departements import DEPARTEMENTS, normalise_departement
from atout.referentiel.models import Skill

from .models import MISSION_KINDS, Kind, Language, Opportunity
from .softskills import SOFT_SKILLS, map_labels, normalise

FRAMEWORK = "atout"
FORMATS = ("csv", "missions")
CSV_COLUMNS = (
    "kind",
    "title",
    "description",
    "url",
    "language",
    "duration",
    "remote",
    "departement",
    "skills",
)
CSV_OPTIONAL = ("external_id", "place", "audience", "organisation", "rome")
ROME_CODE = re.compile(r"[A-N]\d{4}")
TRUE = {"1", "true", "yes", "oui", "vrai", "y", "o"}
FALSE = {"0", "false", "no", "non", "faux", "n", ""}
DEMO_FORMAT = "atout-demo-catalogue/1"
# API Engagement ``type`` → our kind (their own default for a missing type is bénévolat).
FEED_TYPES = {
    "benevolat": Kind.VOLUNTEERING,
    "volontariat_service_civique": Kind.CIVIC_SERVICE,
    "volontariat-service-civique": Kind.CIVIC_SERVICE,
    "volontariat_sapeurs_pompiers": Kind.VOLUNTEERING,
    "volontariat_reserve_operationnelle": Kind.VOLUNTEERING,
    "emploi": Kind.STUDENT_JOB,
    "stage": Kind.STUDENT_JOB,
}
FEED_REMOTE = {"no": False, "local": False, "possible": True, "full": True}
_check_url = URLValidator(schemes=["http", "https"])
_SPACES = re.compile(r"\s+")


def _max(name: str) -> int:
    column = Opportunity._meta.get_field(name)
    assert isinstance(column, models.CharField) and column.max_length is not None
    return column.max_length


MAX = {name: _max(name) for name in ("title", "duration", "place", "audience", "organisation")}
MAX_URL = _max("url")
ROME_CODES_MAX = _max("rome_codes")
MAX_EXTERNAL_ID = _max("external_id")


@dataclass(frozen=True)
class Entry:
    """One catalogue row, checked: ready to be written."""

    external_id: str
    kind: str
    title: str
    url: str
    skills: tuple[str, ...]  # référentiel codes
    description: str = ""
    language: str = Language.FR
    duration: str = ""
    remote: bool = False
    departement: str = ""
    place: str = ""
    audience: str = ""
    organisation: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    places: int | None = None
    raw_skills: tuple[str, ...] = ()
    active: bool = True
    rome_codes: str = ""  # the métiers a training prepares for, "G1803 G1602"


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_labels: Counter[str] = field(default_factory=Counter)
    skipped: int = 0  # rows left out on purpose (see warnings)

    @property
    def ok(self) -> bool:
        return not self.errors


def skill_codes() -> set[str]:
    return set(Skill.objects.filter(framework__code=FRAMEWORK).values_list("code", flat=True))


def known_labels() -> dict[str, str]:
    """Normalised label → skill code: the written table, the référentiel's own labels and
    its ROME savoir-être cross-walk (the table wins when they disagree)."""
    labels: dict[str, str] = {}
    for skill in Skill.objects.filter(framework__code=FRAMEWORK):
        for crosswalk in skill.rome_savoir_etre:
            labels[normalise(str(crosswalk.get("label", "")))] = skill.code
        labels[normalise(skill.label_en)] = skill.code
        labels[normalise(skill.label_fr)] = skill.code
    labels.pop("", None)
    return labels | SOFT_SKILLS


def read_file(path: Path, fmt: str | None = None) -> Parsed:
    """Read and check ``path`` (``fmt`` "csv" or "missions", else from the extension)."""
    fmt = fmt or {".csv": "csv", ".json": "missions"}.get(path.suffix.lower())
    if fmt not in FORMATS:
        return Parsed(errors=[f"{path.name}: unknown format, give --format csv or missions."])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Parsed(errors=[f"{path.name} is not UTF-8 (byte {error.start}): export it again."])
    except OSError as error:
        return Parsed(errors=[f"Cannot read {path}: {error.strerror or error}."])
    if fmt == "csv":
        return parse_csv(text, codes=skill_codes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return Parsed(errors=[f"line {error.lineno}: not valid JSON ({error.msg})."])
    return parse_missions(data, codes=skill_codes(), labels=known_labels())


# Checks shared by every shape ------------------------------------------------------------


class _Row:
    """Collects the problems of one row; ``where`` is "line 3" or "data[2]"."""

    def __init__(self, where: str, parsed: Parsed) -> None:
        self.where, self.parsed, self.failed = where, parsed, False

    def error(self, message: str) -> None:
        self.parsed.errors.append(f"{self.where}: {message}")
        self.failed = True

    def text(self, name: str, value: Any, *, required: bool = False, cut: bool = False) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(f"{name} must be text.")
            return ""
        value = _SPACES.sub(" ", value).strip()
        if required and not value:
            self.error(f"{name} is empty.")
        limit = MAX.get(name)
        if limit and len(value) > limit:
            if cut:
                value = value[: limit - 1].rstrip() + "…"
            else:
                self.error(f"{name} is longer than {limit} characters.")
        return value

    def url(self, value: Any, name: str = "url") -> str:
        url = self.text(name, value, required=True)
        if url:
            try:
                _check_url(url)
            except ValidationError:
                self.error(f"{name} {url!r} is not an http(s) address.")
            if len(url) > MAX_URL:
                self.error(f"{name} is longer than {MAX_URL} characters.")
        return url

    def departement(self, value: Any, name: str = "departement") -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        code = normalise_departement(self.text(name, value))
        if code and code not in DEPARTEMENTS:
            self.error(f"{name} {code!r} is not a French département (75, 2A, 974…).")
        return code

    def skills(
        self, codes: list[str], known: set[str], *, required: bool = True
    ) -> tuple[str, ...]:
        unknown = [code for code in codes if code not in known]
        if unknown:
            self.error(f"unknown skill code(s): {', '.join(unknown)}.")
        if not codes and required:
            self.error("no skill: give at least one référentiel code.")
        return tuple(dict.fromkeys(codes))

    def rome_codes(self, codes: list[str], kind: str) -> str:
        """ROME codes of the métiers a training prepares for (only trainings have some)."""
        codes = list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
        bad = [code for code in codes if not ROME_CODE.fullmatch(code)]
        if bad:
            self.error(f"rome {', '.join(bad)}: not ROME codes (one letter, four digits).")
        if kind == Kind.TRAINING and not codes:
            self.error("a training needs the ROME code(s) of the métiers it prepares for.")
        if codes and kind != Kind.TRAINING:
            self.error("rome: only a training prepares for métiers.")
        if len(" ".join(codes)) > ROME_CODES_MAX:
            self.error(f"rome: more than {ROME_CODES_MAX // 6} codes.")
        return " ".join(codes)

    def external_id(self, value: str, seen: set[str]) -> str:
        if len(value) > MAX_EXTERNAL_ID:
            self.error(f"external_id is longer than {MAX_EXTERNAL_ID} characters.")
        elif value in seen:
            self.error(f"external_id {value!r} appears twice.")
        seen.add(value)
        return value


def _where_located(row: _Row, remote: bool, departement: str) -> None:
    if not remote and not departement:
        row.error("give a departement, or remote = true.")


# CSV --------------------------------------------------------------------------------------


def parse_csv(text: str, *, codes: set[str]) -> Parsed:
    parsed = Parsed()
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = list(reader.fieldnames or [])
    except csv.Error as error:
        return Parsed(errors=[f"line 1: not valid CSV ({error})."])
    if not header:
        return Parsed(errors=["line 1: the file is empty (no header)."])
    missing = [name for name in CSV_COLUMNS if name not in header]
    unexpected = [name for name in header if name not in CSV_COLUMNS + CSV_OPTIONAL]
    doubled = sorted({name for name in header if header.count(name) > 1})
    problems = [
        f"{label}: {', '.join(names)}"
        for label, names in (
            ("missing columns", missing),
            ("unexpected columns", unexpected),
            ("repeated columns", doubled),
        )
        if names
    ]
    if problems:
        return Parsed(errors=[f"line 1: bad header ({'; '.join(problems)})."])
    seen: set[str] = set()
    try:
        for record in reader:
            row = _Row(f"line {reader.line_num}", parsed)
            extra = record.pop(None, None)  # type: ignore[call-overload]
            if extra or any(value is None for value in record.values()):
                row.error(f"expected {len(header)} fields.")
                continue
            entry = _csv_entry(row, record, codes, seen)
            if not row.failed:
                parsed.entries.append(entry)
    except csv.Error as error:
        parsed.errors.append(f"line {reader.line_num}: not valid CSV ({error}).")
    if not parsed.entries and not parsed.errors:
        parsed.errors.append("no row after the header.")
    return parsed


def _csv_entry(row: _Row, record: dict[str, str], codes: set[str], seen: set[str]) -> Entry:
    kind = record["kind"].strip()
    if kind not in Kind.values:
        row.error(f"kind {kind!r} is not one of {', '.join(Kind.values)}.")
    language = record["language"].strip().lower() or Language.FR
    if language not in Language.values:
        row.error(f"language {language!r} is not fr or en.")
    remote_text = record["remote"].strip().lower()
    remote = remote_text in TRUE
    departement = row.departement(record["departement"])
    if remote_text not in TRUE | FALSE:
        row.error(f"remote {record['remote']!r} is not true or false.")
    else:
        _where_located(row, remote, departement)
    title = row.text("title", record["title"], required=True)
    url = row.url(record["url"])
    external_id = record.get("external_id", "").strip() or f"{url}#{slugify(title)}"
    skills = [code.strip() for code in record["skills"].split(";") if code.strip()]
    return Entry(
        external_id=row.external_id(external_id, seen),
        kind=kind,
        title=title,
        url=url,
        skills=row.skills(skills, codes, required=kind != Kind.TRAINING),
        rome_codes=row.rome_codes(record.get("rome", "").split(";"), kind),
        description=record["description"].strip(),
        language=language,
        duration=row.text("duration", record["duration"]),
        remote=remote,
        departement=departement,
        place=row.text("place", record.get("place", "")),
        audience=row.text("audience", record.get("audience", "")),
        organisation=row.text("organisation", record.get("organisation", "")),
    )


# API Engagement mission feed --------------------------------------------------------------


def parse_missions(data: Any, *, codes: set[str], labels: dict[str, str]) -> Parsed:
    """``{"data": [Mission, …]}``; also a bare list of missions."""
    parsed = Parsed()
    missions = data.get("data") if isinstance(data, dict) else data
    if not isinstance(missions, list):
        return Parsed(errors=['the file holds no mission list (expected {"data": [...]}).'])
    seen: set[str] = set()
    for index, mission in enumerate(missions):
        row = _Row(f"data[{index}]", parsed)
        if not isinstance(mission, dict):
            row.error("a mission must be a JSON object.")
            continue
        entry = _mission_entry(row, mission, labels, seen)
        if row.failed or entry is None:
            continue
        if not entry.skills:
            parsed.warnings.append(f"{row.where}: no known skill: it will show on no page.")
        parsed.unknown_labels.update(entry.raw_skills)
        parsed.entries.append(entry)
    if not missions:
        parsed.errors.append("the mission list is empty.")
    return parsed


def _mission_entry(
    row: _Row, mission: dict[str, Any], labels: dict[str, str], seen: set[str]
) -> Entry | None:
    ident = mission.get("_id") or mission.get("id")
    if not isinstance(ident, str | int) or isinstance(ident, bool) or not str(ident).strip():
        row.error("_id (or id) is missing.")
        ident = ""
    kind = _feed_kind(row, mission.get("type"))
    remote_value = mission.get("remote") or "no"
    if remote_value not in FEED_REMOTE:
        row.error(f"remote {remote_value!r} is not no, possible, full or local.")
    remote = FEED_REMOTE.get(remote_value, False)
    addresses = mission.get("addresses") or [{}]
    first = addresses[0] if isinstance(addresses, list) and isinstance(addresses[0], dict) else {}
    departement = row.departement(
        mission.get("departmentCode") or first.get("departmentCode"), "departmentCode"
    )
    city = mission.get("city") or first.get("city")
    description = mission.get("description") or mission.get("descriptionHtml") or ""
    if not isinstance(description, str):
        row.error("description must be text.")
        description = ""
    soft = _strings(row, mission, "softSkills") or _strings(row, mission, "soft_skills")
    rome = _strings(row, mission, "romeSkills")
    skills, unknown = map_labels([*soft, *rome], labels)
    organisation = mission.get("organizationName") or mission.get("publisherName")
    audience = mission.get("audience") or ""
    if isinstance(audience, list):
        audience = ", ".join(str(a) for a in audience)
    places = mission.get("places")
    if places is not None and (not isinstance(places, int) or isinstance(places, bool)):
        row.error(f"places {places!r} is not a whole number.")
        places = None
    entry = Entry(
        external_id=row.external_id(str(ident).strip(), seen),
        kind=kind,
        title=row.text("title", mission.get("title"), required=True, cut=True),
        url=row.url(mission.get("applicationUrl"), "applicationUrl"),
        skills=tuple(skills),
        description=html.unescape(strip_tags(description)).strip(),
        duration=row.text("duration", mission.get("schedule"), cut=True),
        remote=remote,
        departement=departement,
        place=row.text("place", city, cut=True),
        audience=row.text("audience", audience, cut=True),
        organisation=row.text("organisation", organisation, cut=True),
        starts_on=_date(row, mission.get("startAt"), "startAt"),
        ends_on=_date(row, mission.get("endAt"), "endAt"),
        places=max(places, 0) if places is not None else None,
        raw_skills=tuple(unknown),
        active=mission.get("statusCode", "ACCEPTED") == "ACCEPTED" and not mission.get("deletedAt"),
    )
    if not row.failed and not remote and not departement:
        row.parsed.warnings.append(f"{row.where}: no département and not remote: left out.")
        row.parsed.skipped += 1
        return None
    return entry


def _feed_kind(row: _Row, value: Any) -> str:
    if value in (None, ""):
        return Kind.VOLUNTEERING
    if value not in FEED_TYPES:
        row.parsed.warnings.append(f"{row.where}: type {value!r} unknown, taken as bénévolat.")
        return Kind.VOLUNTEERING
    return FEED_TYPES[value]


def _strings(row: _Row, mission: dict[str, Any], name: str) -> list[str]:
    value = mission.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        row.error(f"{name} must be a list of texts.")
        return []
    return value


def _date(row: _Row, value: Any, name: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:  # an instant is read in Paris time: "2026-03-31T22:00Z" starts on 1 April
            return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    row.error(f"{name} {value!r} is not an ISO 8601 date.")
    return None


# Demo file --------------------------------------------------------------------------------


def parse_demo(data: Any, *, codes: set[str]) -> Parsed:
    """The shipped demo catalogue: ``{"format": …, "items": [{external_id, kind, …}]}``."""
    if not isinstance(data, dict) or data.get("format") != DEMO_FORMAT:
        return Parsed(errors=[f"format is not {DEMO_FORMAT}."])
    parsed = Parsed()
    seen: set[str] = set()
    for index, item in enumerate(data.get("items") or []):
        row = _Row(f"items[{index}]", parsed)
        kind = item.get("kind")
        if kind not in Kind.values:
            row.error(f"kind {kind!r} unknown.")
        language = item.get("language", Language.FR)
        if language not in Language.values:
            row.error(f"language {language!r} is not fr or en.")
        remote = item.get("remote") is True
        departement = row.departement(item.get("departement", ""))
        _where_located(row, remote, departement)
        entry = Entry(
            external_id=row.external_id(row.text("external_id", item.get("external_id")), seen),
            kind=kind,
            title=row.text("title", item.get("title"), required=True),
            url=row.url(item.get("url")),
            skills=row.skills(
                list(item.get("skills") or []), codes, required=kind != Kind.TRAINING
            ),
            rome_codes=row.rome_codes(list(item.get("rome") or []), kind),
            description=row.text("description", item.get("description"), required=True),
            language=language,
            duration=row.text("duration", item.get("duration")),
            remote=remote,
            departement=departement,
            place=row.text("place", item.get("place")),
            audience=row.text("audience", item.get("audience")),
            organisation=row.text("organisation", item.get("organisation")),
        )
        if kind in MISSION_KINDS and not entry.organisation:
            row.error("a mission needs an organisation.")
        if not row.failed:
            parsed.entries.append(entry)
    return parsed
