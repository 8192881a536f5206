"""Signing and verifying OB 3.0 (Data Integrity and VC-JWT) and OB 2.0 with our own code."""

import copy
from datetime import UTC, datetime

import pytest

from atout.openbadges import jwt, keys, ob2, proof, status
from atout.openbadges.bake import OB3, bake_png, minimal_png
from atout.openbadges.verify import Resolver, verify

from .fixtures import ISSUER_DID, LIST_URL, award, did_web_document, issuer_key, status_list

NOW = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture
def key():
    return issuer_key()


@pytest.fixture
def resolver(key):
    return Resolver({ISSUER_DID: did_web_document(key), LIST_URL: status_list(key, set())})


def signed(key, **overrides):
    return proof.sign(award(**overrides).credential(), key, created="2026-11-22T10:00:00Z")


def failed(report):
    return {c.name: c.message for c in report.checks if not c.ok}


def test_a_signed_credential_verifies_with_every_check(key, resolver):
    report = verify(signed(key), email="Lina@example.org", now=NOW, resolver=resolver)
    assert report.valid, report.as_dict()
    assert [c.name for c in report.checks] == [
        "format", "signature", "issuer", "dates", "revocation", "recipient",
    ]  # fmt: skip


def test_the_proof_is_eddsa_rdfc_2022_with_a_base58_value(key):
    proof_ = signed(key)["proof"]
    assert proof_["type"] == "DataIntegrityProof"
    assert proof_["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof_["proofPurpose"] == "assertionMethod"
    assert proof_["proofValue"].startswith("z")
    assert len(keys.b58decode(proof_["proofValue"][1:])) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.update(name="Expert en tout"),
        lambda c: c["credentialSubject"]["achievement"].update(name="Autre"),
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
        lambda c: c["credentialSubject"]["identifier"][0].update(salt="autre"),
    ],
)
def test_any_changed_field_breaks_the_signature(key, resolver, change):
    credential = signed(key)
    change(credential)
    report = verify(credential, now=NOW, resolver=resolver)
    assert not report.valid
    assert "does not match" in failed(report)["signature"]


def test_a_property_no_context_defines_is_refused_not_ignored(key, resolver):
    credential = signed(key)
    credential["colour"] = "vert"
    assert (
        "'colour' is not defined"
        in failed(verify(credential, now=NOW, resolver=resolver))["signature"]
    )


def test_a_remote_context_is_never_fetched(key, resolver):
    credential = signed(key)
    credential["@context"].append("https://evil.example/context.json")
    report = verify(credential, now=NOW, resolver=resolver)
    assert "contexts we do not ship" in failed(report)["format"]


def test_a_key_that_is_not_the_issuers_is_refused(resolver):
    stranger = keys.SigningKey(keys.new_ed25519(bytes(32)), f"{ISSUER_DID}#key-1")
    report = verify(signed(stranger), now=NOW, resolver=resolver)
    assert "does not match" in failed(report)["signature"]
    did_key = keys.did_key(stranger.public())
    other = keys.SigningKey(stranger.private, f"{did_key}#{did_key.removeprefix('did:key:')}")
    report = verify(signed(other), now=NOW, resolver=resolver)
    assert "does not belong to the issuer" in failed(report)["issuer"]


def test_a_rotated_key_keeps_old_badges_verifying(key):
    new_key = keys.SigningKey(keys.new_ed25519(bytes(31) + b"\x01"), f"{ISSUER_DID}#key-2")
    resolver = Resolver(
        {ISSUER_DID: did_web_document(key, new_key), LIST_URL: status_list(new_key, set())}
    )
    assert verify(signed(key), now=NOW, resolver=resolver).valid
    assert verify(signed(new_key), now=NOW, resolver=resolver).valid


def test_expired_and_not_yet_valid(key, resolver):
    expired = signed(key, valid_until="2026-12-31T00:00:00Z")
    assert "expired on 2026-12-31" in failed(verify(expired, now=NOW, resolver=resolver))["dates"]
    early = datetime(2026, 1, 1, tzinfo=UTC)
    assert "not valid before" in failed(verify(signed(key), now=early, resolver=resolver))["dates"]


def test_revocation_through_the_status_list(key):
    revoked = Resolver({ISSUER_DID: did_web_document(key), LIST_URL: status_list(key, {7})})
    report = verify(signed(key), now=NOW, resolver=revoked)
    assert failed(report) == {"revocation": "revoked by the issuer"}
    other_index = signed(key, status=status.entry(LIST_URL, 8))
    assert verify(other_index, now=NOW, resolver=revoked).valid


def test_a_status_list_not_signed_by_the_issuer_or_missing_fails_closed(key):
    forger = keys.SigningKey(keys.new_ed25519(bytes(32)), f"{ISSUER_DID}#key-1")
    forged = Resolver({ISSUER_DID: did_web_document(key), LIST_URL: status_list(forger, set())})
    assert (
        "could not check revocation"
        in failed(verify(signed(key), now=NOW, resolver=forged))["revocation"]
    )
    offline = Resolver({ISSUER_DID: did_web_document(key)})
    assert (
        "not available offline"
        in failed(verify(signed(key), now=NOW, resolver=offline))["revocation"]
    )


def test_the_recipient_check(key, resolver):
    report = verify(signed(key), email="yanis@example.org", now=NOW, resolver=resolver)
    assert failed(report) == {"recipient": "not awarded to yanis@example.org"}


def test_status_bits_are_most_significant_first_and_at_least_16_kb():
    bits = status.decode(status.encode({0, 9}))
    assert len(bits) == 16 * 1024
    assert bits[0] == 0x80 and bits[1] == 0x40
    assert status.is_set(bits, 9) and not status.is_set(bits, 8)
    with pytest.raises(status.StatusError):
        status.encode({200_000})


