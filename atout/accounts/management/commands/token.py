from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atout.accounts import services
from atout.accounts.models import User


class Command(BaseCommand):
    help = "Manage personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create}")
        create = sub.add_parser(
            "create", help="Print a new API token for an account, alone on one line."
        )
        create.add_argument("email")
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["email"].strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account for {options['email']}.")
        created = services.api_token_create(user=user, name=options["name"])
        self.stdout.write(created.secret)
