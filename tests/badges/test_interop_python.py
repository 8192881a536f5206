"""A Python Open Badges library we do not write checks our badges, offline: openbadgeslib
(LGPL-3.0, test-only dependency) verifies our OB 3.0 Data Integrity credentials, our VC-JWTs,
our baked images and our hosted OB 2.0 assertions, and sees revocations. What it signs
verifies in ours.

openbadgeslib never fetches JSON-LD contexts (it ships them); its did:web documents, status
lists and OB 2.0 documents come through a ``download(url) -> bytes`` we hand it, answered
here by the Django test client. Any socket use fails the test.

Where the library does not check something (an unsigned status list, a hashed recipient,
``revoked: true`` in a hosted assertion) the tests say so and check it another way: a
verifier's silence is not a verdict.
"""

import copy
import json
import socket
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core.management import call_command
from django.test import Client
from openbadgeslib.ob2 import OB2VerificationError, OB2Verifier
from openbadgeslib.ob3 import (
    Achievement,
    IdentityObject,
    Issuer,
    OB3LdpSigner,
    OB3LdpVerifier,
    OB3Signer,
    OB3VerificationError,
    OB3Verifier,
    OpenBadgeCredential,
    add_data_integrity_proof,
    decode_encoded_list,
    did_key_from_pem,
    encode_bitstring,
    resolve_verification_method,
    set_indices,
    verify_data_integrity_proof,
)
from openbadgeslib.util import hash_email
from openbadgeslib.verify import verify_badge

from atout.badges.models import Award
from atout.openbadges import ob3
from atout.openbadges.verify import Resolver, verify

pytestmark = pytest.mark.django_db
DID = "did:web:testserver:issuers:ml-93"
EMAIL = "lina@example.org"  # the `user` fixture's address


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Fail on any attempt to reach the network (the library would swallow the error)."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise OSError("no network in these tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield
    assert not attempts, f"network access attempted: {attempts}"


def served(url: str) -> bytes:
    """The library's ``download``, answered by our site as urllib would: an HTTP error status
    raises. A did:web resolves to https://testserver/…, the site runs as http://testserver."""
    parts = urlsplit(url)
    if parts.netloc != "testserver":
        raise OSError(f"{url} is not served in these tests")
    response = Client().get(parts.path, secure=parts.scheme == "https")
    if response.status_code != 200:
        raise OSError(f"HTTP {response.status_code} for {url}")
    return response.content


def served_ignoring_status(url: str) -> bytes:
    """A careless fetcher: the body whatever the HTTP status."""
    return Client().get(urlsplit(url).path).content


@pytest.fixture
def award(user_client, confirmed, issuer) -> Award:
    assert user_client.post(f"/badges/obtenir/{confirmed.pk}/").status_code == 302
    return Award.objects.get()


def verify_di(document, **options) -> OpenBadgeCredential:
    return OB3LdpVerifier.for_issuer_did(DID).verify(document, download=served, **options)


def verify_vc_jwt(token: str, **options) -> OpenBadgeCredential:
    return OB3Verifier.for_issuer_did(DID, download=served).verify(
        token, download=served, **options
    )


# Our status list is a Data Integrity credential; the library verifies the signature of
# JWT-VC status lists only (verify_status_list=True refuses ours, see below), so status is
# read with verify_status_list=False and the list's proof is checked separately.
STATUS = {"check_status": True, "verify_status_list": False}


def test_openbadgeslib_verifies_our_data_integrity_credential(award):
    credential = verify_di(award.ob3_json, **STATUS)
    assert credential.id == f"urn:uuid:{award.uid}"
    assert credential.issuer.id == DID
    assert credential.achievement.name == json.loads(award.ob3_json)["name"]
    # Recipient binding in the library (expected_recipient) compares credentialSubject.id
    # only; ours carries a salted email hash instead, so it cannot bind it...
    with pytest.raises(OB3VerificationError, match="Recipient mismatch"):
        verify_di(award.ob3_json, expected_recipient=EMAIL)
    # ...and the hash is checked with the library's own hashing.
    (identifier,) = credential.identifiers
    assert identifier.identity_type == "emailAddress" and identifier.hashed
    assert identifier.identity_hash == "sha256$" + hash_email(EMAIL, identifier.salt).decode()


