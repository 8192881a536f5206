"""``badges`` and ``verify`` calls of the public API (../shared/API.md)."""

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from atout.api.auth import current_user
from atout.api.errors import Error, error_response
from atout.openbadges import verify as ob_verify

from .models import Award
from .resolver import site_resolver
from .selectors import linkedin_url, report_summary

router = Router(tags=["badges"])
MAX_UPLOAD = 5 * 1024 * 1024


class BadgeOut(Schema):
    id: str
    achievement: str
    skill: str | None
    level: int | None
    issued_on: str
    expires: str | None
    revoked: bool
    urls: dict[str, str]


class CheckOut(Schema):
    name: str
    ok: bool
    detail: str


class VerifyOut(Schema):
    valid: bool
    format: str
    checks: list[CheckOut]
    achievement: str | None
    issuer: str | None
    issued_on: str | None
    revoked: bool
    expired: bool


@router.get("/badges", response={200: list[BadgeOut], 401: Error})
def badges(request: HttpRequest) -> Any:
    """The person's badges and where to get each form."""
    awards = Award.objects.owned_by(current_user(request)).select_related(
        "achievement__skill", "organisation"
    )
    return [
        {
            "id": str(a.uid),
            "achievement": a.achievement.name_fr,
            "skill": a.achievement.skill.code if a.achievement.skill else None,
            "level": a.achievement.level,
            "issued_on": a.issued_at.isoformat(),
            "expires": a.expires_at.isoformat() if a.expires_at else None,
            "revoked": a.revoked,
            "urls": {
                "ob3": a.file_url("ob3"),
                "ob3_jwt": a.file_url("ob3-jwt"),
                "ob2": a.file_url("ob2"),
                "png": a.file_url("png"),
                "svg": a.file_url("svg"),
                "page": a.file_url("ob3").rsplit("/", 1)[0] + "/",
                "linkedin": linkedin_url(a),
            },
        }
        for a in awards
    ]


@router.post("/verify", auth=None, response={200: VerifyOut, 400: Error, 413: Error})
def verify(request: HttpRequest) -> Any:
    """Verify a badge: a file (multipart ``file``), or JSON ``{"credential": …}`` or
    ``{"url": …}``; optional ``email`` to check the recipient."""
    email: str | None = None
    data: bytes | str | dict[str, Any]
    file = request.FILES.get("file")
    if file is not None:
        if file.size and file.size > MAX_UPLOAD:
            return error_response(request, 413, "The file is larger than 5 MB.", "too_large")
        data = file.read(MAX_UPLOAD + 1)
        email = request.POST.get("email") or None
    else:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return error_response(request, 400, "The body is not JSON.", "invalid")
        if not isinstance(body, dict) or not ("credential" in body or "url" in body):
            return error_response(
                request, 400, 'Send a file, {"credential": …} or {"url": …}.', "invalid"
            )
        email = body.get("email") or None
        credential = body.get("credential")
        data = credential if credential is not None else str(body["url"])
        if isinstance(data, list):
            return error_response(
                request, 400, "credential must be an object or a string.", "invalid"
            )
    report = ob_verify.verify(data, email=email, resolver=site_resolver())
    return report_summary(report)
