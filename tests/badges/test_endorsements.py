"""Endorsements: organisations recommend badge definitions; referents who agreed to be
named are attested on the award. Each is an OB 3.0 EndorsementCredential, signed."""

import json

import pytest
from django.test import Client

from atout.badges.models import Award, Endorsement
from atout.openbadges.verify import verify
from tests.accounts.factories import UserFactory
from tests.openbadges.node import node, node_verify_di  # noqa: F401
from tests.organisations.factories import MembershipFactory

from .test_interop import published

pytestmark = pytest.mark.django_db


def claim(user_client, assessment) -> Award:
    assert user_client.post(f"/badges/obtenir/{assessment.pk}/").status_code == 302
    return Award.objects.get()


def test_referents_who_agreed_are_named_on_the_award(user_client, confirmed, issuer):
    confirmed.referents.filter(name="R0").update(endorses=True, comment="Très fiable")
    award = claim(user_client, confirmed)
    credential = json.loads(award.ob3_json)
    [endorsement] = credential["endorsement"]
    assert endorsement["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert endorsement["credentialSubject"]["id"] == f"urn:uuid:{award.uid}"
    comment = endorsement["credentialSubject"]["endorsementComment"]
    assert comment.startswith("R0 (Entraîneur ou entraîneuse) recommande Lina")
    assert "Très fiable" not in comment  # the comment was for Lina, not for the public
    report = verify(endorsement, resolver=_site_resolver())
    assert report.valid, report.as_dict()
    assert Endorsement.objects.get().award == award
    user_client.post(f"/badges/{award.uid}/public/", {"public": "1"})
    assert (
        "R0 (Entraîneur ou entraîneuse) recommande"
        in Client().get(f"/badges/{award.uid}/").content.decode()
    )


def test_referents_too_fast_or_not_endorsing_are_not_named(user_client, confirmed, issuer):
    confirmed.referents.filter(name="R0").update(endorses=True, too_fast=True)
    award = claim(user_client, confirmed)
    assert "endorsement" not in json.loads(award.ob3_json)
    assert not Endorsement.objects.exists()


def _site_resolver():
    from atout.badges.resolver import site_resolver

    return site_resolver()


def test_an_issuer_recommends_a_badge_definition(user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    admin = UserFactory()
    MembershipFactory(organisation=issuer, user=admin, role="admin")
    client = Client()
    client.force_login(admin)
    url = f"/badges/definitions/{award.achievement.uid}/"
    assert "Recommander ce badge" in client.get(url).content.decode()
    response = client.post(url, {"organisation": "ml-93", "comment": "Utile pour nos chantiers."})
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert endorsement.credential["credentialSubject"]["id"] == award.achievement.url()
    assert verify(endorsement.credential, resolver=_site_resolver()).valid
    assert "Utile pour nos chantiers." in Client().get(url).content.decode()
    again = client.post(url, {"organisation": "ml-93", "comment": "Encore."})
    assert again.status_code == 409 and Endorsement.objects.count() == 1
    empty = client.post(url, {"organisation": "ml-93", "comment": "  "})
    assert empty.status_code == 400


def test_only_admins_and_issuers_of_an_organisation_may_recommend(user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    url = f"/badges/definitions/{award.achievement.uid}/"
    counsellor = UserFactory()
    MembershipFactory(organisation=issuer, user=counsellor, role="counsellor")
    client = Client()
    client.force_login(counsellor)
    assert "Recommander ce badge" not in client.get(url).content.decode()
    assert client.post(url, {"organisation": "ml-93", "comment": "x"}).status_code == 404
    assert Client().post(url, {"organisation": "ml-93", "comment": "x"}).status_code == 404
    assert user_client.post(url, {"organisation": "ml-93", "comment": "x"}).status_code == 404
    assert not Endorsement.objects.exists()


@pytest.mark.usefixtures("node")
def test_digital_bazaar_verifies_our_endorsements(user_client, confirmed, issuer):
    confirmed.referents.filter(name="R0").update(endorses=True)
    award = claim(user_client, confirmed)
    credential = json.loads(award.ob3_json)
    endorsement = credential["endorsement"][0]
    result = node_verify_di(endorsement, published(credential))
    assert result["verified"], result