def test_openbadgeslib_reads_and_checks_our_signed_status_list(award):
    entry = json.loads(award.ob3_json)["credentialStatus"]
    with pytest.raises(OB3VerificationError, match="not a signed JWT-VC"):
        verify_di(award.ob3_json, check_status=True)  # verify_status_list=True by default
    call_command("badge", "revoke", str(award.uid), "--reason", "x")
    listing = json.loads(served(entry["statusListCredential"]))
    assert listing["issuer"] == DID
    revoked = set_indices(decode_encoded_list(listing["credentialSubject"]["encodedList"]))
    assert revoked == {int(entry["statusListIndex"])}
    # The list's own eddsa-rdfc-2022 proof, checked with the library's low-level verifier and
    # the key our did:web document publishes: a status host that clears the bit is caught.
    method = listing["proof"]["verificationMethod"]
    assert method.startswith(DID + "#")
    key = resolve_verification_method(method, download=served)
    verify_data_integrity_proof(listing, key)
    listing["credentialSubject"]["encodedList"] = encode_bitstring([])
    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        verify_data_integrity_proof(listing, key)


def test_openbadgeslib_refuses_our_credential_tampered(award):
    forged = copy.deepcopy(json.loads(award.ob3_json))
    forged["credentialSubject"]["achievement"]["name"] = "Expert en tout"
    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        verify_di(forged)
    head, body, signature = award.ob3_jwt.split(".")
    with pytest.raises(OB3VerificationError, match="Invalid signature"):
        verify_vc_jwt(f"{head}.{body[:-4]}AAAA.{signature}")


def test_openbadgeslib_verifies_our_vc_jwts(award):
    # RS256 and EdDSA: the library picks each token's key by its kid in our did:web document.
    for token in (award.ob3_jwt, award.ob3_jwt_eddsa):
        credential = verify_vc_jwt(token, **STATUS)
        assert credential.id == f"urn:uuid:{award.uid}"
        assert credential.issuer.id == DID


def test_openbadgeslib_verifies_our_baked_images(award):
    for form in ("png", "svg"):
        image = Client().get(f"/badges/{award.uid}/{form}").content
        result = verify_badge(image, "3", resolve_did=True, download=served, **STATUS)
        assert (result.valid, result.trusted, result.proof_format) == (True, True, "ldp"), result
        assert result.credential.id == f"urn:uuid:{award.uid}"


def test_openbadgeslib_verifies_our_hosted_ob2_assertion(award, monkeypatch):
    verifier = OB2Verifier(download=served)
    assertion = verifier.verify_hosted(
        award.ob2_json, expected_recipient=EMAIL, check_revocation=True
    )
    assert assertion.id == json.loads(award.ob2_json)["id"]
    with pytest.raises(OB2VerificationError, match="Recipient mismatch"):
        verifier.verify_hosted(award.ob2_json, expected_recipient="sam@example.org")
    # Our baked OB 2.0 image holds the hosted assertion as JSON (OB 2.0 baking allows JSON
    # or a JWS). verify_badge reads a baked OB 2.0 image as a JWS only, so it refuses it;
    # the library extracts it fine, and its hosted verification accepts it.
    image = Client().get(f"/badges/{award.uid}/ob2-png").content
    monkeypatch.setattr("openbadgeslib.ob2.verifier.download_file", served)
    result = verify_badge(image, "2")
    assert not result.valid and "Malformed JWS" in result.reason
    baked = OB2Verifier.extract_token_from_png(image)
    assert verifier.verify_hosted(baked, check_revocation=True).id == assertion.id


