"""The matching engine on its own (no database): scores, reasons, gaps."""

from atout.matching import Index, Metier, Profile

KINDS = {"se1": "savoir_etre", "se2": "savoir_etre", "se3": "savoir_etre",
         "sf1": "savoir_faire", "sf2": "savoir_faire", "sf3": "savoir_faire"}  # fmt: skip
METIERS = [
    Metier("A0001", "Serveur", {"se1": True, "se2": False, "sf1": True}, "S", "E",
           mobilities=(("B0002", 1),)),
    Metier("B0002", "Barman", {"se1": False, "se3": True, "sf2": True}, "S", "R"),
    Metier("C0003", "Magasinier", {"se3": True, "sf3": True}, "R", "C"),
]  # fmt: skip


def index() -> Index:
    return Index(METIERS, KINDS)


def test_core_items_weigh_more_and_the_best_comes_first():
    ranked = index().rank(Profile(items={"se1": 1.0}), limit=3)
    assert [m.code for m in ranked] == ["A0001", "B0002"]  # C0003 shares nothing: left out
    assert ranked[0].coverage["savoir_etre"] == round(2 / 3, 4)  # core (2) of 2 + 1
    assert ranked[1].coverage["savoir_etre"] == round(1 / 3, 4)  # other (1) of 1 + 2


def test_strength_scales_the_score():
    full = index().rank(Profile(items={"se3": 1.0}), limit=1)[0]
    half = index().rank(Profile(items={"se3": 0.5}), limit=1)[0]
    assert half.score < full.score


def test_mobility_from_a_held_job_and_interests_add_reasons():
    ranked = index().rank(Profile(items={"se3": 0.5}, held=("A0001",), riasec="SE"), limit=3)
    codes = [m.code for m in ranked]
    assert "A0001" not in codes  # a job already held is not suggested
    barman = next(m for m in ranked if m.code == "B0002")
    assert ("mobility", {"from": "A0001"}) in barman.reasons
    assert ("riasec", {"letter": "S"}) in barman.reasons
    assert codes[0] == "B0002"


def test_claimed_savoir_faire_count_beside_soft_skills():
    soft_only = index().rank(Profile(items={"se3": 1.0}), limit=3)
    with_know_how = index().rank(Profile(items={"se3": 1.0, "sf3": 1.0}), limit=3)
    assert soft_only[0].code in {"B0002", "C0003"}
    assert with_know_how[0].code == "C0003"


def test_the_gap_lists_what_is_missing_core_first():
    match = index().gap(Profile(items={"se2": 0.75}), "A0001")
    assert [h[0] for h in match.have] == ["se2"]
    assert match.missing == [("se1", True), ("sf1", True)]


def test_unknown_items_and_empty_profiles_are_harmless():
    assert index().rank(Profile(items={"nope": 1.0}), limit=5) == []
    assert index().rank_many([Profile(items={}), Profile(items={"sf3": 1.0})], limit=2) == [
        [], ["C0003"]
    ]  # fmt: skip
