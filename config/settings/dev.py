"""Development and demo: SQLite under var/, emails written to var/mail/."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
os.environ.setdefault("ATOUT_KEYS_SECRET", "dev-only-keys-secret-" + "y" * 40)
os.environ.setdefault("ATOUT_BADGE_ISSUER", "mission-locale-demo")
# Emailed links and badge ids name the port the demo is served on (PORT=9000 make run).
os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file and var/mail/ live here
os.environ.setdefault("ATOUT_CACHE_DIR", str(VAR_DIR / "cache"))  # the trained detector
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps (no collectstatic in development).
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
