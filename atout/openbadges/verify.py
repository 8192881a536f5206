"""Verify a badge from anyone: a baked PNG or SVG, an OB 3.0 credential (Data Integrity
proof), a VC-JWT, or an OB 2.0 hosted assertion. Each check says plainly what holds.

Nothing here reads a database. Keys come from the credential itself (``did:key``) or from
documents the ``Resolver`` is given or may fetch (``did:web`` documents, status lists,
hosted OB 2.0 assertions); JSON-LD contexts are the shipped ones, never fetched.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from . import jwt, ob3, proof, status
from .bake import BakeError, unbake
from .keys import BadKey, b64url_decode, did_key_document, jwk_to_public, multikey_decode
from .loader import CONTEXT_FILES, RemoteDocumentRefused

MAX_INPUT = 5 * 1024 * 1024
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey


class ResolveError(ValueError):
    """A key or document could not be found, or is not trusted."""


class Resolver:
    """Finds keys and documents: given ``documents`` first, then ``fetch(url) -> bytes`` if any."""

    def __init__(
        self,
        documents: Mapping[str, dict[str, Any]] | None = None,
        fetch: Callable[[str], bytes] | None = None,
    ) -> None:
        self.documents = dict(documents or {})
        self.fetch = fetch

    def document(self, url: str) -> dict[str, Any]:
        base = url.split("#", 1)[0]
        if base in self.documents:
            return self.documents[base]
        if base.startswith("did:key:"):
            return did_key_document(base)
        if base.startswith("did:web:"):
            target = did_web_url(base)
        elif base.startswith("https://") or base.startswith("http://"):
            target = base
        else:
            raise ResolveError(f"cannot resolve {url}")
        if self.fetch is None:
            raise ResolveError(f"{base} is not available offline")
        try:
            raw = self.fetch(target)
            document = json.loads(raw[:MAX_INPUT])
        except (OSError, ValueError) as error:
            raise ResolveError(f"could not load {target}: {error}") from error
        if not isinstance(document, dict):
            raise ResolveError(f"{target} is not a JSON object")
        self.documents[base] = document
        return document

    def method(self, method_id: str) -> dict[str, Any]:
        """The verification method ``method_id`` from its controller document."""
        controller = method_id.split("#", 1)[0]
        document = self.document(controller)
        if document.get("id") == method_id and (
            "publicKeyMultibase" in document or "publicKeyJwk" in document
        ):
            return document  # a key published at its own URL
        for method in document.get("verificationMethod", []):
            if isinstance(method, dict) and method.get("id") in {
                method_id,
                "#" + method_id.split("#")[-1],
            }:
                return {
                    **method,
                    "id": method_id,
                    "controller": method.get("controller", controller),
                }
        raise ResolveError(f"{method_id} is not published by {controller}")

    def public_key(self, method_id: str) -> PublicKey:
        method = self.method(method_id)
        try:
            if "publicKeyMultibase" in method:
                return multikey_decode(str(method["publicKeyMultibase"]))
            if "publicKeyJwk" in method:
                return jwk_to_public(method["publicKeyJwk"])
        except (BadKey, ValueError) as error:
            raise ResolveError(f"{method_id}: {error}") from error
        raise ResolveError(f"{method_id} has no public key")


def did_web_url(did: str) -> str:
    """``did:web:example.org:issuers:ml`` → ``https://example.org/issuers/ml/did.json``."""
    parts = [p.replace("%3A", ":") for p in did.removeprefix("did:web:").split(":")]
    path = "/".join(parts[1:]) or ".well-known"
    return f"https://{parts[0]}/{path}/did.json"


@dataclass
class Check:
    name: str
    ok: bool
    message: str


@dataclass
class Report:
    format: str = "unknown"
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, message: str) -> bool:
        self.checks.append(Check(name, ok, message))
        return ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "format": self.format,
            "checks": [{"check": c.name, "ok": c.ok, "message": c.message} for c in self.checks],
        }


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _issuer_id(credential: dict[str, Any]) -> str:
    return jwt.issuer_id(credential)


