"""``orientation`` calls of the public API (../shared/API.md)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from atout.api.auth import current_user
from atout.api.errors import Error, error_response
from atout.progress.models import Opportunity
from atout.progress.selectors import trainings_for, ways_for_skills

from .api_shapes import job_out
from .explain import describe
from .interests import person_profile
from .models import EscoOccupation, Metier
from .selectors import index, person_levels, profile_from_levels

router = Router(tags=["orientation"])


class GapItem(Schema):
    kind: str
    code: str
    label: str
    importance: str


class JobOut(Schema):
    code: str
    label: str
    score: float
    reasons: list[str]
    gap: list[GapItem]


@router.get("/orientation/jobs", response={200: list[JobOut], 400: Error, 401: Error})
def jobs(request: HttpRequest, limit: int = 20, referentiel: str = "rome") -> Any:
    """The person's closest métiers, from their evidenced skills, the savoir-faire, jobs
    held and interests they gave; ``referentiel=esco``: ESCO occupations, from their soft
    skills alone."""
    user = current_user(request)
    limit = max(1, min(limit, 100))
    if referentiel == "esco":
        profile = profile_from_levels(person_levels(user=user), source="esco")
        return [job_out(m, "esco") for m in index("esco").rank(profile, limit=limit)]
    if referentiel != "rome":
        return error_response(request, 400, "referentiel is rome or esco.", "invalid")
    return [job_out(m) for m in index().rank(person_profile(user=user), limit=limit)]


@router.get("/orientation/gap/{code}", response={200: dict[str, Any], 401: Error, 404: Error})
def gap(request: HttpRequest, code: str) -> Any:
    """For one ROME code (or ESCO occupation code): what the person already shows and what
    is missing, each missing
    item with ways to progress (resources and missions for the soft skills that lead to it;
    trainings for the métier's savoir-faire)."""
    user = current_user(request)
    if EscoOccupation.objects.filter(code=code).exists():  # "5131.1": never a ROME code
        profile = profile_from_levels(person_levels(user=user), source="esco")
        described = describe(index("esco").gap(profile, code), "esco")
        trainings = []
    else:
        code = code.upper()
        if not Metier.objects.filter(code=code).exists():
            return error_response(request, 404, "Unknown ROME code.", "not_found")
        described = describe(index().gap(person_profile(user=user), code))
        trainings = [_way(t) for t in trainings_for(code=code, departement=user.departement)]
    departement = user.departement or ""
    skills = {s["code"] for item in described["missing"] for s in item["skills"]}
    ways = ways_for_skills(codes=skills, departement=departement)
    for item in described["missing"]:
        item["ways"] = (
            [_way(o) for s in item["skills"] for o in ways.get(s["code"], [])]
            if item["skills"]
            else trainings
        )
    return {"have": described["have"], "missing": described["missing"], "trainings": trainings}


def _way(opportunity: Opportunity) -> dict[str, Any]:
    return {
        "kind": opportunity.kind,
        "title": opportunity.title,
        "url": opportunity.url,
        "departement": opportunity.departement,
        "remote": opportunity.remote,
    }
