"""Where the site's verifier finds keys and documents: our own from the database (no HTTP to
ourselves), anyone else's over HTTPS, with size and address limits."""

import ipaddress
import json
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from atout.openbadges.verify import ResolveError, Resolver

MAX_FETCH = 1024 * 1024
TIMEOUT = 5


def _own_document(url: str) -> dict[str, Any] | None:
    """A document this site publishes (did:web always says https, even on a dev server)."""
    parts = urlsplit(url)
    if parts.netloc != urlsplit(settings.SITE_URL).netloc or not parts.path.startswith("/"):
        return None
    path = parts.path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    from . import documents

    builder = documents.BUILDERS.get(match.url_name or "")
    if builder is None:
        return None
    return builder(**match.kwargs)


def _public_address(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to a private address after the check: follow none."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        raise ResolveError(f"{req.full_url} redirects to {newurl}: not followed")


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> bytes:
    """Our own documents from the database; others over HTTPS from public addresses only."""
    own = _own_document(url)
    if own is not None:
        return json.dumps(own).encode()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ResolveError(f"only https:// addresses are fetched, not {url}")
    if not _public_address(parts.hostname):
        raise ResolveError(f"{parts.hostname} is not a public address")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            if response.status == 410:
                raise ResolveError(f"{url} answers 410 Gone")
            return bytes(response.read(MAX_FETCH + 1)[:MAX_FETCH])
    except OSError as error:
        raise ResolveError(f"could not load {url}: {error}") from error


def site_resolver() -> Resolver:
    return Resolver(fetch=fetch)