def _check_key_belongs_to_issuer(
    report: Report, method_id: str, credential: dict[str, Any], resolver: Resolver
) -> bool:
    issuer = _issuer_id(credential)
    controller = method_id.split("#", 1)[0]
    if controller != issuer:
        return report.add(
            "issuer", False, f"the key {method_id} does not belong to the issuer {issuer}"
        )
    try:
        document = resolver.document(controller)
    except ResolveError as error:
        return report.add("issuer", False, str(error))
    allowed = {
        m if isinstance(m, str) else m.get("id") for m in document.get("assertionMethod", [])
    }
    allowed |= {controller + m for m in list(allowed) if isinstance(m, str) and m.startswith("#")}
    if method_id not in allowed:
        return report.add("issuer", False, f"{method_id} is not one of the issuer's signing keys")
    return report.add("issuer", True, f"signed by a key of the issuer {issuer}")


def _jwt_header(token: str) -> dict[str, Any]:
    try:
        header = json.loads(b64url_decode(token.split(".")[0]))
    except (ValueError, BadKey):
        return {}
    return header if isinstance(header, dict) else {}


def _check_jwk_belongs_to_issuer(
    report: Report, key: dict[str, Any], credential: dict[str, Any], resolver: Resolver
) -> bool:
    """A key given in the token's header counts only if the issuer publishes it."""
    issuer = _issuer_id(credential)
    try:
        document = resolver.document(issuer)
        wanted = jwk_to_public(key)
        for method in document.get("verificationMethod", []):
            method_id = str(method.get("id", ""))
            full_id = issuer + method_id if method_id.startswith("#") else method_id
            if resolver.public_key(full_id) == wanted:
                return report.add("issuer", True, f"signed by a key of the issuer {issuer}")
    except (ResolveError, BadKey, ValueError) as error:
        return report.add("issuer", False, f"cannot check the key against the issuer: {error}")
    return report.add("issuer", False, f"the key in the token is not one of {issuer}'s keys")


def _check_dates(report: Report, credential: dict[str, Any], now: datetime) -> None:
    start = _parse_time(credential.get("validFrom") or credential.get("issuanceDate"))
    end = _parse_time(credential.get("validUntil") or credential.get("expirationDate"))
    if start is None:
        report.add("dates", False, "validFrom is missing or not a date")
    elif start > now:
        report.add("dates", False, f"not valid before {start.isoformat()}")
    elif end is not None and end <= now:
        report.add("dates", False, f"expired on {end.date().isoformat()}")
    else:
        until = f" until {end.date().isoformat()}" if end else ", no expiry"
        report.add("dates", True, f"valid from {start.date().isoformat()}{until}")


def _check_status(report: Report, credential: dict[str, Any], resolver: Resolver) -> None:
    entries = credential.get("credentialStatus")
    if entries is None:
        report.add("revocation", True, "the issuer published no revocation list for it")
        return
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            report.add("revocation", False, "unsupported credentialStatus type")
            continue
        if entry.get("statusPurpose") != "revocation":
            continue
        url = str(entry.get("statusListCredential", ""))
        try:
            index = int(str(entry.get("statusListIndex")))
            listing = resolver.document(url)
            signed = Report()
            if not _verify_di(listing, resolver, signed):
                failed = "; ".join(c.message for c in signed.checks if not c.ok)
                raise ResolveError(f"the status list does not verify: {failed}")
            subject = listing.get("credentialSubject", {})
            if _issuer_id(listing) != _issuer_id(credential):
                raise ResolveError("the status list is not published by the badge's issuer")
            revoked = status.is_set(status.decode(subject.get("encodedList", "")), index)
        except (ValueError, ResolveError, status.StatusError, proof.ProofError) as error:
            report.add("revocation", False, f"could not check revocation: {error}")
            continue
        report.add("revocation", not revoked, "revoked by the issuer" if revoked else "not revoked")


