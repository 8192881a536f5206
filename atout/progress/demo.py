"""The demo catalogue (``data/demo_catalogue.json``): ways to progress on a fresh site.

Written for atout: the titles, descriptions and organisations are examples (marked
"(démo)"), the links go to real public sites' home pages, never to invented pages. Rows are
``source="demo"``; loading again creates only what is missing (``force`` rewrites them).
"""

import json
from pathlib import Path
from typing import Any

from .importers import parse_demo, skill_codes
from .models import Source
from .services import catalogue_write

DEMO_FILE = Path(__file__).parent / "data" / "demo_catalogue.json"


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return data


def load_demo(*, force: bool = False) -> int:
    """Create the missing demo rows; returns how many were created (or rewritten).

    Does nothing before the référentiel is loaded (``atout setup`` loads it first)."""
    codes = skill_codes()
    if not codes:
        return 0
    parsed = parse_demo(demo_data(), codes=codes)
    if parsed.errors:
        raise ValueError(f"{DEMO_FILE.name}: {'; '.join(parsed.errors[:5])}")
    counts = catalogue_write(entries=parsed.entries, source=Source.DEMO, update_existing=force)
    return counts.created + counts.updated
