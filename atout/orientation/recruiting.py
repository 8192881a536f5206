"""The sections of « Métiers qui recrutent près de chez moi », with their labour figures.

Each section is a short list of lines, each with its figures, their source and year; a
section without data is left out. A BMO figure belongs to one or more BMO families and a
tension figure to one ROME v3 code, so several métiers share it: a line is one such group
(named after its BMO families, or after the broadest métier, whose code is its ROME v3
code) with the métiers it covers, so that five lines never repeat one number. The lines
of "Proches de mes compétences" are single métiers, in the order of the matching.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext, gettext_noop

from atout.matching import Profile

from .access import NO_DIPLOMA, UP_TO_BAC_2
from .models import LabourFigure, Metier
from .selectors import index, profile_from_levels

SECTION_SIZE = 5
RANK_LIMIT = 200  # closest métiers looked at for "proches de mes compétences"
MIN_PROJECTS = 100  # below, a share of difficult projects says little
MIN_OFFERS = 30  # below, jobseekers per offer say little
MAX_LEVEL = 4
MAX_METIERS = 4  # métiers named on a line whose figure they share
DEMO_SOURCE = gettext_noop("Données de démonstration")
BMO_FIELDS = ("projects", "hard_share", "seasonal_share")
TENSION_FIELDS = ("tension", "offers", "jobseekers", "competition")


class _Figures:
    """The latest BMO-like and tension-like figures of one métier in the département."""

    def __init__(self, metier: Metier) -> None:
        self.metier = metier
        self.bmo: LabourFigure | None = None
        self.tension: LabourFigure | None = None

    def value(self, name: str) -> Any:
        row = self.bmo if name in BMO_FIELDS else self.tension
        return getattr(row, name) if row is not None else None

    def figure(self, name: str) -> dict[str, Any]:
        row = self.bmo if name in BMO_FIELDS else self.tension
        assert row is not None
        demo = row.dataset == LabourFigure.Dataset.DEMO
        return {
            "kind": name,
            "value": getattr(row, name),
            "at_least": name == "projects" and row.projects_partial,
            "source": gettext(DEMO_SOURCE) if demo else row.source,
            "year": row.year,
        }

    def group(self, name: str) -> str:
        """Métiers sharing this figure share a group: the BMO families, or the ROME v3 code."""
        if name in BMO_FIELDS and self.bmo is not None and self.bmo.bmo_families:
            return "bmo:" + self.bmo.bmo_families
        return "rome:" + (self.metier.parent_code or self.metier.code)

    @property
    def demo(self) -> bool:
        return any(
            row is not None and row.dataset == LabourFigure.Dataset.DEMO
            for row in (self.bmo, self.tension)
        )


def parse_levels(values: Iterable[str]) -> dict[str, int]:
    """Skills chosen as ``code:level`` (level 1–4); malformed ones are ignored."""
    levels: dict[str, int] = {}
    for part in values:
        code, _, level = part.partition(":")
        if code and level.isdigit() and 1 <= int(level) <= MAX_LEVEL:
            levels[code] = int(level)
    return levels


def _figures(departement: str) -> dict[str, _Figures]:
    """Métier code → its figures there; a later year replaces an earlier one."""
    out: dict[str, _Figures] = {}
    rows = (
        LabourFigure.objects.filter(departement=departement)
        .select_related("metier")
        .order_by("year", "pk")
    )
    for row in rows:
        figures = out.setdefault(row.metier.code, _Figures(row.metier))
        if any(getattr(row, name) is not None for name in BMO_FIELDS):
            figures.bmo = row
        if any(getattr(row, name) is not None for name in TENSION_FIELDS):
            figures.tension = row
    return out


def _metier(metier: Metier) -> dict[str, str]:
    return {"code": metier.code, "label": metier.label}


def _families(families: str) -> list[dict[str, str]]:
    """``"S2X61 Serveurs…; S2X60 Employés…"`` → ``[{"code": "S2X61", "label": …}, …]``."""
    parts = (part.strip().partition(" ") for part in families.split(";") if part.strip())
    return [{"code": code, "label": label} for code, _, label in parts]


def _item(
    label: str, members: list[_Figures], names: tuple[str, ...], *, shared: bool
) -> dict[str, Any]:
    """One line of a section: the figures of ``members[0]`` (shared by all ``members``)."""
    first = members[0]
    return {
        "label": label,
        "metiers": [_metier(f.metier) for f in members[:MAX_METIERS]],
        "more_metiers": max(0, len(members) - MAX_METIERS),
        "shared": shared,
        "figures": [first.figure(name) for name in names if first.value(name) is not None],
        "bmo_families": (
            _families(first.bmo.bmo_families)
            if first.bmo is not None and set(names) & set(BMO_FIELDS)
            else []
        ),
    }


def _groups(
    candidates: Iterable[_Figures],
    *,
    key: Callable[[_Figures], Any],
    keep: Callable[[_Figures], bool],
    group_by: str,
) -> list[list[_Figures]]:
    """The first ``SECTION_SIZE`` groups of métiers sharing one figure, by ``key``; in a
    group, the broadest métiers (their code is their ROME v3 code) first."""
    groups: dict[str, list[_Figures]] = {}
    ranked = sorted(
        (f for f in candidates if keep(f)),
        key=lambda f: (
            key(f),
            f.group(group_by),
            f.metier.code != f.metier.parent_code,
            f.metier.code,
        ),
    )
    for figures in ranked:  # a group's métiers share the key: they come together
        group = figures.group(group_by)
        if group not in groups and len(groups) == SECTION_SIZE:
            break
        groups.setdefault(group, []).append(figures)
    return list(groups.values())


def _bmo_items(groups: list[list[_Figures]], names: tuple[str, ...]) -> list[dict[str, Any]]:
    """A BMO figure is that of one or more BMO families: the line is named after them."""
    items = []
    for members in groups:
        families = members[0].bmo.bmo_families if members[0].bmo is not None else ""
        label = (
            ", ".join(f["label"] for f in _families(families))
            if families
            else members[0].metier.label
        )
        items.append(_item(label, members, names, shared=bool(families)))
    return items


def _close(figures: dict[str, _Figures], profile: Profile) -> list[dict[str, Any]]:
    matches = index().rank(profile, limit=RANK_LIMIT)
    names = ("projects", "competition")
    items = []
    for match in matches:
        found = figures.get(match.code)
        if match.score > 0 and found and any(found.value(name) is not None for name in names):
            items.append(_item(found.metier.label, [found], names, shared=False))
            if len(items) == SECTION_SIZE:
                break
    return items


def metier_figures(departement: str, codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Code → the figures of each of these métiers in ``departement`` (recruitment projects,
    jobseekers per offer), each with its source and year."""
    found = _figures(departement)
    return {
        code: [
            found[code].figure(name)
            for name in ("projects", "competition")
            if found[code].value(name) is not None
        ]
        for code in codes
        if code in found
    }


