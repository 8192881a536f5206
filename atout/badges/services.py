"""Everything that changes badges: issuer keys, definitions, awards, revocation."""

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from atout.accounts.models import User
from atout.core.errors import InputError
from atout.core.services import log_action
from atout.openbadges import bake, jwt, keys, ob2, ob3, proof, status
from atout.organisations.models import Organisation
from atout.referentiel.models import Level, Skill

from . import images
from .models import (
    Achievement,
    Award,
    Collection,
    Endorsement,
    EvidenceFile,
    ImportedBadge,
    IssuerKey,
    StatusList,
)


class KeysMissing(InputError):
    def __init__(self, organisation: Organisation) -> None:
        super().__init__(
            "no_keys",
            f"{organisation.name} has no signing key: run `atout issuer keys create "
            f"{organisation.slug}`.",
            409,
        )


def _secret() -> bytes:
    secret = settings.ATOUT_KEYS_SECRET
    if not secret:
        raise InputError(
            "no_keys_secret", "Set ATOUT_KEYS_SECRET to sign badges (see the README).", 500
        )
    return secret.encode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _host_for_did() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).netloc.replace(":", "%3A")


def issuer_did(organisation: Organisation) -> str:
    return f"did:web:{_host_for_did()}:issuers:{organisation.slug}"


def issuer_profile(organisation: Organisation) -> ob3.Issuer:
    return ob3.Issuer(
        id=issuer_did(organisation),
        name=organisation.name,
        url=organisation.url or settings.SITE_URL,
        email=organisation.email,
    )


def did_document(organisation: Organisation) -> dict[str, Any]:
    """The issuer's did:web document: every key, retired ones included."""
    did = issuer_did(organisation)
    methods = []
    for key in organisation.issuer_keys.all():
        method: dict[str, Any] = {
            "id": f"{did}#{key.fragment}",
            "controller": did,
        }
        if key.kind == IssuerKey.Kind.ED25519:
            method |= {"type": "Multikey", "publicKeyMultibase": key.public_multibase}
        else:
            method |= {"type": "JsonWebKey", "publicKeyJwk": key.public_jwk}
        methods.append(method)
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
            "https://w3id.org/security/jwk/v1",
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


@transaction.atomic
def issuer_keys_create(*, organisation: Organisation, actor: User | None = None) -> list[IssuerKey]:
    """A new Ed25519 key and a new RSA key; older keys are retired (still published)."""
    secret = _secret()
    now = timezone.now()
    organisation.issuer_keys.filter(retired_at__isnull=True).update(retired_at=now)
    number = organisation.issuer_keys.count() + 1
    created = []
    for kind, private in (
        (IssuerKey.Kind.ED25519, keys.new_ed25519()),
        (IssuerKey.Kind.RSA, keys.new_rsa()),
    ):
        public = private.public_key()
        created.append(
            IssuerKey.objects.create(
                organisation=organisation,
                kind=kind,
                fragment=f"{kind}-{number}",
                private_pem=keys.private_to_pem(private, secret),
                public_jwk=keys.public_jwk(public),
                public_multibase=keys.multikey_encode(public)
                if isinstance(public, ed25519.Ed25519PublicKey)
                else "",
            )
        )
    log_action(
        action="issuer.keys_created",
        obj=organisation,
        actor=actor,
        organisation=organisation,
        data={"keys": [k.fragment for k in created]},
    )
    return created


@lru_cache(maxsize=64)
def _decrypt(pem: str, secret: bytes) -> Any:
    """Decrypting a PEM is slow on purpose (key stretching): once per key and process."""
    return keys.private_from_pem(pem, secret)


def _signing_key(organisation: Organisation, kind: str) -> keys.SigningKey:
    key = organisation.issuer_keys.filter(kind=kind, retired_at__isnull=True).last()
    if key is None:
        raise KeysMissing(organisation)
    private = _decrypt(key.private_pem, _secret())
    return keys.SigningKey(private, f"{issuer_did(organisation)}#{key.fragment}")


