"""Bake Open Badges (2.0 and 3.0) into PNG and SVG images, and read them back.

PNG: one uncompressed ``iTXt`` chunk, keyword ``openbadges`` (OB 2.0) or
``openbadgecredential`` (OB 3.0), inserted just before ``IEND``.
SVG: an ``<openbadges:assertion>`` (OB 2.0) or ``<openbadges:credential>`` (OB 3.0)
element, first child of the root ``<svg>``.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import defusedxml
from defusedxml import ElementTree as SafeET

OB2 = "ob2"
OB3 = "ob3"

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PAYLOAD = 1024 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
OB2_NS = "http://openbadges.org"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"

_KEYWORDS = {OB2: b"openbadges", OB3: b"openbadgecredential"}
_VERSIONS = {keyword: version for version, keyword in _KEYWORDS.items()}
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")
_SVG_ELEMENTS = {OB2: (OB2_NS, "assertion"), OB3: (OB3_NS, "credential")}
_BADGE_TAGS = {f"{{{ns}}}{name}": version for version, (ns, name) in _SVG_ELEMENTS.items()}

_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ENCODING_DECL = re.compile(r"""<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
_ATTR_ESCAPES = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


class BakeError(ValueError):
    """The image cannot be baked or read; the message says why, in plain English."""


class _NotSvgError(BakeError):
    """The data is not an SVG document at all (``unbake`` reports it as a non-image)."""


# --- PNG -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chunk:
    type: bytes
    data: bytes
    start: int  # offset of the length field in the file


def _png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def minimal_png(width: int = 1, height: int = 1) -> bytes:
    """A valid, fully transparent RGBA PNG of the given size."""
    if not (1 <= width <= 4096 and 1 <= height <= 4096):
        raise ValueError("width and height must be between 1 and 4096")
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    rows = (b"\x00" + b"\x00" * 4 * width) * height  # filter byte 0, then RGBA pixels
    return (
        PNG_SIGNATURE
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(rows, 9))
        + _png_chunk(b"IEND", b"")
    )


