import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atout.orientation.api_shapes import job_out
from atout.orientation.models import Metier
from atout.orientation.selectors import crosswalk, index, profile_from_levels


class Command(BaseCommand):
    help = (
        "The métiers closest to a profile: `atout orient --skills teamwork:3,rigour:2 "
        "[--savoir-faire OGR,…] [--limit 20] --json`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--skills", required=True, help="CODE:LEVEL,… (levels 1 to 4)")
        parser.add_argument("--savoir-faire", default="", help="ROME item codes, comma-separated")
        parser.add_argument("--departement", default="", help="(recruiting figures: later)")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true", help="JSON, as the API answers")

    def handle(self, *args: Any, **options: Any) -> None:
        known = crosswalk()
        levels: dict[str, int] = {}
        for part in filter(None, (p.strip() for p in options["skills"].split(","))):
            code, _, level = part.partition(":")
            if code not in known:
                raise CommandError(f"Unknown skill {code!r} (see `atout referentiel export`).")
            if not level.isdigit() or not 1 <= int(level) <= 4:
                raise CommandError(f"{part!r}: the level must be 1, 2, 3 or 4.")
            levels[code] = int(level)
        if not Metier.objects.exists():
            raise CommandError(
                "No métier loaded: run `atout setup --demo` or `atout import rome DIR --wet-run`."
            )
        savoir_faire = [s.strip() for s in options["savoir_faire"].split(",") if s.strip()]
        profile = profile_from_levels(levels, savoir_faire)
        matches = [job_out(m) for m in index().rank(profile, limit=max(1, options["limit"]))]
        if options["json"]:
            self.stdout.write(json.dumps(matches, ensure_ascii=False, indent=2))
            return
        for n, match in enumerate(matches, start=1):
            self.stdout.write(f"{n:>2}. {match['code']} {match['label']}  ({match['score']:.2f})")
            self.stdout.write(f"    {match['reasons'][0]}")
