from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atout.progress.importers import FORMATS, read_file
from atout.progress.models import Source
from atout.progress.services import catalogue_write

SHOWN = 50
SOURCES = {"csv": Source.CSV, "missions": Source.MISSIONS}


class Command(BaseCommand):
    help = (
        "The catalogue of ways to progress. `catalogue import FILE` reads a CSV of resources "
        "or a JSON mission feed (API Engagement): without --wet-run it only checks it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{import}")
        load = sub.add_parser("import", help="Import resources (CSV) or missions (JSON feed).")
        load.add_argument("file", metavar="FILE")
        load.add_argument(
            "--format",
            dest="fmt",
            choices=FORMATS,
            help="csv: kind,title,description,url,language,duration,remote,departement,skills; "
            'missions: {"data": [Mission…]} as API Engagement serves it. '
            "Default: from the file's extension (.csv, .json).",
        )
        load.add_argument("--wet-run", action="store_true", help="Write (else: check only).")

    def handle(self, *args: Any, **options: Any) -> None:
        self.do_import(**options)

    def do_import(self, *, file: str, fmt: str | None, wet_run: bool, **_: Any) -> None:
        path = Path(file)
        parsed = read_file(path, fmt)
        fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "missions")
        for line in parsed.errors[:SHOWN]:
            self.stderr.write(f"Error: {line}")
        if len(parsed.errors) > SHOWN:
            self.stderr.write(f"… and {len(parsed.errors) - SHOWN} more errors.")
        if parsed.errors:
            raise CommandError(
                f"{path.name} not imported: {len(parsed.errors)} error(s), nothing written."
            )
        for line in parsed.warnings[:SHOWN]:
            self.stderr.write(f"Warning: {line}")
        if len(parsed.warnings) > SHOWN:
            self.stderr.write(f"… and {len(parsed.warnings) - SHOWN} more warnings.")
        if parsed.unknown_labels:
            shown = ", ".join(
                f"{label!r} ×{n}" for label, n in parsed.unknown_labels.most_common(SHOWN)
            )
            self.stdout.write(
                f"{len(parsed.unknown_labels)} skill label(s) matched no référentiel skill "
                f"(kept in raw_skills): {shown}."
            )
        counts = catalogue_write(entries=parsed.entries, source=SOURCES[fmt], write=wet_run)
        left_out = f"; {parsed.skipped} left out" if parsed.skipped else ""
        if wet_run:
            self.stdout.write(f"Imported {len(parsed.entries)} items ({counts}{left_out}).")
        else:
            self.stdout.write(f"Would import {len(parsed.entries)} items ({counts}{left_out}).")
            self.stdout.write("Nothing written: add --wet-run to import.")
