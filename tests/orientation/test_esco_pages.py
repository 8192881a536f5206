"""ESCO occupations on the orientation pages, API and CLI (a small hand-made set)."""

import io
import json
from html import unescape

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from atout.assessments.models import Assessment
from atout.orientation.models import EscoOccupation, EscoRelation, EscoSkill
from atout.orientation.selectors import esco_crosswalk
from atout.referentiel.models import Skill
from tests.orientation.test_pages import metiers  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def esco(default_framework):
    walk = esco_crosswalk()
    service, team = walk["service_orientation"][0], walk["teamwork"][0]
    skills = {
        uri: EscoSkill.objects.create(uri=uri, label=label, label_en=label, skill_type=kind)
        for uri, label, kind in [
            (service, "être à l'écoute des clients", "skill/competence"),
            (team, "travailler en équipe", "skill/competence"),
            ("http://data.europa.eu/esco/skill/x1", "servir des boissons", "skill/competence"),
            ("http://data.europa.eu/esco/skill/x2", "hygiène alimentaire", "knowledge"),
        ]
    }
    waiter = EscoOccupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/w",
        code="5131.2",
        label="serveur/serveuse",
        alt_labels="garçon de café\nserveuse de restaurant",
        isco_group="5131",
        description="Les serveurs servent les clients.",
    )
    clerk = EscoOccupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/c",
        code="4321.1",
        label="magasinier/magasinière",
        isco_group="4321",
    )
    for occupation, uri, essential in [
        (waiter, service, True), (waiter, team, False),
        (waiter, "http://data.europa.eu/esco/skill/x1", True),
        (waiter, "http://data.europa.eu/esco/skill/x2", True),
        (clerk, team, True),
    ]:  # fmt: skip
        EscoRelation.objects.create(occupation=occupation, skill=skills[uri], essential=essential)
    return waiter, clerk


def test_jobs_close_to_me_switch_to_esco_occupations(metiers, esco):  # noqa: F811
    html = unescape(
        Client()
        .get("/orientation/", {"competence": "service_orientation:4", "referentiel": "esco"})
        .content.decode()
    )
    assert "Professions ESCO (Europe)" in html and 'aria-current="page"' in html
    assert '<a href="/orientation/esco/5131.2/">serveur/serveuse</a>' in html
    assert "Serveur / Serveuse" not in html  # the ROME métiers are not mixed in
    assert 'name="referentiel" value="esco"' in html  # the skills form stays on ESCO
    rome = unescape(
        Client().get("/orientation/", {"competence": "service_orientation:4"}).content.decode()
    )
    assert "Serveur / Serveuse" in rome
    assert "?competence=service_orientation%3A4&referentiel=esco" in rome


def test_without_esco_imported_there_is_no_switch(metiers):  # noqa: F811
    html = Client().get("/orientation/", {"referentiel": "esco"}).content.decode()
    assert "Professions ESCO" not in html


def test_the_gap_to_an_esco_occupation(user_client, esco):
    html = unescape(
        Client()
        .get("/orientation/esco/5131.2/", {"competence": "service_orientation:3"})
        .content.decode()
    )
    assert "Les serveurs servent les clients." in html
    shown = html[html.index("Ce que tu montres déjà") : html.index("Ce qui te manque")]
    assert "être à l'écoute des clients" in shown and "niveau 3 sur 4" in shown
    missing = html[html.index("Ce qui te manque") :]
    assert missing.index("servir des boissons") < missing.index("travailler en équipe")
    assert "hygiène alimentaire" not in html  # knowledge is left out
    assert "Source : ESCO v1.1.1, Commission européenne." in html
    # No "je sais faire" boxes: those are ROME savoir-faire.
    assert (
        'name="savoir_faire"' not in user_client.get("/orientation/esco/5131.2/").content.decode()
    )
    assert Client().get("/orientation/esco/9999.9/").status_code == 404


def test_search_finds_esco_occupations_by_other_names(metiers, esco):  # noqa: F811
    html = unescape(Client().get("/orientation/metiers/", {"q": "garçon de café"}).content.decode())
    assert "Professions ESCO (Europe)" in html and "/orientation/esco/5131.2/" in html


def test_the_api_ranks_esco_occupations_and_gives_their_gap(api, user, metiers, esco):  # noqa: F811
    Assessment.objects.create(owner=user, skill=Skill.objects.get(code="teamwork"), level=4)
    body = api.get("/api/v1/orientation/jobs?referentiel=esco").json()
    assert [job["code"] for job in body] == ["4321.1", "5131.2"]  # essential teamwork first
    assert set(body[0]) == {"code", "label", "score", "reasons", "gap"}
    gap = api.get("/api/v1/orientation/gap/5131.2").json()
    assert [item["label"] for item in gap["have"]] == ["travailler en équipe"]
    assert gap["trainings"] == []
    assert api.get("/api/v1/orientation/jobs?referentiel=onet").status_code == 400


def test_cli_orient_with_esco_held_jobs_interests_and_figures(metiers, esco):  # noqa: F811
    out = io.StringIO()
    call_command("orient", "--skills", "teamwork:3", "--referentiel", "esco", "--json", stdout=out)
    assert json.loads(out.getvalue())[0]["code"] == "4321.1"
    out = io.StringIO()
    call_command("orient", "--skills", "teamwork:1", "--held", "g1803", "--riasec", "R",
                 "--json", stdout=out)  # fmt: skip
    first = json.loads(out.getvalue())[0]
    assert first["code"] == "N1103" and "un métier que tu as exercé" in first["reasons"][0]
    for args, message in [
        (["--held", "Z9999"], "Unknown ROME code"),
        (["--riasec", "XY"], "--riasec"),
        (["--departement", "20"], "Unknown département"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("orient", "--skills", "teamwork:2", *args)
