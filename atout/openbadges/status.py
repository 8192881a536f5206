"""W3C Bitstring Status List: one bit per award, set when the award is revoked.

``encodedList`` = "u" + base64url(gzip(bits)), the most significant bit of the first byte
being index 0; lists hold at least 131 072 bits (16 KB) so an index says little about
who holds it.
"""

import base64
import gzip
import zlib
from typing import Any

from .loader import VC_V2

MIN_BITS = 131_072
MAX_ENCODED = 1024 * 1024


class StatusError(ValueError):
    """The status list cannot be read."""


def encode(revoked: set[int] | frozenset[int], size: int = MIN_BITS) -> str:
    size = max(size, MIN_BITS)
    bits = bytearray((size + 7) // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise StatusError(f"index {index} is outside the list (size {size})")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u") or len(encoded) > MAX_ENCODED:
        raise StatusError("encodedList must be multibase base64url ('u…')")
    try:
        packed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        bits = inflater.decompress(packed, 16 * MAX_ENCODED)
    except (ValueError, zlib.error) as error:
        raise StatusError("encodedList is not gzip-compressed base64url") from error
    if inflater.unconsumed_tail:
        raise StatusError("the status list is too large")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusError(f"status index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def entry(list_url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(
    *,
    list_url: str,
    issuer: dict[str, Any],
    valid_from: str,
    revoked: set[int],
    size: int = MIN_BITS,
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential for ``revoked`` indices."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer["id"],
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(revoked, size),
        },
    }
