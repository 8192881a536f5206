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
    if not organisation.issuer_keys.exists():
        from atout.badges.services import issuer_keys_create

        issuer_keys_create(organisation=organisation)  # the demo issuer signs badges
    demo_assessment()
    from atout.orientation.demo import load_demo as load_demo_metiers

    load_demo_metiers()  # about 40 métiers, marked as demo data, until `atout import rome`
    demo_orientation()
    from atout.progress.demo import load_demo as load_demo_catalogue

    load_demo_catalogue()  # about 60 demo resources and missions, marked as demo
    return created


def demo_orientation() -> None:
    """Lina's summer job (fast-food crew member) and interests, for « Métiers proches de
    moi » (she can change them on « Mon parcours et mes goûts »)."""
    from atout.orientation.models import Interests, Metier

    lina = User.objects.get(email="lina@demo.atout.example")
    if Metier.objects.filter(code="G1603").exists():
        Interests.objects.get_or_create(owner=lina, defaults={"held": ["G1603"], "riasec": "SE"})


def demo_assessment() -> None:
    """Lina's teamwork assessment: her answers, a coach who answered, a tutor still to answer.

    The tutor's invitation is a real email (``var/mail/`` in development): follow its link to
    answer as the tutor and see Lina's level become "confirmé".
    """
    import datetime

    from django.utils import timezone

    from atout.assessments import services
    from atout.assessments.models import Assessment, Referent
    from atout.referentiel.models import Skill

    lina = User.objects.get(email="lina@demo.atout.example")
    if Assessment.objects.filter(owner=lina).exists() or not Skill.objects.filter(
        framework__code="atout", code="teamwork"
    ):
        return  # already there, or no référentiel yet (`atout setup` loads it first)
    assessment = services.assessment_start(owner=lina, skill_code="teamwork")
    codes = [item.code for item in services.items_of(assessment)]
    services.assessment_answer_self(
        assessment=assessment, answers=dict(zip(codes, [3, 4, 3, 3, 4, 3, 3, 3], strict=True))
    )
    coach = services.referent_invite(
        assessment=assessment, name="Marc Diallo", email="marc.coach@demo.atout.example",
        relation="coach",
    )  # fmt: skip
    Referent.objects.filter(pk=coach.pk).update(
        opened_at=timezone.now() - datetime.timedelta(minutes=3),
        answered_at=timezone.now(),
        answers=dict(zip(codes, [4, 4, 3, 4, 3, 4, 3, 4], strict=True)),
        comment="Lina aide toujours les nouvelles du club à trouver leur place.",
        endorses=True,
    )
    services.assessment_decide(assessment=assessment)
    services.referent_invite(
        assessment=assessment, name="Awa Tall", email="awa.tutrice@demo.atout.example",
        relation="tutor",
    )  # fmt: skip
