"""The written table of soft-skill labels: no Django, no database."""

import json
from pathlib import Path

from atout.progress.softskills import _TABLE, SOFT_SKILLS, map_labels, normalise

REFERENTIEL = Path(__file__).parents[2] / "atout" / "referentiel" / "data" / "atout.json"


def test_labels_compare_without_case_accents_or_punctuation():
    assert normalise("Esprit d’Équipe !") == "esprit d equipe"
    assert normalise("  TRAVAIL   en équipe ") == normalise("travail en equipe")


def test_known_labels_map_to_codes_and_unknown_ones_are_kept():
    codes, unknown = map_labels(
        ["Travail en équipe", "ESPRIT D'EQUIPE", "sens de l’écoute", "Jonglage", " ", "Jonglage"]
    )
    assert codes == ["teamwork", "empathy"]
    assert unknown == ["Jonglage"]


def test_the_table_names_only_referentiel_skills_and_no_label_twice():
    data = json.loads(REFERENTIEL.read_text(encoding="utf-8"))
    skills = {skill["code"] for family in data["families"] for skill in family["skills"]}
    assert set(_TABLE) == skills  # every skill reachable from a feed
    labels = [normalise(label) for many in _TABLE.values() for label in many]
    assert len(labels) == len(set(labels)) == len(SOFT_SKILLS)
