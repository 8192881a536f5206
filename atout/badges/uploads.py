"""Check and clean uploaded files before anything is stored: badge images and evidence.

Everything is decided from the bytes, never from the file name or the type the browser claims.
Limits are checked first (empty file, size), before any parsing.

Badge images (PNG or SVG):

- PNG is decoded by Pillow and re-encoded to a fresh RGBA PNG: text chunks (so any badge
  data already baked in), EXIF, ICC profiles and bytes after ``IEND`` are all dropped.
- SVG is parsed with defusedxml (no DOCTYPE, no entities), checked for anything that could
  run or fetch (scripts, event handlers, external links, ``@import``…), then *re-serialised*:
  what we store is our own rewrite of the checked tree, never the original bytes. Comments,
  processing instructions (``<?xml-stylesheet?>``), elements and attributes outside the SVG,
  XLink and XML namespaces (editor metadata, Open Badges data already baked in) are dropped.

Evidence: photos (JPEG, PNG, WebP) are decoded and re-encoded without any metadata (EXIF
with GPS, XMP, comments, ICC profile), after applying the EXIF orientation. Videos (MP4,
WebM), sounds (MP3, OGG, M4A) and PDF are recognised by their magic bytes and a light look
at their structure, then stored as they are: no transcoding, no cleaning of their own
metadata, no check of PDF content (serve them as downloads, with ``nosniff``).

No Django model here: callers store ``CleanFile.content`` wherever they like.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from typing import Final
from xml.etree import ElementTree as ET

import defusedxml
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext
from PIL import Image, ImageOps

BADGE_IMAGE_MAX: Final = 2 * 1024 * 1024
EVIDENCE_MAX: Final = 20 * 1024 * 1024
MAX_PIXELS: Final = 4096 * 4096
BADGE_MAX_SIDE: Final = 4096
BADGE_MIN_SIDE: Final = 64

JPEG_QUALITY: Final = 90
WEBP_QUALITY: Final = 90

SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_NS: Final = "http://www.w3.org/1999/xlink"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"


class UploadRefused(ValueError):
    """An upload we will not store. ``code`` is stable (for the API and tests), ``message``
    is French, for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CleanFile:
    content: bytes  # what to store
    content_type: str  # the real type we detected, never the client's claim
    extension: str  # without the dot
    width: int | None = None  # pixels, for raster images only
    height: int | None = None


# --- Shared ----------------------------------------------------------------------------------


def _check_size(data: bytes, limit: int) -> None:
    if not data:
        raise UploadRefused("empty", gettext("Ce fichier est vide."))
    if len(data) > limit:
        raise UploadRefused(
            "too_large",
            gettext("Ce fichier est trop gros (%(max)s Mo au plus).") % {"max": limit >> 20},
        )


def _corrupt() -> UploadRefused:
    return UploadRefused("corrupt", gettext("Ce fichier est abîmé ou incomplet."))


def _too_big_image() -> UploadRefused:
    return UploadRefused(
        "image_bomb", gettext("Cette image est trop grande (4096 × 4096 pixels au plus).")
    )


def _sniff_raster(data: bytes) -> str | None:
    """Pillow's format name for a PNG, JPEG or WebP, else None."""
    if data.startswith(_PNG_MAGIC):
        return "PNG"
    if data.startswith(_JPEG_MAGIC):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


# --- Raster images ---------------------------------------------------------------------------


def _open(data: bytes, pil_format: str) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=[pil_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own, process-wide limit (about 89 Mpx), met before ours.
        raise _too_big_image() from None
    except Exception:  # any decoder error: truncated, bad chunk, bad header…
        raise _corrupt() from None


def _decode(data: bytes, pil_format: str, *, badge: bool) -> Image.Image:
    """Open (header only), check the dimensions, verify, then decode the pixels."""
    with _open(data, pil_format) as probe:
        width, height = probe.size
        if width * height > MAX_PIXELS or (
            badge and (width > BADGE_MAX_SIDE or height > BADGE_MAX_SIDE)
        ):
            raise _too_big_image()
        if badge and (width < BADGE_MIN_SIDE or height < BADGE_MIN_SIDE):
            raise UploadRefused(
                "too_small", gettext("Cette image est trop petite (64 × 64 pixels au moins).")
            )
        try:
            probe.verify()  # PNG: every chunk's CRC, up to IEND
        except Exception:
            raise _corrupt() from None
    image = _open(data, pil_format)  # verify() leaves the image unusable: open again
    try:
        image.load()
    except Exception:
        image.close()
        raise _corrupt() from None
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "RGBa", "LA", "La", "PA") or "transparency" in image.info


