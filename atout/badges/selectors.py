import io
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg

from atout.accounts.models import User
from atout.openbadges.verify import Report
from atout.organisations.models import Membership, Organisation, Role

from .models import Award


def award_visible_to(*, award: Award, user: User | Any) -> bool:
    """The page shows when the person made it public, to the person, and to the issuing
    organisation's admins and issuers."""
    if award.public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if award.recipient_id == user.pk:
        return True
    return Membership.objects.filter(
        user=user, organisation=award.organisation, role__in=[Role.ADMIN, Role.ISSUER]
    ).exists()


def endorsing_organisations(*, user: User | Any) -> list[Organisation]:
    """Organisations where the user may sign recommendations (admins and issuers) and that
    have signing keys."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role__in=[Role.ADMIN, Role.ISSUER],
            issuer_keys__isnull=False,
        ).distinct()
    )


def linkedin_url(award: Award) -> str:
    """LinkedIn's "add to profile" link for a certification, filled in."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": award.achievement.name_fr,
        "organizationName": award.organisation.name,
        "issueYear": award.issued_at.year,
        "issueMonth": award.issued_at.month,
        "certUrl": award.file_url("ob3").removesuffix("ob3").rstrip("/") + "/",
        "certId": str(award.uid),
    }
    if award.expires_at:
        params["expirationYear"] = award.expires_at.year
        params["expirationMonth"] = award.expires_at.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def report_summary(report: Report) -> dict[str, Any]:
    """The verifier's answer: the checks in plain words and the badge's main facts."""
    credential = report.credential or {}
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    issuer = credential.get("issuer")
    failed = {c.name for c in report.checks if not c.ok}
    return {
        "valid": report.valid,
        "format": report.format,
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.message} for c in report.checks],
        "achievement": (achievement or {}).get("name") if isinstance(achievement, dict) else None,
        "issuer": issuer.get("name") if isinstance(issuer, dict) else issuer,
        "issued_on": credential.get("validFrom") or credential.get("issuedOn"),
        "revoked": "revocation" in failed
        and any("revoked" in c.message for c in report.checks if c.name == "revocation"),
        "expired": any("expired" in c.message for c in report.checks if c.name == "dates"),
    }
