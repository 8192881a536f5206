"""The demo métiers shipped for `make run`: a valid file, written for atout, loaded safely."""

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from atout.orientation.demo import DEMO_FILE, DEMO_FORMAT, demo_data, load_demo
from atout.orientation.models import Item, Metier, Mobility, Requirement
from tests.orientation.test_import_rome import ROME_DIR, needs_rome

REFERENTIEL = Path(__file__).parents[2] / "atout" / "referentiel" / "data" / "atout.json"


def crosswalk_codes() -> set[str]:
    data = json.loads(REFERENTIEL.read_text(encoding="utf-8"))
    return {
        str(item["code_ogr"])
        for family in data["families"]
        for skill in family["skills"]
        for item in skill["crosswalks"]["rome_savoir_etre"]
    }


def rome_rows(stem: str) -> list[dict[str, str]]:
    with (ROME_DIR / f"unix_{stem}_v460_utf8.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def data():
    return demo_data()


def test_the_file_is_marked_as_demo_data(data):
    assert data["format"] == DEMO_FORMAT
    assert "démonstration" in data["note"] and "atout import rome" in data["note"]
    assert 35 <= len(data["metiers"]) <= 45
    assert DEMO_FILE.read_text(encoding="utf-8").endswith("}\n")


def test_every_metier_is_complete_and_coherent(data):
    codes = [m["code"] for m in data["metiers"]]
    assert len(codes) == len(set(codes))
    walk = crosswalk_codes()
    assert len(walk) == 16
    assert set(data["savoir_etre"]) == walk  # a label of our own for each of them
    labels: dict[str, str] = {}
    for metier in data["metiers"]:
        code = metier["code"]
        assert re.fullmatch(r"[A-N]\d{4}", code)
        assert metier["label"].strip() and metier["riasec_major"] in set("RIASEC")
        assert metier["riasec_minor"] in set("RIASEC") | {""}
        assert 3 <= len(metier["savoir_etre"]) <= 6
        assert set(metier["savoir_etre"]) <= walk
        assert 3 <= len(metier["savoir_faire"]) <= 5
        assert any(item["core"] for item in metier["savoir_faire"])
        for item in metier["savoir_faire"]:
            assert re.fullmatch(r"\d{5,6}", item["code_ogr"]) and isinstance(item["core"], bool)
            assert labels.setdefault(item["code_ogr"], item["label"]) == item["label"]
        assert 1 <= len(metier["mobilities"]) <= 4
        assert set(metier["mobilities"]) <= set(codes) - {code}
    assert not set(labels) & walk


@needs_rome
def test_codes_are_real_rome_codes_and_the_wording_is_ours(data):
    official = {row["code_rome"]: row["libelle_rome"] for row in rome_rows("referentiel_code_rome")}
    items = {row["code_ogr"]: row for row in rome_rows("item")}
    links = {(row["code_rome"], row["code_ogr"]) for row in rome_rows("coherence_item")}
    for metier in data["metiers"]:
        assert metier["code"] in official
        assert metier["label"] != official[metier["code"]]
        for item in metier["savoir_faire"]:
            assert items[item["code_ogr"]]["code_rubrique"] == "1"
            assert (metier["code"], item["code_ogr"]) in links  # an item of that fiche
            assert item["label"] != items[item["code_ogr"]]["libelle"]
        for code in metier["savoir_etre"]:
            assert items[code]["code_rubrique"] == "2"
    for code, label in data["savoir_etre"].items():
        assert label != items[code]["libelle"]


def counts():
    return Counter(
        metiers=Metier.objects.count(),
        demo=Metier.objects.filter(source="demo").count(),
        items=Item.objects.count(),
        requirements=Requirement.objects.count(),
        mobilities=Mobility.objects.count(),
    )


@pytest.mark.django_db
def test_loading_twice_gives_the_same_data(data):
    assert load_demo() == len(data["metiers"])
    first = counts()
    assert first["metiers"] == first["demo"] == len(data["metiers"])
    assert first["requirements"] == sum(
        len(m["savoir_etre"]) + len(m["savoir_faire"]) for m in data["metiers"]
    )
    assert first["mobilities"] == sum(len(m["mobilities"]) for m in data["metiers"])
    serveur = Metier.objects.get(code="G1803")
    assert serveur.grand_domaine == "G" and serveur.domaine == "G18"
    assert serveur.requirements.filter(core=True, item__kind="savoir_faire").exists()
    assert not serveur.requirements.filter(core=True, item__kind="savoir_etre").exists()

    assert load_demo() == 0
    assert counts() == first


@pytest.mark.django_db
def test_force_rewrites_the_demo_metiers(data):
    load_demo()
    before = counts()
    Metier.objects.filter(code="G1803").update(label="Changed")
    Requirement.objects.filter(metier__code="G1803").delete()
    Item.objects.filter(code_ogr="101901").update(label="Changed")

    assert load_demo() == 0
    assert Metier.objects.get(code="G1803").label == "Changed"
    assert load_demo(force=True) == len(data["metiers"])
    assert counts() == before
    assert Metier.objects.get(code="G1803").label == data["metiers"][0]["label"]
    assert Item.objects.get(code_ogr="101901").label == "Accueillir et placer les clients"


@pytest.mark.django_db
def test_loading_after_a_real_import_keeps_the_real_metiers(data):
    official = Metier.objects.create(code="G1803", label="Officiel", source="rome")
    item = Item.objects.create(code_ogr="101901", label="Libellé officiel", kind="savoir_faire")
    Requirement.objects.create(metier=official, item=item, core=False)

    for force in (False, True):
        assert load_demo(force=force) == len(data["metiers"]) - 1  # created, then rewritten
        official.refresh_from_db()
        assert (official.label, official.source) == ("Officiel", "rome")
        assert list(official.requirements.values_list("item__code_ogr", "core")) == [
            ("101901", False)
        ]
        assert not official.mobilities.exists()
        item.refresh_from_db()
        assert item.label == "Libellé officiel"  # a ROME métier requires it
    assert Mobility.objects.filter(target=official).exists()  # demo métiers still lead to it
