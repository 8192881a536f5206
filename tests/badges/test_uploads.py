"""Uploaded badge images and evidence: every sample is built here, from Pillow or bytes."""

import io
import struct
import time
import zlib
from xml.etree import ElementTree as ET

import pytest
from PIL import ExifTags, Image

from atout.badges import images
from atout.badges.uploads import (
    BADGE_IMAGE_MAX,
    EVIDENCE_MAX,
    CleanFile,
    UploadRefused,
    clean_badge_image,
    clean_evidence,
)
from atout.openbadges import bake

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "http://www.w3.org/2000/svg"


# --- Builders --------------------------------------------------------------------------------


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def png(size=(100, 100), colour=(200, 30, 30, 255), mode="RGBA", **options) -> bytes:
    return encode(Image.new(mode, size, colour), "PNG", **options)


def chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def chunk_types(data: bytes) -> list[bytes]:
    types, pos = [], len(PNG_SIGNATURE)
    while pos < len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        types.append(kind)
        pos += 12 + length
    return types


def before_iend(data: bytes, *chunks: bytes) -> bytes:
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + b"".join(chunks) + data[iend:]


def png_header_only(width: int, height: int) -> bytes:
    """A few dozen bytes whose IHDR claims the given size, with one tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def svg(body: str, *, attrs: str = "", head: str = "") -> bytes:
    return (
        f'{head}<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="100" height="100"{attrs}>{body}</svg>'
    ).encode()


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + struct.pack(">I", 0x200) + b"".join(compatible))


def ebml_header(doctype: bytes) -> bytes:
    body = (
        b"\x42\x86\x81\x01"  # EBMLVersion 1
        + b"\x42\xf7\x81\x01"  # EBMLReadVersion 1
        + b"\x42\xf2\x81\x04"  # EBMLMaxIDLength 4
        + b"\x42\xf3\x81\x08"  # EBMLMaxSizeLength 8
        + b"\x42\x82"
        + bytes([0x80 | len(doctype)])
        + doctype
        + b"\x42\x87\x81\x04"  # DocTypeVersion 4
        + b"\x42\x85\x81\x02"  # DocTypeReadVersion 2
    )
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body


def ogg_page(packet: bytes) -> bytes:
    # capture, version, "first page" flag, granule, serial, sequence, CRC, 1 segment
    header = b"OggS\x00\x02" + bytes(8) + b"\x01\x00\x00\x00" + bytes(4) + bytes(4)
    return header + bytes([1, len(packet)]) + packet


MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz


def refused(clean, data: bytes, filename: str = "") -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        clean(data, filename)
    return caught.value


# --- Limits ----------------------------------------------------------------------------------


@pytest.mark.parametrize("clean", [clean_badge_image, clean_evidence])
def test_empty_file_is_refused(clean):
    assert refused(clean, b"", "x.png").code == "empty"


def test_evidence_over_20_mb_is_refused_before_parsing():
    data = bytes(EVIDENCE_MAX + 1024 * 1024)  # 21 MB of zeros: would be bad_type if parsed
    error = refused(clean_evidence, data, "video.mp4")
    assert error.code == "too_large"
    assert "20 Mo" in error.message
    assert isinstance(error, ValueError)


def test_badge_image_over_2_mb_is_refused_before_parsing():
    data = PNG_SIGNATURE + bytes(BADGE_IMAGE_MAX)
    assert refused(clean_badge_image, data, "badge.png").code == "too_large"


# --- Badge images: PNG -----------------------------------------------------------------------


def test_badge_png_is_reencoded_without_text_chunks_exif_or_trailing_bytes():
    payload = b'{"type": "Assertion"}'
    baked = before_iend(
        png(size=(120, 80), exif=Image.Exif()),
        chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + payload),
        chunk(b"tEXt", b"Comment\x00made with love"),
    )
    baked += b"<script>alert(1)</script>"  # appended after IEND
    assert b"iTXt" in chunk_types(baked)

    clean = clean_badge_image(baked, "badge.png")

    assert (clean.content_type, clean.extension) == ("image/png", "png")
    assert (clean.width, clean.height) == (120, 80)
    assert set(chunk_types(clean.content)) <= {b"IHDR", b"IDAT", b"IEND"}
    for leftover in (b"openbadges", b"Assertion", b"made with love", b"script"):
        assert leftover not in clean.content
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((10, 10)) == (200, 30, 30, 255)


def test_badge_png_palette_with_transparency_becomes_rgba():
    image = Image.new("P", (64, 64), 0)
    image.putpalette([255, 0, 0, 0, 255, 0])
    data = encode(image, "PNG", transparency=0)
    with Image.open(io.BytesIO(clean_badge_image(data).content)) as cleaned:
        assert cleaned.mode == "RGBA"
        assert cleaned.getpixel((0, 0))[3] == 0


def test_badge_png_bomb_header_is_refused_fast():
    data = png_header_only(100_000, 100_000)
    assert len(data) < 100
    start = time.perf_counter()
    assert refused(clean_badge_image, data, "badge.png").code == "image_bomb"
    assert time.perf_counter() - start < 0.5


def test_badge_png_over_our_pixel_limit_is_refused_without_decoding():
    # 25 Mpx: under Pillow's own bomb limit (89 Mpx), over ours (16.7 Mpx)
    assert refused(clean_badge_image, png_header_only(5000, 5000)).code == "image_bomb"


def test_badge_png_wider_than_4096_is_refused():
    assert refused(clean_badge_image, png_header_only(5000, 64)).code == "image_bomb"


def test_badge_png_smaller_than_64_pixels_is_refused():
    error = refused(clean_badge_image, png(size=(63, 200)))
    assert error.code == "too_small"
    assert "64" in error.message


def test_truncated_png_is_refused_as_corrupt():
    noisy = encode(Image.effect_noise((200, 200), 60), "PNG")
    assert refused(clean_badge_image, noisy[: len(noisy) // 2]).code == "corrupt"


def test_png_with_a_wrong_crc_is_refused_as_corrupt():
    data = bytearray(png())
    idat = data.index(b"IDAT")
    (length,) = struct.unpack_from(">I", data, idat - 4)
    data[idat + 4 + length] ^= 0xFF  # the CRC only: the pixels still decode
    assert refused(clean_badge_image, bytes(data)).code == "corrupt"


def test_png_signature_followed_by_garbage_is_refused_as_corrupt():
    assert refused(clean_badge_image, PNG_SIGNATURE + b"garbage" * 10).code == "corrupt"


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "GIF"])
def test_badge_image_other_than_png_or_svg_is_refused_even_named_png(fmt):
    data = encode(Image.new("RGB", (100, 100), "blue"), fmt)
    error = refused(clean_badge_image, data, "badge.png")
    assert error.code == "bad_type"
    assert "PNG ou SVG" in error.message


def test_badge_image_html_is_refused():
    html = b"<!DOCTYPE html><html><body><p>hi</p></body></html>"
    assert refused(clean_badge_image, html, "badge.svg").code == "bad_type"


# --- Badge images: SVG -----------------------------------------------------------------------


def test_clean_svg_is_accepted_and_reserialised_without_comments_metadata_or_badge_data():
    data = svg(
        '<!-- made by hand --><?xml-stylesheet href="http://evil/x.css"?>'
        '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/'
        'sodipodi-0.dtd" pagecolor="#fff"/>'
        '<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="x">'
        "{}</openbadges:assertion>"
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        '<circle id="dot" r="4"/></defs>'
        "<style>circle { fill: url(#g); }</style>"
        '<circle cx="50" cy="50" r="40" fill="url(#g)" style="stroke: url(\'#g\')"/>'
        '<use xlink:href="#dot" x="10"/><use href="#dot" x="20"/>'
        '<image width="1" height="1" href="data:image/png;base64,iVBORw0KGgo="/>'
        '<a href="#dot"><text x="5" y="90">A &amp; B &lt;ok&gt;</text></a>',
        head='<?xml version="1.0" encoding="UTF-8"?>\n',
    )

    clean = clean_badge_image(data, "badge.svg")

    assert (clean.content_type, clean.extension) == ("image/svg+xml", "svg")
    assert (clean.width, clean.height) == (None, None)
    text = clean.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    for gone in ("made by hand", "xml-stylesheet", "evil", "namedview", "openbadges"):
        assert gone not in text
    root = ET.fromstring(clean.content)
    assert root.tag == f"{{{SVG}}}svg"
    assert root.get("width") == "100"
    uses = root.findall(f"{{{SVG}}}use")
    assert uses[0].get("{http://www.w3.org/1999/xlink}href") == "#dot"
    assert uses[1].get("href") == "#dot"
    assert root.find(f".//{{{SVG}}}text").text == "A & B <ok>"
    assert root.find(f"{{{SVG}}}style").text == "circle { fill: url(#g); }"


def test_svg_with_utf8_bom_prefix_and_namespace_prefix_is_accepted():
    data = (
        b'\xef\xbb\xbf  <s:svg xmlns:s="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<s:rect width="10" height="10"/></s:svg>'
    )
    root = ET.fromstring(clean_badge_image(data).content)
    assert [child.tag for child in root] == [f"{{{SVG}}}rect"]


def test_our_own_badge_drawings_pass_and_can_still_be_baked():
    cleaned_svg = clean_badge_image(images.badge_svg("Travail en équipe", 3, "k").encode())
    cleaned_png = clean_badge_image(images.badge_png("Travail en équipe", 3, "k"))
    baked_svg = bake.bake_svg(cleaned_svg.content, '{"id": 1}', version=bake.OB3)
    baked_png = bake.bake_png(cleaned_png.content, '{"id": 1}', version=bake.OB3)
    assert bake.unbake_svg(baked_svg) == bake.unbake_png(baked_png) == ("ob3", '{"id": 1}')
    assert "Travail en équipe" in cleaned_svg.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(svg("<script>alert(1)</script>"), id="script"),
        pytest.param(
            svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
            id="xhtml-script",
        ),
        pytest.param(svg("", attrs=' onload="alert(1)"'), id="onload"),
        pytest.param(svg('<rect width="5" height="5" ONCLICK="alert(1)"/>'), id="onclick"),
        pytest.param(
            svg("<foreignObject><div>hi</div></foreignObject>"),
            id="foreignObject",
        ),
        pytest.param(svg('<image xlink:href="http://evil.example/x.png"/>'), id="xlink-http"),
        pytest.param(svg('<use href="other.svg#dot"/>'), id="relative-href"),
        pytest.param(svg('<a href="javascript:alert(1)"><text>x</text></a>'), id="javascript"),
        pytest.param(svg('<a href=" jav&#x09;ascript:alert(1)">x</a>'), id="javascript-split"),
        pytest.param(svg('<a href="data:text/html,&lt;script&gt;">x</a>'), id="data-html"),
        pytest.param(
            svg('<animate attributeName="fill" values="javascript:alert(1)"/>'),
            id="javascript-in-values",
        ),
        pytest.param(svg('<image href="data:image/svg+xml;base64,PHN2Zz4="/>'), id="data-svg"),
        pytest.param(
            svg('<a><set attributeName="href" to="javascript:alert(1)"/>x</a>'),
            id="set-href",
        ),
        pytest.param(
            svg('<animate attributeName="onbegin" values="x"/>'),
            id="animate-handler",
        ),
        pytest.param(svg("<style>@import url(http://x/a.css);</style>"), id="style-import"),
        pytest.param(svg("<style>@im/**/port 'http://x/a.css';</style>"), id="style-import-hid"),
        pytest.param(
            svg("<style>rect { fill: url(https://x/f.svg#g) }</style>"),
            id="style-url",
        ),
        pytest.param(svg("<style>rect { fill: \\75 rl(http://x) }</style>"), id="style-escape"),
        pytest.param(svg('<rect style="background: url(//x/t.png)"/>'), id="style-attribute"),
        pytest.param(svg('<rect fill="url(http://x/p.svg#p)"/>'), id="fill-url"),
        pytest.param(svg('<iframe src="http://x"/>'), id="iframe"),
        pytest.param(svg('<embed src="#x"/>'), id="embed"),
        pytest.param(svg('<object data="x.swf"/>'), id="object"),
        pytest.param(svg('<g xml:base="http://evil/"><use href="#x"/></g>'), id="xml-base"),
    ],
)
def test_unsafe_svg_is_refused(data):
    error = refused(clean_badge_image, data, "badge.svg")
    assert error.code == "svg_script"
    assert error.message.startswith("Cette image SVG")


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
                for i in range(1, 10)
            )
            + "]>",
            id="billion-laughs",
        ),
        pytest.param('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>', id="xxe"),
        pytest.param(
            '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
            id="public-doctype",
        ),
    ],
)
def test_svg_with_a_doctype_or_entities_is_refused_fast(head):
    data = svg("<text>&lol9;</text>" if "lol" in head else "", head=head)
    start = time.perf_counter()
    assert refused(clean_badge_image, data, "badge.svg").code == "svg_script"
    assert time.perf_counter() - start < 0.5


def test_svg_not_well_formed_is_refused_as_corrupt():
    data = f'<svg xmlns="{SVG}"><rect></svg>'.encode()
    assert refused(clean_badge_image, data).code == "corrupt"


def test_xml_whose_root_is_not_svg_is_refused_as_bad_type():
    data = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><svg/></body></html>'
    assert refused(clean_badge_image, data, "badge.svg").code == "bad_type"


# --- Evidence: photos ------------------------------------------------------------------------


def test_evidence_jpeg_loses_exif_gps_xmp_and_comment():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (48.0, 51.0, 24.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 21.0, 3.0),
    }
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">exif:GPSLatitude="48,51.4N"</x:xmpmeta>'
    data = encode(
        Image.new("RGB", (300, 200), (10, 120, 200)), "JPEG", exif=exif, xmp=xmp, comment=b"me"
    )
    with Image.open(io.BytesIO(data)) as source:  # the sample really holds a position
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    clean = clean_evidence(data, "photo.jpg")

    assert (clean.content_type, clean.extension) == ("image/jpeg", "jpg")
    assert (clean.width, clean.height) == (300, 200)
    with Image.open(io.BytesIO(clean.content)) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "comment", "icc_profile"} & image.info.keys()
    for leftover in (b"Exif", b"PhoneMaker", b"GPSLatitude", b"xmpmeta"):
        assert leftover not in clean.content


def test_evidence_jpeg_orientation_is_applied_before_stripping():
    image = Image.new("RGB", (80, 40), "white")
    image.paste((255, 0, 0), (0, 0, 40, 40))  # left half red
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown rotated 90° clockwise
    clean = clean_evidence(encode(image, "JPEG", exif=exif), "photo.jpg")
    assert (clean.width, clean.height) == (40, 80)
    with Image.open(io.BytesIO(clean.content)) as upright:
        assert not upright.getexif()
        red, green, blue = upright.getpixel((20, 10))  # left half is now on top
        assert red > 200 and green < 60 and blue < 60


def test_evidence_webp_is_accepted_and_keeps_transparency():
    data = encode(Image.new("RGBA", (50, 30), (0, 0, 255, 0)), "WEBP", exif=Image.Exif())
    clean = clean_evidence(data, "photo.webp")
    assert (clean.content_type, clean.extension, clean.width, clean.height) == (
        "image/webp",
        "webp",
        50,
        30,
    )
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.format == "WEBP"
        assert image.mode == "RGBA"
        assert "exif" not in image.info


def test_evidence_png_small_or_wide_is_accepted():
    clean = clean_evidence(png(size=(5000, 10), mode="RGB", colour="green"), "scan.png")
    assert (clean.content_type, clean.width, clean.height) == ("image/png", 5000, 10)


def test_evidence_image_over_the_pixel_limit_is_refused():
    assert refused(clean_evidence, png_header_only(5000, 5000), "photo.png").code == "image_bomb"


def test_evidence_svg_is_refused():
    assert refused(clean_evidence, svg("<rect/>"), "photo.svg").code == "bad_type"


def test_evidence_html_named_photo_jpg_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    error = refused(clean_evidence, html, "photo.jpg")
    assert error.code == "bad_type"
    assert "PDF" in error.message


# --- Evidence: video, sound, PDF, stored as they are -----------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type", "extension"),
    [
        pytest.param(ftyp(b"isom", b"isom", b"mp41"), "video/mp4", "mp4", id="mp4-ftyp-only"),
        pytest.param(
            ftyp(b"mp42", b"isom") + box(b"moov", b"") + box(b"mdat", b"\x00" * 32),
            "video/mp4",
            "mp4",
            id="mp4-boxes",
        ),
        pytest.param(
            ftyp(b"M4A ", b"M4A ", b"mp42", b"isom") + box(b"mdat", b""),
            "audio/mp4",
            "m4a",
            id="m4a",
        ),
        pytest.param(ebml_header(b"webm") + b"\x18\x53\x80\x67\x80", "video/webm", "webm"),
        pytest.param(MP3_FRAME * 3, "audio/mpeg", "mp3", id="mp3-frames"),
        pytest.param(
            b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + MP3_FRAME, "audio/mpeg", "mp3"
        ),
        pytest.param(ogg_page(b"OpusHead\x01\x02" + bytes(9)), "audio/ogg", "ogg", id="opus"),
        pytest.param(ogg_page(b"\x01vorbis" + bytes(22)), "audio/ogg", "ogg", id="vorbis"),
        pytest.param(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
            "application/pdf",
            "pdf",
            id="pdf",
        ),
    ],
)
def test_evidence_media_and_pdf_are_stored_as_they_are(data, content_type, extension):
    clean = clean_evidence(data, "whatever.bin")
    assert clean == CleanFile(data, content_type, extension, None, None)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(ftyp(b"qt  ", b"qt  ") + box(b"mdat", b""), id="quicktime-mov"),
        pytest.param(ftyp(b"heic", b"mif1", b"heic"), id="heic"),
        pytest.param(ftyp(b"avif", b"avif", b"mif1", b"miaf", b"iso8"), id="avif"),
        pytest.param(ebml_header(b"matroska"), id="matroska"),
        pytest.param(ogg_page(b"\x80theora" + bytes(34)), id="ogg-theora"),
        pytest.param(b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + b"fLaC", id="id3-flac"),
        pytest.param(b"\xff\xf1\x50\x80" + bytes(100), id="aac-adts"),
        pytest.param(b"PK\x03\x04" + bytes(100), id="zip"),
        pytest.param(b"MZ\x90\x00" + bytes(100), id="exe"),
    ],
)
def test_evidence_of_another_type_is_refused(data):
    assert refused(clean_evidence, data, "video.mp4").code == "bad_type"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(ftyp(b"isom", b"mp41") + box(b"mdat", bytes(64))[:-10], id="mp4-truncated"),
        pytest.param(ebml_header(b"webm")[:12], id="webm-truncated"),
    ],
)
def test_truncated_media_is_refused_as_corrupt(data):
    assert refused(clean_evidence, data, "video.mp4").code == "corrupt"
