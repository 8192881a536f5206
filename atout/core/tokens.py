"""Secrets that travel in links or headers: only their SHA-256 is stored. One-time links
(magic links, invitations) are found and used through ``find_one_time`` and ``use_once``."""

import hashlib
import secrets
from typing import Any

from django.db.models import Q
from django.utils import timezone


def new_token(prefix: str = "") -> tuple[str, str]:
    """Return ``(token, token_hash)``: give the token away, store the hash."""
    token = prefix + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkError(Exception):
    """A one-time link that cannot be used; ``reason`` is unknown, used or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def find_one_time(
    queryset: Any,
    token: str,
    *,
    used_field: str,
    error: type[LinkError],
    hash_fields: tuple[str, ...] = ("token_hash",),
) -> Any:
    """The object whose hashed token matches, if it is neither used nor expired."""
    if not token:
        raise error("unknown")
    digest = hash_token(token)
    match = Q()
    for name in hash_fields:
        match |= Q(**{name: digest})
    obj = queryset.filter(match).first()
    if obj is None:
        raise error("unknown")
    if getattr(obj, used_field) is not None:
        raise error("used")
    if obj.expires_at <= timezone.now():
        raise error("expired")
    return obj


def use_once(obj: Any, *, used_field: str, error: type[LinkError]) -> None:
    """Mark ``obj`` used; of two concurrent uses only one changes the row, the other fails."""
    updated = (
        type(obj)
        .objects.filter(pk=obj.pk, **{f"{used_field}__isnull": True})
        .update(**{used_field: timezone.now()})
    )
    if not updated:
        raise error("used")
