"""An offline JSON-LD document loader: shipped contexts, ``did:key`` documents, and documents
the caller hands over (a status list, a ``did:web`` document). Every other URL is refused.
"""

import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .keys import did_key_document

CONTEXTS_DIR = Path(__file__).parent / "contexts"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.json",
    "https://w3id.org/security/multikey/v1": "multikey-v1.json",
}
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class RemoteDocumentRefused(ValueError):
    """A document pointed at a URL that we do not ship: we never fetch it."""


@cache
def context(url: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((CONTEXTS_DIR / CONTEXT_FILES[url]).read_text())
    return document


def make_loader(
    documents: Mapping[str, dict[str, Any]] | None = None,
) -> Callable[[str, Any], dict[str, Any]]:
    """A pyld document loader. ``documents`` maps extra URLs (without fragment) to documents."""
    extra = dict(documents or {})

    def load(url: str, options: Any = None) -> dict[str, Any]:
        base = url.split("#", 1)[0]
        if base in CONTEXT_FILES:
            document = context(base)
        elif base in extra:
            document = extra[base]
        elif base.startswith("did:key:"):
            document = did_key_document(base)
        else:
            raise RemoteDocumentRefused(f"refused to load {url}: not a shipped context")
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load
