"""Issuing, showing, verifying and revoking badges through the site, the API and the CLI."""

import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from atout.badges import services
from atout.badges.models import Award
from atout.core.models import LogEntry
from atout.openbadges import bake, keys
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def claim(user_client, assessment) -> Award:
    response = user_client.post(f"/badges/obtenir/{assessment.pk}/")
    assert response.status_code == 302, response.content
    return Award.objects.get()


def api_verify(**body):
    return Client().post("/api/v1/verify", body, content_type="application/json").json()


def test_a_confirmed_level_gives_a_badge_in_every_form(user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    assert award.recipient == confirmed.owner and award.achievement.code == "teamwork-3"
    assert LogEntry.objects.filter(action="badge.awarded").count() == 1
    credential = json.loads(award.ob3_json)
    assert credential["issuer"]["id"] == "did:web:testserver:issuers:ml-93"
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Competency"
    alignment = credential["credentialSubject"]["achievement"]["alignment"]
    assert {a["targetFramework"] for a in alignment} == {"atout", "ESCO", "ROME 4.0"}
    assert "lina@example.org" not in award.ob3_json  # only the salted hash
    version, payload = bake.unbake_png(bytes(award.png))
    assert version == bake.OB3 and json.loads(payload) == credential
    assert bake.unbake_svg(award.svg) == (bake.OB3, payload.strip())
    # asking again gives the same badge
    assert user_client.post(f"/badges/obtenir/{confirmed.pk}/").status_code == 302
    assert Award.objects.count() == 1


@pytest.mark.parametrize("form", ["png", "svg", "ob3", "ob3-jwt", "ob3-jwt-eddsa"])
def test_each_downloaded_form_verifies_on_the_site(user_client, confirmed, issuer, form):
    award = claim(user_client, confirmed)
    body = Client().get(f"/badges/{award.uid}/{form}").content
    response = Client().post(
        "/api/v1/verify", {"file": io.BytesIO(body), "email": "lina@example.org"}
    )
    report = response.json()
    assert report["valid"], report
    assert report["achievement"] == "Travailler en équipe — Confirmé"
    assert report["issuer"] == "Mission Locale 93"
    assert {c["name"] for c in report["checks"]} >= {"signature", "revocation", "recipient"}


def test_revocation_is_seen_by_every_form(user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    png = Client().get(f"/badges/{award.uid}/png").content
    out = io.StringIO()
    call_command("badge", "revoke", str(award.uid), "--reason", "erreur de saisie", stdout=out)
    report = Client().post("/api/v1/verify", {"file": io.BytesIO(png)}).json()
    assert not report["valid"] and report["revoked"]
    assert api_verify(credential=award.ob3_jwt)["revoked"]
    ob2 = Client().get(f"/badges/{award.uid}/ob2")
    assert ob2.status_code == 410 and ob2.json()["revocationReason"] == "erreur de saisie"
    assert not api_verify(url=f"http://testserver/badges/{award.uid}/ob2")["valid"]
    page = Client().get(f"/badges/{award.uid}/")
    assert page.status_code == 404  # still private
    Award.objects.filter(pk=award.pk).update(public=True)
    assert "Badge retiré" in Client().get(f"/badges/{award.uid}/").content.decode()
    with pytest.raises(Exception, match="déjà retiré"):
        call_command("badge", "revoke", str(award.uid), "--reason", "encore")


def test_ob2_hosted_assertion_verifies_by_url(user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    report = api_verify(url=f"http://testserver/badges/{award.uid}/ob2", email="lina@example.org")
    assert report["valid"] and report["format"] == "ob2", report
    assert Client().get(f"/badges/{award.uid}/ob2-png").status_code == 200


def test_key_rotation_keeps_old_badges_valid(user_client, confirmed, issuer):
    old = claim(user_client, confirmed)
    services.issuer_keys_create(organisation=issuer)
    did = Client().get("/issuers/ml-93/did.json").json()
    assert len(did["verificationMethod"]) == 4 and len(did["assertionMethod"]) == 4
    assert api_verify(credential=json.loads(old.ob3_json))["valid"]
    new = services.award_issue(
        achievement=old.achievement, organisation=issuer, email="yanis@example.org"
    )
    assert json.loads(new.ob3_json)["proof"]["verificationMethod"].endswith("#ed25519-3")
    assert api_verify(credential=json.loads(new.ob3_json))["valid"]


def test_private_keys_are_encrypted_and_the_secret_is_needed(issuer, settings, default_framework):
    key = issuer.issuer_keys.filter(kind="ed25519").get()
    assert "ENCRYPTED PRIVATE KEY" in key.private_pem
    achievement = services.achievement_for_level(
        skill=default_framework.skills.get(code="teamwork"), level=3
    )
    settings.ATOUT_KEYS_SECRET = "another-secret"
    with pytest.raises(keys.BadKey, match="cannot decrypt"):
        services.award_issue(achievement=achievement, organisation=issuer, email="x@example.org")
    assert not Award.objects.exists()


def test_the_badge_page_is_private_until_the_person_shares_it(
    user_client, other_client, confirmed, issuer, other_user
):
    award = claim(user_client, confirmed)
    url = f"/badges/{award.uid}/"
    assert Client().get(url).status_code == 404
    assert other_client.get(url).status_code == 404
    assert other_client.post(f"{url}public/", {"public": "1"}).status_code == 404
    page = user_client.get(url)
    assert page.status_code == 200 and "Rendre la page publique" in page.content.decode()
    MembershipFactory(organisation=issuer, user=other_user, role="issuer")
    assert other_client.get(url).status_code == 200  # the issuing organisation's issuer
    user_client.post(f"{url}public/", {"public": "1"})
    html = Client().get(url).content.decode()
    assert "Badge valide" in html and "<svg" in html  # the QR code
    linkedin = next(part for part in html.split('"') if part.startswith("https://www.linkedin.com"))
    params = parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)
    assert params["startTask"] == ["CERTIFICATION_NAME"]
    assert params["organizationName"] == ["Mission Locale 93"]
    assert params["certId"] == [str(award.uid)]


def test_a_level_too_low_gives_no_badge(user_client, user, default_framework, issuer):
    from atout.assessments import services as assessments

    assessment = assessments.assessment_start(owner=user, skill_code="leadership")
    codes = [item.code for item in assessments.items_of(assessment)]
    assessments.assessment_answer_self(assessment=assessment, answers=dict.fromkeys(codes, 4))
    response = user_client.post(f"/badges/obtenir/{assessment.pk}/", follow=True)
    assert "ne permet pas encore" in response.content.decode()
    assert not Award.objects.exists()


def test_nobody_claims_a_badge_for_someone_elses_assessment(other_client, confirmed, issuer):
    assert other_client.post(f"/badges/obtenir/{confirmed.pk}/").status_code == 404
    assert not Award.objects.exists()


def test_api_lists_the_persons_badges(api, other_api, user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    body = api.get("/api/v1/badges").json()
    assert body[0]["id"] == str(award.uid) and body[0]["skill"] == "teamwork"
    assert body[0]["level"] == 3 and body[0]["revoked"] is False
    assert set(body[0]["urls"]) == {"ob3", "ob3_jwt", "ob2", "png", "svg", "page", "linkedin"}
    assert other_api.get("/api/v1/badges").json() == []
    assert Client().get("/api/v1/badges").status_code == 401


def test_verify_refuses_bad_input_plainly(issuer):
    client = Client()
    assert client.post("/api/v1/verify", "nope", content_type="application/json").status_code == 400
    assert (
        client.post("/api/v1/verify", {"other": 1}, content_type="application/json").status_code
        == 400
    )
    two_chunks = bake.bake_png(bake.minimal_png(), "{}", version=bake.OB3)
    two_chunks = (
        two_chunks[:-12]
        + bake._png_chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00{}")
        + two_chunks[-12:]
    )
    report = client.post("/api/v1/verify", {"file": io.BytesIO(two_chunks)}).json()
    assert not report["valid"] and "two badge chunks" in report["checks"][0]["detail"]
    report = client.post("/api/v1/verify", {"file": io.BytesIO(b"x" * 100)}).json()
    assert not report["valid"]
    report = api_verify(url="http://10.0.0.1/badge.json")
    assert not report["valid"] and "only https" in report["checks"][0]["detail"]
    report = api_verify(url="https://127.0.0.1/badge.json")  # no request to our own network
    assert not report["valid"] and "not a public address" in report["checks"][0]["detail"]


def test_tampered_baked_png_is_refused(user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    credential = json.loads(award.ob3_json)
    credential["credentialSubject"]["achievement"]["name"] = "Expert en tout"
    forged = bake.bake_png(bake.minimal_png(), json.dumps(credential), version=bake.OB3)
    report = Client().post("/api/v1/verify", {"file": io.BytesIO(forged)}).json()
    assert not report["valid"]
    assert (
        "does not match" in next(c for c in report["checks"] if c["name"] == "signature")["detail"]
    )


def test_cli_issue_writes_every_form_and_verify_exits_by_validity(
    tmp_path, issuer, default_framework
):
    out = io.StringIO()
    call_command(
        "badge", "issue", "--achievement", "teamwork-3", "--recipient", "sam@example.org",
        "--evidence", "Capitaine des U15", "--out", str(tmp_path), stdout=out,
    )  # fmt: skip
    files = sorted(p.name.split(".", 1)[1] for p in tmp_path.iterdir())
    assert files == ["ob2.json", "ob3.json", "ob3.jwt", "png", "svg"]
    png = next(tmp_path.glob("*.png"))
    result = io.StringIO()
    call_command("badge", "verify", str(png), "--email", "sam@example.org", stdout=result)
    assert result.getvalue().startswith("VALID (ob3)")
    broken = tmp_path / "broken.json"
    broken.write_text(Path(next(tmp_path.glob("*.ob3.json"))).read_text().replace("U15", "U17"))
    with pytest.raises(SystemExit) as exit_:
        call_command("badge", "verify", str(broken), stdout=io.StringIO())
    assert exit_.value.code == 1


def _two_referents_answer(user, user_client, consent: bool, capture) -> None:
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from atout.assessments import services as assessments

    assessment = assessments.assessment_start(owner=user, skill_code="teamwork")
    codes = [item.code for item in assessments.items_of(assessment)]
    assessments.assessment_answer_self(assessment=assessment, answers=dict.fromkeys(codes, 3))
    if consent:
        url = f"/evaluations/{assessment.pk}/badge-auto/"
        assert user_client.post(url, {"on": "1"}).status_code == 302
    for n in range(2):
        referent = assessments.referent_invite(
            assessment=assessment, name=f"R{n}", email=f"r{n}@club.fr", relation="coach"
        )
        referent.__class__.objects.filter(pk=referent.pk).update(
            opened_at=timezone.now() - timedelta(minutes=2)
        )
    tokens = [m.body.split("/avis/")[1].split("/")[0] for m in mail.outbox]
    mail.outbox.clear()
    with capture(execute=True):
        assessments.referent_answer(token=tokens[0], answers=dict.fromkeys(codes, 4))
    assert not Award.objects.exists()  # one referent: not yet
    with capture(execute=True):
        assessments.referent_answer(token=tokens[1], answers=dict.fromkeys(codes, 3))
    assessment.refresh_from_db()
    assert assessment.level == 3


def test_a_person_who_said_yes_in_advance_gets_the_badge_when_referents_confirm(
    user_client, user, default_framework, issuer, django_capture_on_commit_callbacks
):
    from django.core import mail

    _two_referents_answer(user, user_client, True, django_capture_on_commit_callbacks)
    award = Award.objects.get()
    assert award.recipient == user and award.achievement.code == "teamwork-3"
    assert mail.outbox[-1].to == ["lina@example.org"]
    assert "est prêt" in mail.outbox[-1].subject


def test_without_consent_in_advance_no_badge_is_issued(
    user_client, user, default_framework, issuer, django_capture_on_commit_callbacks
):
    from django.core import mail

    _two_referents_answer(user, user_client, False, django_capture_on_commit_callbacks)
    assert not Award.objects.exists() and not mail.outbox


def test_cli_unbake_prints_the_credential(tmp_path, user_client, confirmed, issuer):
    award = claim(user_client, confirmed)
    png = tmp_path / "badge.png"
    png.write_bytes(bytes(award.png))
    out = io.StringIO()
    call_command("badge", "unbake", str(png), stdout=out)
    assert json.loads(out.getvalue()) == json.loads(award.ob3_json)
    (tmp_path / "plain.png").write_bytes(bake.minimal_png())
    with pytest.raises(Exception, match="holds no Open Badges data"):
        call_command("badge", "unbake", str(tmp_path / "plain.png"))
