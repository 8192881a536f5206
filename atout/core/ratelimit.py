"""Fixed-window rate limits kept in Django's cache (shared between app servers in production).

Each rule counts per email and per client address. An address gets ``IP_FACTOR`` times
the room of one email: a workshop room or a school shares one address between many people.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

IP_FACTOR = 5


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(scope: str, request: HttpRequest, email: str | None) -> list[tuple[str, int]]:
    subjects = [(f"ip:{client_ip(request)}", IP_FACTOR if email is not None else 1)]
    if email:
        subjects.append((f"email:{email.strip().lower()}", 1))
    return [
        (f"ratelimit:{scope}:{hashlib.sha256(s.encode()).hexdigest()[:32]}", factor)
        for s, factor in subjects
    ]


def is_blocked(
    scope: str, request: HttpRequest, *, email: str | None, rate: tuple[int, int]
) -> bool:
    """Whether this address or email already used up ``rate`` = (attempts, seconds)."""
    limit, _window = rate
    return any(cache.get(key, 0) >= limit * factor for key, factor in _keys(scope, request, email))


def record(scope: str, request: HttpRequest, *, email: str | None, rate: tuple[int, int]) -> None:
    """Count one attempt for this address and email."""
    _limit, window = rate
    for key, _factor in _keys(scope, request, email):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)