def _read_chunks(png: bytes) -> list[_Chunk]:
    """Check the PNG structure strictly and return its chunks (IHDR first, IEND last)."""
    if len(png) > MAX_IMAGE_BYTES:
        raise BakeError(f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    if not png.startswith(PNG_SIGNATURE):
        raise BakeError("the file is not a PNG image (wrong signature)")
    chunks: list[_Chunk] = []
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 12 > len(png):
            raise BakeError(
                "the PNG is truncated (it ends in the middle of a chunk or has no IEND)"
            )
        length, chunk_type = struct.unpack(">I4s", png[pos : pos + 8])
        if length > 0x7FFFFFFF or not chunk_type.isalpha():
            raise BakeError("the PNG is corrupt (a chunk header is invalid)")
        end = pos + 12 + length
        if end > len(png):
            raise BakeError("the PNG is truncated (it ends in the middle of a chunk)")
        data = png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(chunk_type + data) & 0xFFFFFFFF != crc:
            name = chunk_type.decode("ascii")
            raise BakeError(f"the PNG is corrupt (the {name} chunk has a wrong CRC)")
        if not chunks and (chunk_type != b"IHDR" or length != 13):
            raise BakeError("the PNG is corrupt (it does not start with an IHDR chunk)")
        chunks.append(_Chunk(chunk_type, data, pos))
        pos = end
        if chunk_type == b"IEND":
            break
    if pos != len(png):
        raise BakeError("the PNG has unexpected data after its IEND chunk")
    if not any(chunk.type == b"IDAT" for chunk in chunks):
        raise BakeError("the PNG has no image data (IDAT chunk)")
    return chunks


def _badge_chunks(chunks: list[_Chunk]) -> list[_Chunk]:
    return [
        chunk
        for chunk in chunks
        if chunk.type in _TEXT_CHUNKS and chunk.data.split(b"\x00", 1)[0] in _VERSIONS
    ]


def _keyword(version: str) -> bytes:
    try:
        return _KEYWORDS[version]
    except KeyError:
        raise BakeError(f"unknown Open Badges version {version!r} (use OB2 or OB3)") from None


def _payload_bytes(payload: str) -> bytes:
    try:
        data = payload.encode("utf-8")
    except UnicodeEncodeError:
        raise BakeError("the badge payload is not valid Unicode text") from None
    if not data.strip():
        raise BakeError("the badge payload is empty")
    if len(data) > MAX_PAYLOAD:
        raise BakeError(f"the badge payload is larger than {MAX_PAYLOAD // 1024} KB")
    return data


def bake_png(png: bytes, payload: str, *, version: str) -> bytes:
    """Return ``png`` with ``payload`` in an uncompressed iTXt badge chunk before IEND."""
    keyword = _keyword(version)
    text = _payload_bytes(payload)
    chunks = _read_chunks(png)
    if _badge_chunks(chunks):
        raise BakeError("the PNG already holds a badge; it cannot be baked twice")
    # keyword, NUL, compression flag 0, method 0, empty language tag, empty translated keyword
    chunk = _png_chunk(b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + text)
    iend = chunks[-1].start
    baked = png[:iend] + chunk + png[iend:]
    if len(baked) > MAX_IMAGE_BYTES:
        raise BakeError("the baked image would be too large")
    return baked


def _inflate(data: bytes) -> bytes:
    """Inflate a zlib stream, refusing (early) anything that grows beyond MAX_PAYLOAD."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_PAYLOAD + 1)
    except zlib.error:
        raise BakeError("the badge chunk is corrupt (it cannot be decompressed)") from None
    if len(out) > MAX_PAYLOAD:
        raise BakeError(f"the badge payload is larger than {MAX_PAYLOAD // 1024} KB")
    if not inflater.eof:
        raise BakeError("the badge chunk is corrupt (its compressed data is truncated)")
    return out


def _chunk_text(chunk: _Chunk) -> bytes:
    """The raw text of a tEXt, zTXt or iTXt chunk, decompressed when needed."""
    rest = chunk.data.split(b"\x00", 1)[1]
    if chunk.type == b"tEXt":
        return rest
    if chunk.type == b"zTXt":
        if rest[:1] != b"\x00":
            raise BakeError("the badge chunk uses an unknown compression method")
        return _inflate(rest[1:])
    if len(rest) < 2:
        raise BakeError("the badge chunk is malformed")
    flag, method, rest = rest[0], rest[1], rest[2:]
    parts = rest.split(b"\x00", 2)  # language tag, translated keyword, text
    if len(parts) != 3:
        raise BakeError("the badge chunk is malformed")
    if flag == 0:
        return parts[2]
    if flag == 1 and method == 0:
        return _inflate(parts[2])
    raise BakeError("the badge chunk uses an unknown compression method")


def unbake_png(png: bytes) -> tuple[str, str]:
    """Return ``(version, payload)`` from the single badge chunk of a PNG."""
    found = _badge_chunks(_read_chunks(png))
    if not found:
        raise BakeError("the PNG holds no Open Badges data")
    if len(found) > 1:
        raise BakeError("the PNG holds two badge chunks or more; it is ambiguous")
    chunk = found[0]
    text = _chunk_text(chunk)
    if len(text) > MAX_PAYLOAD:
        raise BakeError(f"the badge payload is larger than {MAX_PAYLOAD // 1024} KB")
    try:
        payload = text.decode("utf-8")
    except UnicodeDecodeError:
        raise BakeError("the badge payload is not valid UTF-8 text") from None
    if not payload.strip():
        raise BakeError("the badge chunk is empty")
    return _VERSIONS[chunk.data.split(b"\x00", 1)[0]], payload


# --- SVG -------------------------------------------------------------------------------------


def _is_jws(value: str) -> bool:
    return _JWS.fullmatch(value) is not None


def _parse_svg(svg: str | bytes) -> ET.Element:
    """Parse safely (no DTD, no entities) and check the root is an SVG ``<svg>``."""
    size = len(svg) if isinstance(svg, bytes) else len(svg.encode("utf-8", "surrogatepass"))
    if size > MAX_IMAGE_BYTES:
        raise BakeError(f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    # An XML declaration must come first: tolerate a UTF-8 BOM and whitespace before it.
    svg = (
        svg.removeprefix(b"\xef\xbb\xbf") if isinstance(svg, bytes) else svg.removeprefix("\ufeff")
    )
    try:
        root: ET.Element = SafeET.fromstring(svg.lstrip(), forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise BakeError("the SVG contains a DOCTYPE or entity declarations, refused") from None
    except (ET.ParseError, UnicodeError, LookupError):
        raise _NotSvgError("the SVG is not well-formed XML") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _NotSvgError("the document is not an SVG image (its root is not <svg>)")
    return root


def _badge_elements(root: ET.Element) -> list[tuple[str, ET.Element]]:
    return [(_BADGE_TAGS[el.tag], el) for el in root.iter() if el.tag in _BADGE_TAGS]


def unbake_svg(svg: str | bytes) -> tuple[str, str]:
    """Return ``(version, payload)`` from the single badge element of an SVG."""
    found = _badge_elements(_parse_svg(svg))
    if not found:
        raise BakeError("the SVG holds no Open Badges data")
    if len(found) > 1:
        raise BakeError("the SVG holds two badge elements or more; it is ambiguous")
    version, element = found[0]
    verify = (element.get("verify") or "").strip()
    text = (element.text or "").strip()
    payload = verify if _is_jws(verify) else text or verify
    if not payload:
        raise BakeError("the badge element is empty")
    if len(payload.encode("utf-8", "surrogatepass")) > MAX_PAYLOAD:
        raise BakeError(f"the badge payload is larger than {MAX_PAYLOAD // 1024} KB")
    return version, payload


def _svg_text(svg: str | bytes) -> str:
    if isinstance(svg, bytes):
        try:
            text = svg.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BakeError("only UTF-8 SVG files can be baked") from None
    else:
        text = svg.removeprefix("\ufeff")
    text = text.lstrip()  # nothing may precede the XML declaration
    declared = _ENCODING_DECL.match(text)
    if declared and declared.group(1).lower() not in _UTF8_NAMES:
        raise BakeError("only UTF-8 SVG files can be baked")
    return text


def _root_start_tag(text: str) -> tuple[int, int, str]:
    """Offsets of the root start tag (``<`` .. ``>`` inclusive) and its qualified name.

    Only called on text already parsed as well-formed XML without a DOCTYPE.
    """
    pos = 0
    while True:
        while text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            pos = text.index("?>", pos) + 2
        elif text.startswith("<!--", pos):
            pos = text.index("-->", pos) + 3
        else:
            break
    end, quote = pos + 1, ""
    while quote or text[end] != ">":
        char = text[end]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        end += 1
    name = re.match(r"[^\s/>]+", text[pos + 1 :])
    assert name is not None
    return pos, end, name.group(0)


def _cdata(payload: str) -> str:
    return "<![CDATA[" + payload.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _attr(value: str) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char, entity in _ATTR_ESCAPES.items():
        escaped = escaped.replace(char, entity)
    return f'"{escaped}"'


def _badge_element(payload: str, version: str, verify: str | None) -> str:
    ns, name = _SVG_ELEMENTS[version]
    if _is_jws(payload):
        if verify is not None and verify != payload:
            raise BakeError("for a signed badge (JWS), verify must be the JWS itself")
        return f"<openbadges:{name} verify={_attr(payload)}></openbadges:{name}>"
    if version == OB3:
        if verify is not None:
            raise BakeError("verify is only used for a JWS payload in Open Badges 3.0")
        return f"<openbadges:{name}>{_cdata(payload)}</openbadges:{name}>"
    if not verify:
        raise BakeError("an Open Badges 2.0 SVG needs the verify URL of the hosted assertion")
    return f"<openbadges:{name} verify={_attr(verify)}>{_cdata(payload)}</openbadges:{name}>"


def bake_svg(svg: str | bytes, payload: str, *, version: str, verify: str | None = None) -> str:
    """Return ``svg`` with a badge element added as the first child of its root."""
    _keyword(version)
    _payload_bytes(payload)
    if _NOT_XML_CHAR.search(payload) or (verify and _NOT_XML_CHAR.search(verify)):
        raise BakeError("the badge payload contains characters that XML cannot hold")
    text = _svg_text(svg)
    root = _parse_svg(text)
    if any(el.tag.startswith((f"{{{OB2_NS}}}", f"{{{OB3_NS}}}")) for el in root.iter()):
        raise BakeError("the SVG already holds a badge; it cannot be baked twice")
    start, end, qname = _root_start_tag(text)
    tag = text[start:end]  # without the closing ">"
    ns = _SVG_ELEMENTS[version][0]
    declared = re.search(r"""\sxmlns:openbadges\s*=\s*(["'])(.*?)\1""", tag)
    if declared and declared.group(2) != ns:
        raise BakeError("the SVG already binds the openbadges prefix to another namespace")
    closed = tag.endswith("/")
    if closed:
        tag = tag[:-1].rstrip()
    if not declared:
        tag += f' xmlns:openbadges="{ns}"'
    element = _badge_element(payload, version, verify)
    tail = f"</{qname}>" if closed else ""
    baked = text[:start] + tag + ">" + element + tail + text[end + 1 :]
    expected = payload.replace("\r\n", "\n").replace("\r", "\n").strip()
    if unbake_svg(baked) != (version, expected):  # never hand out a badge we cannot read
        raise BakeError("the badge could not be baked into this SVG")
    return baked


# --- Sniffing --------------------------------------------------------------------------------


def unbake(data: bytes) -> tuple[str, str]:
    """Return ``(version, payload)`` from a baked PNG or SVG image."""
    if len(data) > MAX_IMAGE_BYTES:
        raise BakeError(f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    if data.startswith(PNG_SIGNATURE):
        return unbake_png(data)
    if data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        try:
            return unbake_svg(data)
        except _NotSvgError:
            raise BakeError("not a PNG or SVG image") from None
    raise BakeError("not a PNG or SVG image")
