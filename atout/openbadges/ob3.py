"""Open Badges 3.0 documents: issuer profile, achievement, OpenBadgeCredential,
EndorsementCredential. Plain dicts out, ready to be signed (``proof.sign`` or ``jwt.encode``).
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from .loader import OB_V3, VC_V2

CONTEXT = [VC_V2, OB_V3]


@dataclass(frozen=True)
class Issuer:
    id: str  # a did:web or did:key, controller of the signing keys
    name: str
    url: str = ""
    email: str = ""
    description: str = ""
    image: str = ""

    def profile(self) -> dict[str, Any]:
        profile: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        for key in ("url", "email", "description"):
            if getattr(self, key):
                profile[key] = getattr(self, key)
        if self.image:
            profile["image"] = {"id": self.image, "type": "Image"}
        return profile


@dataclass(frozen=True)
class Alignment:
    target_name: str
    target_url: str
    target_type: str = ""  # e.g. "ceterms:Competency", "CFItem"
    target_framework: str = ""
    target_code: str = ""
    target_description: str = ""

    def as_ob3(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": self.target_name,
            "targetUrl": self.target_url,
        }
        for attr, key in (
            ("target_type", "targetType"),
            ("target_framework", "targetFramework"),
            ("target_code", "targetCode"),
            ("target_description", "targetDescription"),
        ):
            if getattr(self, attr):
                data[key] = getattr(self, attr)
        return data


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    criteria: str  # narrative (Markdown allowed)
    criteria_url: str = ""
    image: str = ""
    achievement_type: str = "Competency"
    tags: tuple[str, ...] = ()
    alignments: tuple[Alignment, ...] = ()
    creator: Issuer | None = None
    in_language: str = "fr"

    def as_ob3(self) -> dict[str, Any]:
        criteria: dict[str, Any] = {"narrative": self.criteria}
        if self.criteria_url:
            criteria["id"] = self.criteria_url
        data: dict[str, Any] = {
            "id": self.id,
            "type": ["Achievement"],
            "achievementType": self.achievement_type,
            "name": self.name,
            "description": self.description,
            "criteria": criteria,
            "inLanguage": self.in_language,
        }
        if self.image:
            data["image"] = {"id": self.image, "type": "Image"}
        if self.tags:
            data["tag"] = list(self.tags)
        if self.alignments:
            data["alignment"] = [a.as_ob3() for a in self.alignments]
        if self.creator is not None:
            data["creator"] = self.creator.profile()
        return data


@dataclass(frozen=True)
class Evidence:
    narrative: str = ""
    url: str = ""
    name: str = ""

    def as_ob3(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": ["Evidence"]}
        if self.url:
            data["id"] = self.url
        if self.name:
            data["name"] = self.name
        if self.narrative:
            data["narrative"] = self.narrative
        return data


def hash_identity(identity: str, salt: str) -> str:
    """``sha256$`` + hex(sha256(identity + salt)), as both OB 2.0 and OB 3.0 write it."""
    return "sha256$" + hashlib.sha256((identity + salt).encode()).hexdigest()


def email_identifier(email: str, salt: str | None = None) -> dict[str, Any]:
    salt = salt if salt is not None else secrets.token_hex(16)
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": hash_identity(email.strip().lower(), salt),
        "salt": salt,
    }


@dataclass
class Award:
    """One achievement awarded to one person."""

    issuer: Issuer
    achievement: Achievement
    recipient_email: str
    valid_from: str  # ISO 8601 UTC, "…Z"
    id: str = field(default_factory=lambda: f"urn:uuid:{uuid.uuid4()}")
    valid_until: str = ""
    name: str = ""
    salt: str | None = None
    evidence: tuple[Evidence, ...] = ()
    status: dict[str, Any] | None = None  # a BitstringStatusListEntry
    image: str = ""
    endorsements: tuple[dict[str, Any], ...] = ()

    def credential(self) -> dict[str, Any]:
        credential: dict[str, Any] = {
            "@context": list(CONTEXT),
            "id": self.id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": self.issuer.profile(),
            "validFrom": self.valid_from,
            "awardedDate": self.valid_from,
            "name": self.name or self.achievement.name,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [email_identifier(self.recipient_email, self.salt)],
                "achievement": self.achievement.as_ob3(),
            },
        }
        if self.valid_until:
            credential["validUntil"] = self.valid_until
        if self.image:
            credential["image"] = {"id": self.image, "type": "Image"}
        if self.evidence:
            credential["evidence"] = [e.as_ob3() for e in self.evidence]
        if self.status is not None:
            credential["credentialStatus"] = self.status
        if self.endorsements:
            credential["endorsement"] = list(self.endorsements)
        return credential


def endorsement(
    *,
    endorser: Issuer,
    subject_id: str,
    comment: str,
    valid_from: str,
    id: str | None = None,
    name: str = "",
) -> dict[str, Any]:
    """An EndorsementCredential: ``endorser`` vouches for the achievement, award or issuer
    whose id is ``subject_id``."""
    return {
        "@context": list(CONTEXT),
        "id": id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": endorser.profile(),
        "validFrom": valid_from,
        "name": name or f"Endorsement by {endorser.name}",
        "credentialSubject": {
            "id": subject_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
    }


def recipient_matches(credential: dict[str, Any], email: str) -> bool:
    """Whether one of the subject's hashed (or plain) email identifiers is ``email``."""
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        return False
    wanted = email.strip().lower()
    for identifier in subject.get("identifier") or []:
        if not isinstance(identifier, dict) or identifier.get("identityType") != "emailAddress":
            continue
        value = str(identifier.get("identityHash", ""))
        if identifier.get("hashed"):
            salt = str(identifier.get("salt", ""))
            if value.lower() in {hash_identity(wanted, salt), hash_identity(email.strip(), salt)}:
                return True
        elif value.strip().lower() == wanted:
            return True
    return False