def _to_mode(image: Image.Image, mode: str) -> Image.Image:
    if image.mode.startswith("I;16") or image.mode == "I":  # 16-bit grey: scale, not clip
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert(mode)


def _fresh(image: Image.Image, mode: str) -> Image.Image:
    """The pixels alone, in a new image: no ``info`` (EXIF, XMP, ICC, text, comment) can
    follow into the saved file, whatever the encoder falls back on."""
    pixels = _to_mode(image, mode)
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def _encode(image: Image.Image, pil_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=pil_format, **options)
    return out.getvalue()


def _clean_badge_png(data: bytes) -> CleanFile:
    with _decode(data, "PNG", badge=True) as image:
        clean = _fresh(image, "RGBA")
    return CleanFile(_encode(clean, "PNG"), "image/png", "png", clean.width, clean.height)


_PHOTO = {  # Pillow format: content type, extension, save options
    "JPEG": ("image/jpeg", "jpg", {"quality": JPEG_QUALITY}),
    "PNG": ("image/png", "png", {}),
    "WEBP": ("image/webp", "webp", {"quality": WEBP_QUALITY}),
}


def _clean_photo(data: bytes, pil_format: str) -> CleanFile:
    content_type, extension, options = _PHOTO[pil_format]
    with _decode(data, pil_format, badge=False) as image:
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception:  # an unreadable EXIF block: keep the pixels as they are
            upright = image.copy()
        if _has_alpha(upright) and pil_format != "JPEG":
            mode = "RGBA"
        elif upright.mode in ("1", "L") or upright.mode.startswith("I"):
            mode = "L"
        else:
            mode = "RGB"
        clean = _fresh(upright, mode)
    content = _encode(clean, pil_format, **options)
    return CleanFile(content, content_type, extension, clean.width, clean.height)


# --- SVG -------------------------------------------------------------------------------------

