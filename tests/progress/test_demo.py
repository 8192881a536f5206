"""The demo catalogue: a valid file, marked as demo, honest links, loaded idempotently."""

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test import Client

from atout.orientation.demo import demo_data as demo_rome_data
from atout.progress.demo import DEMO_FILE, demo_data, load_demo
from atout.progress.importers import DEMO_FORMAT, parse_demo
from atout.progress.models import MISSION_KINDS, Kind, Opportunity
from tests.progress.factories import OpportunityFactory

REFERENTIEL = Path(__file__).parents[2] / "atout" / "referentiel" / "data" / "atout.json"


@pytest.fixture(scope="module")
def data():
    return demo_data()


def referentiel_codes() -> set[str]:
    framework = json.loads(REFERENTIEL.read_text(encoding="utf-8"))
    return {skill["code"] for family in framework["families"] for skill in family["skills"]}


def test_the_file_is_valid_varied_and_marked_as_demo(data):
    assert data["format"] == DEMO_FORMAT and "examples only" in data["note"]
    parsed = parse_demo(data, codes=referentiel_codes())
    assert parsed.errors == []
    entries = parsed.entries
    assert 65 <= len(entries) <= 75
    trainings = [e for e in entries if e.kind == Kind.TRAINING]
    demo_metiers = {m["code"] for m in demo_rome_data()["metiers"]}
    assert len(trainings) >= 8
    assert all(e.rome_codes and set(e.rome_codes.split()) <= demo_metiers for e in trainings)
    assert not any(e.rome_codes for e in entries if e.kind != Kind.TRAINING)
    assert set(Counter(e.kind for e in entries)) == set(Kind.values)  # every kind
    assert {code for e in entries for code in e.skills} == referentiel_codes()
    assert 10 <= sum(e.remote for e in entries) <= len(entries) - 10
    assert sum(e.departement == "93" for e in entries) >= 10
    for entry in entries:
        if entry.kind in MISSION_KINDS and "Portail européen" not in entry.organisation:
            assert entry.organisation.endswith("(démo)"), entry.title
    assert DEMO_FILE.read_text(encoding="utf-8").endswith("}\n")


def test_links_go_to_real_sites_home_pages_only(data):
    for item in data["items"]:
        url = urlparse(item["url"])
        assert url.scheme == "https" and url.path in ("", "/") and not url.query, item["url"]


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_force_rewrites_demo_rows_only(default_framework):
    assert load_demo() == len(demo_data()["items"])
    first = dict(Opportunity.objects.values_list("external_id", "updated_at"))
    assert load_demo() == 0
    assert dict(Opportunity.objects.values_list("external_id", "updated_at")) == first
    assert set(Opportunity.objects.values_list("source", flat=True)) == {"demo"}

    edited = Opportunity.objects.get(external_id="demo-001")
    edited.title = "Changé à la main"
    edited.save()
    mine = OpportunityFactory(source="csv", external_id="demo-001", title="Le mien")
    assert load_demo() == 0
    assert load_demo(force=True) == 1
    assert Opportunity.objects.get(source="demo", external_id="demo-001").title != edited.title
    mine.refresh_from_db()
    assert mine.title == "Le mien"
    assert Opportunity.objects.filter(source="demo").count() == len(demo_data()["items"])


@pytest.mark.django_db
def test_nothing_is_loaded_before_the_referentiel():
    assert load_demo() == 0
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
def test_the_demo_shows_on_the_pages(default_framework):
    load_demo()
    html = Client().get("/progres/competence/teamwork/", {"departement": "93"}).content.decode()
    assert "exemples de démonstration" in html and "exemple de démonstration" in html
    assert "Distribution alimentaire le samedi matin" in html