def test_openbadgeslib_sees_our_revocations(award):
    call_command("badge", "revoke", str(award.uid), "--reason", "x")
    # OB 3.0: the status list bit, for the Data Integrity credential and both VC-JWTs.
    with pytest.raises(OB3VerificationError, match="'revocation' is set"):
        verify_di(award.ob3_json, **STATUS)
    for token in (award.ob3_jwt, award.ob3_jwt_eddsa):
        with pytest.raises(OB3VerificationError, match="'revocation' is set"):
            verify_vc_jwt(token, **STATUS)
    # The library checks status only when asked: by default a revoked credential verifies.
    assert verify_di(award.ob3_json).id == f"urn:uuid:{award.uid}"
    # OB 2.0: our hosted assertion answers 410 Gone; the library fails on the failed fetch.
    with pytest.raises(OB2VerificationError, match="HTTP 410"):
        OB2Verifier(download=served).verify_hosted(award.ob2_json, check_revocation=True)
    # It ignores the `revoked: true` the 410 body carries: with a fetcher that does not raise
    # on 410 it reports the revoked assertion valid. (Our OB 2.0 issuer Profile names no
    # revocationList, the only other revocation signal it reads.)
    gone = Client().get(urlsplit(json.loads(award.ob2_json)["id"]).path)
    assert gone.status_code == 410 and gone.json()["revoked"] is True
    lax = OB2Verifier(download=served_ignoring_status)
    assert lax.verify_hosted(award.ob2_json, check_revocation=True).id == gone.json()["id"]


# ---- the other way: what openbadgeslib signs, our verifier checks ----

SEED = bytes(range(32))


def signing_key(seed: bytes = SEED) -> tuple[bytes, str]:
    """The Ed25519 private key as PEM and its did:key verification method."""
    private = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    did = did_key_from_pem(public)
    return pem, f"{did}#{did.removeprefix('did:key:')}"


def test_a_credential_openbadgeslib_signs_verifies_in_ours():
    pem, method = signing_key()
    unsigned = ob3.Award(
        issuer=ob3.Issuer(id=method.split("#")[0], name="Autre plateforme"),
        achievement=ob3.Achievement(
            id="https://other.example/achievements/1", name="Leadership", description="d",
            criteria="Avoir animé un groupe.",
        ),
        recipient_email="sam@example.org", valid_from="2026-01-01T00:00:00Z", salt="abc",
    ).credential()  # fmt: skip
    signed = add_data_integrity_proof(unsigned, pem, method)
    report = verify(signed, email="sam@example.org", resolver=Resolver())
    assert report.valid, report.as_dict()
    assert not verify(signed, email="lina@example.org").valid
    tampered = copy.deepcopy(signed)
    tampered["name"] = "Autre chose"
    assert {c.name for c in verify(tampered).checks if not c.ok} == {"signature"}


def _library_credential(did: str) -> OpenBadgeCredential:
    return OpenBadgeCredential(
        issuer=Issuer(id=did, name="Autre plateforme"),
        recipient_id=None,
        achievement=Achievement(
            id="https://other.example/achievements/1", name="Leadership", description="d",
            criteria_narrative="Avoir animé un groupe.",
        ),
        identifiers=[IdentityObject.create("sam@example.org", salt="abc")],
    )  # fmt: skip


def test_what_openbadgeslib_signs_verifies_in_ours_even_with_its_choices():
    """The library names the OB 3.0 extensions context (we ship it) and puts the issuer's
    key in the VC-JWT header as `jwk`, without `kid` (allowed: the key must be the issuer's)."""
    pem, method = signing_key()
    credential = _library_credential(method.split("#")[0])
    signed = OB3LdpSigner(pem).sign(credential)
    assert OB3LdpVerifier().verify(signed).id == credential.id  # the library's own check
    report = verify(signed, resolver=Resolver())
    assert report.valid, report.as_dict()
    token = OB3Signer(pem, algorithm="EdDSA").sign(credential)
    assert OB3Verifier.for_issuer_did(credential.issuer.id).verify(token).id == credential.id
    report = verify(token, resolver=Resolver())
    assert report.valid, report.as_dict()
    # a header key that is not the issuer's is refused
    stranger_pem, _ = signing_key(seed=bytes(range(1, 33)))
    forged = OB3Signer(stranger_pem, algorithm="EdDSA").sign(credential)
    report = verify(forged, resolver=Resolver())
    assert not report.valid
    assert any(c.name == "issuer" and not c.ok for c in report.checks), report.as_dict()
