"""The ``assessments`` and ``referent`` calls of ../shared/API.md, their refusals included."""

import datetime

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from atout.assessments.models import Assessment, Referent
from tests.accounts.factories import UserFactory

from .helpers import last_token, spent, tampered

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def started(api, skill="teamwork"):
    response = post(api, "/api/v1/assessments", {"skill": skill})
    assert response.status_code == 201, response.content
    return response.json()


def answered(api, value=3):
    body = started(api)
    answers = {item["id"]: value for item in body["items"]}
    assert (
        post(api, f"/api/v1/assessments/{body['id']}/self", {"answers": answers}).status_code == 200
    )
    return body


def invite(api, assessment_id, email, name="Marc", relation="coach"):
    return post(
        api,
        f"/api/v1/assessments/{assessment_id}/referents",
        {"email": email, "name": name, "relation": relation},
    )


def test_start_returns_the_items_and_the_scale(api, default_framework):
    body = started(api)
    assert body["skill"] == "teamwork"
    assert len(body["items"]) == 8
    assert body["items"][0] == {
        "id": "teamwork-01",
        "text": "J'écoute les idées des autres avant de donner la mienne.",
    }
    assert [s["value"] for s in body["scale"]] == [1, 2, 3, 4]


def test_the_whole_loop_through_the_api(api, default_framework):
    body = answered(api, 3)
    state = api.get(f"/api/v1/assessments/{body['id']}").json()
    assert state["self_done"] and state["level"] == 2 and state["status"] == "open"
    assert state["referents"] == []

    for email in ("marc@club.fr", "awa@stage.fr"):
        assert invite(api, body["id"], email).status_code == 201
    anonymous = Client()
    for email, value in (("marc@club.fr", 4), ("awa@stage.fr", 3)):
        token = last_token(email)
        page = anonymous.get(f"/api/v1/referent/{token}").json()
        assert page["person"] == "Lina"
        assert page["items"][0]["text"].startswith("Lina écoute")
        assert 0 in [s["value"] for s in page["scale"]]
        spent(email, 60)
        answers = {item["id"]: value for item in page["items"]}
        response = post(
            anonymous, f"/api/v1/referent/{token}", {"answers": answers, "comment": "Bravo"}
        )
        assert response.status_code == 200
        again = post(anonymous, f"/api/v1/referent/{token}", {"answers": answers})
        assert again.status_code == 410 and again.json()["code"] == "used"

    state = api.get(f"/api/v1/assessments/{body['id']}").json()
    assert state["level"] == 3
    assert state["level_label"] == "Confirmé"
    assert state["referents"] == [
        {"relation": "coach", "answered": True},
        {"relation": "coach", "answered": True},
    ]
    assert "Bravo" not in str(state)
    assert state["badge_possible"] is True


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({}, "missing_answers"),
        ({"teamwork-01": 3}, "missing_answers"),
        ("all good", "invalid"),
    ],
)
def test_bad_self_answers_are_refused_and_nothing_is_saved(api, default_framework, answers, code):
    body = started(api)
    response = post(api, f"/api/v1/assessments/{body['id']}/self", {"answers": answers})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Assessment.objects.get().self_done


@pytest.mark.parametrize("value", [0, 5, -1, "3.5", "beaucoup", True, None])
def test_values_off_the_scale_are_refused(api, default_framework, value):
    body = started(api)
    answers = {item["id"]: 3 for item in body["items"]}
    answers["teamwork-04"] = value
    response = post(api, f"/api/v1/assessments/{body['id']}/self", {"answers": answers})
    assert response.status_code == 400
    assert response.json()["code"] in {"off_scale", "missing_answers"}
    assert Assessment.objects.get().self_answers == {}


def test_an_unknown_item_is_refused(api, default_framework):
    body = started(api)
    answers = {item["id"]: 3 for item in body["items"]} | {"leadership-01": 4}
    response = post(api, f"/api/v1/assessments/{body['id']}/self", {"answers": answers})
    assert response.status_code == 400 and response.json()["code"] == "unknown_item"


def test_unknown_skill_and_second_open_assessment(api, default_framework):
    response = post(api, "/api/v1/assessments", {"skill": "juggling"})
    assert response.status_code == 404 and response.json()["code"] == "unknown_skill"
    started(api)
    again = post(api, "/api/v1/assessments", {"skill": "teamwork"})
    assert again.status_code == 409 and again.json()["code"] == "already_open"


def test_nobody_else_reads_or_changes_an_assessment(api, other_api, default_framework):
    body = started(api)
    assert other_api.get(f"/api/v1/assessments/{body['id']}").status_code == 404
    answers = {item["id"]: 4 for item in body["items"]}
    assert (
        post(other_api, f"/api/v1/assessments/{body['id']}/self", {"answers": answers}).status_code
        == 404
    )
    assert invite(other_api, body["id"], "x@example.net").status_code == 404
    assert Client().get(f"/api/v1/assessments/{body['id']}").status_code == 401
    assert not Assessment.objects.get().self_done