def achievement_for_level(*, skill: Skill, level: int) -> Achievement:
    """The référentiel's badge for one skill at one level (created on first use)."""
    code = f"{skill.code}-{level}"
    existing = Achievement.objects.filter(organisation__isnull=True, code=code).first()
    if existing is not None:
        return existing
    level_row = Level.objects.get(framework=skill.framework, number=level)
    texts = {}
    for lang in ("fr", "en"):
        with override(lang):
            texts[lang] = {
                "name": f"{skill.tr('label')} — {level_row.tr('label')}",
                "description": f"{skill.tr('definition')} {level_row.tr('description')}",
            }
    return Achievement.objects.create(
        code=code,
        skill=skill,
        level=level,
        name_fr=texts["fr"]["name"],
        name_en=texts["en"]["name"],
        description_fr=texts["fr"]["description"],
        description_en=texts["en"]["description"],
        criteria_fr=(
            f"Niveau « {level_row.label_fr} » décidé par les règles d'évaluation d'atout : "
            "réponses de la personne et de référents qui l'ont vue agir."
        ),
        criteria_en=(
            f'Level "{level_row.label_en}" decided by atout\'s assessment rules: answers '
            "from the person and from referents who saw them act."
        ),
        tags=["soft skill", skill.code],
    )


def _achievement_ob3(achievement: Achievement, organisation: Organisation) -> ob3.Achievement:
    alignments: list[ob3.Alignment] = []
    skill = achievement.skill
    if skill is not None:
        alignments.append(
            ob3.Alignment(
                target_name=skill.label_fr,
                target_url=settings.SITE_URL + skill.get_absolute_url(),
                target_type="CFItem",
                target_framework="atout",
                target_code=skill.code,
            )
        )
        for esco in skill.esco:
            alignments.append(
                ob3.Alignment(esco.get("label", ""), esco["uri"], "ceasn:Competency", "ESCO")
            )
        for rome in skill.rome_savoir_etre:
            alignments.append(
                ob3.Alignment(
                    rome.get("label", ""),
                    f"https://www.francetravail.fr/rome/savoir-etre/{rome['code_ogr']}",
                    "ceterms:Competency",
                    "ROME 4.0",
                    str(rome["code_ogr"]),
                )
            )
    return ob3.Achievement(
        id=achievement.url(),
        name=achievement.name_fr,
        description=achievement.description_fr,
        criteria=achievement.criteria_fr,
        criteria_url=settings.SITE_URL + skill.get_absolute_url() if skill else "",
        image=settings.SITE_URL + reverse("badges:achievement_image", args=[achievement.uid]),
        tags=tuple(achievement.tags),
        alignments=tuple(alignments),
    )


def _status_slot(organisation: Organisation) -> tuple[StatusList, int]:
    listing = (
        StatusList.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("-number")
        .first()
    )
    if listing is None or listing.next_index >= listing.size:
        number = (listing.number + 1) if listing else 1
        listing = StatusList.objects.create(organisation=organisation, number=number)
    index = listing.next_index
    listing.next_index += 1
    listing.save(update_fields=["next_index", "updated_at"])
    return listing, index


def status_list_sign(*, listing: StatusList) -> dict[str, Any]:
    """Re-sign the list with its current revoked indices (after a revocation)."""
    organisation = listing.organisation
    revoked = set(
        listing.awards.filter(revoked_at__isnull=False).values_list("status_index", flat=True)
    )
    body = status.list_credential(
        list_url=listing.url(),
        issuer=issuer_profile(organisation).profile(),
        valid_from=_iso(timezone.now()),
        revoked=revoked,
        size=listing.size,
    )
    listing.credential = proof.sign(body, _signing_key(organisation, IssuerKey.Kind.ED25519))
    listing.save(update_fields=["credential", "updated_at"])
    return listing.credential


def _signed_endorsement(
    organisation: Organisation, subject_id: str, comment: str
) -> dict[str, Any]:
    body = ob3.endorsement(
        endorser=issuer_profile(organisation),
        subject_id=subject_id,
        comment=comment,
        valid_from=_iso(timezone.now()),
        name=f"Recommandation de {organisation.name}",
    )
    return proof.sign(body, _signing_key(organisation, IssuerKey.Kind.ED25519))


