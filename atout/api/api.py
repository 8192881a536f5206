"""The public JSON API (``/api/v1/``): see ../shared/API.md for the contract."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from atout.assessments.api import router as assessments_router
from atout.badges.api import router as badges_router
from atout.experiences.api import router as experiences_router
from atout.orientation.api import router as orientation_router
from atout.orientation.api_public import public_router as jobs_router
from atout.referentiel.models import Framework, Skill
from atout.referentiel.selectors import get_public_framework, get_public_skill

from .auth import RateLimited, TokenAuth, current_user
from .errors import Error, error_response

api = NinjaAPI(
    title="atout API",
    version="1",
    description='Reveal, prove and use skills. Errors are {"detail", "code"}.',
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 401, "Missing or invalid API token.", "unauthorized")


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 429, "Too many requests. Try again later.", "rate_limited")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", []))
    return error_response(request, 400, f"{where}: {first.get('msg', 'invalid input')}", "invalid")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 404, "Not found.", "not_found")


CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method",
         409: "conflict", 410: "gone", 413: "too_large", 429: "rate_limited"}  # fmt: skip


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, str(exc), CODES.get(exc.status_code, "error"))


class Me(Schema):
    email: str
    first_name: str
    language: str
    departement: str
    organisations: list[dict[str, str]]


@api.get("/me", response={200: Me, 401: Error}, tags=["accounts"])
def me(request: HttpRequest) -> dict[str, Any]:
    """The account that owns the token."""
    user = current_user(request)
    return {
        "email": user.email,
        "first_name": user.first_name,
        "language": user.language,
        "departement": user.departement,
        "organisations": [
            {"slug": m.organisation.slug, "name": m.organisation.name, "role": m.role}
            for m in user.memberships.select_related("organisation")
        ],
    }


class Text(Schema):
    fr: str
    en: str


class SkillOut(Schema):
    code: str
    family: str
    label: Text
    definition: Text
    url: str
    rome_savoir_etre: list[dict[str, str]]
    esco: list[dict[str, str]]


def _skill_out(request: HttpRequest, skill: Skill) -> dict[str, Any]:
    return {
        "code": skill.code,
        "family": skill.family.code,
        "label": {"fr": skill.label_fr, "en": skill.label_en},
        "definition": {"fr": skill.definition_fr, "en": skill.definition_en},
        "url": request.build_absolute_uri(skill.get_absolute_url()),
        "rome_savoir_etre": skill.rome_savoir_etre,
        "esco": skill.esco,
    }


@api.get(
    "/referentiel/{framework}/skills",
    response={200: list[SkillOut], 404: Error},
    auth=None,
    tags=["referentiel"],
)
def skills(request: HttpRequest, framework: str) -> list[dict[str, Any]]:
    """Every skill of a public framework (the common one is ``atout``)."""
    fw: Framework = get_public_framework(code=framework)
    return [_skill_out(request, s) for s in fw.skills.select_related("family", "framework")]


@api.get(
    "/referentiel/{framework}/skills/{code}",
    response={200: SkillOut, 404: Error},
    auth=None,
    tags=["referentiel"],
)
def skill(request: HttpRequest, framework: str, code: str) -> dict[str, Any]:
    return _skill_out(request, get_public_skill(framework_code=framework, code=code))


api.add_router("/", experiences_router)
api.add_router("/", assessments_router)
api.add_router("/", badges_router)
api.add_router("/", orientation_router)
api.add_router("/", jobs_router)


def public_patterns(patterns: list[Any]) -> list[Any]:
    """The API authenticates by token itself: exempt it from the site's login redirect."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            public_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


def urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    return public_patterns(patterns), app_name, namespace
