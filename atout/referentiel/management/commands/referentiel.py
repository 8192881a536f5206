import datetime
import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from atout.organisations.models import Organisation
from atout.referentiel import formats, services
from atout.referentiel.models import Framework


class Command(BaseCommand):
    help = "Export, import or load the skills framework (référentiel)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{export,import,load}")
        export = sub.add_parser(
            "export", help="Print a framework as JSON or as a CASE 1.0 package."
        )
        export.add_argument("--format", choices=["json", "case"], default="json")
        export.add_argument("--framework", default="atout", help="Framework code (default: atout).")
        imp = sub.add_parser(
            "import",
            help="Load a framework file (native JSON or CASE); a broken file changes nothing.",
        )
        imp.add_argument("file", help="Path to the JSON file, or - for standard input.")
        imp.add_argument("--organisation", help="Slug of the organisation that owns it.")
        imp.add_argument("--public", action="store_true", help="Show it on the public pages.")
        sub.add_parser("load", help="Load or refresh the common framework shipped with atout.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(**options)

    def do_export(self, *, format: str, framework: str, **_: Any) -> None:
        fw = Framework.objects.filter(code=framework).first()
        if fw is None:
            raise CommandError(
                f"No framework with code '{framework}'. Run `atout referentiel load`."
            )
        data = services.framework_export(framework=fw)
        if format == "case":
            updated = fw.updated_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            data = formats.to_case(data, base_url=settings.SITE_URL, updated=updated)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def do_import(self, *, file: str, organisation: str | None, public: bool, **_: Any) -> None:
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from error
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation with slug '{organisation}'.")
        try:
            fw = services.framework_import(data=data, organisation=org, is_public=public)
        except formats.FormatError as error:
            raise CommandError(f"{file} was not imported, nothing changed: {error}") from error
        except services.ImportRefused as error:
            raise CommandError(
                f"{file} was not imported: framework '{error}' belongs to another organisation."
            ) from error
        self.stderr.write(f"Imported framework '{fw.code}' ({fw.skills.count()} skills).")

    def do_load(self, **_: Any) -> None:
        fw = services.framework_load_default()
        self.stderr.write(f"Framework '{fw.code}' loaded ({fw.skills.count()} skills).")