@transaction.atomic
def endorsement_create(
    *, organisation: Organisation, achievement: Achievement, comment: str, actor: User | None = None
) -> Endorsement:
    """The organisation vouches for a badge definition (signed with its key)."""
    comment = " ".join(comment.split())
    if not comment:
        raise InputError(
            "comment_missing", _("Écris en une phrase pourquoi tu recommandes ce badge.")
        )
    if len(comment) > 1000:
        raise InputError("comment_too_long", _("1 000 caractères au plus."))
    if achievement.endorsements.filter(organisation=organisation).exists():
        raise InputError("already_endorsed", _("Ton organisation recommande déjà ce badge."), 409)
    endorsement = Endorsement.objects.create(
        organisation=organisation,
        achievement=achievement,
        comment=comment,
        credential=_signed_endorsement(organisation, achievement.url(), comment),
        created_by=actor,
    )
    log_action(
        action="badge.endorsed",
        obj=achievement,
        actor=actor,
        organisation=organisation,
        data={"endorsement": str(endorsement.uid)},
    )
    return endorsement


@dataclass(frozen=True)
class EvidenceIn:
    narrative: str = ""
    url: str = ""
    name: str = ""


@transaction.atomic
def award_issue(
    *,
    achievement: Achievement,
    organisation: Organisation,
    email: str,
    recipient: User | None = None,
    evidence: list[EvidenceIn] | None = None,
    issued_by: User | None = None,
    assessment: Any = None,
    endorsements: list[str] | None = None,
    files: list[Any] | None = None,
) -> Award:
    """Sign the award in every form (OB 3.0 Data Integrity and VC-JWT, OB 2.0), bake the
    images and store them as issued."""
    email = email.strip().lower()
    evidence = [
        *(evidence or []),
        *(EvidenceIn(narrative=f.name, url=f.url(), name=f.name) for f in files or []),
    ]
    ed_key = _signing_key(organisation, IssuerKey.Kind.ED25519)
    rsa_key = _signing_key(organisation, IssuerKey.Kind.RSA)
    listing, index = _status_slot(organisation)
    if not listing.credential:
        status_list_sign(listing=listing)
    issued_at = timezone.now().replace(microsecond=0)
    expires_at = (
        issued_at + timedelta(days=round(30.44 * achievement.valid_months))
        if achievement.valid_months
        else None
    )
    award = Award(
        achievement=achievement,
        organisation=organisation,
        recipient=recipient,
        recipient_email=email,
        assessment=assessment,
        issued_by=issued_by,
        issued_at=issued_at,
        expires_at=expires_at,
        status_list=listing,
        status_index=index,
        evidence=[e.__dict__ for e in evidence],
    )
    salt = secrets.token_hex(16)
    attested = [
        _signed_endorsement(organisation, f"urn:uuid:{award.uid}", comment)
        for comment in endorsements or []
    ]
    document = ob3.Award(
        id=f"urn:uuid:{award.uid}",
        issuer=issuer_profile(organisation),
        achievement=_achievement_ob3(achievement, organisation),
        recipient_email=email,
        valid_from=_iso(issued_at),
        valid_until=_iso(expires_at) if expires_at else "",
        salt=salt,
        evidence=tuple(ob3.Evidence(e.narrative, e.url, e.name) for e in evidence),
        status=status.entry(listing.url(), index),
        image=award.file_url("png"),
        endorsements=tuple(attested),
    ).credential()
    signed = proof.sign(document, ed_key)
    award.ob3_json = json.dumps(signed, ensure_ascii=False, indent=2)
    award.ob3_jwt = jwt.encode(document, rsa_key)
    award.ob3_jwt_eddsa = jwt.encode(document, ed_key)
    assertion = ob2.assertion(
        id=award.file_url("ob2"),
        badge=settings.SITE_URL
        + reverse("badges:badge_class", args=[achievement.uid, organisation.slug]),
        email=email,
        salt=salt,
        issued_on=_iso(issued_at),
        expires=_iso(expires_at) if expires_at else "",
        evidence=[
            {"narrative": e.narrative} | ({"id": e.url} if e.url else {}) for e in evidence or []
        ],
        image=award.file_url("ob2-png"),
    )
    award.ob2_json = json.dumps(assertion, ensure_ascii=False, indent=2)
    art_png, art_svg = achievement_art(achievement)
    award.png = bake.bake_png(art_png, award.ob3_json, version=bake.OB3)
    award.svg = bake.bake_svg(art_svg, award.ob3_json, version=bake.OB3)
    award.save()
    for file in files or []:
        file.awards.add(award)
    Endorsement.objects.bulk_create(
        Endorsement(
            organisation=organisation,
            award=award,
            comment=credential["credentialSubject"]["endorsementComment"],
            credential=credential,
        )
        for credential in attested
    )
    log_action(
        action="badge.awarded",
        obj=award,
        actor=issued_by,
        organisation=organisation,
        data={"achievement": achievement.code, "award": str(award.uid)},
    )
    return award


