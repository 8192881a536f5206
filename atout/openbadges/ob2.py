"""Open Badges 2.0 hosted documents: Issuer profile, BadgeClass and Assertion.

Hosted verification: each document is served at its ``id`` URL; the assertion's origin
must be the issuer's. A revoked assertion carries ``revoked: true`` and answers HTTP 410.
"""

from typing import Any

from .ob3 import hash_identity

CONTEXT = "https://w3id.org/openbadges/v2"


def issuer_profile(*, id: str, name: str, url: str, email: str = "", description: str = "",
                   image: str = "") -> dict[str, Any]:  # fmt: skip
    profile: dict[str, Any] = {
        "@context": CONTEXT,
        "id": id,
        "type": "Issuer",
        "name": name,
        "url": url,
    }
    for key, value in (("email", email), ("description", description), ("image", image)):
        if value:
            profile[key] = value
    return profile


def badge_class(
    *,
    id: str,
    name: str,
    description: str,
    image: str,
    criteria_narrative: str,
    issuer: str,
    criteria_url: str = "",
    tags: list[str] | None = None,
    alignment: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    criteria: dict[str, Any] = {"narrative": criteria_narrative}
    if criteria_url:
        criteria["id"] = criteria_url
    data: dict[str, Any] = {
        "@context": CONTEXT, "id": id, "type": "BadgeClass", "name": name,
        "description": description, "image": image, "criteria": criteria, "issuer": issuer,
    }  # fmt: skip
    if tags:
        data["tags"] = tags
    if alignment:
        data["alignment"] = alignment
    return data


def assertion(
    *,
    id: str,
    badge: str,
    email: str,
    salt: str,
    issued_on: str,
    expires: str = "",
    evidence: list[dict[str, str]] | None = None,
    image: str = "",
    revoked: bool = False,
    revocation_reason: str = "",
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "id": id,
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hash_identity(email.strip().lower(), salt),
        },
        "badge": badge,
        "issuedOn": issued_on,
        "verification": {"type": "HostedBadge"},
    }
    if expires:
        data["expires"] = expires
    if evidence:
        data["evidence"] = evidence
    if image:
        data["image"] = image
    if revoked:
        data["revoked"] = True
        if revocation_reason:
            data["revocationReason"] = revocation_reason
    return data
