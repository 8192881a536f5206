"""Orientation calls of the public API that need no token (../shared/API.md)."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from atout.accounts.departements import DEPARTEMENTS, normalise_departement
from atout.api.errors import Error, error_response

from .recruiting import parse_levels, recruiting_sections

public_router = Router(tags=["orientation"])


class CodeLabel(Schema):
    code: str
    label: str


class FigureOut(Schema):
    kind: str  # projects, hard_share, seasonal_share, tension, offers, jobseekers, competition
    value: int | float
    at_least: bool  # projects: some bassins are secret, the sum is a lower bound
    source: str
    year: int


class ItemOut(Schema):
    label: str
    metiers: list[CodeLabel]
    more_metiers: int
    shared: bool
    figures: list[FigureOut]
    bmo_families: list[CodeLabel]


class SectionOut(Schema):
    key: str  # close, many, competition, hard
    title: str
    items: list[ItemOut]


class RecruitingOut(Schema):
    departement: str
    demo: bool
    sections: list[SectionOut]


@public_router.get("/jobs/recruiting", response={200: RecruitingOut, 400: Error}, auth=None)
def recruiting(
    request: HttpRequest,
    departement: str = "",
    competence: Annotated[list[str] | None, Query()] = None,
) -> Any:
    """Sections of métiers that recruit in a département, each figure with its source and
    year. ``competence=teamwork:3`` (repeatable, level 1–4) adds "Proches de mes
    compétences" first."""
    code = normalise_departement(departement[:20])
    if code not in DEPARTEMENTS:
        return error_response(
            request, 400, f"Unknown département {departement[:20]!r} (e.g. 93, 2A).", "invalid"
        )
    return recruiting_sections(code, parse_levels(competence or []) or None)
