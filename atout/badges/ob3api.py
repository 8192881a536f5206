"""The read paths of the 1EdTech Open Badges 3.0 API, for wallets and other platforms:
``GET /ims/ob/v3p0/credentials``, ``GET /ims/ob/v3p0/profile`` and
``GET /ims/ob/v3p0/discovery``. Authenticated by the person's personal token (Bearer)."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from atout.api.auth import RateLimited, TokenAuth, current_user

from .models import Award

ob3api = NinjaAPI(
    title="Open Badges 3.0 API (read)",
    version="3.0",
    auth=TokenAuth(),
    urls_namespace="ob3api",
    docs_url=None,
    openapi_url=None,
)
BASE = "/ims/ob/v3p0"


def _imsx(request: HttpRequest, status: int, code: str, description: str) -> HttpResponse:
    """Errors as the 1EdTech imsx_StatusInfo structure."""
    return JsonResponse(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": code}
                ]
            },
        },
        status=status,
    )


@ob3api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _imsx(request, 429, "server_busy", "Too many requests.")


@ob3api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _imsx(request, 401, "unauthorizedrequest", "Missing or invalid token.")


@ob3api.get("/credentials", url_name="credentials")
def credentials(request: HttpRequest, limit: int = 100, offset: int = 0) -> HttpResponse:
    """The person's OpenBadgeCredentials, each as issued, with the VC-JWT forms."""
    if not 1 <= limit <= 1000 or offset < 0:
        return _imsx(request, 400, "invalid_data", "limit must be 1 to 1000, offset ≥ 0.")
    awards = Award.objects.owned_by(current_user(request)).order_by("issued_at", "id")
    total = awards.count()
    page = list(awards[offset : offset + limit])
    response = JsonResponse(
        {
            "credential": [json.loads(a.ob3_json) for a in page],
            "compactJwsString": [a.ob3_jwt for a in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["X-Total-Count"] = str(total)
    return response


@ob3api.get("/profile", url_name="profile")
def profile(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"{settings.SITE_URL}/ims/ob/v3p0/profile/{user.pk}",
        "type": ["Profile"],
        "name": user.first_name,
        "email": user.email,
    }


@ob3api.get("/discovery", auth=None, url_name="discovery")
def discovery(request: HttpRequest) -> dict[str, Any]:
    """The service description document (an OpenAPI 3 document with the 1EdTech fields)."""
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "atout — Open Badges 3.0 API",
            "version": "3.0",
            "termsOfService": f"{settings.SITE_URL}/accessibilite/",
            "x-imssf-image": f"{settings.SITE_URL}/static/atout/img/logo.png",
            "x-imssf-privacyPolicyUrl": f"{settings.SITE_URL}/compte/",
        },
        "servers": [{"url": f"{settings.SITE_URL}{BASE}"}],
        "paths": {
            "/credentials": {
                "get": {"operationId": "getCredentials", "security": [{"bearer": []}]}
            },
            "/profile": {"get": {"operationId": "getProfile", "security": [{"bearer": []}]}},
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from the account page.",
                }
            }
        },
    }


def urls() -> tuple[list[Any], str, str]:
    from atout.api.api import public_patterns

    patterns, app_name, namespace = ob3api.urls
    return public_patterns(patterns), app_name, namespace
