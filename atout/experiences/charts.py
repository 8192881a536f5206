"""Server-rendered SVG: no JavaScript, no CDN, readable by screen readers (with a table beside)."""

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 22, 8, 210, 300


def skills_bar_chart(counts: list[tuple[Any, int]]) -> SafeString:
    """One horizontal bar per skill: how many experiences show it."""
    if not counts:
        return SafeString("")
    top = max(n for _skill, n in counts)
    rows = []
    for i, (skill, n) in enumerate(counts):
        y = i * (BAR_HEIGHT + GAP)
        width = max(4, round(BAR_WIDTH * n / top))
        rows.append(
            (
                LABEL_WIDTH - 8, y + BAR_HEIGHT - 6, skill.tr("label"),
                LABEL_WIDTH, y, width, BAR_HEIGHT,
                LABEL_WIDTH + width + 6, y + BAR_HEIGHT - 6, n,
            )
        )  # fmt: skip
    height = len(counts) * (BAR_HEIGHT + GAP)
    body = format_html_join(
        "\n",
        '<text x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3"></rect>'
        '<text x="{}" y="{}">{}</text>',
        rows,
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title">{}</title>{}</svg>',
        LABEL_WIDTH + BAR_WIDTH + 40,
        height,
        _("Nombre d'expériences qui montrent chaque compétence"),
        body,
    )