def _verify_di(credential: dict[str, Any], resolver: Resolver, report: Report) -> bool:
    def key_for(method_id: str) -> ed25519.Ed25519PublicKey:
        key = resolver.public_key(method_id)
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise proof.ProofError("eddsa-rdfc-2022 needs an Ed25519 key")
        return key

    try:
        used = proof.verify(credential, key_for, documents=resolver.documents)
    except RemoteDocumentRefused as error:
        return report.add("signature", False, f"{error} (remote contexts are never fetched)")
    except (proof.ProofError, ResolveError) as error:
        return report.add("signature", False, str(error))
    report.add("signature", True, "the eddsa-rdfc-2022 proof matches the document")
    return _check_key_belongs_to_issuer(
        report, str(used["verificationMethod"]), credential, resolver
    )


def _check_shape(report: Report, credential: dict[str, Any]) -> bool:
    contexts = credential.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    unknown = [c for c in contexts if isinstance(c, str) and c not in CONTEXT_FILES]
    if unknown:
        return report.add(
            "format", False, f"points at contexts we do not ship: {', '.join(unknown)}"
        )
    types = credential.get("type", [])
    if "VerifiableCredential" not in types:
        return report.add("format", False, "not a Verifiable Credential")
    report.add(
        "format",
        True,
        "Open Badges 3.0 credential"
        if "OpenBadgeCredential" in types or "AchievementCredential" in types
        else "Verifiable Credential",
    )
    return True


def _check_recipient(report: Report, credential: dict[str, Any], email: str | None) -> None:
    if email:
        ok = ob3.recipient_matches(credential, email)
        report.add("recipient", ok, f"awarded to {email}" if ok else f"not awarded to {email}")


def verify_ob3(credential: dict[str, Any], *, email: str | None = None, now: datetime | None = None,
               resolver: Resolver | None = None) -> Report:  # fmt: skip
    resolver = resolver or Resolver()
    report = Report(format="ob3", credential=credential)
    if _check_shape(report, credential) and _verify_di(credential, resolver, report):
        _check_dates(report, credential, now or datetime.now(UTC))
        _check_status(report, credential, resolver)
        _check_recipient(report, credential, email)
    return report


def verify_jwt(
    token: str,
    *,
    email: str | None = None,
    now: datetime | None = None,
    resolver: Resolver | None = None,
) -> Report:
    resolver = resolver or Resolver()
    report = Report(format="vc-jwt")
    kids: list[str] = []
    embedded: list[dict[str, Any]] = []

    def key_for(kid: str | None, alg: str) -> PublicKey:
        if kid:
            kids.append(kid)
            return resolver.public_key(kid)
        header_jwk = _jwt_header(token).get("jwk")
        if isinstance(header_jwk, dict):  # OB 3.0 allows the key in the header
            embedded.append(header_jwk)
            try:
                return jwk_to_public(header_jwk)
            except (BadKey, ValueError) as error:
                raise jwt.JWTError(f"the header's jwk is not a usable key: {error}") from error
        raise jwt.JWTError("the token names no key (kid or jwk)")

    try:
        header, credential = jwt.decode(token, key_for)
    except (jwt.JWTError, ResolveError) as error:
        report.add("signature", False, str(error))
        return report
    report.credential = credential
    report.add("signature", True, f"the {header['alg']} signature matches the token")
    if not _check_shape(report, credential):
        return report
    if kids:
        bound = _check_key_belongs_to_issuer(report, kids[0], credential, resolver)
    else:
        bound = _check_jwk_belongs_to_issuer(report, embedded[0], credential, resolver)
    if bound:
        _check_dates(report, credential, now or datetime.now(UTC))
        _check_status(report, credential, resolver)
        _check_recipient(report, credential, email)
    return report