def _open_to(levels: set[int]) -> Callable[[_Figures], bool]:
    """Métiers with recruitment projects, open at one of these diploma levels."""
    return lambda f: f.value("projects") is not None and f.metier.access_level in levels


def recruiting_sections(
    departement: str, profile_levels: dict[str, int] | None, profile: Profile | None = None
) -> dict[str, Any]:
    """The sections for a (known) département code, with "Proches de mes compétences"
    first when ``profile_levels`` (soft-skill code → level 1–4) or a whole ``profile``
    (with savoir-faire, jobs held, interests) is given.

    ``{"departement", "demo", "sections": [{"key", "title", "items": [{"label",
    "metiers": [{"code", "label"}], "more_metiers", "shared", "figures": [{"kind",
    "value", "at_least", "source", "year"}], "bmo_families": [{"code", "label"}]}]}]}``;
    ``key`` is ``close``, ``many``, ``no_diploma``, ``up_to_bac_2`` (from the diploma
    level ROME's "Accès à l'emploi" names), ``competition`` or ``hard``; ``shared``: the figures
    are those of a group of métiers (a BMO family, a ROME v3 code), not of one.
    """
    figures = _figures(departement)
    every = list(figures.values())
    sections: list[tuple[str, str, list[dict[str, Any]]]] = []
    if profile is None and profile_levels:
        profile = profile_from_levels(profile_levels)
    if profile is not None and (profile.items or profile.held or profile.riasec):
        sections.append(("close", gettext("Proches de mes compétences"), _close(figures, profile)))
    many = _groups(
        every,
        key=lambda f: -f.value("projects"),
        keep=lambda f: f.value("projects") is not None,
        group_by="projects",
    )
    sections.append(
        (
            "many",
            gettext("Recrutent beaucoup"),
            _bmo_items(many, ("projects", "hard_share", "seasonal_share")),
        )
    )
    for key, title, levels in (
        ("no_diploma", gettext("Accessibles sans diplôme"), {NO_DIPLOMA}),
        (
            "up_to_bac_2",
            gettext("Accessibles avec un CAP, un bac ou un bac+2"),
            set(range(NO_DIPLOMA + 1, UP_TO_BAC_2 + 1)),
        ),
    ):
        open_to = _groups(
            every,
            key=lambda f: -f.value("projects"),
            keep=_open_to(levels),
            group_by="projects",
        )
        sections.append((key, title, _bmo_items(open_to, ("projects", "hard_share"))))
    easy = _groups(
        every,
        key=lambda f: f.value("competition"),
        keep=lambda f: f.value("competition") is not None and f.value("offers") >= MIN_OFFERS,
        group_by="competition",
    )
    sections.append(
        (
            "competition",
            gettext("Peu de concurrence"),
            [
                _item(
                    members[0].metier.label,
                    members,
                    ("competition", "offers", "jobseekers"),
                    shared=len(members) > 1,
                )
                for members in easy
            ],
        )
    )
    hard = _groups(
        every,
        key=lambda f: -f.value("hard_share"),
        keep=lambda f: (
            f.value("hard_share") is not None and (f.value("projects") or 0) >= MIN_PROJECTS
        ),
        group_by="hard_share",
    )
    sections.append(
        ("hard", gettext("Difficiles à pourvoir"), _bmo_items(hard, ("hard_share", "projects")))
    )
    codes = {
        m["code"] for _key, _title, items in sections for item in items for m in item["metiers"]
    }
    return {
        "departement": departement,
        "demo": any(figures[code].demo for code in codes),
        "sections": [
            {"key": key, "title": title, "items": items} for key, title, items in sections if items
        ],
    }
