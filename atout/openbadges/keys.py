"""Signing keys: Ed25519 (Data Integrity and EdDSA JWTs) and RSA (RS256 JWTs).

Public keys are published as Multikey (``publicKeyMultibase: "z6Mk…"``), as ``did:key``
and as JWK. Private keys are stored as PKCS#8 PEM encrypted with a passphrase.
"""

import base64
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

ED25519_PUB = b"\xed\x01"  # multicodec varint for ed25519-pub
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
B58_INDEX = {c: i for i, c in enumerate(B58)}


class BadKey(ValueError):
    """A key that cannot be read or used."""


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def b58decode(text: str) -> bytes:
    n = 0
    for char in text:
        if char not in B58_INDEX:
            raise BadKey(f"not base58: {char!r}")
        n = n * 58 + B58_INDEX[char]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise BadKey("not base64url") from error


def multikey_encode(public: ed25519.Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(ED25519_PUB + raw)


def multikey_decode(multibase: str) -> ed25519.Ed25519PublicKey:
    if not multibase.startswith("z"):
        raise BadKey("publicKeyMultibase must be base58btc ('z…')")
    data = b58decode(multibase[1:])
    if not data.startswith(ED25519_PUB) or len(data) != 34:
        raise BadKey("not an Ed25519 Multikey")
    return ed25519.Ed25519PublicKey.from_public_bytes(data[2:])


def did_key(public: ed25519.Ed25519PublicKey) -> str:
    return "did:key:" + multikey_encode(public)


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document of a ``did:key`` (Ed25519), built locally: no network."""
    if not did.startswith("did:key:"):
        raise BadKey(f"not a did:key: {did}")
    multibase = did.removeprefix("did:key:")
    multikey_decode(multibase)  # checks it
    vm = f"{did}#{multibase}"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {"id": vm, "type": "Multikey", "controller": did, "publicKeyMultibase": multibase}
        ],
        "authentication": [vm],
        "assertionMethod": [vm],
        "capabilityDelegation": [vm],
        "capabilityInvocation": [vm],
    }


def public_jwk(public: ed25519.Ed25519PublicKey | rsa.RSAPublicKey) -> dict[str, str]:
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
    numbers = public.public_numbers()
    return {
        "kty": "RSA",
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
    }


def jwk_to_public(jwk: dict[str, Any]) -> ed25519.Ed25519PublicKey | rsa.RSAPublicKey:
    if "d" in jwk or "p" in jwk:
        raise BadKey("a private JWK was published: refusing it")
    if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(str(jwk.get("x", ""))))
    if jwk.get("kty") == "RSA":
        n = int.from_bytes(b64url_decode(str(jwk.get("n", ""))), "big")
        e = int.from_bytes(b64url_decode(str(jwk.get("e", ""))), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    raise BadKey(f"unsupported JWK: kty={jwk.get('kty')!r} crv={jwk.get('crv')!r}")


@dataclass(frozen=True)
class SigningKey:
    """A private key and the id of its published public key (``kid`` / verificationMethod)."""

    private: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
    key_id: str

    @property
    def algorithm(self) -> str:
        return "EdDSA" if isinstance(self.private, ed25519.Ed25519PrivateKey) else "RS256"

    def public(self) -> ed25519.Ed25519PublicKey | rsa.RSAPublicKey:
        return self.private.public_key()

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.private, ed25519.Ed25519PrivateKey):
            return self.private.sign(data)
        return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())


def verify_signature(
    public: ed25519.Ed25519PublicKey | rsa.RSAPublicKey, signature: bytes, data: bytes
) -> bool:
    try:
        if isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(signature, data)
        else:
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def new_ed25519(seed: bytes | None = None) -> ed25519.Ed25519PrivateKey:
    if seed is not None:
        return ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    return ed25519.Ed25519PrivateKey.generate()


def new_rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_to_pem(
    private: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey, passphrase: bytes
) -> str:
    """PKCS#8 PEM, encrypted with ``passphrase`` (never stored next to the key)."""
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    ).decode()


def private_from_pem(pem: str, passphrase: bytes) -> ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=passphrase)
    except (ValueError, TypeError) as error:
        raise BadKey("cannot decrypt the private key (wrong ATOUT_KEYS_SECRET?)") from error
    if not isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
        raise BadKey("unsupported private key type")
    return key


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
