"""Reads that check access: every view goes through these."""

from django.http import Http404

from atout.accounts.models import User

from .models import Membership, Organisation, Role


def get_organisation_for_user(
    *, user: User, slug: str, roles: tuple[str, ...] | None = None
) -> tuple[Organisation, Membership]:
    """The organisation and the user's membership, or 404 when they are not a member.

    With ``roles``, the membership must have one of them (admins always may).
    Outsiders get the same 404 as for an unknown slug: no one learns what exists.
    """
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404
    if roles is not None and membership.role != Role.ADMIN and membership.role not in roles:
        raise PermissionError(membership.role)
    return membership.organisation, membership
