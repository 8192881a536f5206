import pytest
from django.test import override_settings

from atout.assessments import services as assessments
from atout.assessments.models import Referent
from atout.badges import services
from tests.organisations.factories import OrganisationFactory


@pytest.fixture
def issuer(db):
    """The issuing organisation; the site answers at http://testserver like the test client."""
    organisation = OrganisationFactory(slug="ml-93", name="Mission Locale 93", email="c@ml93.fr")
    with override_settings(ATOUT_BADGE_ISSUER="ml-93", SITE_URL="http://testserver"):
        services.issuer_keys_create(organisation=organisation)
        yield organisation


@pytest.fixture
def confirmed(user, default_framework):
    """Lina's teamwork assessment at level 3 (two referents answered, read in 2 minutes)."""
    from datetime import timedelta

    from django.utils import timezone

    assessment = assessments.assessment_start(owner=user, skill_code="teamwork")
    codes = [item.code for item in assessments.items_of(assessment)]
    assessments.assessment_answer_self(assessment=assessment, answers=dict.fromkeys(codes, 3))
    for n in range(2):
        Referent.objects.create(
            assessment=assessment, name=f"R{n}", email=f"r{n}@club.fr", identity=f"r{n}@club.fr",
            relation="coach", token_hash=f"{n:064d}", expires_at=timezone.now() + timedelta(days=1),
            opened_at=timezone.now() - timedelta(minutes=2), answered_at=timezone.now(),
            answers=dict.fromkeys(codes, 4 - n),
        )  # fmt: skip
    assessments.assessment_decide(assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.level == 3
    return assessment