@pytest.mark.parametrize("algorithm", ["EdDSA", "RS256"])
def test_vc_jwt_round_trip(key, resolver, algorithm):
    if algorithm == "RS256":
        rsa_key = keys.SigningKey(keys.new_rsa(), f"{ISSUER_DID}#rsa-1")
        document = did_web_document(key)
        document["verificationMethod"].append(
            {"id": rsa_key.key_id, "type": "JsonWebKey", "controller": ISSUER_DID,
             "publicKeyJwk": keys.public_jwk(rsa_key.public())}
        )  # fmt: skip
        document["assertionMethod"].append(rsa_key.key_id)
        resolver.documents[ISSUER_DID] = document
        signing = rsa_key
    else:
        signing = key
    credential = award().credential()
    token = jwt.encode(credential, signing)
    header, payload = jwt.decode(token, lambda kid, alg: resolver.public_key(kid))
    assert header == {"alg": algorithm, "typ": "JWT", "kid": signing.key_id}
    assert payload == credential
    report = verify(token, email="lina@example.org", now=NOW, resolver=resolver)
    assert report.valid, report.as_dict()
    assert report.format == "vc-jwt"


def test_vc_jwt_claims_follow_ob3(key):
    token = jwt.encode(award(valid_until="2029-01-01T00:00:00Z").credential(), key)
    claims = __import__("json").loads(keys.b64url_decode(token.split(".")[1]))
    assert claims["iss"] == ISSUER_DID
    assert claims["jti"] == "urn:uuid:5f1e0c1e-3b7a-4c55-9a1d-2b6f0f3c9e01"
    assert claims["nbf"] == 1795341600 and claims["exp"] == 1861920000


def test_tampered_or_unsigned_jwts_are_refused(key, resolver):
    token = jwt.encode(award().credential(), key)
    head, body, sig = token.split(".")
    claims = __import__("json").loads(keys.b64url_decode(body))
    claims["name"] = "Expert"
    forged = head + "." + keys.b64url(__import__("json").dumps(claims).encode()) + "." + sig
    assert "does not match" in failed(verify(forged, now=NOW, resolver=resolver))["signature"]
    none_alg = keys.b64url(b'{"alg":"none","kid":"x"}') + "." + body + ".AA"
    assert "not accepted" in failed(verify(none_alg, now=NOW, resolver=resolver))["signature"]


def test_a_baked_png_verifies(key, resolver):
    png = bake_png(minimal_png(), __import__("json").dumps(signed(key)), version=OB3)
    assert verify(png, now=NOW, resolver=resolver).valid
    jwt_png = bake_png(minimal_png(), jwt.encode(award().credential(), key), version=OB3)
    assert verify(jwt_png, now=NOW, resolver=resolver).valid


def test_garbage_is_refused_plainly(resolver):
    assert failed(verify(b"\x00\x01garbage", resolver=resolver))["format"]
    assert "not JSON" in failed(verify("hello", resolver=resolver))["format"]
    assert (
        "larger than 5 MB"
        in failed(verify(b"{" + b" " * (6 * 1024 * 1024), resolver=resolver))["format"]
    )


# --- Open Badges 2.0 hosted ---------------------------------------------------------------

ASSERTION_URL = "https://atout.example/ob2/assertions/1"
BADGE_URL = "https://atout.example/ob2/badges/teamwork-3"
ISSUER_URL = "https://atout.example/ob2/issuers/ml-93"


def hosted(**changes):
    assertion = ob2.assertion(
        id=ASSERTION_URL, badge=BADGE_URL, email="lina@example.org", salt="s",
        issued_on="2026-11-22T10:00:00Z", **changes,
    )  # fmt: skip
    documents = {
        ASSERTION_URL: assertion,
        BADGE_URL: ob2.badge_class(
            id=BADGE_URL,
            name="Travailler en équipe",
            description="d",
            image="https://atout.example/i.png",
            criteria_narrative="n",
            issuer=ISSUER_URL,
        ),  # fmt: skip
        ISSUER_URL: ob2.issuer_profile(id=ISSUER_URL, name="ML 93", url="https://ml93.example"),
    }
    return assertion, Resolver(copy.deepcopy(documents))


def test_ob2_hosted_assertion_verifies():
    assertion, resolver = hosted()
    report = verify(assertion, email="lina@example.org", now=NOW, resolver=resolver)
    assert report.valid and report.format == "ob2", report.as_dict()


def test_ob2_revoked_expired_changed_and_foreign_assertions_fail():
    assertion, resolver = hosted(revoked=True, revocation_reason="erreur")
    assert failed(verify(assertion, now=NOW, resolver=resolver)) == {
        "revocation": "revoked by the issuer (erreur)"
    }
    assertion, resolver = hosted(expires="2026-12-01T00:00:00Z")
    assert "expired" in failed(verify(assertion, now=NOW, resolver=resolver))["dates"]
    assertion, resolver = hosted()
    assertion["badge"] = "https://atout.example/ob2/badges/leadership-4"
    assert "differs" in failed(verify(assertion, now=NOW, resolver=resolver))["hosting"]
    assertion, resolver = hosted()
    resolver.documents[BADGE_URL]["issuer"] = "https://elsewhere.example/issuer"
    resolver.documents["https://elsewhere.example/issuer"] = ob2.issuer_profile(
        id="https://elsewhere.example/issuer", name="X", url="https://elsewhere.example"
    )
    assert (
        "not hosted on the issuer's domain"
        in failed(verify(assertion, now=NOW, resolver=resolver))["hosting"]
    )
    assertion, resolver = hosted()
    assert failed(verify(assertion, email="x@y.fr", now=NOW, resolver=resolver)) == {
        "recipient": "not awarded to x@y.fr"
    }
