"""The diploma level read from ROME's "Accès à l'emploi" sentences."""

import pytest

from atout.orientation.access import access_level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Cet emploi est accessible sans diplôme ni expérience professionnelle.", 0),
        ("Cet emploi est accessible sans qualification. Un CAP peut en faciliter l'accès.", 0),
        ("Cet emploi est accessible à tous les niveaux de qualification.", 0),
        ("Cet emploi est accessible avec un diplôme de niveau CAP à Bac.", 3),
        ("Ce métier est accessible avec un diplôme de niveau CAP/BEP à Bac.", 3),
        ("Ce métier est accessible avec un diplôme de niveau Bac (Bac pro).", 4),
        ("Cet emploi est accessible avec un diplôme de niveau Bac +2 (BTS, DUT).", 5),
        ("Cet emploi est accessible avec une formation de niveau Bac+3 à Bac+5.", 6),
        ("Cet emploi est accessible avec un Master en droit.", 7),
        ("Cet emploi est accessible avec un Diplôme d'État de Docteur en médecine.", 8),
        # Only the first sentence: the next ones say what helps.
        ("Cet emploi est accessible avec un BTS. Un bac pro peut suffire avec expérience.", 5),
        # No level named: a permit, a specific certificate.
        ("Cet emploi est accessible avec un permis de conduire catégorie C.", None),
        ("", None),
    ],
)
def test_access_level(text, level):
    assert access_level(text) == level
