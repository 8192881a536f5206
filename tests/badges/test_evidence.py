"""Evidence files: checked on upload (photos lose their EXIF), cited by the badge, shown
to the public only when the person chooses."""

import io
import json

import pytest
from django.test import Client
from PIL import Image

from atout.badges.models import Award, EvidenceFile
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def photo_with_gps() -> io.BytesIO:
    image = Image.new("RGB", (200, 150), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = "match.jpg"
    return out


def test_a_photo_goes_with_the_badge_without_its_gps_and_stays_private(
    user_client, other_client, confirmed, issuer
):
    response = user_client.post(
        f"/badges/preuves/ajouter/{confirmed.pk}/", {"file": photo_with_gps(), "name": "Le match"}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(bytes(evidence.content))).getexif()  # no EXIF, no GPS
    user_client.post(f"/badges/obtenir/{confirmed.pk}/")
    award = Award.objects.get()
    cited = json.loads(award.ob3_json)["evidence"]
    assert any(e.get("id", "").endswith(f"/badges/preuves/{evidence.uid}/") for e in cited)
    url = f"/badges/preuves/{evidence.uid}/"
    assert user_client.get(url).status_code == 200
    assert Client().get(url).status_code == 404
    assert other_client.get(url).status_code == 404
    user_client.post(f"/badges/{award.uid}/public/", {"public": "1"})
    assert Client().get(url).status_code == 404  # public page, files still hidden
    user_client.post(f"/badges/{award.uid}/preuves/", {"show": "1"})
    shown = Client().get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert "Le match" in Client().get(f"/badges/{award.uid}/").content.decode()


def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_kept(user_client, confirmed):
    page = io.BytesIO(b"<html><script>alert(1)</script></html>")
    page.name = "photo.jpg"
    response = user_client.post(
        f"/badges/preuves/ajouter/{confirmed.pk}/", {"file": page, "name": "x"}, follow=True
    )
    assert "pas accepté" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    no_name = user_client.post(
        f"/badges/preuves/ajouter/{confirmed.pk}/", {"file": photo_with_gps(), "name": " "},
        follow=True,
    )  # fmt: skip
    assert "quelques mots" in no_name.content.decode()
    assert not EvidenceFile.objects.exists()


def test_nobody_adds_or_deletes_evidence_on_someone_elses_assessment(
    user_client, other_client, confirmed
):
    assert (
        other_client.post(
            f"/badges/preuves/ajouter/{confirmed.pk}/", {"file": photo_with_gps(), "name": "x"}
        ).status_code
        == 404
    )
    user_client.post(
        f"/badges/preuves/ajouter/{confirmed.pk}/", {"file": photo_with_gps(), "name": "x"}
    )
    evidence = EvidenceFile.objects.get()
    assert other_client.post(f"/badges/preuves/{evidence.uid}/supprimer/").status_code == 404
    assert user_client.post(f"/badges/preuves/{evidence.uid}/supprimer/").status_code == 302
    assert not EvidenceFile.objects.exists()


def test_an_issuer_attaches_one_file_to_a_whole_list(issuer, user, default_framework):
    from atout.badges.services import achievement_for_level

    issuer_user = UserFactory()
    MembershipFactory(organisation=issuer, user=issuer_user, role="issuer")
    client = Client()
    client.force_login(issuer_user)
    achievement = achievement_for_level(
        skill=default_framework.skills.get(code="teamwork"), level=2
    )
    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    pdf.name = "attestation.pdf"
    client.post(
        f"/organisations/ml-93/badges/{achievement.uid}/delivrer/",
        {"emails": "lina@example.org\nsam@example.org", "evidence_file": pdf,
         "evidence_file_name": "Attestation de stage"},
    )  # fmt: skip
    evidence = EvidenceFile.objects.get()
    assert evidence.awards.count() == 2 and evidence.content_type == "application/pdf"
    url = f"/badges/preuves/{evidence.uid}/"
    assert client.get(url)["Content-Disposition"].startswith("attachment")
    lina = Client()
    lina.force_login(user)
    assert lina.get(url).status_code == 200  # a recipient
    assert Client().get(url).status_code == 404
