from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the database: migrate, cache table, common référentiel (and demo data)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Also load the demo data.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        call_command("createcachetable", verbosity=max(0, verbosity - 1))
        call_command("translations", "compile", verbosity=verbosity)
        call_command("referentiel", "load", verbosity=verbosity)
        from atout.detection.model import model_for

        if verbosity:
            self.stdout.write(
                "Skill detector: loading it, or training it the first time from the shipped "
                "texts (about 8 min on 2 cores; cached afterwards)."
            )
        for lang in ("fr", "en"):
            model_for(lang)  # train (or load) the detector now, not on the first chat turn
        if options["demo"]:
            call_command("demo", verbosity=verbosity)
