"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC Data Integrity EdDSA).

Both the proof options (with the document's ``@context``) and the document without its
proof are canonicalised with RDFC-1.0 (URDNA2015); Ed25519 signs
``sha256(options) ‖ sha256(document)``; the signature is base58btc with a ``z`` prefix.
Expansion runs in "safe mode": a property the contexts do not define fails the proof
instead of being silently left out of what is signed.
"""

import copy
import hashlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519
from pyld import jsonld

from .keys import BadKey, SigningKey, b58decode, b58encode
from .loader import RemoteDocumentRefused, make_loader

CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """The proof is missing, malformed or does not match; the message says which."""


def _dropped(term: Any) -> None:
    raise ProofError(f"the property {term!r} is not defined by the document's contexts")


def canonicalize(document: dict[str, Any], loader: Callable[[str, Any], dict[str, Any]]) -> str:
    options = {"documentLoader": loader}
    try:
        expanded = jsonld.expand(document, options, on_property_dropped=_dropped)
        return str(
            jsonld.normalize(
                expanded,
                {"algorithm": "URDNA2015", "format": "application/n-quads", **options},
            )
        )
    except jsonld.JsonLdError as error:
        cause = error
        while cause is not None:
            if isinstance(cause, RemoteDocumentRefused | ProofError):
                raise type(cause)(str(cause)) from error
            cause = getattr(cause, "cause", None) or cause.__cause__
        raise ProofError(f"not valid JSON-LD: {error}") from error


def _hash_data(
    document: dict[str, Any],
    options: dict[str, Any],
    loader: Callable[[str, Any], dict[str, Any]],
) -> bytes:
    config = {**options, "@context": document["@context"]}
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    return (
        hashlib.sha256(canonicalize(config, loader).encode()).digest()
        + hashlib.sha256(canonicalize(unsigned, loader).encode()).digest()
    )


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign(
    document: dict[str, Any],
    key: SigningKey,
    *,
    created: str | None = None,
    purpose: str = "assertionMethod",
    documents: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A copy of ``document`` with an ``eddsa-rdfc-2022`` DataIntegrityProof added."""
    if not isinstance(key.private, ed25519.Ed25519PrivateKey):
        raise BadKey("eddsa-rdfc-2022 needs an Ed25519 key")
    if "proof" in document:
        raise ProofError("the document already holds a proof")
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created or now_utc(),
        "verificationMethod": key.key_id,
        "proofPurpose": purpose,
    }
    data = _hash_data(document, options, make_loader(documents))
    signed = copy.deepcopy(document)
    signed["proof"] = {**options, "proofValue": "z" + b58encode(key.sign(data))}
    return signed


def verify(
    document: dict[str, Any],
    public_key_for: Callable[[str], ed25519.Ed25519PublicKey],
    *,
    purpose: str = "assertionMethod",
    documents: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Check the document's one ``eddsa-rdfc-2022`` proof; returns the proof, or raises.

    ``public_key_for(verification_method)`` returns the Ed25519 key a verification method
    names (and raises when it cannot, e.g. an unknown or untrusted key).
    """
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("expected exactly one proof")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("no proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"unsupported proof {proof.get('type')!r}/{proof.get('cryptosuite')!r}"
            f" (expected DataIntegrityProof/{CRYPTOSUITE})"
        )
    if proof.get("proofPurpose") != purpose:
        raise ProofError(f"proof purpose is {proof.get('proofPurpose')!r}, not {purpose!r}")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue must be base58btc ('z…')")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        raise ProofError("no verificationMethod")
    public = public_key_for(method)
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options.pop("@context", None)
    data = _hash_data(document, options, make_loader(documents))
    try:
        public.verify(b58decode(value[1:]), data)
    except BadKey as error:
        raise ProofError("the proofValue is not base58btc") from error
    except InvalidSignature as error:
        raise ProofError("the signature does not match the document") from error
    return proof