def achievement_art(achievement: Achievement) -> tuple[bytes, str]:
    """(PNG, SVG) images of a badge: the organisation's uploaded one where there is one
    (already checked and re-encoded), else generated from its name and level."""
    key = achievement.skill.code if achievement.skill else achievement.code
    png = images.badge_png(achievement.name_fr, achievement.level, key)
    svg = images.badge_svg(achievement.name_fr, achievement.level, key)
    if achievement.image:
        if achievement.image_type == "image/png":
            png = bytes(achievement.image)
        elif achievement.image_type == "image/svg+xml":
            svg = bytes(achievement.image).decode()
    return png, svg


def ob2_png(award: Award) -> bytes:
    """The OB 2.0 baked PNG (hosted assertion JSON), made from the stored assertion."""
    return bake.bake_png(achievement_art(award.achievement)[0], award.ob2_json, version=bake.OB2)


@transaction.atomic
def award_revoke(*, award: Award, reason: str, actor: User | None = None) -> Award:
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise InputError("reason_missing", _("Indique la raison du retrait."))
    if award.revoked:
        raise InputError("already_revoked", _("Ce badge est déjà retiré."), 409)
    award.revoked_at = timezone.now()
    award.revocation_reason = reason
    award.save(update_fields=["revoked_at", "revocation_reason"])
    status_list_sign(listing=award.status_list)
    log_action(
        action="badge.revoked",
        obj=award,
        actor=actor,
        organisation=award.organisation,
        data={"award": str(award.uid), "reason": reason},
    )
    return award


def award_set_public(*, award: Award, public: bool) -> None:
    award.public = public
    award.save(update_fields=["public"])


