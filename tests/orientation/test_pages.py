"""Orientation pages, API and CLI on a small hand-made set of métiers."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from atout.assessments.models import Assessment
from atout.orientation.models import Appellation, Item, Metier, Mobility, Requirement
from atout.referentiel.models import Skill

pytestmark = pytest.mark.django_db

SERVICE = "399999"  # cross-walked from service_orientation
TEAM = "300465"  # from teamwork
RIGOUR = "300490"  # from rigour and respect_rules


@pytest.fixture
def metiers(default_framework):
    items = {
        code: Item.objects.create(code_ogr=code, label=label, kind=kind)
        for code, label, kind in [
            (SERVICE, "Sens du service", "savoir_etre"),
            (TEAM, "Travail en équipe", "savoir_etre"),
            (RIGOUR, "Rigueur", "savoir_etre"),
            ("100001", "Prendre une commande", "savoir_faire"),
            ("100002", "Ranger une réserve", "savoir_faire"),
        ]
    }
    serveur = Metier.objects.create(
        code="G1803", label="Serveur / Serveuse", source="demo", riasec_major="S"
    )
    magasinier = Metier.objects.create(
        code="N1103", label="Magasinier / Magasinière", source="demo", riasec_major="R"
    )
    for metier, code, core in [
        (serveur, SERVICE, True), (serveur, TEAM, False), (serveur, "100001", True),
        (magasinier, RIGOUR, True), (magasinier, TEAM, False), (magasinier, "100002", True),
    ]:  # fmt: skip
        Requirement.objects.create(metier=metier, item=items[code], core=core)
    Appellation.objects.create(code_ogr="12345", label="Commis de salle", metier=serveur)
    Mobility.objects.create(source=serveur, target=magasinier, order=3)
    return serveur, magasinier


def test_anyone_sees_jobs_close_to_the_skills_they_choose(metiers):
    response = Client().get(
        "/orientation/", {"competence": ["service_orientation:3", "teamwork:2"]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Serveur / Serveuse") < html.index("Magasinier / Magasinière")
    assert "Tu montres 2 de ses qualités attendues, dont 1 essentielle." in html
    assert "Prendre une commande" in html  # what to develop
    assert "Données de démonstration" in html


def test_a_person_sees_jobs_from_their_assessed_levels(user_client, user, metiers):
    Assessment.objects.create(owner=user, skill=Skill.objects.get(code="rigour"), level=3)
    html = user_client.get("/orientation/").content.decode()
    assert "Calculé à partir de tes évaluations" in html
    assert "Magasinier / Magasinière" in html and "Serveur / Serveuse" not in html


def test_the_gap_to_a_target_job(metiers):
    html = (
        Client()
        .get("/orientation/metiers/G1803/", {"competence": "service_orientation:3"})
        .content.decode()
    )
    assert "Sens du service" in html and "niveau 3 sur 4" in html
    missing = html[html.index("Ce qui te manque") :]
    assert missing.index("Prendre une commande") < missing.index("Travail en équipe")  # core first
    assert "faire évaluer « Travailler en équipe »" in missing
    assert Client().get("/orientation/metiers/Z9999/").status_code == 404


def test_search_tolerates_typos_and_finds_job_titles(metiers):
    assert "G1803" in Client().get("/orientation/metiers/", {"q": "commis"}).content.decode()
    assert (
        "N1103"
        in Client().get("/orientation/metiers/", {"q": "Magazinier / Magasiniere"}).content.decode()
    )
    assert (
        "Aucun métier trouvé"
        in Client().get("/orientation/metiers/", {"q": "astronaute"}).content.decode()
    )


def test_api_jobs_and_gap_follow_the_contract(api, user, metiers):
    Assessment.objects.create(
        owner=user, skill=Skill.objects.get(code="service_orientation"), level=4
    )
    body = api.get("/api/v1/orientation/jobs?limit=20").json()
    assert body[0]["code"] == "G1803" and body[0]["label"] == "Serveur / Serveuse"
    assert set(body[0]) == {"code", "label", "score", "reasons", "gap"}
    assert {
        "kind": "savoir_faire",
        "code": "100001",
        "label": "Prendre une commande",
        "importance": "core",
    } in body[0]["gap"]
    gap = api.get("/api/v1/orientation/gap/G1803").json()
    assert [h["code"] for h in gap["have"]] == [SERVICE]
    assert api.get("/api/v1/orientation/gap/Z9999").status_code == 404
    assert Client().get("/api/v1/orientation/jobs").status_code == 401


def test_cli_orient(metiers):
    out = io.StringIO()
    call_command("orient", "--skills", "rigour:3,teamwork:2", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body[0]["code"] == "N1103"
    with pytest.raises(CommandError, match="Unknown skill"):
        call_command("orient", "--skills", "juggling:3")
    with pytest.raises(CommandError, match="level must be"):
        call_command("orient", "--skills", "rigour:7")
