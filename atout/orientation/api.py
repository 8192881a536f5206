"""``orientation`` calls of the public API (../shared/API.md)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from atout.api.auth import current_user
from atout.api.errors import Error, error_response

from .api_shapes import job_out
from .explain import describe
from .models import Metier
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


@router.get("/orientation/jobs", response={200: list[JobOut], 401: Error})
def jobs(request: HttpRequest, limit: int = 20) -> Any:
    """The person's closest métiers, from their evidenced skills."""
    profile = profile_from_levels(person_levels(user=current_user(request)))
    return [job_out(m) for m in index().rank(profile, limit=max(1, min(limit, 100)))]


@router.get("/orientation/gap/{code}", response={200: dict[str, Any], 401: Error, 404: Error})
def gap(request: HttpRequest, code: str) -> Any:
    """For one ROME code: what the person already shows and what is missing."""
    if not Metier.objects.filter(code=code.upper()).exists():
        return error_response(request, 404, "Unknown ROME code.", "not_found")
    profile = profile_from_levels(person_levels(user=current_user(request)))
    described = describe(index().gap(profile, code.upper()))
    return {"have": described["have"], "missing": described["missing"]}
