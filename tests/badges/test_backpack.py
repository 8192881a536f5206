"""The backpack: badges earned elsewhere are verified before they are kept; collections
share chosen badges by link."""

import io
import json

import pytest
from django.test import Client

from atout.accounts.services import user_export
from atout.badges.models import Award, Collection, ImportedBadge
from atout.openbadges import bake, keys, ob3, proof

pytestmark = pytest.mark.django_db
NOW = "2026-01-01T00:00:00Z"


def elsewhere(email="lina@example.org", **changes) -> dict:
    """A badge signed by another platform (a did:key issuer)."""
    private = keys.new_ed25519(bytes(range(32)))
    did = keys.did_key(private.public_key())
    key = keys.SigningKey(private, f"{did}#{did.removeprefix('did:key:')}")
    award = ob3.Award(
        issuer=ob3.Issuer(id=did, name="Plateforme Bénévolat"),
        achievement=ob3.Achievement(
            id="https://benevolat.example/badges/accueil",
            name="Accueil du public",
            description="Accueillir des visiteurs.",
            criteria="Dix permanences.",
        ),  # fmt: skip
        recipient_email=email,
        valid_from=NOW,
        **changes,
    )
    return proof.sign(award.credential(), key)


def test_a_badge_from_elsewhere_is_verified_then_kept(user_client, user):
    png = bake.bake_png(bake.minimal_png(80, 80), json.dumps(elsewhere()), version=bake.OB3)
    file = io.BytesIO(png)
    file.name = "accueil.png"
    response = user_client.post("/badges/importer/", {"file": file})
    assert response.status_code == 302
    imported = ImportedBadge.objects.get()
    assert imported.owner == user and imported.name == "Accueil du public"
    assert imported.issuer_name == "Plateforme Bénévolat" and imported.image_type == "image/png"
    assert {c["name"] for c in imported.checks} >= {"signature", "recipient"}
    page = user_client.get("/badges/").content.decode()
    assert "Accueil du public" in page and "Plateforme Bénévolat" in page
    again = io.BytesIO(png)
    again.name = "accueil.png"
    assert user_client.post("/badges/importer/", {"file": again}).status_code == 409
    assert user_client.post(f"/badges/importes/{imported.uid}/verifier/").status_code == 302
    assert user_export(user=user)["imported_badges"][0]["name"] == "Accueil du public"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: json.dumps(elsewhere(email="someone@else.org")), "not awarded to"),
        (lambda: json.dumps(elsewhere(valid_until="2026-02-01T00:00:00Z")), "expired"),
        (lambda: json.dumps({**elsewhere(), "name": "Autre"}), "does not match"),
        (lambda: "ceci n'est pas un badge", "not JSON"),
    ],
)
def test_a_badge_that_does_not_verify_is_refused(user_client, make, reason):
    response = user_client.post("/badges/importer/", {"text": make()})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not ImportedBadge.objects.exists()


def test_collections_share_only_what_the_person_chose(user_client, other_client, user):
    user_client.post("/badges/importer/", {"text": json.dumps(elsewhere())})
    imported = ImportedBadge.objects.get()
    response = user_client.post(
        "/badges/collections/",
        {"name": "Pour mon CV", "imported": [str(imported.uid)], "shared": "1"},
    )
    assert response.status_code == 302
    collection = Collection.objects.get()
    html = Client().get(f"/badges/collections/{collection.uid}/").content.decode()
    assert "Pour mon CV" in html and "Accueil du public" in html
    collection.shared = False
    collection.save()
    assert Client().get(f"/badges/collections/{collection.uid}/").status_code == 404
    assert other_client.get(f"/badges/collections/{collection.uid}/").status_code == 404
    # someone else's badges cannot be put in a collection
    assert (
        other_client.post(
            "/badges/collections/", {"name": "Vol", "imported": [str(imported.uid)]}
        ).status_code
        == 404
    )
    assert other_client.post(f"/badges/importes/{imported.uid}/supprimer/").status_code == 404
    assert ImportedBadge.objects.count() == 1 and Collection.objects.count() == 1


def test_our_own_badges_go_in_collections_too(user_client, confirmed, issuer):
    user_client.post(f"/badges/obtenir/{confirmed.pk}/")
    award = Award.objects.get()
    user_client.post(
        "/badges/collections/", {"name": "Sport", "awards": [str(award.uid)], "shared": "1"}
    )
    collection = Collection.objects.get()
    html = Client().get(f"/badges/collections/{collection.uid}/").content.decode()
    assert "Travailler en équipe — Confirmé" in html
