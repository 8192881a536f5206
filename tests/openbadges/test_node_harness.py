"""Self-tests of the offline Node interop harness (tests/interop/node), not of atout's signer.

What Digital Bazaar's libraries sign must verify with the same libraries, and anything
changed, unknown or signed with another key must not.
"""

import base64
import copy
import gzip
import json
from functools import cache

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.openbadges.node import (
    node,  # noqa: F401
    node_decode_status_list,
    node_sign,
    node_status_list,
    node_verify_di,
    node_verify_jwt,
)

# Every test runs the Node scripts. As a parameter, `node` would trip ruff's F811.
pytestmark = pytest.mark.usefixtures("node")

SEED = bytes(range(32))
OTHER_SEED = bytes(range(1, 33))
STATUS_URL = "https://atout.example/status/1"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def badge() -> dict:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0f6b1c2a-7d3e-4f5a-9b8c-1d2e3f4a5b6c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://atout.example/issuer", "type": ["Profile"], "name": "Atout"},
        "validFrom": "2025-01-15T10:00:00Z",
        "name": "Travail en équipe",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$"
                    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
                    "salt": "b3f1c2",
                }
            ],
            "achievement": {
                "id": "https://atout.example/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Travail en équipe",
                "description": "Coopère avec les autres pour atteindre un but commun.",
                "criteria": {"narrative": "Évalué par un référent sur une expérience vécue."},
                "achievementType": "Competency",
            },
        },
    }


@cache
def _signed(seed: bytes, status_index: int | None = None) -> str:
    credential = badge()
    if status_index is not None:
        credential["credentialStatus"] = {
            "id": f"{STATUS_URL}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": STATUS_URL,
        }
    return json.dumps(node_sign(credential, seed=seed))


def signed(seed: bytes = SEED, status_index: int | None = None) -> dict:
    return json.loads(_signed(seed, status_index))


def test_sign_derives_the_did_key_from_the_seed():
    result = signed()
    public = Ed25519PrivateKey.from_private_bytes(SEED).public_key()
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert result["publicJwk"] == {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
    assert result["did"] == f"did:key:{result['publicKeyMultibase']}"
    assert result["publicKeyMultibase"].startswith("z6Mk")
    assert result["verificationMethod"] == f"{result['did']}#{result['publicKeyMultibase']}"
    credential = result["credential"]
    assert credential["issuer"]["id"] == result["did"]
    assert credential["proof"]["type"] == "DataIntegrityProof"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["proofPurpose"] == "assertionMethod"
    assert credential["proof"]["verificationMethod"] == result["verificationMethod"]


def test_data_integrity_proof_verifies():
    assert node_verify_di(signed()["credential"]) == {
        "verified": True,
        "revoked": None,
        "errors": [],
    }


def test_changed_field_after_signing_does_not_verify():
    credential = signed()["credential"]
    credential["credentialSubject"]["achievement"]["name"] = "Leadership"
    result = node_verify_di(credential)
    assert result["verified"] is False
    assert "Invalid signature." in result["errors"]


def test_unknown_remote_context_is_refused_not_fetched():
    credential = signed()["credential"]
    url = "https://contexts.atout.example/unknown-v1.jsonld"
    credential["@context"].append(url)
    result = node_verify_di(credential)
    assert result["verified"] is False
    refusals = [e for e in result["errors"] if "refused" in e and url in e]
    assert refusals, result["errors"]


def test_revocation_status_is_read_from_the_status_list():
    list_body = node_status_list(revoked=[3])["credential"]
    list_body["issuer"] = "https://atout.example/issuer"  # replaced by the signing did:key
    list_body["validFrom"] = "2025-01-01T00:00:00Z"
    status_list = node_sign(list_body, seed=SEED)["credential"]
    docs = {STATUS_URL: status_list}

    revoked = signed(status_index=3)["credential"]
    assert node_verify_di(revoked, docs) == {"verified": True, "revoked": True, "errors": []}
    valid = signed(status_index=4)["credential"]
    assert node_verify_di(valid, docs) == {"verified": True, "revoked": False, "errors": []}

    missing = node_verify_di(valid)
    assert missing["verified"] is False
    assert missing["revoked"] is None
    assert any("refused" in e and STATUS_URL in e for e in missing["errors"])

    tampered = copy.deepcopy(status_list)
    tampered["credentialSubject"]["encodedList"] = node_status_list()["encodedList"]
    result = node_verify_di(revoked, {STATUS_URL: tampered})
    assert result["verified"] is False
    assert result["revoked"] is None


def test_jwt_verifies_with_the_did_key_and_with_the_jwk():
    result = signed()
    for verdict in (
        node_verify_jwt(result["jwt"]),
        node_verify_jwt(result["jwt"], jwk=result["publicJwk"]),
    ):
        assert verdict["verified"] is True, verdict["errors"]
        assert verdict["errors"] == []
        payload = verdict["payload"]
        assert payload["iss"] == result["did"] == payload["issuer"]["id"]
        assert payload["jti"] == payload["id"]
        assert payload["nbf"] == 1736935200  # validFrom
        assert payload["credentialSubject"]["achievement"]["achievementType"] == "Competency"


def test_jwt_with_a_wrong_key_does_not_verify():
    result = signed()
    other = signed(OTHER_SEED)
    verdict = node_verify_jwt(result["jwt"], jwk=other["publicJwk"])
    assert verdict["verified"] is False
    assert verdict["errors"]

    # The header names another did:key than the one that signed.
    header, payload, signature = result["jwt"].split(".")
    forged_header = b64url(
        json.dumps({"alg": "EdDSA", "kid": other["verificationMethod"], "typ": "JWT"}).encode()
    )
    verdict = node_verify_jwt(f"{forged_header}.{payload}.{signature}")
    assert verdict["verified"] is False


def test_jwt_with_a_changed_payload_does_not_verify():
    header, payload, signature = signed()["jwt"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Leadership"
    changed = b64url(json.dumps(claims).encode())
    assert node_verify_jwt(f"{header}.{changed}.{signature}")["verified"] is False


def test_rs256_jwt_verifies_with_its_jwk():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers.e.to_bytes(3, "big")),
    }
    credential = badge()
    claims = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"]}
    signing_input = (
        b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
        + "."
        + b64url(json.dumps(claims).encode())
    )
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    token = f"{signing_input}.{b64url(signature)}"
    assert node_verify_jwt(token, jwk=jwk)["verified"] is True

    claims["iss"] = "https://someone.else.example"
    signing_input = signing_input.split(".")[0] + "." + b64url(json.dumps(claims).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    verdict = node_verify_jwt(f"{signing_input}.{b64url(signature)}", jwk=jwk)
    assert verdict["verified"] is False
    assert any('"iss"' in e for e in verdict["errors"])


def test_status_list_encoding_matches_python_bits():
    size, revoked = 131072, [0, 7, 8, 1000, 131071]
    encoded = node_status_list(size=size, revoked=revoked)["encodedList"]
    assert encoded.startswith("u")
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    expected = bytearray(size // 8)
    for index in revoked:
        expected[index // 8] |= 0x80 >> (index % 8)  # most significant bit first
    assert bits == bytes(expected)

    ours = "u" + b64url(gzip.compress(bytes(expected)))
    assert node_decode_status_list(ours) == {"length": size, "set": revoked}
