"""Everything that changes accounts: sign-up, magic links, API tokens, deletion."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from atout.core.services import log_action
from atout.core.tokens import LinkError, find_one_time, hash_token, new_token, use_once

from .models import ApiToken, MagicLink, User


class MagicLinkError(LinkError):
    """The link is unknown, expired or already used. ``reason`` says which."""


def user_create(
    *, email: str, first_name: str, password: str | None = None, language: str = "fr"
) -> User:
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name.strip(), language=language
    )
    log_action(action="account.created", obj=user, actor=user)
    return user


def magic_link_send(*, email: str) -> bool:
    """Email a one-time login link if an account exists. Returns whether one was sent."""
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        return False
    token, token_hash = new_token()
    MagicLink.objects.create(
        user=user, token_hash=token_hash, expires_at=MagicLink.default_expiry()
    )
    url = settings.SITE_URL + reverse("accounts:magic_link", args=[token])
    with translation.override(user.language):
        context = {
            "user": user,
            "url": url,
            "minutes": settings.ATOUT_MAGIC_LINK_MINUTES,
        }
        subject = render_to_string("accounts/emails/magic_link_subject.txt", context).strip()
        body = render_to_string("accounts/emails/magic_link.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def magic_link_peek(*, token: str) -> MagicLink:
    """Find a usable link without using it (for the confirmation page)."""
    link: MagicLink = find_one_time(
        MagicLink.objects.select_related("user"), token, used_field="used_at", error=MagicLinkError
    )
    if not link.user.is_active:
        raise MagicLinkError("unknown")
    return link


@transaction.atomic
def magic_link_consume(*, token: str) -> User:
    """Use the link once: returns its user; a second call raises ``MagicLinkError('used')``."""
    link = magic_link_peek(token=token)
    use_once(link, used_field="used_at", error=MagicLinkError)
    log_action(action="account.magic_link_used", obj=link.user, actor=link.user)
    return link.user


@dataclass(frozen=True)
class NewApiToken:
    token: ApiToken
    secret: str


def api_token_create(*, user: User, name: str = "") -> NewApiToken:
    secret, token_hash = new_token(prefix="atout_")
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", prefix=secret[:10], token_hash=token_hash
    )
    log_action(action="api_token.created", obj=token, actor=user)
    return NewApiToken(token=token, secret=secret)


def api_token_authenticate(*, secret: str) -> User | None:
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(action="api_token.revoked", obj=token, actor=actor)


def user_export(*, user: User) -> dict[str, object]:
    """Everything atout holds about a person, as plain JSON-able data."""
    from atout.organisations.models import Membership

    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "birth_year": user.birth_year,
            "departement": user.departement,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "organisations": [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "experiences": [
            {
                "title": e.title,
                "kind": e.kind,
                "narrative": e.narrative,
                "started_on": e.started_on.isoformat() if e.started_on else None,
                "ended_on": e.ended_on.isoformat() if e.ended_on else None,
                "summary": e.summary,
                "skills": [
                    {
                        "code": link.skill.code,
                        "score": link.score,
                        "confirmed": link.confirmed,
                        "evidence": link.evidence,
                    }
                    for link in e.skills.select_related("skill")
                ],
            }
            for e in user.experiences.all()
        ],
        "chats": [
            {
                "started_at": chat.created_at.isoformat(),
                "messages": [
                    {"role": m.role, "text": m.text, "at": m.created_at.isoformat()}
                    for m in chat.messages.all()
                ],
            }
            for chat in user.chats.prefetch_related("messages")
        ],
        "assessments": [
            {
                "skill": a.skill.code,
                "status": a.status,
                "level": a.level,
                "self_answers": a.self_answers,
                "started_at": a.created_at.isoformat(),
                # Who was asked and whether they answered; never what each one answered.
                "referents": [
                    {
                        "name": r.name,
                        "email": r.email,
                        "relation": r.relation,
                        "answered": r.answered_at is not None,
                    }
                    for r in a.referents.all()
                ],
                "decisions": [
                    {"level": d.level, "rules": d.rule_version, "at": d.created_at.isoformat()}
                    for d in a.decisions.all()
                ],
            }
            for a in user.assessments.select_related("skill").prefetch_related(
                "referents", "decisions"
            )
        ],
        "badges": [
            {
                "badge": a.achievement.name_fr,
                "issuer": a.organisation.name,
                "issued_at": a.issued_at.isoformat(),
                "revoked": a.revoked,
                "public": a.public,
                "credential": a.ob3_json,
            }
            for a in user.awards.select_related("achievement", "organisation")
        ],
        "imported_badges": [
            {"name": b.name, "issuer": b.issuer_name, "format": b.format, "payload": b.payload}
            for b in user.imported_badges.all()
        ],
        "evidence_files": [
            {"name": f.name, "type": f.content_type, "size": f.size, "at": f.created_at.isoformat()}
            for f in user.evidence_files.all()
        ],
        "saved_opportunities": [
            {
                "title": item.opportunity.title,
                "url": item.opportunity.url,
                "status": item.status,
                "done_at": item.done_at.isoformat() if item.done_at else None,
            }
            for item in user.saved_opportunities.select_related("opportunity")
        ],
        "orientation": _orientation_export(user),
        "badge_collections": [
            {"name": c.name, "shared": c.shared} for c in user.badge_collections.all()
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in user.api_tokens.all()
        ],
    }


class AccountDeletionBlocked(Exception):
    """The person is the only admin of organisations that still have other members."""

    def __init__(self, organisations: list[str]) -> None:
        super().__init__(", ".join(organisations))
        self.organisations = organisations


def _orientation_export(user: User) -> dict[str, object] | None:
    from atout.orientation.models import Interests

    found = Interests.objects.filter(owner=user).first()
    if found is None:
        return None
    return {"held": found.held, "savoir_faire": found.savoir_faire, "riasec": found.riasec}


def organisations_only_admin_of(*, user: User) -> list[str]:
    from atout.organisations.models import Organisation, Role

    names = []
    for organisation in Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.ADMIN
    ):
        admins = organisation.memberships.filter(role=Role.ADMIN).count()
        others = organisation.memberships.exclude(user=user).count()
        if admins == 1 and others:
            names.append(organisation.name)
    return names


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and everything attached to it; the audit log keeps no personal data.

    Refused while the person is the only admin of an organisation that others belong to.
    """
    blocking = organisations_only_admin_of(user=user)
    if blocking:
        raise AccountDeletionBlocked(blocking)
    log_action(action="account.deleted", data={"user_id": user.pk})
    user.delete()
