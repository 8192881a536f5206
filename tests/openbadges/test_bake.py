import json
import struct
import time
import zlib
from xml.etree import ElementTree as ET

import pytest

from atout.openbadges.bake import (
    MAX_IMAGE_BYTES,
    MAX_PAYLOAD,
    OB2,
    OB3,
    BakeError,
    bake_png,
    bake_svg,
    minimal_png,
    unbake,
    unbake_png,
    unbake_svg,
)

SIG = b"\x89PNG\r\n\x1a\n"
ASSERTION = json.dumps(
    {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://atout.example/assertions/42",
        "narrative": "Lina a animé l'atelier ✓",
    },
    ensure_ascii=False,
)
CREDENTIAL = json.dumps(
    {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Coopération",
    },
    ensure_ascii=False,
)
JWS = "eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6eyJ0eXBlIjpbIlZlcmlmaWFibGVDcmVkZW50aWFsIl19fQ.c2lnbmF0dXJl"
VERIFY_URL = "https://atout.example/assertions/42"
SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<!-- badge artwork -->\n"
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 10 10" data-note="a &gt; b">\n'
    '  <defs><circle id="c" r="4"/></defs>\n'
    '  <use xlink:href="#c" x="5" y="5"/>\n'
    "</svg>\n"
)


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Parse a PNG by hand, checking every CRC."""
    assert png.startswith(SIG)
    out, pos = [], len(SIG)
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + data) == crc
        out.append((kind, data))
        pos += 12 + length
    return out


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_chunk_before_iend(png: bytes, raw_chunk: bytes) -> bytes:
    return png[:-12] + raw_chunk + png[-12:]


def itxt(keyword: bytes, text: bytes, *, compressed: bool = False) -> bytes:
    flag = b"\x01\x00" if compressed else b"\x00\x00"
    return chunk(b"iTXt", keyword + b"\x00" + flag + b"\x00\x00" + text)


# --- PNG -----------------------------------------------------------------------------------


def test_minimal_png_is_a_valid_transparent_rgba_png():
    png = minimal_png(3, 2)
    parsed = chunks(png)
    assert [kind for kind, _ in parsed] == [b"IHDR", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBB", parsed[0][1][:10]) == (3, 2, 8, 6)
    assert zlib.decompress(parsed[1][1]) == (b"\x00" + bytes(12)) * 2


@pytest.mark.parametrize(
    ("version", "payload"),
    [(OB2, ASSERTION), (OB2, JWS), (OB3, CREDENTIAL), (OB3, JWS)],
)
def test_png_round_trip_returns_version_and_payload(version, payload):
    baked = bake_png(minimal_png(), payload, version=version)
    assert unbake_png(baked) == (version, payload)
    assert unbake(baked) == (version, payload)


@pytest.mark.parametrize(
    ("version", "keyword"), [(OB2, b"openbadges"), (OB3, b"openbadgecredential")]
)
def test_bake_png_writes_one_uncompressed_itxt_chunk_before_iend(version, keyword):
    baked = bake_png(minimal_png(), CREDENTIAL, version=version)
    parsed = chunks(baked)
    assert [kind for kind, _ in parsed] == [b"IHDR", b"IDAT", b"iTXt", b"IEND"]
    data = parsed[2][1]
    assert data == keyword + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + CREDENTIAL.encode()


def test_bake_png_keeps_every_original_chunk_byte_for_byte():
    original = with_chunk_before_iend(minimal_png(4, 4), chunk(b"tEXt", b"Author\x00Atout"))
    baked = bake_png(original, ASSERTION, version=OB2)
    original_chunks = chunks(original)
    assert [c for c in chunks(baked) if c[0] != b"iTXt"] == original_chunks
    assert baked.startswith(original[:-12]) and baked.endswith(original[-12:])


@pytest.mark.parametrize(
    "existing",
    [
        itxt(b"openbadges", b"{}"),
        chunk(b"tEXt", b"openbadgecredential\x00{}"),
        chunk(b"zTXt", b"openbadges\x00\x00" + zlib.compress(b"{}")),
    ],
)
def test_bake_png_refuses_to_bake_twice(existing):
    png = with_chunk_before_iend(minimal_png(), existing)
    with pytest.raises(BakeError, match="twice"):
        bake_png(png, CREDENTIAL, version=OB3)


def test_bake_png_refuses_an_already_baked_output():
    baked = bake_png(minimal_png(), CREDENTIAL, version=OB3)
    with pytest.raises(BakeError, match="twice"):
        bake_png(baked, ASSERTION, version=OB2)


def test_unbake_png_refuses_two_badge_chunks_of_mixed_keywords():
    png = bake_png(minimal_png(), CREDENTIAL, version=OB3)
    png = with_chunk_before_iend(png, chunk(b"tEXt", b"openbadges\x00https://x.example/a"))
    with pytest.raises(BakeError, match="two"):
        unbake_png(png)


def test_unbake_png_refuses_a_png_without_badge():
    with pytest.raises(BakeError, match="no Open Badges"):
        unbake_png(minimal_png())


def test_png_with_a_wrong_crc_is_refused():
    baked = bytearray(bake_png(minimal_png(), CREDENTIAL, version=OB3))
    baked[-20] ^= 0xFF  # inside the iTXt text
    with pytest.raises(BakeError, match="CRC"):
        unbake_png(bytes(baked))
    broken = bytearray(minimal_png())
    broken[20] ^= 0x01  # inside IHDR data
    with pytest.raises(BakeError, match="CRC"):
        bake_png(bytes(broken), CREDENTIAL, version=OB3)


def test_truncated_png_is_refused():
    baked = bake_png(minimal_png(), CREDENTIAL, version=OB3)
    for cut in (len(baked) - 12, len(baked) - 40, 20):
        with pytest.raises(BakeError, match="truncated"):
            unbake_png(baked[:cut])


def test_bake_png_refuses_trailing_garbage_and_non_png():
    with pytest.raises(BakeError, match="after its IEND"):
        bake_png(minimal_png() + b"garbage", CREDENTIAL, version=OB3)
    with pytest.raises(BakeError, match="not a PNG"):
        bake_png(b"GIF89a" + bytes(30), CREDENTIAL, version=OB3)
    no_ihdr = SIG + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")
    with pytest.raises(BakeError, match="IHDR"):
        bake_png(no_ihdr, CREDENTIAL, version=OB3)


def test_bake_refuses_an_unknown_version_and_an_empty_payload():
    with pytest.raises(BakeError, match="version"):
        bake_png(minimal_png(), CREDENTIAL, version="ob4")
    with pytest.raises(BakeError, match="empty"):
        bake_png(minimal_png(), "  ", version=OB3)
    with pytest.raises(BakeError, match="larger"):
        bake_png(minimal_png(), "x" * (MAX_PAYLOAD + 1), version=OB3)


def test_unbake_png_reads_a_compressed_itxt_badge_chunk():
    png = with_chunk_before_iend(
        minimal_png(), itxt(b"openbadges", zlib.compress(ASSERTION.encode()), compressed=True)
    )
    assert unbake_png(png) == (OB2, ASSERTION)


def test_unbake_png_refuses_a_zlib_bomb_quickly():
    compressor = zlib.compressobj(9)
    block = bytes(1024 * 1024)
    bomb = b"".join(compressor.compress(block) for _ in range(200)) + compressor.flush()
    png = with_chunk_before_iend(minimal_png(), itxt(b"openbadgecredential", bomb, compressed=True))
    assert len(png) < 300_000  # 200 MB of zeros once inflated
    start = time.perf_counter()
    with pytest.raises(BakeError, match="larger"):
        unbake_png(png)
    assert time.perf_counter() - start < 0.5


def test_unbake_png_refuses_a_payload_that_is_not_utf8():
    png = with_chunk_before_iend(minimal_png(), itxt(b"openbadges", b"\xff\xfe{}"))
    with pytest.raises(BakeError, match="UTF-8"):
        unbake_png(png)


# --- SVG -----------------------------------------------------------------------------------


def badge_child(baked: str) -> ET.Element:
    root = ET.fromstring(baked.encode())
    return list(root)[0]


def test_svg_ob2_round_trip_with_verify_url():
    baked = bake_svg(SVG, ASSERTION, version=OB2, verify=VERIFY_URL)
    element = badge_child(baked)
    assert element.tag == "{http://openbadges.org}assertion"
    assert element.get("verify") == VERIFY_URL
    assert 'xmlns:openbadges="http://openbadges.org"' in baked
    assert "<![CDATA[" in baked
    assert unbake_svg(baked) == (OB2, ASSERTION)
    assert unbake(baked.encode()) == (OB2, ASSERTION)


def test_bake_svg_ob2_json_needs_a_verify_url():
    with pytest.raises(BakeError, match="verify"):
        bake_svg(SVG, ASSERTION, version=OB2)


def test_svg_ob3_round_trip_with_json_in_cdata():
    baked = bake_svg(SVG, CREDENTIAL, version=OB3)
    element = badge_child(baked)
    assert element.tag == "{https://purl.imsglobal.org/ob/v3p0}credential"
    assert element.get("verify") is None
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert unbake_svg(baked) == (OB3, CREDENTIAL)


def test_svg_ob3_round_trip_with_jws_in_verify_attribute():
    baked = bake_svg(SVG.encode(), JWS, version=OB3)
    element = badge_child(baked)
    assert element.get("verify") == JWS
    assert not element.text
    assert unbake_svg(baked) == (OB3, JWS)


def test_unbake_svg_ob2_with_only_a_verify_url_returns_the_url():
    svg = SVG.replace(
        'viewBox="0 0 10 10"',
        'xmlns:openbadges="http://openbadges.org" viewBox="0 0 10 10"',
    ).replace("\n  <defs>", f'<openbadges:assertion verify="{VERIFY_URL}"/><defs>')
    assert unbake_svg(svg) == (OB2, VERIFY_URL)


def test_svg_json_containing_cdata_end_survives():
    payload = json.dumps({"name": "a ]]> b ]]]]> c", "type": "OpenBadgeCredential"})
    baked = bake_svg(SVG, payload, version=OB3)
    assert unbake_svg(baked) == (OB3, payload)


def test_bake_svg_keeps_the_rest_of_the_svg():
    baked = bake_svg(SVG, CREDENTIAL, version=OB3)
    assert baked.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- badge artwork -->\n')
    assert "ns0:" not in baked
    assert '<use xlink:href="#c" x="5" y="5"/>' in baked
    assert 'data-note="a &gt; b" xmlns:openbadges=' in baked
    root = ET.fromstring(baked.encode())
    assert [el.tag.split("}")[1] for el in root] == ["credential", "defs", "use"]


def test_bake_svg_handles_a_self_closing_root():
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', JWS, version=OB2)
    assert baked.endswith("</svg>")
    assert unbake_svg(baked) == (OB2, JWS)


def test_bake_svg_refuses_to_bake_twice():
    baked = bake_svg(SVG, CREDENTIAL, version=OB3)
    with pytest.raises(BakeError, match="twice"):
        bake_svg(baked, ASSERTION, version=OB2, verify=VERIFY_URL)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>'
)


def test_svg_with_doctype_or_entities_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(BakeError, match="DOCTYPE"):
        unbake_svg(BILLION_LAUGHS)
    with pytest.raises(BakeError, match="DOCTYPE"):
        unbake(BILLION_LAUGHS.encode())
    with pytest.raises(BakeError, match="DOCTYPE"):
        bake_svg(BILLION_LAUGHS, CREDENTIAL, version=OB3)
    assert time.perf_counter() - start < 0.5
    plain_doctype = '<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(BakeError, match="DOCTYPE"):
        bake_svg(plain_doctype, CREDENTIAL, version=OB3)


def test_svg_whose_root_is_not_svg_is_refused():
    not_svg = '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    no_namespace = "<svg><rect/></svg>"
    for document in (not_svg, no_namespace):
        with pytest.raises(BakeError, match="root is not"):
            bake_svg(document, CREDENTIAL, version=OB3)
        with pytest.raises(BakeError, match="root is not"):
            unbake_svg(document)


def test_malformed_svg_is_refused():
    with pytest.raises(BakeError, match="well-formed"):
        bake_svg('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', JWS, version=OB3)


def test_unbake_svg_refuses_two_badge_elements():
    baked = bake_svg(SVG, CREDENTIAL, version=OB3)
    doubled = baked.replace("<defs>", f'<openbadges:credential verify="{JWS}"/><defs>')
    with pytest.raises(BakeError, match="two"):
        unbake_svg(doubled)


def test_unbake_svg_refuses_an_svg_without_badge():
    with pytest.raises(BakeError, match="no Open Badges"):
        unbake_svg(SVG)


# --- Sniffing and limits -----------------------------------------------------------------------


def test_unbake_sniffs_svg_after_bom_whitespace_and_declaration():
    baked = bake_svg(SVG, JWS, version=OB3)
    assert unbake(b"\xef\xbb\xbf \n" + baked.encode()) == (OB3, JWS)


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a\x01\x00", b"%PDF-1.7\n", b"<html><body>hi</body></html>", b"<<<"]
)
def test_unbake_refuses_bytes_that_are_not_an_image(data):
    with pytest.raises(BakeError, match="not a PNG or SVG image"):
        unbake(data)


def test_oversize_input_is_refused():
    big_png = minimal_png() + bytes(MAX_IMAGE_BYTES)
    with pytest.raises(BakeError, match="larger"):
        unbake(big_png)
    with pytest.raises(BakeError, match="larger"):
        bake_png(big_png, CREDENTIAL, version=OB3)
    big_svg = SVG.replace("</svg>", " " * MAX_IMAGE_BYTES + "</svg>")
    with pytest.raises(BakeError, match="larger"):
        bake_svg(big_svg, CREDENTIAL, version=OB3)
    with pytest.raises(BakeError, match="larger"):
        unbake_svg(big_svg)
