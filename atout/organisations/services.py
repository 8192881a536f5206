"""Everything that changes organisations, their members and invitations."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from atout.accounts.models import User
from atout.core.services import log_action
from atout.core.tokens import LinkError, find_one_time, new_token, use_once

from .models import Invitation, Membership, Organisation, Role


class InvitationError(LinkError):
    """Also: wrong_user, already_member, last_admin."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, creator: User, url: str = "", email: str = "", slug: str = ""
) -> Organisation:
    """Create an organisation; its creator becomes its first admin."""
    organisation = Organisation.objects.create(
        name=name.strip(), kind=kind, url=url, email=email, slug=slug or _unique_slug(name)
    )
    Membership.objects.create(organisation=organisation, user=creator, role=Role.ADMIN)
    log_action(
        action="organisation.created", obj=organisation, actor=creator, organisation=organisation
    )
    return organisation


def invitation_send(
    *, organisation: Organisation, email: str, role: str, invited_by: User, language: str = "fr"
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise InvitationError("already_member")
    token, token_hash = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=Invitation.default_expiry(),
    )
    url = settings.SITE_URL + reverse("organisations:accept", args=[token])
    with translation.override(language):
        context = {
            "organisation": organisation,
            "inviter": invited_by,
            "role": invitation.get_role_display(),
            "url": url,
            "days": settings.ATOUT_INVITATION_DAYS,
        }
        subject = render_to_string("organisations/emails/invitation_subject.txt", context).strip()
        body = render_to_string("organisations/emails/invitation.txt", context)
    send_mail(subject, body, None, [email])
    log_action(
        action="organisation.invitation_sent",
        obj=invitation,
        actor=invited_by,
        organisation=organisation,
        data={"email": email, "role": role},
    )
    return invitation


def invitation_get(*, token: str) -> Invitation:
    invitation: Invitation = find_one_time(
        Invitation.objects.select_related("organisation"),
        token,
        used_field="accepted_at",
        error=InvitationError,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = invitation_get(token=token)
    if invitation.email != user.email.lower():
        raise InvitationError("wrong_user")
    use_once(invitation, used_field="accepted_at", error=InvitationError)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                organisation=invitation.organisation, user=user, role=invitation.role
            )
    except IntegrityError as error:
        raise InvitationError("already_member") from error
    log_action(
        action="organisation.invitation_accepted",
        obj=invitation,
        actor=user,
        organisation=invitation.organisation,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    organisation = membership.organisation
    if (
        membership.role == Role.ADMIN
        and not organisation.memberships.filter(role=Role.ADMIN).exclude(pk=membership.pk).exists()
    ):
        raise InvitationError("last_admin")
    log_action(
        action="organisation.member_removed",
        obj=organisation,
        actor=actor,
        organisation=organisation,
        data={"user_id": membership.user_id, "role": membership.role},
    )
    membership.delete()
