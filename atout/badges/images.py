"""Generated badge images: a round medal with the badge's name and its level, as SVG and PNG.

Plain drawing, no scripts, no external fonts or links, so the SVG is safe to serve and bake.
"""

import io
import textwrap
from functools import lru_cache
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

SIZE = 400
COLOURS = ["#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c", "#0e7490"]


def _colour(key: str) -> str:
    return COLOURS[sum(key.encode()) % len(COLOURS)]


def _lines(name: str) -> list[str]:
    return textwrap.wrap(name, width=16)[:4] or [name[:16]]


@lru_cache(maxsize=256)  # one drawing per badge definition, reused for every award
def badge_svg(name: str, level: int | None, key: str) -> str:
    colour = _colour(key)
    lines = _lines(name)
    top = 200 - (len(lines) - 1) * 17
    text = "".join(
        f'<text x="200" y="{top + i * 34}" text-anchor="middle" font-family="sans-serif" '
        f'font-size="28" font-weight="700" fill="#ffffff">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    stars = ""
    if level:
        stars = (
            f'<text x="200" y="330" text-anchor="middle" font-family="sans-serif" '
            f'font-size="34" fill="#fde68a">{"★" * level}{"☆" * (4 - level)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img"><title>{escape(name)}</title>'
        f'<circle cx="200" cy="200" r="190" fill="{colour}"/>'
        f'<circle cx="200" cy="200" r="172" fill="none" stroke="#ffffff" stroke-width="6"/>'
        f"{text}{stars}"
        f'<text x="200" y="82" text-anchor="middle" font-family="sans-serif" font-size="22" '
        f'fill="#ffffff">atout</text></svg>'
    )


@lru_cache(maxsize=256)
def badge_png(name: str, level: int | None, key: str) -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = _colour(key)
    draw.ellipse((10, 10, 390, 390), fill=colour)
    draw.ellipse((28, 28, 372, 372), outline="#ffffff", width=6)
    title = ImageFont.load_default(size=28)
    small = ImageFont.load_default(size=22)
    draw.text((200, 82), "atout", fill="#ffffff", font=small, anchor="mm")
    lines = _lines(name)
    top = 200 - (len(lines) - 1) * 17
    for i, line in enumerate(lines):
        draw.text((200, top + i * 34), line, fill="#ffffff", font=title, anchor="mm")
    if level:
        for n in range(4):
            x = 200 + (n - 1.5) * 40
            fill = "#fde68a" if n < level else None
            draw.regular_polygon((x, 325, 16), n_sides=5, rotation=54, fill=fill, outline="#fde68a")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