def test_someone_elses_experience_cannot_be_linked(api, other_user, default_framework):
    from atout.experiences.models import Experience

    theirs = Experience.objects.create(owner=other_user, title="x", narrative="x")
    response = post(api, "/api/v1/assessments", {"skill": "teamwork", "experience": theirs.pk})
    assert response.status_code == 404 and response.json()["code"] == "unknown_experience"
    assert not Assessment.objects.exists()


# --- abuse ---------------------------------------------------------------------------------


def test_inviting_before_answering_oneself_is_refused(api, default_framework):
    body = started(api)
    response = invite(api, body["id"], "marc@club.fr")
    assert response.status_code == 409 and response.json()["code"] == "self_first"
    assert not mail.outbox


@pytest.mark.parametrize("email", ["lina@example.org", "LINA@example.org ", "lina+ref@example.org"])
def test_a_person_cannot_invite_themselves(api, default_framework, email):
    body = answered(api)
    response = invite(api, body["id"], email)
    assert response.status_code == 400 and response.json()["code"] == "self_invite"
    assert not Referent.objects.exists() and not mail.outbox


def test_the_same_referent_cannot_be_invited_twice(api, default_framework):
    body = answered(api)
    assert invite(api, body["id"], "marc@club.fr").status_code == 201
    response = invite(api, body["id"], "Marc+2@Club.fr", name="Marc bis")
    assert response.status_code == 409 and response.json()["code"] == "already_invited"
    assert Referent.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("email", "pas-une-adresse", "email_invalid"), ("relation", "cousin", "relation_invalid"),
     ("name", "   ", "name_missing")],
)  # fmt: skip
def test_bad_invitations_are_refused(api, default_framework, field, value, code):
    body = answered(api)
    payload = {"email": "marc@club.fr", "name": "Marc", "relation": "coach", field: value}
    response = post(api, f"/api/v1/assessments/{body['id']}/referents", payload)
    assert response.status_code == 400 and response.json()["code"] == code
    assert not Referent.objects.exists()


@override_settings(ATOUT_REFERENT_INVITES_PER_DAY=3)
def test_invitations_are_limited_per_person_and_per_day(api, default_framework):
    first = answered(api)
    for n in range(2):
        assert invite(api, first["id"], f"ref{n}@example.net").status_code == 201
    second = started(api, "leadership")
    answers = {item["id"]: 3 for item in second["items"]}
    post(api, f"/api/v1/assessments/{second['id']}/self", {"answers": answers})
    assert invite(api, second["id"], "ref2@example.net").status_code == 201
    response = invite(api, second["id"], "ref3@example.net")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert Referent.objects.count() == 3
    Referent.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert invite(api, second["id"], "ref3@example.net").status_code == 201


def test_tampered_expired_closed_and_deleted_links(api, default_framework):
    body = answered(api)
    invite(api, body["id"], "marc@club.fr")
    token = last_token("marc@club.fr")
    anonymous = Client()
    answers = {f"teamwork-0{n}": 3 for n in range(1, 9)}
    forged = post(anonymous, f"/api/v1/referent/{tampered(token)}", {"answers": answers})
    assert forged.status_code == 404
    assert (
        post(anonymous, f"/api/v1/referent/{token}", {"answers": {"teamwork-01": 9}}).status_code
        == 400
    )
    assert Referent.objects.get().answered_at is None  # the bad answer did not use the link

    Assessment.objects.update(status="closed")
    closed = post(anonymous, f"/api/v1/referent/{token}", {"answers": answers})
    assert closed.status_code == 409 and closed.json()["code"] == "closed"
    Assessment.objects.update(status="open")

    Referent.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = anonymous.get(f"/api/v1/referent/{token}")
    assert expired.status_code == 410 and expired.json()["code"] == "expired"

    Assessment.objects.all().delete()
    assert anonymous.get(f"/api/v1/referent/{token}").status_code == 404


def test_a_token_only_opens_its_own_assessment(api, default_framework, other_api, other_user):
    mine = answered(api)
    invite(api, mine["id"], "marc@club.fr")
    token = last_token("marc@club.fr")
    theirs = answered(other_api)
    invite(other_api, theirs["id"], "awa@stage.fr")
    page = Client().get(f"/api/v1/referent/{token}").json()
    assert page["person"] == "Lina"
    answers = {item["id"]: 4 for item in page["items"]}
    spent("marc@club.fr", 60)
    post(Client(), f"/api/v1/referent/{token}", {"answers": answers})
    assert Referent.objects.get(email="awa@stage.fr").answered_at is None
    assert Referent.objects.get(email="marc@club.fr").assessment_id == mine["id"]


def test_a_referent_answering_in_the_same_second_is_flagged(api, default_framework):
    body = answered(api)
    invite(api, body["id"], "marc@club.fr")
    token = last_token("marc@club.fr")
    answers = {f"teamwork-0{n}": 4 for n in range(1, 9)}
    assert post(Client(), f"/api/v1/referent/{token}", {"answers": answers}).status_code == 200
    assert Referent.objects.get().too_fast
    state = api.get(f"/api/v1/assessments/{body['id']}").json()
    assert any("trop vite" in line for line in state["explanation"])


def test_another_person_with_an_account_can_be_a_referent(api, default_framework):
    coach = UserFactory(email="coach@club.fr", first_name="Marc")
    body = answered(api)
    assert invite(api, body["id"], coach.email).status_code == 201