def verify_ob2(assertion: dict[str, Any], *, email: str | None = None, now: datetime | None = None,
               resolver: Resolver | None = None) -> Report:  # fmt: skip
    """Hosted verification: the assertion, its BadgeClass and Issuer are loaded from their URLs."""
    resolver = resolver or Resolver()
    report = Report(format="ob2", credential=assertion)
    assertion_id = str(assertion.get("id", ""))
    try:
        hosted = resolver.document(assertion_id)
        badge = hosted.get("badge")
        badge_class = badge if isinstance(badge, dict) else resolver.document(str(badge))
        issuer_ref = badge_class.get("issuer")
        issuer = issuer_ref if isinstance(issuer_ref, dict) else resolver.document(str(issuer_ref))
    except ResolveError as error:
        report.add("hosting", False, f"the hosted assertion could not be loaded: {error}")
        return report
    if hosted.get("revoked") is True:
        reason = hosted.get("revocationReason") or "no reason given"
        report.add("revocation", False, f"revoked by the issuer ({reason})")
        return report
    if hosted != assertion:
        report.add("hosting", False, "the assertion differs from the one the issuer hosts")
        return report
    same_origin = urlsplit(assertion_id).netloc == urlsplit(str(issuer.get("id", ""))).netloc
    report.add(
        "hosting",
        same_origin,
        "hosted by the issuer"
        if same_origin
        else "the assertion is not hosted on the issuer's domain",
    )
    report.add("revocation", True, "not revoked")
    issued = _parse_time(hosted.get("issuedOn"))
    expires = _parse_time(hosted.get("expires"))
    current = now or datetime.now(UTC)
    if issued is None:
        report.add("dates", False, "issuedOn is missing or not a date")
    elif expires is not None and expires <= current:
        report.add("dates", False, f"expired on {expires.date().isoformat()}")
    else:
        report.add("dates", True, f"issued on {issued.date().isoformat()}")
    if email:
        recipient = hosted.get("recipient", {})
        salt = str(recipient.get("salt", ""))
        identity = str(recipient.get("identity", ""))
        ok = (
            identity
            in {
                ob3.hash_identity(email.strip().lower(), salt),
                ob3.hash_identity(email.strip(), salt),
            }
            if recipient.get("hashed")
            else identity.lower() == email.strip().lower()
        )
        report.add("recipient", ok, f"awarded to {email}" if ok else f"not awarded to {email}")
    return report


def verify(
    data: bytes | str | dict[str, Any],
    *,
    email: str | None = None,
    now: datetime | None = None,
    resolver: Resolver | None = None,
) -> Report:
    """Verify whatever was given: image bytes, JSON text or object, a JWS, or a URL."""
    resolver = resolver or Resolver()
    if isinstance(data, bytes):
        if len(data) > MAX_INPUT:
            return _refused("the file is larger than 5 MB")
        stripped = data.lstrip()
        if stripped[:1] in {b"{"} or stripped.startswith(b"ey"):
            data = stripped.decode("utf-8", "replace")
        else:
            try:
                _version, payload = unbake(data)
            except BakeError as error:
                return _refused(str(error))
            data = payload
    if isinstance(data, str):
        text = data.strip()
        if len(text) > MAX_INPUT:
            return _refused("the input is larger than 5 MB")
        if jwt.looks_like_jws(text):
            return verify_jwt(text, email=email, now=now, resolver=resolver)
        if text.startswith("https://") or text.startswith("http://"):
            try:
                data = resolver.document(text)
            except ResolveError as error:
                return _refused(str(error))
        else:
            try:
                data = json.loads(text)
            except ValueError:
                return _refused("not JSON, a JWT, a URL or a badge image")
    if not isinstance(data, dict):
        return _refused("expected a JSON object")
    contexts = data.get("@context")
    if contexts == OB2_CONTEXT or data.get("type") == "Assertion":
        return verify_ob2(data, email=email, now=now, resolver=resolver)
    return verify_ob3(data, email=email, now=now, resolver=resolver)


def _refused(message: str) -> Report:
    report = Report()
    report.add("format", False, message)
    return report
