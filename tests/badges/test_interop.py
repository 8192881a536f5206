"""Interoperability is tested, not claimed: Digital Bazaar's verifiers (vc + eddsa-rdfc-2022
+ bitstring status list) and jose check our badges offline, and what those libraries sign
verifies in ours. Tampered, expired, revoked or wrongly-addressed badges fail in both."""

import copy
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.test import Client

from atout.badges.models import Award
from atout.openbadges import ob3
from atout.openbadges.verify import Resolver, verify
from tests.openbadges.node import (
    node,  # noqa: F401
    node_sign,
    node_verify_di,
    node_verify_jwt,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("node")]
DID = "did:web:testserver:issuers:ml-93"


def published(credential: dict) -> dict[str, dict]:
    """What an independent verifier would download: the did:web document and the status list."""
    status_url = credential["credentialStatus"]["statusListCredential"]
    return {
        DID: Client().get("/issuers/ml-93/did.json").json(),
        status_url: Client().get(status_url.removeprefix("http://testserver")).json(),
    }


def jwk(kind: str) -> dict:
    did = Client().get("/issuers/ml-93/did.json").json()
    for method in did["verificationMethod"]:
        if kind == "rsa" and "publicKeyJwk" in method:
            return method["publicKeyJwk"]
    raise AssertionError(kind)


@pytest.fixture
def award(user_client, confirmed, issuer) -> Award:
    assert user_client.post(f"/badges/obtenir/{confirmed.pk}/").status_code == 302
    return Award.objects.get()


def test_digital_bazaar_verifies_our_credential_then_sees_it_revoked(award):
    credential = json.loads(award.ob3_json)
    result = node_verify_di(credential, published(credential))
    assert result == {"verified": True, "revoked": False, "errors": []}
    call_command("badge", "revoke", str(award.uid), "--reason", "erreur")
    result = node_verify_di(credential, published(credential))
    assert result["revoked"] is True


def test_digital_bazaar_refuses_our_credential_tampered(award):
    credential = json.loads(award.ob3_json)
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["achievement"]["name"] = "Expert en tout"
    assert node_verify_di(forged, published(credential))["verified"] is False


def test_jose_verifies_our_jwts(award):
    from atout.openbadges import keys

    rs256 = node_verify_jwt(award.ob3_jwt, jwk("rsa"))
    assert rs256["verified"], rs256["errors"]
    assert rs256["payload"]["iss"] == DID
    ed_method = Client().get("/issuers/ml-93/did.json").json()["verificationMethod"][0]
    ed_jwk = keys.public_jwk(keys.multikey_decode(ed_method["publicKeyMultibase"]))
    assert node_verify_jwt(award.ob3_jwt_eddsa, ed_jwk)["verified"]
    head, body, sig = award.ob3_jwt.split(".")
    assert not node_verify_jwt(f"{head}.{body[:-4]}AAAA.{sig}", jwk("rsa"))["verified"]


def _unsigned(valid_until: str = "") -> dict:
    issuer = ob3.Issuer(id="did:key:placeholder", name="Autre plateforme")
    achievement = ob3.Achievement(
        id="https://other.example/achievements/1", name="Leadership", description="d",
        criteria="Avoir animé un groupe.",
    )  # fmt: skip
    return ob3.Award(
        issuer=issuer, achievement=achievement, recipient_email="sam@example.org",
        valid_from="2026-01-01T00:00:00Z", valid_until=valid_until, salt="abc",
    ).credential()  # fmt: skip


def test_credentials_signed_by_digital_bazaar_verify_in_ours():
    signed = node_sign(_unsigned(), seed=bytes(range(32)))
    now = datetime(2026, 6, 1, tzinfo=UTC)
    report = verify(signed["credential"], email="sam@example.org", now=now, resolver=Resolver())
    assert report.valid, report.as_dict()
    report = verify(signed["jwt"], email="sam@example.org", now=now, resolver=Resolver())
    assert report.valid, report.as_dict()
    assert not verify(signed["credential"], email="lina@example.org", now=now).valid
    tampered = copy.deepcopy(signed["credential"])
    tampered["name"] = "Autre chose"
    assert not verify(tampered, now=now).valid
    assert node_verify_di(tampered)["verified"] is False


def test_an_expired_credential_fails_in_both():
    signed = node_sign(_unsigned(valid_until="2026-03-01T00:00:00Z"), seed=bytes(range(32)))
    report = verify(signed["credential"], now=datetime(2026, 6, 1, tzinfo=UTC))
    assert {c.name for c in report.checks if not c.ok} == {"dates"}
    result = node_verify_di(signed["credential"])
    assert result["verified"] is False
    assert any("validUntil" in e for e in result["errors"]), result
