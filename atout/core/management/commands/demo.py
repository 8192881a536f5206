from typing import Any

from django.core.management.base import BaseCommand

from atout.core.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation and people (idempotent). Never on a production site."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo()
        self.stderr.write(f"Demo data ready ({len(created)} account(s) created).")
        self.stderr.write(f"Demo accounts, all with password '{DEMO_PASSWORD}':")
        for email, name, role, _staff in DEMO_USERS:
            self.stderr.write(f"  {email:34} {name:8} {role or 'person'}")
