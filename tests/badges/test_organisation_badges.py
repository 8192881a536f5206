"""An organisation defines its own badge and issues it to a list of people; roles decide
who may do what."""

import io
import json

import pytest
from django.core import mail
from django.test import Client
from PIL import Image

from atout.badges.models import Achievement, Award
from atout.openbadges import bake
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def member(organisation, role):
    person = UserFactory()
    MembershipFactory(organisation=organisation, user=person, role=role)
    client = Client()
    client.force_login(person)
    return client


def png_upload(size=128) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGBA", (size, size), (30, 120, 60, 255)).save(out, format="PNG")
    out.seek(0)
    out.name = "semis.png"
    return out


def define(client, slug="ml-93", **extra):
    data = {
        "name": "Je sais semer en plein champ",
        "description": "Semer des légumes en pleine terre, au bon moment.",
        "criteria": "Avoir semé trois planches avec l'équipe du chantier.",
        "tags": "maraîchage, chantier",
        **extra,
    }
    return client.post(f"/organisations/{slug}/badges/", data)


def test_an_issuer_defines_a_badge_with_its_image_and_issues_it_to_a_list(issuer, user):
    client = member(issuer, "issuer")
    response = define(client, image=png_upload())
    assert response.status_code == 302
    achievement = Achievement.objects.get(organisation=issuer)
    assert achievement.code == "je-sais-semer-en-plein-champ"
    assert achievement.image_type == "image/png" and achievement.tags == ["maraîchage", "chantier"]
    csv = io.BytesIO(
        "email,preuve\nlina@example.org,3 planches semées\nsam@example.org,\n".encode()
    )
    csv.name = "liste.csv"
    response = client.post(
        f"/organisations/ml-93/badges/{achievement.uid}/delivrer/",
        {"emails": "awa@example.org", "evidence": "Chantier de mai", "file": csv},
        follow=True,
    )
    assert response.status_code == 200
    assert "Terminé : 3 badges délivrés" in response.content.decode()
    progress_url = response.redirect_chain[-1][0]
    partial = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="progress"') and "hx-trigger" not in partial
    assert partial.strip() in client.get(progress_url).content.decode()  # the same include
    assert member(issuer, "counsellor").get(progress_url).status_code == 200
    assert Client().get(progress_url).status_code == 302  # to the login page
    awards = {a.recipient_email: a for a in Award.objects.all()}
    assert set(awards) == {"awa@example.org", "lina@example.org", "sam@example.org"}
    assert awards["lina@example.org"].recipient == user  # found in her portfolio
    assert awards["awa@example.org"].recipient is None
    assert awards["lina@example.org"].evidence == [
        {"narrative": "3 planches semées", "url": "", "name": ""}
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(awards)
    assert "Je sais semer en plein champ" in mail.outbox[0].subject
    version, payload = bake.unbake_png(bytes(awards["sam@example.org"].png))
    image = Image.open(io.BytesIO(bytes(awards["sam@example.org"].png)))
    assert image.size == (128, 128)  # the organisation's image, baked
    report = (
        Client()
        .post(
            "/api/v1/verify", {"credential": json.loads(payload)}, content_type="application/json"
        )
        .json()
    )
    assert report["valid"], report


def test_bad_lists_are_refused_and_nothing_is_issued(issuer, default_framework):
    client = member(issuer, "counsellor")
    from atout.badges.services import achievement_for_level

    achievement = achievement_for_level(
        skill=default_framework.skills.get(code="teamwork"), level=3
    )
    url = f"/organisations/ml-93/badges/{achievement.uid}/delivrer/"
    response = client.post(url, {"emails": "ok@example.org\npas-une-adresse\nok@example.org"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "ligne 2" in html and "apparaît deux fois" in html
    bad_csv = io.BytesIO(b"nom\nLina\n")
    bad_csv.name = "x.csv"
    assert client.post(url, {"file": bad_csv}).status_code == 400
    assert client.post(url, {"emails": ""}).status_code == 400
    assert not Award.objects.exists() and not mail.outbox


def test_a_dangerous_image_is_refused_and_no_badge_is_created(issuer):
    client = member(issuer, "admin")
    svg = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    svg.name = "badge.svg"
    response = define(client, image=svg)
    assert response.status_code == 400
    assert not Achievement.objects.filter(organisation=issuer).exists()


def test_roles_and_outsiders(issuer, other_client, default_framework):
    counsellor = member(issuer, "counsellor")
    assert define(counsellor).status_code == 403  # counsellors issue, they do not define
    assert other_client.get("/organisations/ml-93/badges/").status_code == 404
    assert define(other_client).status_code == 404
    admin = member(issuer, "admin")
    define(admin)
    achievement = Achievement.objects.get(organisation=issuer)
    assert (
        other_client.post(
            f"/organisations/ml-93/badges/{achievement.uid}/delivrer/", {"emails": "x@example.org"}
        ).status_code
        == 404
    )
    assert not Award.objects.exists()


def test_an_issuer_revokes_from_the_list(issuer):
    client = member(issuer, "issuer")
    define(client)
    achievement = Achievement.objects.get(organisation=issuer)
    client.post(
        f"/organisations/ml-93/badges/{achievement.uid}/delivrer/", {"emails": "sam@example.org"}
    )
    award = Award.objects.get()
    url = f"/organisations/ml-93/badges/retirer/{award.uid}/"
    assert client.post(url, {"reason": " "}).status_code == 400
    assert member(issuer, "counsellor").post(url, {"reason": "x"}).status_code == 403
    assert client.post(url, {"reason": "Erreur de personne"}).status_code == 302
    award.refresh_from_db()
    assert award.revoked and award.revocation_reason == "Erreur de personne"
    report = (
        Client()
        .post("/api/v1/verify", {"credential": award.ob3_jwt}, content_type="application/json")
        .json()
    )
    assert report["revoked"] is True


def test_rows_that_fail_in_the_background_are_listed_with_the_reason(issuer):
    client = member(issuer, "issuer")
    define(client)
    achievement = Achievement.objects.get(organisation=issuer)
    issuer.issuer_keys.all().delete()
    response = client.post(
        f"/organisations/ml-93/badges/{achievement.uid}/delivrer/",
        {"emails": "sam@example.org\nawa@example.org"},
        follow=True,
    )
    html = response.content.decode()
    assert "Pas délivrés" in html and "sam@example.org" in html and "has no signing key" in html
    assert not Award.objects.exists() and not mail.outbox
