import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from atout.accounts.models import User
from atout.accounts.services import api_token_authenticate
from atout.core.demo import DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def atout(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `atout` program, as an operator runs it."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env}
    return subprocess.run(
        [sys.executable, "-m", "atout.cli", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [[], ["referentiel"], ["referentiel", "export"], ["referentiel", "import"], ["user", "create"],
     ["token", "create"], ["demo"], ["setup"], ["serve"], ["translations"]],
)  # fmt: skip
def test_every_command_has_help(command):
    result = atout(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: atout" in result.stdout or "Available subcommands" in result.stdout


def test_user_create_then_token_create_prints_a_working_token(capsys):
    call_command("user", "create", "Omar@Example.org", "--first-name", "Omar")
    user = User.objects.get(email="omar@example.org")
    assert not user.has_usable_password()
    capsys.readouterr()
    call_command("token", "create", "omar@example.org")
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert api_token_authenticate(secret=out.strip()) == user


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pas-un-email", "--first-name", "X"], "not a valid email"),
        (["a@example.org", "--first-name", " "], "must not be empty"),
        (["a@example.org", "--first-name", "A", "--password", "123"], "trop court"),
    ],
)
def test_user_create_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("user", "create", *args)
    assert not User.objects.exists()


def test_user_create_twice_is_refused(user):
    with pytest.raises(CommandError, match="already exists"):
        call_command("user", "create", user.email, "--first-name", "Encore")


def test_token_for_unknown_account_is_refused():
    with pytest.raises(CommandError, match="No active account"):
        call_command("token", "create", "nobody@example.org")


def test_demo_data_is_idempotent():
    call_command("demo")
    call_command("demo")
    assert User.objects.count() == len(DEMO_USERS)


def test_demo_assessment_waits_for_a_tutor_whose_email_holds_a_working_link(default_framework):
    from django.core import mail

    from atout.assessments.models import Assessment
    from tests.assessments.helpers import link_token

    call_command("demo")
    call_command("demo")
    assessment = Assessment.objects.get(owner__email="lina@demo.atout.example")
    assert assessment.level == 2
    assert assessment.referents.filter(answered_at__isnull=False).count() == 1
    tutor_mail = [m for m in mail.outbox if m.to == ["awa.tutrice@demo.atout.example"]]
    assert len(tutor_mail) == 1
    from django.test import Client

    assert Client().get(f"/avis/{link_token(tutor_mail[0])}/").status_code == 200


def test_the_demo_person_sees_close_jobs_from_her_path_the_first_time(default_framework):
    from django.test import Client

    from atout.orientation.models import Interests

    call_command("demo")  # one run on an empty database: métiers come after the people
    interests = Interests.objects.get(owner__email="lina@demo.atout.example")
    assert (interests.held, interests.riasec) == (["G1603"], "SE")
    client = Client()
    client.force_login(User.objects.get(email="lina@demo.atout.example"))
    html = client.get("/orientation/").content.decode()
    assert "un métier que tu as exercé" in html
    recruiting = client.get("/orientation/recrutent/").content.decode()
    assert "Proches de mes compétences" in recruiting and "Accessibles sans diplôme" in recruiting
