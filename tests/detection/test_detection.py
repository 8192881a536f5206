"""The detector's behaviour that a person would notice (quality is measured by the benchmark)."""

import pytest

from atout.detection import MAX_CHARS, TextTooLong, detect, detect_many, guess_lang
from atout.detection.text import normalise, split_sentences

STORY = (
    "Le car était en retard, alors j'ai appelé les parents un par un et on a décalé le match. "
    "Ma sœur regardait."
)


def test_evidence_offsets_quote_the_text():
    detections = detect(STORY, "fr")
    assert detections
    for d in detections:
        assert 0 <= d.score <= 1
        for e in d.evidence:
            assert 0 <= e.start < e.end <= len(STORY)
            assert STORY[e.start : e.end].strip() == STORY[e.start : e.end]


def test_best_first_and_codes_are_the_referentiels(referentiel_codes):
    detections = detect(STORY, "fr")
    assert [d.score for d in detections] == sorted((d.score for d in detections), reverse=True)
    assert {d.code for d in detections} <= referentiel_codes


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "\x00\x01", "ok."])
def test_nothing_to_find_gives_nothing(text):
    assert detect(text, "fr") == []


def test_too_long_text_is_refused_clearly():
    with pytest.raises(TextTooLong):
        detect("a" * (MAX_CHARS + 1), "fr")


def test_detect_many_matches_detect():
    texts = [STORY, "I stayed late to help my colleague finish the stock count.", ""]
    many = detect_many(texts, "auto")
    assert [[d.code for d in r] for r in many] == [[d.code for d in detect(t)] for t in texts]


def test_language_guess():
    assert guess_lang("I looked after my little brothers every evening") == "en"
    assert guess_lang("jai gardé mes petits frères tous les soirs") == "fr"


def test_informal_spellings_read_like_standard_french():
    assert normalise("Jsuis allé o taf, jai bcp bossé", "fr") == normalise(
        "je suis allé o travail, j'ai beaucoup bossé", "fr"
    )
    assert normalise("ÉTÉ", "fr") == "ete"


def test_sentences_keep_offsets_and_cut_very_long_runs():
    text = "Un. Deux !\nTrois" + ", mot" * 200
    sentences = split_sentences(text)
    assert [s.text for s in sentences[:3]][:2] == ["Un.", "Deux !"]
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert len(s.text) <= 400


def test_trained_model_is_cached_on_disk_and_a_broken_cache_is_retrained(tmp_path, monkeypatch):
    from atout.detection import model

    monkeypatch.setenv("ATOUT_CACHE_DIR", str(tmp_path))
    model._model.cache_clear()
    try:
        first = detect(STORY, "fr")
        files = list(tmp_path.glob("detection-fr-*.pickle"))
        assert len(files) == 1
        model._model.cache_clear()
        assert [(d.code, d.score) for d in detect(STORY, "fr")] == [
            (d.code, d.score) for d in first
        ]
        files[0].write_bytes(b"not a pickle")
        model._model.cache_clear()
        assert [(d.code, d.score) for d in detect(STORY, "fr")] == [
            (d.code, d.score) for d in first
        ]
    finally:
        model._model.cache_clear()


def test_evidence_quotes_the_smallest_spans():
    text = (
        "Le livreur n'est pas venu. Alors j'ai appelé un autre fournisseur et on a réorganisé le service. "
        "Les clients râlaient, je leur ai expliqué calmement le retard."
    )
    for d in detect(text, "fr"):
        spans = [(e.start, e.end) for e in d.evidence]
        assert spans == sorted(spans)
        for a, b in spans:
            assert not any((c, e) != (a, b) and a <= c and e <= b for c, e in spans), (
                "no span holds another"
            )


def test_someone_elses_act_next_to_mine_is_not_mine():
    text = "Ma sœur a tout organisé pour l'anniversaire de mamie, les invitations, le gâteau et la salle. Moi je regardais la télé."
    assert "organisation" not in {d.code for d in detect(text, "fr")}


@pytest.mark.parametrize(
    ("sms", "standard"),
    [
        ("jai rangé la réserve", "j'ai rangé la réserve"),
        ("g appelé le client", "j'ai appelé le client"),
        ("chui resté calme", "je suis resté calme"),
    ],
)
def test_sms_first_person_counts_as_the_narrator(sms, standard):
    from atout.detection.engine import _subject_factor
    from atout.detection.text import Sentence

    factors = [_subject_factor(Sentence(0, len(t), t), "fr") for t in (sms, standard)]
    assert factors == [1.0, 1.0]
    other = "genre ma sœur elle a tout rangé"
    assert _subject_factor(Sentence(0, len(other), other), "fr") < 1.0


def test_lower_bar_counts_only_once_the_text_shows_something():
    import numpy as np

    from atout.detection.engine import _collect
    from atout.detection.text import Sentence

    sentences = [Sentence(0, 10, "a"), Sentence(11, 20, "b")]
    skills = ["organisation", "initiative", "teamwork"]
    shown = np.array([[0.5, 0.0, 0.0], [0.0, 0.3, 0.1]])
    found = _collect(sentences, skills, shown, threshold=0.4, also=0.25)
    assert [d.code for d in found] == ["organisation", "initiative"]
    assert found[1].evidence[0].start == 11
    nothing = np.array([[0.3, 0.0, 0.0], [0.0, 0.3, 0.1]])
    assert _collect(sentences, skills, nothing, threshold=0.4, also=0.25) == []
