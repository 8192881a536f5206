"""Reminders, batch decisions, the level hook, the benchmark and the personal-data export."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from atout.accounts.services import user_export
from atout.assessments import services
from atout.assessments.models import Assessment, Decision, Referent

from . import hooks
from .helpers import answers_form, link_token, spent

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def assessment(user, default_framework):
    assessment = services.assessment_start(owner=user, skill_code="teamwork")
    codes = [item.code for item in services.items_of(assessment)]
    services.assessment_answer_self(assessment=assessment, answers=dict.fromkeys(codes, 3))
    assessment.refresh_from_db()
    return assessment


def invite(assessment, email, name="Marc"):
    return services.referent_invite(assessment=assessment, name=name, email=email, relation="coach")


def a_week_ago():
    Referent.objects.update(created_at=timezone.now() - datetime.timedelta(days=7, minutes=1))


def test_one_reminder_after_seven_days_and_both_links_work(assessment):
    invite(assessment, "marc@club.fr")
    invite(assessment, "awa@stage.fr", "Awa")
    first_link = link_token(mail.outbox[0])
    assert "0 reminder(s) due" in run("assessments", "remind")
    a_week_ago()
    assert "2 reminder(s) due" in run("assessments", "remind")
    assert len(mail.outbox) == 2  # counting sends nothing
    assert "2 reminder(s) sent" in run("assessments", "remind", "--wet-run")
    reminders = mail.outbox[2:]
    assert len(reminders) == 2
    assert reminders[0].subject.startswith("Rappel : Lina attend votre avis")
    assert "seul rappel" in reminders[0].body
    assert "0 reminder(s) sent" in run("assessments", "remind", "--wet-run")  # only once

    client = Client()
    assert client.get(f"/avis/{first_link}/").status_code == 200  # the first link still works
    second_link = link_token(reminders[0])
    assert client.get(f"/avis/{second_link}/").status_code == 200
    spent("marc@club.fr", 60)
    codes = [item.code for item in services.items_of(assessment)]
    assert client.post(f"/avis/{second_link}/", answers_form(codes, 3)).status_code == 200
    assert client.get(f"/avis/{first_link}/").status_code == 410  # one answer per referent


def test_no_reminder_when_turned_off_answered_closed_or_expired(assessment, user):
    invite(assessment, "marc@club.fr")
    services.assessment_set_reminders(assessment=assessment, on=False)
    a_week_ago()
    assert "0 reminder(s) due" in run("assessments", "remind")
    services.assessment_set_reminders(assessment=assessment, on=True)
    Referent.objects.update(expires_at=timezone.now())
    assert "0 reminder(s) due" in run("assessments", "remind")
    Referent.objects.update(expires_at=timezone.now() + datetime.timedelta(days=3))
    services.assessment_close(assessment=assessment)
    assert "0 reminder(s) due" in run("assessments", "remind")


def test_decide_again_after_a_rule_change_only_with_wet_run(assessment):
    before = Decision.objects.count()
    assert "1 assessment(s) to decide" in run("assessments", "decide")
    assert Decision.objects.count() == before
    assert "1 assessment(s) decided" in run("assessments", "decide", "--wet-run")
    assert Decision.objects.count() == before + 1
    assert Assessment.objects.get().level == 2


@override_settings(ATOUT_LEVEL_HOOKS=["tests.assessments.hooks.record"])
def test_the_level_hook_is_called_once_when_a_badge_level_is_reached(
    assessment, django_capture_on_commit_callbacks
):
    hooks.CALLS.clear()
    codes = [item.code for item in services.items_of(assessment)]
    for email in ("marc@club.fr", "awa@stage.fr"):
        referent = invite(assessment, email)
        Referent.objects.filter(pk=referent.pk).update(
            opened_at=timezone.now() - datetime.timedelta(minutes=2)
        )
    tokens = [link_token(m) for m in mail.outbox]
    with django_capture_on_commit_callbacks(execute=True):
        services.referent_answer(token=tokens[0], answers=dict.fromkeys(codes, 4))
    assert hooks.CALLS == []  # one referent: still pratique
    with django_capture_on_commit_callbacks(execute=True):
        services.referent_answer(token=tokens[1], answers=dict.fromkeys(codes, 3))
    calls = hooks.CALLS
    assert calls == [(assessment.pk, 3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_decide(assessment=assessment)
    calls = hooks.CALLS
    assert calls == [(assessment.pk, 3)]  # not again for the same level


def test_the_export_lists_assessments_without_referents_answers(assessment, user):
    invite(assessment, "marc@club.fr")
    Referent.objects.update(
        answers={"teamwork-01": 1}, comment="secret", answered_at=timezone.now()
    )
    data = user_export(user=user)
    exported = data["assessments"][0]
    assert exported["skill"] == "teamwork" and exported["level"] == 2
    assert exported["referents"] == [
        {"name": "Marc", "email": "marc@club.fr", "relation": "coach", "answered": True}
    ]
    assert "secret" not in str(data)


def test_deleting_the_account_deletes_assessments_and_referents(assessment, user_client):
    invite(assessment, "marc@club.fr")
    user_client.post("/compte/supprimer/", {"confirm": "SUPPRIMER"})
    assert not Assessment.objects.exists() and not Referent.objects.exists()


def test_the_benchmark_runs_on_a_small_batch(default_framework):
    out = run("bench", "assessment", "--n", "60")
    assert "rules alone: 60 decisions" in out
    assert "database batch" in out and "60 assessments" in out
    assert not Assessment.objects.exists()  # rolled back
