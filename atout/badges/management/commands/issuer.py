from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atout.badges import services
from atout.core.errors import InputError
from atout.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Badge issuers. `issuer keys create ORG` makes a new Ed25519 and RSA signing key for "
        "the organisation (slug); older keys are retired but stay published, so badges "
        "signed with them keep verifying."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{keys}")
        keys = sub.add_parser("keys", help="Signing keys.")
        keys.add_argument("action", choices=["create", "list"])
        keys.add_argument("organisation", help="The organisation's slug.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
        if options["action"] == "create":
            try:
                created = services.issuer_keys_create(organisation=organisation)
            except InputError as error:
                raise CommandError(error.message) from error
            for key in created:
                self.stdout.write(f"created {services.issuer_did(organisation)}#{key.fragment}")
        for key in organisation.issuer_keys.all():
            state = "retired" if key.retired_at else "active"
            self.stdout.write(f"{key.fragment:<12} {key.kind:<8} {state}")
