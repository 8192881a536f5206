from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from atout.accounts.models import User
from atout.accounts.services import api_token_authenticate
from atout.core import ratelimit


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <personal API token>``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
            return user
        rate = settings.ATOUT_API_AUTH_RATE
        if ratelimit.is_blocked("api-auth", request, email=None, rate=rate):
            raise RateLimited
        ratelimit.record("api-auth", request, email=None, rate=rate)  # failures only
        return None


def current_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]
