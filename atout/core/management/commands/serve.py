import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve the site for development and demos, with a background worker for bulk work "
        "(use gunicorn and `atout db_worker` in production)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None
        if not options["no_worker"] and os.environ.get("RUN_MAIN") != "true":
            worker = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                [sys.executable, "-m", "atout.cli", "db_worker", "--interval", "1"]
            )
        try:
            call_command("runserver", f"{options['host']}:{options['port']}")
        finally:
            if worker is not None:
                worker.terminate()
