"""The narratives the detector learns from: well formed, labelled with the référentiel's codes,
and never a text of the sets it is measured on."""

from pathlib import Path

import pytest

from atout.detection.evaluate import load
from atout.detection.model import (
    CONTRASTS,
    NARRATIVES,
    OTHER_LABELLINGS,
    labellings,
    load_narratives,
    narrative_pairs,
    shares,
)
from atout.detection.text import normalise

ROOT = Path(__file__).resolve().parents[2]
MEASURED = [
    ROOT / "bench" / "data" / "detection_eval.jsonl",
    ROOT / "bench" / "data" / "detection_eval2.jsonl",
    *sorted((ROOT / "bench" / "dev").glob("*.jsonl")),
]


@pytest.fixture(scope="module")
def authors():
    return load_narratives(NARRATIVES)


def test_every_row_is_well_formed(authors, referentiel_codes):
    assert {lang for rows in authors.values() for lang in {r["lang"] for r in rows}} == {"fr", "en"}
    ids = [r["id"] for rows in authors.values() for r in rows]
    assert len(ids) == len(set(ids))
    for author, rows in authors.items():
        assert len({r["lang"] for r in rows}) == 1, f"{author}: one language per author"
        empty = sum(not r["labels"] for r in rows)
        assert 0.1 <= empty / len(rows) <= 0.2, f"{author}: about 15 % show no skill"
        for r in rows:
            assert set(r) - set(OTHER_LABELLINGS) == {"id", "lang", "text", "labels"}, r["id"]
            assert r["text"].strip(), r["id"]
            for labels, _ in labellings(r):
                assert set(labels) <= referentiel_codes, r["id"]
                assert len(labels) == len(set(labels)), r["id"]


@pytest.fixture(scope="module")
def narrated(authors):
    """Every narrative's text, normalised."""
    return {normalise(r["text"], r["lang"]) for rows in authors.values() for r in rows}


def measured_texts() -> dict[str, str]:
    """Every text the detector is measured on, normalised, with the file it is in."""
    texts = {
        normalise(row["text"], row["lang"]): path.name for path in MEASURED for row in load(path)
    }
    assert len(texts) > 500
    return texts


def test_measured_sets_use_only_referentiel_codes(referentiel_codes):
    """Every labelling of every measured set (the dev4 set has three) is of the référentiel."""
    for path in MEASURED:
        for row in load(path):
            for field in ("labels", *OTHER_LABELLINGS, "author_labels"):
                labels = row.get(field, [])
                assert set(labels) <= referentiel_codes, (path.name, row.get("id"), field)
                assert len(labels) == len(set(labels)), (path.name, row.get("id"), field)


def test_no_measured_text_is_learnt(narrated):
    assert not [(name, text) for text, name in measured_texts().items() if text in narrated]


def test_a_narrative_counts_once_per_skill_or_as_none():
    rows = [
        {"text": "a", "labels": ["rigour", "reliability"]},
        {"text": "b", "labels": []},
    ]
    assert narrative_pairs(rows, 2) == (
        ["a", "a", "a", "a", "b", "b"],
        ["rigour", "rigour", "reliability", "reliability", "none", "none"],
        [1.0] * 6,
    )


def learnt(rows):
    """What the sentence model learns of ``rows``: each label's total weight."""
    _, labels, weights = narrative_pairs(rows)
    total: dict[str, float] = {}
    for label, weight in zip(labels, weights, strict=True):
        total[label] = total.get(label, 0) + weight
    return total


def test_with_a_second_labeller_each_labelling_counts_half():
    rows = [{"text": "a", "labels": ["rigour", "reliability"], "second_labels": ["rigour"]}]
    assert narrative_pairs(rows, 1)[0] == ["a"] * 3
    assert learnt(rows) == {"rigour": 1.0, "reliability": 0.5}
    # A story one labeller left empty is half "none"
    rows = [{"text": "b", "labels": [], "second_labels": ["empathy"]}]
    assert learnt(rows) == {"none": 0.5, "empathy": 0.5}


def test_with_three_labellers_the_author_counts_half_and_the_others_share_the_rest():
    row = {
        "text": "a",
        "labels": ["rigour", "reliability"],
        "second_labels": ["rigour"],
        "third_labels": [],
    }
    assert learnt([row]) == {"rigour": 0.75, "reliability": 0.5, "none": 0.25}
    assert shares([row], ["rigour", "reliability", "empathy"])[0].tolist() == [0.75, 0.5, 0]


def test_contrast_stories_are_well_formed_and_never_a_measured_text(
    authors, narrated, referentiel_codes
):
    writers = load_narratives(CONTRASTS)
    rows = [r for rs in writers.values() for r in rs]
    assert len(rows) > 2000
    ids = [r["id"] for rs in authors.values() for r in rs] + [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "an id is never both a narrative's and a contrast's"
    for r in rows:
        assert set(r) == {"id", "lang", "text", "labels"}, r["id"]
        assert r["lang"] in {"fr", "en"} and r["text"].strip(), r["id"]
        assert set(r["labels"]) <= referentiel_codes, r["id"]
        assert len(r["labels"]) == len(set(r["labels"])), r["id"]
    for name, written in writers.items():
        assert len({r["lang"] for r in written}) == 1, f"{name}: one language per file"
    french = [r for r in rows if r["lang"] == "fr"]
    english = [r for r in rows if r["lang"] == "en"]
    # French: most show one skill of a pair and not the other; a few show none (the writer's
    # word). English: about half show none although the story sounds like a skill.
    assert 0.05 <= sum(not r["labels"] for r in french) / len(french) <= 0.15
    assert 0.4 <= sum(not r["labels"] for r in english) / len(english) <= 0.6
    learnt = {normalise(r["text"], r["lang"]) for r in rows}
    assert not learnt & narrated, "a contrast story repeats a narrative"
    assert not [(name, text) for text, name in measured_texts().items() if text in learnt]
