"""The referent's emails, word for word (syrupy snapshots; the token and dates are masked)."""

import re

import pytest
from django.core import mail

from atout.assessments import services
from atout.assessments.models import Referent

from .helpers import LINK_RE

pytestmark = pytest.mark.django_db


def masked(message) -> str:
    text = f"To: {', '.join(message.to)}\nSubject: {message.subject}\n\n{message.body}"
    text = LINK_RE.sub("https://SITE/avis/TOKEN/", text)
    return re.sub(r"\b\d{1,2} \w+ 20\d\d\b", "DATE", text)


@pytest.fixture
def ready(user, default_framework):
    assessment = services.assessment_start(owner=user, skill_code="teamwork")
    codes = [item.code for item in services.items_of(assessment)]
    services.assessment_answer_self(assessment=assessment, answers=dict.fromkeys(codes, 3))
    return assessment


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_invitation_email(ready, lang, snapshot):
    services.referent_invite(
        assessment=ready, name="Marc Diallo", email="marc@club.fr", relation="coach", lang=lang
    )
    assert masked(mail.outbox[-1]) == snapshot


def test_reminder_email(ready, snapshot):
    import datetime

    from django.utils import timezone

    services.referent_invite(
        assessment=ready, name="Awa Tall", email="awa@stage.fr", relation="tutor"
    )
    Referent.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert services.referents_remind() == 1
    assert masked(mail.outbox[-1]) == snapshot
