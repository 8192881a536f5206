import dataclasses
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atout.accounts.departements import DEPARTEMENTS, normalise_departement
from atout.orientation.api_shapes import job_out
from atout.orientation.models import EscoOccupation, Metier
from atout.orientation.recruiting import metier_figures
from atout.orientation.selectors import crosswalk, index, profile_from_levels


class Command(BaseCommand):
    help = (
        "The métiers closest to a profile: `atout orient --skills teamwork:3,rigour:2 "
        "[--savoir-faire OGR,…] [--held ROME,…] [--riasec SE] [--departement 93] "
        "[--referentiel rome|esco] [--limit 20] --json`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--skills", required=True, help="CODE:LEVEL,… (levels 1 to 4)")
        parser.add_argument("--savoir-faire", default="", help="ROME item codes, comma-separated")
        parser.add_argument("--held", default="", help="ROME codes of jobs held, comma-separated")
        parser.add_argument("--riasec", default="", help="Interests, strongest first: SE, R…")
        parser.add_argument(
            "--departement",
            default="",
            help="Add each métier's labour-market figures there (projects, competition).",
        )
        parser.add_argument(
            "--referentiel",
            choices=["rome", "esco"],
            default="rome",
            help="ROME métiers (default) or ESCO occupations (soft skills only).",
        )
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
        source = options["referentiel"]
        if source == "esco" and not EscoOccupation.objects.exists():
            raise CommandError("No ESCO occupation loaded: run `atout import esco DIR --wet-run`.")
        if source == "rome" and not Metier.objects.exists():
            raise CommandError(
                "No métier loaded: run `atout setup --demo` or `atout import rome DIR --wet-run`."
            )
        departement = normalise_departement(options["departement"].strip())
        if departement and departement not in DEPARTEMENTS:
            raise CommandError(f"Unknown département {options['departement']!r} (e.g. 93, 2A).")
        riasec = options["riasec"].strip().upper()
        if len(riasec) > 2 or set(riasec) - set("RIASEC"):
            raise CommandError("--riasec: one or two letters among R, I, A, S, E, C.")
        held = [c.strip().upper() for c in options["held"].split(",") if c.strip()]
        unknown = set(held) - set(
            Metier.objects.filter(code__in=held).values_list("code", flat=True)
        )
        if unknown:
            raise CommandError(f"Unknown ROME code(s) in --held: {', '.join(sorted(unknown))}.")
        savoir_faire = [s.strip() for s in options["savoir_faire"].split(",") if s.strip()]
        profile = dataclasses.replace(
            profile_from_levels(levels, savoir_faire, riasec, source=source), held=tuple(held)
        )
        ranked = index(source).rank(profile, limit=max(1, options["limit"]))
        matches = [job_out(m, source) for m in ranked]
        if departement and source == "rome":
            figures = metier_figures(departement, [m["code"] for m in matches])
            for match in matches:
                match["figures"] = figures.get(match["code"], [])
        if options["json"]:
            self.stdout.write(json.dumps(matches, ensure_ascii=False, indent=2))
            return
        for n, match in enumerate(matches, start=1):
            self.stdout.write(f"{n:>2}. {match['code']} {match['label']}  ({match['score']:.2f})")
            self.stdout.write(f"    {match['reasons'][0]}")
            for figure in match.get("figures", []):
                self.stdout.write(
                    f"    {figure['kind']}: {figure['value']} ({figure['source']}, "
                    f"{figure['year']})"
                )
