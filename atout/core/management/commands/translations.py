from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atout.core import i18n


class Command(BaseCommand):
    help = "Compile the translation catalogues, or check that none is incomplete."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{compile,check}")
        sub.add_parser("compile", help="Write the .mo files (needs no GNU gettext).")
        sub.add_parser("check", help="Fail on untranslated, fuzzy or obsolete entries.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "compile":
            written = i18n.compile_all()
            if options["verbosity"] > 1:
                self.stderr.write(f"{len(written)} catalogue(s) compiled.")
            return
        found = i18n.problems()
        if found:
            raise CommandError("Incomplete translations:\n" + "\n".join(found))
        self.stderr.write("Translations complete.")