def award_for_assessment(*, assessment: Any) -> Award:
    """The référentiel badge an assessment's level opens, issued by ``ATOUT_BADGE_ISSUER``
    when the person asks for it. Asking again gives back the same badge."""
    decision = assessment.decisions.first()
    if decision is None or not decision.outcome.get("badge_possible"):
        raise InputError(
            "level_too_low", _("Ce niveau ne permet pas encore d'obtenir un badge."), 409
        )
    organisation = Organisation.objects.filter(slug=settings.ATOUT_BADGE_ISSUER).first()
    if organisation is None:
        raise InputError(
            "no_issuer", _("Aucune organisation ne délivre encore ces badges ici."), 409
        )
    achievement = achievement_for_level(skill=assessment.skill, level=decision.level)
    existing = Award.objects.filter(
        achievement=achievement, recipient=assessment.owner, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    counted = decision.outcome.get("counted_referents", 0)
    evidence = [
        EvidenceIn(
            name="Évaluation atout",
            narrative=(
                f"Niveau « {achievement.name_fr} » décidé le {decision.created_at:%d/%m/%Y} "
                f"(règles {decision.rule_version}) à partir des réponses de la personne et de "
                f"{counted} référent(s)."
            ),
        )
    ]
    if assessment.experience is not None:
        evidence.append(
            EvidenceIn(
                name=assessment.experience.title,
                narrative=assessment.experience.summary or assessment.experience.title,
            )
        )
    # Referents who ticked "I recommend …: my name may appear on the badge" (not their comment).
    endorsements = [
        f"{referent.name} ({referent.get_relation_display()}) recommande "
        f"{assessment.owner.first_name or 'cette personne'} pour « {assessment.skill.label_fr} »."
        for referent in assessment.referents.filter(
            endorses=True, answered_at__isnull=False, too_fast=False
        )
    ]
    return award_issue(
        achievement=achievement,
        organisation=organisation,
        email=assessment.owner.email,
        recipient=assessment.owner,
        evidence=evidence,
        assessment=assessment,
        endorsements=endorsements,
        files=list(assessment.evidence_files.all()),
    )


@transaction.atomic
def achievement_create(
    *,
    organisation: Organisation,
    name: str,
    description: str,
    criteria: str,
    tags: list[str] | None = None,
    valid_months: int | None = None,
    image: Any = None,
    actor: User | None = None,
) -> Achievement:
    """An organisation's own badge ("Je sais semer en plein champ"). ``image`` is a
    checked ``uploads.CleanFile`` (PNG or SVG) or None for a generated one."""
    from django.utils.text import slugify

    base = slugify(name)[:60] or "badge"
    code, n = base, 1
    while Achievement.objects.filter(organisation=organisation, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    achievement = Achievement.objects.create(
        organisation=organisation,
        code=code,
        name_fr=name.strip(),
        name_en=name.strip(),
        description_fr=description.strip(),
        description_en=description.strip(),
        criteria_fr=criteria.strip(),
        criteria_en=criteria.strip(),
        tags=tags or [],
        valid_months=valid_months,
        image=image.content if image is not None else None,
        image_type=image.content_type if image is not None else "",
    )
    log_action(
        action="badge.defined",
        obj=achievement,
        actor=actor,
        organisation=organisation,
        data={"code": code},
    )
    return achievement


def _notify_recipient(award: Award) -> None:
    """Tell someone without an account where their badge is (its files, their links)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    context = {
        "award": award,
        "links": {form: award.file_url(form) for form in ("png", "ob3", "ob3-jwt", "ob2")},
        "verifier": settings.SITE_URL + reverse("badges:verifier"),
        "signup": settings.SITE_URL + reverse("accounts:signup"),
    }
    with override("fr"):
        subject = render_to_string("badges/emails/awarded_subject.txt", context).strip()
        body = render_to_string("badges/emails/awarded.txt", context)
    send_mail(subject, body, None, [award.recipient_email])


def awards_issue_many(
    *,
    achievement: Achievement,
    organisation: Organisation,
    rows: list[tuple[str, str]],
    issued_by: User | None = None,
    files: list[Any] | None = None,
) -> list[Award]:
    """Issue one award per (email, evidence) row, each in its own transaction; the people
    are told by email. People with an account find the badge in their portfolio."""
    issued = []
    for email, evidence_text in rows:
        recipient = User.objects.filter(email=email, is_active=True).first()
        evidence = [EvidenceIn(narrative=evidence_text)] if evidence_text else []
        award = award_issue(
            achievement=achievement,
            organisation=organisation,
            email=email,
            recipient=recipient,
            evidence=evidence,
            issued_by=issued_by,
            files=files,
        )
        _notify_recipient(award)
        issued.append(award)
    return issued


def _verify_for(owner: User, data: bytes | str) -> Any:
    from atout.openbadges import verify as ob_verify

    from .resolver import site_resolver

    return ob_verify.verify(data, email=owner.email, resolver=site_resolver())


@transaction.atomic
def backpack_import(*, owner: User, data: bytes | str, source_url: str = "") -> ImportedBadge:
    """Verify a badge earned elsewhere (file, JSON, JWT or URL) and keep it in the person's
    backpack. Refused, with the failing checks, unless every check holds — including that
    it was awarded to the person's own email address."""
    from atout.openbadges import bake as ob_bake

    from .selectors import report_summary

    report = _verify_for(owner, data)
    if not report.valid:
        failed = "; ".join(c.message for c in report.checks if not c.ok)
        raise InputError(
            "not_valid", _("Ce badge ne peut pas être ajouté : %(why)s.") % {"why": failed}
        )
    summary = report_summary(report)
    image, image_type = None, ""
    payload = data if isinstance(data, str) else ""
    if isinstance(data, bytes):
        try:
            _version, payload = ob_bake.unbake(data)
            image, image_type = (
                data,
                ("image/png" if data.startswith(b"\x89PNG") else "image/svg+xml"),
            )
        except ob_bake.BakeError:
            payload = data.decode("utf-8", "replace")
    if report.credential is not None and not payload.strip().startswith(("ey", "{")):
        payload = json.dumps(report.credential, ensure_ascii=False)
    credential_id = (report.credential or {}).get("id", "")
    if credential_id and any(
        credential_id in b.payload for b in owner.imported_badges.only("payload")
    ):
        raise InputError("already_imported", _("Ce badge est déjà dans ton sac à badges."), 409)
    imported = ImportedBadge.objects.create(
        owner=owner,
        name=str(summary.get("achievement") or _("Badge"))[:300],
        issuer_name=str(summary.get("issuer") or "")[:300],
        issued_on=str(summary.get("issued_on") or "")[:40],
        format=report.format,
        payload=payload,
        image=image,
        image_type=image_type,
        source_url=source_url[:1000],
        checks=summary["checks"],
        valid=True,
        checked_at=timezone.now(),
    )
    log_action(action="backpack.imported", obj=imported, actor=owner)
    return imported


def backpack_recheck(*, imported: ImportedBadge) -> ImportedBadge:
    """Verify again (it may have been revoked or have expired since)."""
    from .selectors import report_summary

    data: bytes | str = bytes(imported.image) if imported.image else imported.payload
    report = _verify_for(imported.owner, data)
    imported.valid = report.valid
    imported.checks = report_summary(report)["checks"]
    imported.checked_at = timezone.now()
    imported.save(update_fields=["valid", "checks", "checked_at"])
    return imported


def collection_save(
    *,
    owner: User,
    name: str,
    award_ids: list[str],
    imported_ids: list[str],
    shared: bool,
    collection: Collection | None = None,
) -> Collection:
    """Create or change a collection; only the person's own badges can go in it."""
    name = " ".join(name.split())[:120]
    if not name:
        raise InputError("name_missing", _("Donne un nom à la collection."))
    awards = list(Award.objects.owned_by(owner).filter(uid__in=award_ids))
    imported = list(owner.imported_badges.filter(uid__in=imported_ids))
    if len(awards) != len(set(award_ids)) or len(imported) != len(set(imported_ids)):
        raise InputError("unknown_badge", _("Un des badges choisis n'est pas à toi."), 404)
    with transaction.atomic():
        if collection is None:
            collection = Collection.objects.create(owner=owner, name=name, shared=shared)
        else:
            collection.name, collection.shared = name, shared
            collection.save(update_fields=["name", "shared"])
        collection.awards.set(awards)
        collection.imported.set(imported)
    return collection


def bulk_issue_start(
    *,
    achievement: Achievement,
    organisation: Organisation,
    rows: list[tuple[str, str]],
    issued_by: User | None = None,
    files: list[Any] | None = None,
) -> Any:
    """Queue a list for the background worker; its page shows the progress."""
    from .models import BulkIssue
    from .tasks import run_bulk_issue

    job = BulkIssue.objects.create(
        achievement=achievement,
        organisation=organisation,
        rows=[list(row) for row in rows],
        issued_by=issued_by,
    )
    job.files.set(files or [])
    log_action(
        action="badge.bulk_issue_queued",
        obj=achievement,
        actor=issued_by,
        organisation=organisation,
        data={"job": str(job.uid), "rows": len(rows)},
    )
    run_bulk_issue.enqueue(str(job.uid))
    return job


def evidence_add(
    *,
    data: bytes,
    name: str,
    owner: User | None = None,
    assessment: Any = None,
    organisation: Organisation | None = None,
) -> EvidenceFile:
    """Check an evidence file (type from its bytes, size, pixels; photos lose their EXIF)
    and keep it. Raises ``uploads.UploadRefused`` with a plain message; nothing is stored."""
    from .uploads import clean_evidence

    name = " ".join(name.split())[:200]
    if not name:
        raise InputError("name_missing", _("Dis en quelques mots ce que montre ce fichier."))
    clean = clean_evidence(data)
    evidence = EvidenceFile.objects.create(
        owner=owner,
        assessment=assessment,
        organisation=organisation,
        name=name,
        content=clean.content,
        content_type=clean.content_type,
        extension=clean.extension,
        size=len(clean.content),
    )
    log_action(
        action="evidence.added",
        obj=evidence,
        actor=owner,
        organisation=organisation,
        data={"type": clean.content_type, "size": evidence.size},
    )
    return evidence


def evidence_upload(*, upload: Any, name: str, **owners: Any) -> EvidenceFile:
    """``evidence_add`` for a file uploaded through a form: refused by its announced size
    before it is read, and never read past the limit."""
    from .uploads import EVIDENCE_MAX, UploadRefused

    if upload.size and upload.size > EVIDENCE_MAX:
        raise UploadRefused("too_large", _("Ce fichier est trop gros (20 Mo au plus)."))
    return evidence_add(data=upload.read(EVIDENCE_MAX + 1), name=name, **owners)


def award_set_show_evidence(*, award: Award, show: bool) -> None:
    award.show_evidence = show
    award.save(update_fields=["show_evidence"])
