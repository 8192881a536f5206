from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from atout.accounts import services
from atout.accounts.models import User


class Command(BaseCommand):
    help = "Manage person accounts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create}")
        create = sub.add_parser(
            "create", help="Create a person account (prints nothing but errors)."
        )
        create.add_argument("email")
        create.add_argument("--first-name", required=True)
        create.add_argument("--password", help="Without it, the person logs in by emailed link.")
        create.add_argument("--language", choices=["fr", "en"], default="fr")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"'{email}' is not a valid email address.") from error
        if User.objects.filter(email=email).exists():
            raise CommandError(f"An account already exists for {email}.")
        if not options["first_name"].strip():
            raise CommandError("--first-name must not be empty.")
        if options["password"]:
            try:
                validate_password(options["password"], User(email=email))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        services.user_create(
            email=email,
            first_name=options["first_name"],
            password=options["password"],
            language=options["language"],
        )
