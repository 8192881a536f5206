"""VC-JWT as Open Badges 3.0 uses it: the credential's claims are the JWT payload, plus
``iss`` (issuer id), ``jti`` (credential id), ``sub`` (subject id), ``nbf`` (validFrom) and
``exp`` (validUntil). Algorithms: EdDSA (Ed25519) and RS256.
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from .keys import SigningKey, b64url, b64url_decode, verify_signature

ALGORITHMS = {"EdDSA": ed25519.Ed25519PublicKey, "RS256": rsa.RSAPublicKey}
MAX_JWT = 1024 * 1024


class JWTError(ValueError):
    """The token is malformed or its signature does not hold."""


def _timestamp(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    return str(issuer.get("id") if isinstance(issuer, dict) else issuer)


def encode(credential: dict[str, Any], key: SigningKey) -> str:
    """The credential as a compact JWS signed by ``key`` (``kid`` = its verification method)."""
    header = {"alg": key.algorithm, "typ": "JWT", "kid": key.key_id}
    subject = credential.get("credentialSubject", {})
    claims: dict[str, Any] = {
        **credential,
        "iss": issuer_id(credential),
        "jti": credential.get("id"),
        "nbf": _timestamp(credential.get("validFrom")),
    }
    if isinstance(subject, dict) and subject.get("id"):
        claims["sub"] = subject["id"]
    if credential.get("validUntil"):
        claims["exp"] = _timestamp(credential["validUntil"])
    claims = {k: v for k, v in claims.items() if v is not None}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    )
    return signing_input + "." + b64url(key.sign(signing_input.encode()))


def looks_like_jws(text: str) -> bool:
    parts = text.strip().split(".")
    return len(parts) == 3 and all(parts[:2]) and "{" not in text


def decode(
    token: str, public_key_for: Callable[[str | None, str], ed25519.Ed25519PublicKey | Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(header, credential)`` when the signature holds; ``public_key_for(kid, alg)`` finds keys.

    The credential is the payload without the JWT registered claims; ``iss`` must equal the
    credential's issuer and ``jti`` its id when both are present.
    """
    token = token.strip()
    if len(token) > MAX_JWT:
        raise JWTError("the token is too large")
    if not looks_like_jws(token):
        raise JWTError("not a compact JWS (three base64url parts)")
    head_b64, body_b64, sig_b64 = token.split(".")
    try:
        header = json.loads(b64url_decode(head_b64))
        payload = json.loads(b64url_decode(body_b64))
        signature = b64url_decode(sig_b64)
    except ValueError as error:
        raise JWTError("the token's parts are not base64url JSON") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JWTError("the token's header and payload must be JSON objects")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise JWTError(f"algorithm {alg!r} is not accepted (EdDSA or RS256)")
    public = public_key_for(header.get("kid"), alg)
    if not isinstance(public, ALGORITHMS[alg]) or not isinstance(
        public, ed25519.Ed25519PublicKey | rsa.RSAPublicKey
    ):
        raise JWTError(f"the key does not match the algorithm {alg}")
    if not verify_signature(public, signature, f"{head_b64}.{body_b64}".encode()):
        raise JWTError("the signature does not match the token")
    vc = payload.get("vc")
    source: dict[str, Any] = vc if isinstance(vc, dict) else payload
    credential = {
        k: v for k, v in source.items() if k not in {"iss", "jti", "sub", "nbf", "exp", "iat"}
    }
    if "iss" in payload and payload["iss"] != issuer_id(credential):
        raise JWTError("the token's iss is not the credential's issuer")
    if "jti" in payload and credential.get("id") and payload["jti"] != credential["id"]:
        raise JWTError("the token's jti is not the credential's id")
    return header, credential
