"""Secrets that travel in links or headers: only their SHA-256 is stored."""

import hashlib
import secrets


def new_token(prefix: str = "") -> tuple[str, str]:
    """Return ``(token, token_hash)``: give the token away, store the hash."""
    token = prefix + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