_FORBIDDEN_ELEMENTS = frozenset(
    {
        "script",
        "foreignobject",
        "iframe",
        "frame",
        "frameset",
        "embed",
        "object",
        "applet",
        "handler",
        "listener",
        "base",
        "link",
        "meta",
        "form",
    }
)
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_SAFE_DATA_URL = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*([^'\")]*)")
_CSS_FORBIDDEN = ("@import", "\\", "image-set(", "src(", "expression(", "-moz-binding")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_BLANKS = re.compile(r"[\x00-\x20\x7f]+")
# A start tag named svg, with or without a prefix: enough to treat text as an SVG attempt.
_SVG_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]")


def _svg_refused(what: str) -> UploadRefused:
    return UploadRefused(
        "svg_script",
        gettext("Cette image SVG contient un élément interdit (%(what)s).") % {"what": what},
    )


def _split(name: str) -> tuple[str, str]:
    """``{ns}local`` → (ns, local); no namespace → ("", name)."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _check_css(css: str) -> None:
    text = _CSS_COMMENT.sub("", css).lower()
    for word in _CSS_FORBIDDEN:
        if word in text:
            raise _svg_refused("CSS " + word)
    for match in _CSS_URL.finditer(text):
        if not match.group(2).strip().startswith("#"):
            raise _svg_refused(gettext("lien externe dans le CSS"))


def _check_svg(root: ET.Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and PIs are not kept by the parser
            continue
        local = _split(element.tag)[1].lower()
        if local in _FORBIDDEN_ELEMENTS:
            raise _svg_refused(f"<{_split(element.tag)[1]}>")
        if local == "style":
            _check_css(element.text or "")
        for name, value in element.attrib.items():
            ns, attr = _split(name)
            attr = attr.lower()
            if attr.startswith("on"):
                raise _svg_refused(attr)
            if ns == XML_NS and attr == "base":
                raise _svg_refused("xml:base")
            squashed = _BLANKS.sub("", value).lower()
            if any(scheme in squashed for scheme in _SCRIPT_SCHEMES):
                raise _svg_refused("javascript:")
            if attr in _URL_ATTRIBUTES:
                target = value.strip()
                if target and not target.startswith("#") and not _SAFE_DATA_URL.fullmatch(target):
                    raise _svg_refused(gettext("lien externe"))
                continue
            if local in _ANIMATIONS and attr == "attributename":
                animated = _split(value.strip())[1].rpartition(":")[2].lower()
                if animated in _URL_ATTRIBUTES or animated.startswith("on"):
                    raise _svg_refused(gettext("animation de %(name)s") % {"name": animated})
            _check_css(value)  # style="…", fill="url(…)", values="…" of animations


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    value = _escape_text(value).replace('"', "&quot;")
    return value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def _serialise_svg(root: ET.Element) -> bytes:
    """Write the checked tree back: SVG elements only (SVG as the default namespace), their
    plain, ``xlink:`` and ``xml:`` attributes, and text. Iterative: depth is no problem."""
    out: list[str] = []
    uses_xlink = False
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tail = "" if element is root else _escape_text(element.tail or "")
        ns, local = _split(element.tag) if isinstance(element.tag, str) else ("", "")
        if closing:
            out.append(f"</{local}>{tail}")
            continue
        if ns != SVG_NS:  # editor metadata, baked badge data, stray elements: dropped
            out.append(tail)
            continue
        attributes = []
        for name, value in element.attrib.items():
            attr_ns, attr = _split(name)
            if attr_ns == XLINK_NS:
                uses_xlink, attr = True, "xlink:" + attr
            elif attr_ns == XML_NS:
                attr = "xml:" + attr
            elif attr_ns:
                continue
            attributes.append(f' {attr}="{_escape_attribute(value)}"')
        if element is root:
            attributes.insert(0, f' xmlns="{SVG_NS}"')
        out.append(f"<{local}{''.join(attributes)}")
        children = list(element)
        if not children and not element.text:
            out.append(f"/>{tail}")
            continue
        out.append(">" + _escape_text(element.text or ""))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(children))
    if uses_xlink:
        out[0] = out[0].replace(" ", f' xmlns:xlink="{XLINK_NS}" ', 1)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(out)).encode("utf-8")


def _looks_like_svg(data: bytes) -> bool:
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and _SVG_START.search(data) is not None


def _clean_svg(data: bytes) -> CleanFile:
    try:
        root = SafeET.fromstring(data.removeprefix(b"\xef\xbb\xbf").lstrip(), forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise _svg_refused("DOCTYPE") from None
    except (ET.ParseError, UnicodeError, LookupError, ValueError):
        raise _corrupt() from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _bad_badge_type()
    _check_svg(root)
    content = _serialise_svg(root)
    _check_size(content, BADGE_IMAGE_MAX)  # escaping can grow a pathological file
    return CleanFile(content, "image/svg+xml", "svg")


# --- Video, audio, PDF -----------------------------------------------------------------------

_M4A_BRANDS = frozenset({b"M4A ", b"M4B "})
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}
)
_IMAGE_BRANDS = frozenset(  # HEIF/HEIC/AVIF also start with an ftyp box
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
)


def _sniff_iso_media(data: bytes) -> tuple[str, str] | None:
    """MP4 or M4A: an ``ftyp`` box first, known brands, then whole top-level boxes to the end."""
    if data[4:8] != b"ftyp" or len(data) < 16:
        return None
    (ftyp_size,) = struct.unpack_from(">I", data)
    if ftyp_size < 16 or ftyp_size > len(data) or ftyp_size % 4:
        raise _corrupt()
    major = data[8:12]
    compatible = {data[i : i + 4] for i in range(16, ftyp_size, 4)}
    if major in _IMAGE_BRANDS or compatible & _IMAGE_BRANDS:
        return None
    if major in _M4A_BRANDS or (major not in _MP4_BRANDS and compatible & _M4A_BRANDS):
        kind = ("audio/mp4", "m4a")
    elif major in _MP4_BRANDS or compatible & _MP4_BRANDS:
        kind = ("video/mp4", "mp4")
    else:  # QuickTime .mov ("qt  "), 3GP…
        return None
    pos = 0
    while pos < len(data):
        if pos + 8 > len(data):
            raise _corrupt()
        size, box = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:  # 64-bit size follows
            if pos + 16 > len(data):
                raise _corrupt()
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:  # up to the end of the file
            size = len(data) - pos
        if size < header or pos + size > len(data) or not all(32 <= c < 127 for c in box):
            raise _corrupt()
        pos += size
    return kind


def _ebml_length(first: int) -> int:
    if not first:
        raise IndexError("invalid EBML variable-size integer")
    return 9 - first.bit_length()


def _ebml_size(data: bytes, pos: int) -> tuple[int, int]:
    length = _ebml_length(data[pos])
    value = data[pos] & ((1 << (8 - length)) - 1)
    for byte in data[pos + 1 : pos + length]:
        value = value << 8 | byte
    if pos + length > len(data):
        raise IndexError("truncated EBML size")
    return value, length


def _is_webm(data: bytes) -> bool:
    """Walk the EBML header for its DocType: ``webm`` (Matroska .mkv is refused)."""
    try:
        size, length = _ebml_size(data, 4)
        pos, end = 4 + length, 4 + length + size
        if end > len(data):
            raise _corrupt()
        while pos < end:
            id_length = _ebml_length(data[pos])
            element = data[pos : pos + id_length]
            size, length = _ebml_size(data, pos + id_length)
            pos += id_length + length
            if element == b"\x42\x82":  # DocType
                return data[pos : pos + size].rstrip(b"\x00") == b"webm"
            pos += size
    except IndexError:
        raise _corrupt() from None
    return False


def _mp3_frame(data: bytes, pos: int) -> bool:
    """An MPEG audio layer III frame header at ``pos``."""
    if pos + 4 > len(data):
        return False
    b0, b1, b2 = data[pos], data[pos + 1], data[pos + 2]
    return (
        b0 == 0xFF
        and b1 & 0xE0 == 0xE0
        and (b1 >> 3) & 3 != 1  # reserved MPEG version
        and (b1 >> 1) & 3 == 1  # layer III
        and b2 >> 4 != 15  # bad bitrate
        and (b2 >> 2) & 3 != 3  # reserved sample rate
    )


def _is_mp3(data: bytes) -> bool:
    if data[:3] == b"ID3" and len(data) >= 10 and data[3] in (2, 3, 4):
        sizes = data[6:10]
        if any(byte & 0x80 for byte in sizes):
            return False
        pos = 10 + (sizes[0] << 21 | sizes[1] << 14 | sizes[2] << 7 | sizes[3])
        pos += 10 if data[5] & 0x10 else 0  # footer
        while pos < len(data) and data[pos] == 0:  # padding beyond the declared size
            pos += 1
        return _mp3_frame(data, pos)
    return _mp3_frame(data, 0)


def _is_ogg_audio(data: bytes) -> bool:
    """An Ogg page (version 0, first of its stream) whose first packet is Vorbis, Opus or
    FLAC; Theora video and the rest are refused."""
    if data[:4] != b"OggS" or len(data) < 27 or data[4] != 0 or not data[5] & 0x02:
        return False
    packet = data[27 + data[26] :]
    return packet.startswith((b"\x01vorbis", b"OpusHead", b"\x7fFLAC"))


def _sniff_media(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a video, sound or PDF, from its bytes; None if unknown."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(_EBML_MAGIC):
        return ("video/webm", "webm") if _is_webm(data) else None
    if data.startswith(b"OggS"):
        return ("audio/ogg", "ogg") if _is_ogg_audio(data) else None
    if data[4:8] == b"ftyp":
        return _sniff_iso_media(data)
    if _is_mp3(data):
        return "audio/mpeg", "mp3"
    return None


# --- Public API ------------------------------------------------------------------------------


def _bad_badge_type() -> UploadRefused:
    return UploadRefused(
        "bad_type", gettext("Ce type de fichier n'est pas accepté : envoie une image PNG ou SVG.")
    )


def clean_badge_image(data: bytes, filename: str = "") -> CleanFile:
    """Check a badge image (PNG or SVG, at most BADGE_IMAGE_MAX) and return what to store.

    PNG: at least 64 × 64 and at most 4096 × 4096 pixels, returned re-encoded as a fresh RGBA
    PNG (no text chunk, so no badge data already baked in, no EXIF, nothing appended). SVG:
    refused if it could run a script or fetch anything; returned re-serialised from the
    checked tree (not the original bytes), with no width or height. ``filename`` is not
    used: the type comes from the bytes alone.
    """
    _check_size(data, BADGE_IMAGE_MAX)
    if data.startswith(_PNG_MAGIC):
        return _clean_badge_png(data)
    if _looks_like_svg(data):
        return _clean_svg(data)
    raise _bad_badge_type()


def clean_evidence(data: bytes, filename: str = "") -> CleanFile:
    """Check a piece of evidence (at most EVIDENCE_MAX) and return what to store.

    Photos (JPEG, PNG, WebP), at most MAX_PIXELS: turned upright from their EXIF
    orientation, then re-encoded (JPEG and WebP at quality 90, first frame only) with no
    metadata at all: no EXIF (so no GPS position), no XMP, no comment, no ICC profile.
    Videos (MP4, WebM), sounds (MP3, OGG, M4A) and PDF: recognised by their bytes and
    stored as they are, with no transcoding and no cleaning. Anything else, SVG included,
    is refused. ``filename`` is not used: the type comes from the bytes alone.
    """
    _check_size(data, EVIDENCE_MAX)
    pil_format = _sniff_raster(data)
    if pil_format is not None:
        return _clean_photo(data, pil_format)
    media = _sniff_media(data)
    if media is None:
        raise UploadRefused(
            "bad_type",
            gettext(
                "Ce type de fichier n'est pas accepté : photo (JPEG, PNG, WebP), "
                "vidéo (MP4, WebM), son (MP3, OGG, M4A) ou PDF."
            ),
        )
    content_type, extension = media
    return CleanFile(data, content_type, extension)
