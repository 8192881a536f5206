import pytest
from django.test import Client

from atout.accounts.services import api_token_create, api_token_revoke
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def test_me_with_a_personal_token(user):
    MembershipFactory(user=user, organisation__name="Club de foot", organisation__slug="foot")
    secret = api_token_create(user=user, name="test").secret
    response = Client().get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == user.email
    assert body["organisations"] == [{"slug": "foot", "name": "Club de foot", "role": "counsellor"}]


@pytest.mark.parametrize("headers", [{}, bearer("atout_forged"), {"authorization": "Basic abc"}])
def test_no_or_bad_token_is_401_with_error_shape(headers):
    response = Client().get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Missing or invalid API token.", "code": "unauthorized"}


def test_revoked_token_no_longer_works(user):
    created = api_token_create(user=user)
    api_token_revoke(token=created.token, actor=user)
    assert Client().get("/api/v1/me", headers=bearer(created.secret)).status_code == 401


def test_another_persons_token_gives_their_account_not_mine(user, other_user):
    secret = api_token_create(user=other_user).secret
    assert Client().get("/api/v1/me", headers=bearer(secret)).json()["email"] == other_user.email


def test_bad_tokens_are_rate_limited(settings):
    settings.ATOUT_API_AUTH_RATE = (3, 900)
    client = Client()
    statuses = [
        client.get("/api/v1/me", headers=bearer(f"atout_x{i}")).status_code for i in range(5)
    ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]
    assert client.get("/api/v1/me", headers=bearer("atout_y")).json()["code"] == "rate_limited"


def test_a_valid_token_still_works_from_a_blocked_address(settings, user):
    settings.ATOUT_API_AUTH_RATE = (2, 900)
    client = Client()
    for i in range(3):
        client.get("/api/v1/me", headers=bearer(f"atout_x{i}"))
    secret = api_token_create(user=user).secret
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_referentiel_is_public(default_framework):
    response = Client().get("/api/v1/referentiel/atout/skills")
    assert response.status_code == 200
    codes = {s["code"] for s in response.json()}
    assert {"teamwork", "motivation"} <= codes
    one = Client().get("/api/v1/referentiel/atout/skills/teamwork").json()
    assert one["url"] == "http://testserver/referentiel/atout/teamwork/"
    assert one["label"]["en"] == "Teamwork"


def test_unknown_skill_is_404_with_error_shape(default_framework):
    response = Client().get("/api/v1/referentiel/atout/skills/flying")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_openapi_document_is_served():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    contract = [  # ../shared/API.md
        "/api/v1/me", "/api/v1/experiences", "/api/v1/experiences/{experience_id}",
        "/api/v1/chat", "/api/v1/chat/{chat_id}/messages", "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}", "/api/v1/assessments/{assessment_id}/self",
        "/api/v1/assessments/{assessment_id}/referents", "/api/v1/referent/{token}",
    ]  # fmt: skip
    assert [p for p in contract if p not in paths] == []
    assert set(paths["/api/v1/referent/{token}"]) == {"get", "post"}
    assert "security" not in paths["/api/v1/referent/{token}"]["get"]  # no account needed


def test_unparsable_body_is_400_invalid(user):
    client = Client(headers={"authorization": f"Bearer {api_token_create(user=user).secret}"})
    response = client.post("/api/v1/experiences", "not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body", "code": "invalid"}
