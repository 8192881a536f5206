"""« Mon parcours et mes goûts »: jobs held, savoir-faire claimed and RIASEC interests feed
the matching; trainings and ways to progress on the gap page and API."""

from html import unescape

import pytest
from django.test import Client

from atout.accounts.services import user_export
from atout.assessments.models import Assessment
from atout.orientation.interests import MAX_HELD, get_interests
from atout.orientation.models import Interests, Metier
from atout.progress.models import Opportunity
from atout.referentiel.models import Skill
from tests.orientation.test_pages import metiers  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/orientation/mon-parcours/"


def post(client, **data):
    return client.post(URL, data)


def test_the_page_needs_an_account(metiers):  # noqa: F811
    response = Client().get(URL)
    assert response.status_code == 302 and "next=/orientation/mon-parcours/" in response["Location"]
    assert Client().post(URL, {"action": "add_held", "code": "G1803"}).status_code == 302
    assert not Interests.objects.exists()


def test_a_job_held_brings_its_mobility_targets_and_its_savoir_faire(
    user_client,
    user,
    metiers,  # noqa: F811
):
    html = unescape(user_client.get(URL, {"q": "serveur"}).content.decode())
    assert "J'ai exercé « Serveur / Serveuse »" in html
    response = post(user_client, action="add_held", code="g1803")
    assert response.status_code == 302 and response["Location"] == URL
    assert get_interests(user=user).held == ["G1803"]

    # Magasinier is a ROME mobility target of the job held: it comes up with its reason,
    # even with no soft skill evidenced yet; the job held itself is not suggested.
    jobs = unescape(user_client.get("/orientation/").content.decode())
    assert (
        "Magasinier / Magasinière" in jobs
        and "Proche de « Serveur / Serveuse », un métier que tu as exercé" in jobs
    )
    assert "Serveur / Serveuse</a>" not in jobs

    # The job's savoir-faire are offered to tick on the page.
    page = unescape(user_client.get(URL).content.decode())
    assert "Prendre une commande" in page and 'value="100001"' in page
    post(user_client, action="claim", savoir_faire=["100001"])
    assert get_interests(user=user).savoir_faire == ["100001"]
    gap = unescape(user_client.get("/orientation/metiers/G1803/").content.decode())
    shown = gap[gap.index("Ce que tu montres déjà") : gap.index("Ce qui te manque")]
    assert "Prendre une commande" in shown

    post(user_client, action="unclaim", code="100001")
    post(user_client, action="remove_held", code="G1803")
    interests = get_interests(user=user)
    assert (interests.held, interests.savoir_faire) == ([], [])


def test_riasec_interests_add_a_reason(user_client, user, metiers):  # noqa: F811
    Assessment.objects.create(owner=user, skill=Skill.objects.get(code="teamwork"), level=3)
    assert post(user_client, action="riasec", first="r", second="S").status_code == 302
    assert get_interests(user=user).riasec == "RS"
    html = unescape(user_client.get("/orientation/").content.decode())
    assert html.index("Magasinier") < html.index("Serveur")  # R major first
    assert "correspond à tes centres d'intérêt" in html


def test_bad_choices_are_refused_and_nothing_changes(user_client, user, metiers):  # noqa: F811
    post(user_client, action="add_held", code="G1803")
    for data, message in [
        ({"action": "add_held", "code": "Z9999"}, "Ce métier n'existe pas"),
        ({"action": "claim", "savoir_faire": ["100001", "999999"]}, "n'existe pas"),
        # a savoir-être is not a savoir-faire one claims
        ({"action": "claim", "savoir_faire": ["300465"]}, "n'existe pas"),
        ({"action": "riasec", "first": "X"}, "Choisis parmi les six types"),
    ]:
        response = post(user_client, **data)
        assert response.status_code == 400, data
        assert message in unescape(response.content.decode())
    assert post(user_client, action="explode").status_code == 400
    interests = get_interests(user=user)
    assert (interests.held, interests.savoir_faire, interests.riasec) == (["G1803"], [], "")


