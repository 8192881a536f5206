"""Tests: fast hashing, in-memory mail, loud templates. DATABASE_URL picks PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .dev import *  # noqa: E402,F403
from .dev import TEMPLATES  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class InvalidVariable(str):
    """Make templates fail on undefined variables instead of printing nothing."""

    def __mod__(self, other: object) -> str:
        raise NameError(f"Undefined template variable: {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidVariable("%s")  # type: ignore[index]
