from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from atout.accounts.models import User
from atout.accounts.services import api_token_authenticate
from atout.core.ratelimit import any_limited, client_ip


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <personal API token>``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(secret=token)
        if user is None and any_limited(
            "api-auth", [client_ip(request)], rate=settings.ATOUT_LOGIN_RATE
        ):
            raise RateLimited
        if user is not None:
            request.user = user
        return user


def current_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]