def test_too_many_jobs_held_is_refused(user_client, user, metiers):  # noqa: F811
    Interests.objects.create(owner=user, held=[f"A{n:04d}" for n in range(MAX_HELD)])
    response = post(user_client, action="add_held", code="G1803")
    assert response.status_code == 400 and "G1803" not in get_interests(user=user).held


def test_next_never_leaves_the_site(user_client, metiers):  # noqa: F811
    ok = post(user_client, action="add_held", code="G1803", next="/orientation/metiers/N1103/")
    assert ok["Location"] == "/orientation/metiers/N1103/"
    evil = post(user_client, action="remove_held", code="G1803", next="https://evil.example/")
    assert evil["Location"] == URL


def test_each_person_sees_and_changes_only_their_own(
    user_client,
    other_client,
    user,
    other_user,
    metiers,  # noqa: F811
):
    post(user_client, action="add_held", code="G1803")
    post(other_client, action="remove_held", code="G1803")  # acts on their own, empty list
    assert get_interests(user=user).held == ["G1803"]
    assert get_interests(user=other_user).held == []
    other_page = unescape(other_client.get(URL).content.decode())
    held = other_page[other_page.index("Les métiers que j'ai exercés") :]
    assert held.index("Aucun pour l'instant.") < held.index("<form")


def test_the_gap_page_lets_a_person_tick_savoir_faire_and_shows_trainings(
    user_client,
    user,
    metiers,  # noqa: F811
):
    training = Opportunity.objects.create(
        kind="training",
        title="Titre professionnel Serveur",
        url="https://example.org/",
        remote=True,
        rome_codes="G1602 G1803",
    )
    Opportunity.objects.create(
        kind="training", title="CACES", url="https://example.org/", remote=True, rome_codes="N1103"
    )
    html = unescape(user_client.get("/orientation/metiers/G1803/").content.decode())
    assert "Des formations qui y préparent" in html and training.title in html
    assert "CACES" not in html
    assert 'name="savoir_faire" value="100001"' in html  # a missing savoir-faire to tick
    assert "des façons de progresser en « Travailler en équipe »" in html
    response = user_client.post(
        URL,
        {"action": "claim", "savoir_faire": "100001", "next": "/orientation/metiers/G1803/"},
    )
    assert response["Location"] == "/orientation/metiers/G1803/"
    assert get_interests(user=user).savoir_faire == ["100001"]
    # Anonymous visitors see no form to tick.
    assert 'name="savoir_faire"' not in Client().get("/orientation/metiers/G1803/").content.decode()


def test_the_api_gap_gives_ways_to_progress_for_each_missing_item(api, user, metiers):  # noqa: F811
    course = Opportunity.objects.create(
        kind="mooc", title="Travailler en équipe", url="https://example.org/", remote=True
    )
    course.skills.add(Skill.objects.get(code="teamwork"))
    far = Opportunity.objects.create(
        kind="workshop", title="Atelier loin", url="https://example.org/", departement="13"
    )
    far.skills.add(Skill.objects.get(code="teamwork"))
    Opportunity.objects.create(
        kind="training", title="Titre pro", url="https://example.org/", remote=True,
        rome_codes="G1803",
    )  # fmt: skip
    body = api.get("/api/v1/orientation/gap/G1803").json()
    missing = {item["code"]: item for item in body["missing"]}
    team = [way["title"] for way in missing["300465"]["ways"]]
    assert team == ["Travailler en équipe"]  # remote; the workshop is elsewhere
    assert [way["title"] for way in missing["100001"]["ways"]] == ["Titre pro"]
    assert [t["title"] for t in body["trainings"]] == ["Titre pro"]


def test_interests_are_exported_and_deleted_with_the_account(user_client, user, metiers):  # noqa: F811
    post(user_client, action="add_held", code="G1803")
    post(user_client, action="riasec", first="S")

    exported = user_export(user=user)
    assert exported["orientation"] == {"held": ["G1803"], "savoir_faire": [], "riasec": "S"}
    user.delete()
    assert not Interests.objects.exists()
    assert Metier.objects.filter(code="G1803").exists()
