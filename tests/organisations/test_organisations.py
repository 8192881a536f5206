import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atout.core.models import LogEntry
from atout.organisations.models import Invitation, Membership, Organisation, Role
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_organisation_makes_creator_admin(user_client, user):
    response = user_client.post(
        reverse("organisations:list"),
        {"name": "Les Jardins d'Aubervilliers", "kind": "association", "url": "", "email": ""},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.slug == "les-jardins-daubervilliers"
    assert Membership.objects.get(organisation=organisation).role == Role.ADMIN
    assert LogEntry.objects.filter(action="organisation.created").exists()


def test_create_organisation_bad_kind_is_refused(user_client):
    response = user_client.post(reverse("organisations:list"), {"name": "X", "kind": "secte"})
    assert response.status_code == 400
    assert not Organisation.objects.exists()


def test_outsider_cannot_see_organisation_or_its_members(other_client):
    membership = MembershipFactory(admin=True)
    url = reverse("organisations:detail", args=[membership.organisation.slug])
    response = other_client.get(url)
    assert response.status_code == 404
    assert membership.user.email not in response.content.decode()


def test_organisation_list_shows_only_mine(user):
    mine = MembershipFactory(user=user).organisation
    theirs = OrganisationFactory(name="Club secret")
    page = logged_in(user).get(reverse("organisations:list")).content.decode()
    assert mine.name in page
    assert theirs.name not in page


def test_admin_invites_and_invitee_accepts(mailoutbox):
    admin = MembershipFactory(admin=True).user
    organisation = admin.memberships.get().organisation
    response = logged_in(admin).post(
        reverse("organisations:invite", args=[organisation.slug]),
        {"email": "Nadia@Example.org", "role": "counsellor", "language": "fr"},
    )
    assert response.status_code == 302
    assert mailoutbox[0].to == ["nadia@example.org"]
    url = re.search(r"http://\S+/organisations/invitation/\S+/", mailoutbox[0].body).group(0)
    url = url.replace("http://127.0.0.1:8000", "")
    invitation = Invitation.objects.get()
    assert url.rstrip("/").rsplit("/", 1)[-1] != invitation.token_hash

    # Anonymous: sent to log in first.
    assert Client().get(url).status_code == 302
    nadia = UserFactory(email="nadia@example.org")
    client = logged_in(nadia)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(user=nadia).role == Role.COUNSELLOR
    assert client.get(reverse("organisations:detail", args=[organisation.slug])).status_code == 200
    # Second use.
    assert client.post(url).status_code == 410


def test_invitation_for_another_address_is_refused(mailoutbox):
    admin = MembershipFactory(admin=True).user
    organisation = admin.memberships.get().organisation
    logged_in(admin).post(
        reverse("organisations:invite", args=[organisation.slug]),
        {"email": "nadia@example.org", "role": "issuer", "language": "en"},
    )
    assert "Invitation to join" in mailoutbox[0].subject
    url = re.search(r"/organisations/invitation/\S+/", mailoutbox[0].body).group(0)
    intruder = UserFactory(email="intrus@example.org")
    response = logged_in(intruder).post(url)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=intruder).exists()
    assert Invitation.objects.get().accepted_at is None


def test_expired_invitation_is_refused(mailoutbox):
    admin = MembershipFactory(admin=True).user
    organisation = admin.memberships.get().organisation
    logged_in(admin).post(
        reverse("organisations:invite", args=[organisation.slug]),
        {"email": "nadia@example.org", "role": "issuer", "language": "fr"},
    )
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    url = re.search(r"/organisations/invitation/\S+/", mailoutbox[0].body).group(0)
    response = logged_in(UserFactory(email="nadia@example.org")).post(url)
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.ISSUER])
def test_non_admin_members_cannot_invite_or_remove(role, mailoutbox):
    member = MembershipFactory(role=role)
    organisation = member.organisation
    admin = MembershipFactory(organisation=organisation, admin=True)
    client = logged_in(member.user)
    response = client.post(
        reverse("organisations:invite", args=[organisation.slug]),
        {"email": "x@example.org", "role": "admin", "language": "fr"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists() and mailoutbox == []
    response = client.post(
        reverse("organisations:member_remove", args=[organisation.slug, admin.pk])
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_admin_of_one_organisation_cannot_act_on_another():
    mine = MembershipFactory(admin=True)
    theirs = MembershipFactory(admin=True)
    client = logged_in(mine.user)
    response = client.post(
        reverse("organisations:member_remove", args=[mine.organisation.slug, theirs.pk])
    )
    assert response.status_code == 404
    response = client.post(
        reverse("organisations:invite", args=[theirs.organisation.slug]),
        {"email": "x@example.org", "role": "admin", "language": "fr"},
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_last_admin_cannot_be_removed():
    admin = MembershipFactory(admin=True)
    co_admin = MembershipFactory(organisation=admin.organisation, admin=True)
    client = logged_in(admin.user)
    url = reverse("organisations:member_remove", args=[admin.organisation.slug, co_admin.pk])
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=co_admin.pk).exists()
    # Now admin is the last one: removing themself is refused by the service.
    from atout.organisations.services import InvitationError, membership_remove

    with pytest.raises(InvitationError):
        membership_remove(membership=admin, actor=admin.user)


def test_scoped_queryset_never_crosses_organisations():
    a = MembershipFactory(admin=True)
    b = MembershipFactory(admin=True)
    Invitation.objects.create(
        organisation=b.organisation,
        email="z@example.org",
        role=Role.ISSUER,
        token_hash="h" * 64,
        expires_at=Invitation.default_expiry(),
    )
    assert Invitation.objects.visible_to(a.user).count() == 0
    assert Invitation.objects.visible_to(b.user).count() == 1


def test_invitation_errors_are_in_the_visitors_language(mailoutbox):
    admin = MembershipFactory(admin=True).user
    organisation = admin.memberships.get().organisation
    logged_in(admin).post(
        reverse("organisations:invite", args=[organisation.slug]),
        {"email": "nadia@example.org", "role": "issuer", "language": "fr"},
    )
    url = re.search(r"/organisations/invitation/\S+/", mailoutbox[0].body).group(0)
    intruder = UserFactory(email="intrus@example.org", english=True)
    response = logged_in(intruder).get(url)
    assert response.status_code == 403
    assert "was sent to a different email address" in response.content.decode()
