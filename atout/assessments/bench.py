"""`atout bench assessment`: how long deciding levels takes, rules alone and through the database.

The database part creates people, assessments and answered referents inside a transaction,
decides them all with ``assessment_decide_many`` and rolls everything back.
"""

import random
import time
from collections import Counter
from datetime import timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atout.accounts.models import User
from atout.core.tokens import new_token
from atout.referentiel.models import Skill

from . import rules as R
from . import services
from .models import Assessment, Referent


def _answers(rng: random.Random, n: int, low: int) -> tuple[int, ...]:
    return tuple(rng.randint(low, 4) for _ in range(n))


def rules_only(n: int, rng: random.Random) -> float:
    """Seconds to decide ``n`` assessments of 8 items with 0–4 referents each."""
    cases = []
    for i in range(n):
        referents = [
            R.ReferentAnswers(identity=f"r{i}-{k}@x.fr", values=_answers(rng, 8, 0), seconds=90.0)
            for k in range(rng.randint(0, 4))
        ]
        cases.append((_answers(rng, 8, 1), referents))
    start = time.perf_counter()
    for self_values, referents in cases:
        R.decide(self_values, referents, person_identity="p@x.fr")
    return time.perf_counter() - start


def run(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    lines = []
    seconds = rules_only(n, rng)
    lines.append(
        f"rules alone: {n} decisions in {seconds * 1000:.0f} ms ({n / seconds:,.0f} per second)"
    )
    skills = list(Skill.objects.filter(framework__code="atout").prefetch_related("items"))
    if not skills:
        lines.append("database batch: skipped, load the référentiel first (atout setup)")
        return lines
    with transaction.atomic():
        people_needed = -(-n // len(skills))
        stamp = timezone.now()
        people = User.objects.bulk_create(
            User(email=f"bench{i}@atout.invalid", first_name="Bench", password="!")
            for i in range(people_needed)
        )
        assessments = []
        for i in range(n):
            skill = skills[i % len(skills)]
            items = [item.code for item in skill.items.all()]
            assessments.append(
                Assessment(
                    owner=people[i // len(skills)],
                    skill=skill,
                    self_answers=dict(zip(items, _answers(rng, len(items), 1), strict=True)),
                    self_done_at=stamp,
                )
            )
        assessments = Assessment.objects.bulk_create(assessments, batch_size=2000)
        referents = []
        for a in assessments:
            items = list(a.self_answers)
            for k in range(rng.randint(0, 4)):
                referents.append(
                    Referent(
                        assessment=a,
                        name="R",
                        email=f"r{a.pk}-{k}@x.fr",
                        identity=f"r{a.pk}-{k}@x.fr",
                        relation="coach",
                        token_hash=new_token()[1],
                        expires_at=stamp + timedelta(days=30),
                        opened_at=stamp - timedelta(minutes=3),
                        answered_at=stamp,
                        answers=dict(zip(items, _answers(rng, len(items), 0), strict=True)),
                    )
                )
        Referent.objects.bulk_create(referents, batch_size=2000)
        created = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            done = services.assessment_decide_many(
                queryset=Assessment.objects.filter(owner__in=people)
            )
        seconds = time.perf_counter() - created
        levels = dict(
            sorted(
                Counter(
                    Assessment.objects.filter(owner__in=people).values_list("level", flat=True)
                ).items()
            )
        )
        transaction.set_rollback(True)
    lines.append(
        f"database batch ({connection.vendor}): {done} assessments, {len(referents)} referents "
        f"decided and stored in {seconds:.2f} s ({done / seconds:,.0f} per second), "
        f"{len(queries)} queries"
    )
    lines.append(f"levels: {levels}")
    return lines
