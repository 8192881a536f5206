import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from atout.badges import services
from atout.badges.models import Achievement, Award
from atout.badges.resolver import site_resolver
from atout.badges.selectors import report_summary
from atout.core.errors import InputError
from atout.openbadges import verify as ob_verify
from atout.organisations.models import Organisation
from atout.referentiel.models import Skill


class Command(BaseCommand):
    help = (
        "Badges. `badge issue --achievement CODE --recipient EMAIL --out DIR` writes one award "
        "in every form; `badge revoke ID --reason …`; `badge verify FILE|URL [--email E]` "
        "(exit 0 when valid)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(
            dest="what", required=True, metavar="{issue,revoke,verify,unbake}"
        )
        issue = sub.add_parser("issue", help="Issue one award and write all its forms.")
        issue.add_argument("--achievement", required=True, help="e.g. teamwork-3, or an id.")
        issue.add_argument("--recipient", required=True, help="The person's email.")
        issue.add_argument("--evidence", default="", help="A sentence of evidence.")
        issue.add_argument("--issuer", default="", help="Organisation slug (default: the demo's).")
        issue.add_argument("--out", required=True, help="Directory to write the files into.")
        revoke = sub.add_parser("revoke", help="Revoke an award.")
        revoke.add_argument("id", help="The award's id (a UUID).")
        revoke.add_argument("--reason", required=True)
        unbake = sub.add_parser("unbake", help="Print the credential baked in a PNG or SVG.")
        unbake.add_argument("file")
        check = sub.add_parser("verify", help="Verify a badge file, JSON, JWT or URL.")
        check.add_argument("source", help="A file path or an https:// URL.")
        check.add_argument("--email", default=None)
        check.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, options["what"])(options)

    def _achievement(self, code: str, organisation: Organisation) -> Achievement:
        try:
            return Achievement.objects.get(uid=UUID(code))
        except (ValueError, Achievement.DoesNotExist):
            pass
        own = Achievement.objects.filter(organisation=organisation, code=code).first()
        if own is not None:
            return own
        skill_code, _, level = code.rpartition("-")
        skill = Skill.objects.filter(framework__code="atout", code=skill_code).first()
        if skill is None or not level.isdigit() or not 1 <= int(level) <= 4:
            raise CommandError(
                f"Unknown achievement {code!r}: use <skill>-<level> (e.g. teamwork-3) or an id."
            )
        return services.achievement_for_level(skill=skill, level=int(level))

    def issue(self, options: dict[str, Any]) -> None:
        slug = options["issuer"] or settings.ATOUT_BADGE_ISSUER
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No issuing organisation {slug!r} (set --issuer).")
        achievement = self._achievement(options["achievement"], organisation)
        evidence = (
            [services.EvidenceIn(narrative=options["evidence"])] if options["evidence"] else []
        )
        try:
            award = services.award_issue(
                achievement=achievement,
                organisation=organisation,
                email=options["recipient"],
                evidence=evidence,
            )
        except InputError as error:
            raise CommandError(error.message) from error
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        stem = out / f"{achievement.code}-{award.uid}"
        files = {
            ".ob3.json": award.ob3_json,
            ".ob3.jwt": award.ob3_jwt,
            ".ob2.json": award.ob2_json,
            ".svg": award.svg,
        }
        for suffix, text in files.items():
            Path(f"{stem}{suffix}").write_text(text, encoding="utf-8")
        Path(f"{stem}.png").write_bytes(bytes(award.png))
        self.stdout.write(f"award {award.uid}")
        for suffix in (*files, ".png"):
            self.stdout.write(f"  {stem}{suffix}")

    def revoke(self, options: dict[str, Any]) -> None:
        try:
            award = Award.objects.get(uid=UUID(options["id"]))
        except (ValueError, Award.DoesNotExist) as error:
            raise CommandError(f"No award {options['id']!r}.") from error
        try:
            services.award_revoke(award=award, reason=options["reason"])
        except InputError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"revoked {award.uid}")

    def unbake(self, options: dict[str, Any]) -> None:
        from atout.openbadges import bake

        try:
            _version, payload = bake.unbake(Path(options["file"]).read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        except bake.BakeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(payload)

    def verify(self, options: dict[str, Any]) -> None:
        source: str = options["source"]
        data: bytes | str
        if source.startswith(("https://", "http://")):
            data = source
        else:
            try:
                data = Path(source).read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {source}: {error.strerror}") from error
        report = ob_verify.verify(data, email=options["email"], resolver=site_resolver())
        summary = report_summary(report)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(("VALID" if report.valid else "NOT VALID") + f" ({report.format})")
            for check in report.checks:
                self.stdout.write(
                    f"  {'ok ' if check.ok else 'FAIL'} {check.name}: {check.message}"
                )
        if not report.valid:
            raise SystemExit(1)
