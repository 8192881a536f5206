"""Fixed-window rate limits kept in Django's cache (shared between app servers in production)."""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, subject: str) -> str:
    digest = hashlib.sha256(subject.lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def is_limited(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one attempt for ``subject`` and say whether it went over ``limit`` per ``window`` s."""
    key = _key(scope, subject)
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return False
    return count > limit


def any_limited(scope: str, subjects: list[str], *, rate: tuple[int, int]) -> bool:
    limit, window = rate
    # Count every subject (no short-circuit) so each key keeps an honest tally.
    results = [is_limited(scope, s, limit=limit, window=window) for s in subjects if s]
    return any(results)
