"""Demo data for `make run`: clearly fake people in one demo organisation. Idempotent."""

from django.db import transaction

from atout.accounts.models import User
from atout.organisations.models import Membership, Organisation, Role

DEMO_PASSWORD = "atout-demo-2026"
DEMO_ORGANISATION = {
    "slug": "mission-locale-demo",
    "name": "Mission Locale de démonstration",
    "kind": Organisation.Kind.MISSION_LOCALE,
    "url": "https://example.org/mission-locale-demo",
    "email": "contact@demo.atout.example",
}
# (email, first name, role in the demo organisation or None, staff)
DEMO_USERS = [
    ("admin@demo.atout.example", "Camille", Role.ADMIN, True),
    ("conseillere@demo.atout.example", "Nadia", Role.COUNSELLOR, False),
    ("badges@demo.atout.example", "Thomas", Role.ISSUER, False),
    ("lina@demo.atout.example", "Lina", None, False),
    ("yanis@demo.atout.example", "Yanis", None, False),
    ("sarah@demo.atout.example", "Sarah", None, False),
]


@transaction.atomic
def load_demo() -> list[str]:
    """Create what is missing; returns the emails created this time."""
    created: list[str] = []
    organisation, _ = Organisation.objects.get_or_create(
        slug=DEMO_ORGANISATION["slug"], defaults=DEMO_ORGANISATION
    )
    for email, first_name, role, staff in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                departement="93",
                is_staff=staff,
                is_superuser=staff,
            )
            created.append(email)
        if role is not None:
            Membership.objects.get_or_create(
                organisation=organisation, user=user, defaults={"role": role}
            )
    return created
