"""The common framework shipped with atout: complete, bilingual, cross-walked to real codes."""

import csv
import json
from pathlib import Path

import pytest

from atout.referentiel import formats
from atout.referentiel.services import DEFAULT_FILE

REQUIRED = {
    "teamwork", "communication", "adaptability", "perseverance", "organisation", "leadership",
    "conflict_management", "creativity", "stress_management", "autonomy", "rigour", "initiative",
    "empathy", "problem_solving", "curiosity_learning", "reliability", "service_orientation",
    "motivation",
}  # fmt: skip
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "reference"


@pytest.fixture(scope="module")
def shipped():
    return json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def all_skills(data):
    return [s for f in data["families"] for s in f["skills"]]


def test_shipped_file_is_valid(shipped):
    assert formats.validate(shipped) == []


def test_required_skills_with_four_levels_behaviours_and_items(shipped):
    skills = {s["code"]: s for s in all_skills(shipped)}
    assert set(skills) >= REQUIRED
    assert [lvl["number"] for lvl in shipped["levels"]] == [1, 2, 3, 4]
    for code, skill in skills.items():
        levels = {b["level"] for b in skill["behaviours"]}
        assert levels == {1, 2, 3, 4}, code
        assert 6 <= len(skill["items"]) <= 10, code
        for text in [skill["label"], skill["definition"]] + [
            b["text"] for b in skill["behaviours"]
        ]:
            assert text["fr"].strip() and text["en"].strip(), code
            assert text["fr"] != text["en"], code


@pytest.mark.skipif(
    not REFERENCE.exists(), reason="../shared/data/reference is not beside the repo"
)
def test_crosswalk_codes_exist_in_the_official_files(shipped):
    rome_file = REFERENCE / "rome4_v460" / "unix_referentiel_competence_v460_utf8.csv"
    with rome_file.open(encoding="utf-8") as f:
        savoir_etre = {
            row["code_ogr"]: row["libelle_competence"]
            for row in csv.DictReader(f)
            if row["cat_comp"] == "Savoir-être professionnel"
        }
    esco_file = REFERENCE / "esco_v1.1.1" / "transversalSkillsCollection_fr.csv"
    with esco_file.open(encoding="utf-8") as f:
        esco = {row["conceptUri"]: row["preferredLabel"] for row in csv.DictReader(f)}
    used = set()
    for skill in all_skills(shipped):
        for rome in skill["crosswalks"]["rome_savoir_etre"]:
            assert savoir_etre.get(rome["code_ogr"]) == rome["label"], (skill["code"], rome)
            used.add(rome["code_ogr"])
        for entry in skill["crosswalks"]["esco"]:
            assert esco.get(entry["uri"]) == entry["label"], (skill["code"], entry)
    assert used == set(savoir_etre), "every ROME savoir-être item maps to at least one skill"
