"""The 1EdTech Open Badges 3.0 API read paths, behind the person's token."""

import pytest
from django.test import Client

from atout.badges.models import Award

pytestmark = pytest.mark.django_db


def test_a_wallet_reads_the_persons_credentials(api, other_api, user_client, confirmed, issuer):
    user_client.post(f"/badges/obtenir/{confirmed.pk}/")
    award = Award.objects.get()
    response = api.get("/ims/ob/v3p0/credentials")
    assert response.status_code == 200 and response["X-Total-Count"] == "1"
    body = response.json()
    assert body["credential"][0]["id"] == f"urn:uuid:{award.uid}"
    assert body["credential"][0]["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert body["compactJwsString"] == [award.ob3_jwt]
    assert other_api.get("/ims/ob/v3p0/credentials").json() == {
        "credential": [], "compactJwsString": []
    }  # fmt: skip
    assert api.get("/ims/ob/v3p0/credentials?limit=0").status_code == 400
    profile = api.get("/ims/ob/v3p0/profile").json()
    assert profile["type"] == ["Profile"] and profile["email"] == "lina@example.org"


def test_without_a_token_nothing_but_discovery(issuer):
    refused = Client().get("/ims/ob/v3p0/credentials")
    assert refused.status_code == 401
    assert refused.json()["imsx_codeMajor"] == "failure"
    assert Client().get("/ims/ob/v3p0/profile").status_code == 401
    discovery = Client().get("/ims/ob/v3p0/discovery").json()
    assert discovery["servers"][0]["url"].endswith("/ims/ob/v3p0")
    assert "/credentials" in discovery["paths"]
