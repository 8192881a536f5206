"""Compile and check the message catalogues without GNU gettext (pure Python, polib)."""

from pathlib import Path

import polib
from django.conf import settings


def catalogues() -> list[Path]:
    paths = []
    for root in settings.LOCALE_PATHS:
        paths.extend(sorted(Path(root).glob("*/LC_MESSAGES/*.po")))
    return paths


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def problems() -> list[str]:
    """Untranslated, fuzzy or obsolete entries, one line each."""
    found = []
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        found += [f"{po_path}: untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
        found += [f"{po_path}: fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
        found += [f"{po_path}: obsolete: {e.msgid!r}" for e in po.obsolete_entries()]
    return found
