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
    import json

    from atout.detection import model

    # A small training set (a few sentences per skill, one short author): the same code path
    # as the shipped model, in seconds.
    examples = model.load_examples()
    small = {
        "skills": {
            code: {"fr": by_lang.get("fr", [])[:6]} for code, by_lang in examples["skills"].items()
        },
        model.NONE: {"fr": examples[model.NONE]["fr"][:6]},
    }
    (tmp_path / "examples.json").write_text(json.dumps(small), encoding="utf-8")
    (tmp_path / "narratives").mkdir()
    rows = next(r for r in model.load_narratives().values() if r[0]["lang"] == "fr")[:20]
    (tmp_path / "narratives" / "one.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    monkeypatch.setattr(model, "EXAMPLES", tmp_path / "examples.json")
    monkeypatch.setattr(model, "NARRATIVES", tmp_path / "narratives")
    (tmp_path / "contrasts").mkdir()
    shipped_contrasts = model.CONTRASTS
    monkeypatch.setattr(model, "CONTRASTS", tmp_path / "contrasts")
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
        # Contrast stories are learnt too: adding some trains a new model.
        contrasts = model.load_narratives(shipped_contrasts)["fr_contrastes_a"]
        (tmp_path / "contrasts" / "fr_x.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in contrasts[:20]), encoding="utf-8"
        )
        model._model.cache_clear()
        learnt = detect(STORY, "fr")
        assert len(list(tmp_path.glob("detection-fr-*.pickle"))) == 2
        # Stories of the other language do not: the French model is loaded, not trained again.
        english = model.load_narratives(shipped_contrasts)["en_near_a"]
        (tmp_path / "contrasts" / "en_x.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in english[:20]), encoding="utf-8"
        )
        model._model.cache_clear()
        assert [(d.code, d.score) for d in detect(STORY, "fr")] == [
            (d.code, d.score) for d in learnt
        ]
        assert len(list(tmp_path.glob("detection-fr-*.pickle"))) == 2
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


def test_second_stage_counts_a_skill_the_story_shows_and_quotes_its_best_sentences():
    import numpy as np

    from atout.detection.engine import Stack, _collect_stacked, stack_features
    from atout.detection.text import Sentence

    sentences = [Sentence(0, 10, "a"), Sentence(11, 20, "b"), Sentence(21, 30, "c")]
    skills = ["organisation", "reliability"]
    scores = np.array([[0.6, 0.05], [0.4, 0.02], [0.1, 0.04]])
    # The stage reads only the text model's reliability column (features: best segment score
    # per skill, text-model probability per skill, then the three highest).
    coef = np.zeros((2, 2 * len(skills) + 3))
    coef[0, 0], coef[1, 3] = 10.0, 10.0
    stack = Stack(skills, coef, np.array([-3.0, -3.0]), 0.5)
    assert stack_features(np.array([[0.6, 0.05]]), np.array([[0.1, 0.9]])).shape == (1, 7)
    votes = np.array([[0.0, 1.0]])
    with_votes = stack_features(np.array([[0.6, 0.05]]), np.array([[0.1, 0.9]]), votes)
    assert with_votes.tolist() == [[0.6, 0.05, 0.1, 0.9, 0.0, 1.0, 0.9, 0.6, 0.1]]
    found = _collect_stacked(sentences, skills, scores, np.array([0.1, 0.9]), stack)
    assert [d.code for d in found] == ["reliability", "organisation"]  # best first
    reliable, organised = found
    # Evidence: the segments within half of the skill's best one, smallest spans.
    assert [(e.start, e.end) for e in organised.evidence] == [(0, 10), (11, 20)]
    assert [(e.start, e.end) for e in reliable.evidence] == [(0, 10), (21, 30)]
    assert 0.5 < organised.score < reliable.score <= 1
    # The text model unsure: reliability no longer counts, though its segments are unchanged.
    found = _collect_stacked(sentences, skills, scores, np.array([0.1, 0.1]), stack)
    assert [d.code for d in found] == ["organisation"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_second_stage_matches_the_shipped_model(lang):
    from atout.detection.engine import stack_for
    from atout.detection.model import NONE, model_for

    stack = stack_for(lang)
    assert stack is not None, "both languages decide with the second stage"
    model = model_for(lang)
    assert model.stories is not None
    assert stack.skills == [label for label in model.labels if label != NONE]
    assert model.stories.skills == stack.skills
    inputs = 3 if stack.neighbours else 2  # segments, text model (, neighbours' votes)
    assert stack.coef.shape == (len(stack.skills), inputs * len(stack.skills) + 3)


def test_text_model_learns_which_skills_whole_stories_show():
    from atout.detection.model import train_stories

    rows = [
        {
            "text": f"j'ai fait la liste des courses et rangé le placard {i}",
            "labels": ["organisation"],
        }
        for i in range(8)
    ] + [
        {"text": f"je suis venu tous les samedis comme promis {i}", "labels": ["reliability"]}
        for i in range(8)
    ]
    model = train_stories(rows, ["organisation", "reliability", "creativity"], "fr")
    organised, reliable = model.probabilities(
        ["j'ai fait une liste et rangé tout le placard", "comme promis je suis venu samedi"]
    )
    assert organised[0] > 0.5 > organised[1]
    assert reliable[1] > 0.5 > reliable[0]
    assert organised[2] < 0.01 and reliable[2] < 0.01  # no story shows creativity


def test_neighbours_vote_with_the_labels_of_the_stories_most_like_the_text():
    from atout.detection.model import train_stories

    rows = [
        {"text": f"j'ai rangé le placard et fait la liste des courses {i}", "labels": ["organisation"]}
        for i in range(30)
    ] + [
        {"text": f"je suis venu tous les samedis comme promis au club {i}", "labels": ["reliability", "teamwork"]}
        for i in range(30)
    ]  # fmt: skip
    model = train_stories(rows, ["organisation", "reliability", "teamwork"], "fr")
    near_lists, near_promises, unknown, empty = model.votes(
        ["j'ai fait la liste et rangé le placard", "comme promis je suis venu le samedi", "xyz", ""]
    )
    assert near_lists.tolist() == pytest.approx([1.0, 0.0, 0.0])  # all near stories organise
    assert near_promises.tolist() == pytest.approx([0.0, 1.0, 1.0])
    assert unknown.tolist() == empty.tolist() == [0.0, 0.0, 0.0]  # no shared word: no vote
    # The example sentences vote too: a text like one of them gets its skills.
    drawn = {"text": "j'ai dessiné une affiche toute neuve pour la fête", "labels": ["creativity"]}
    model = train_stories(rows, ["organisation", "creativity"], "fr", sentences=[drawn] * 30)
    (poster,) = model.votes(["j'ai dessiné l'affiche de la fête"])
    assert poster.tolist() == pytest.approx([0.0, 1.0])


def test_where_two_labellers_disagree_the_text_model_and_the_votes_stay_between():
    from atout.detection.model import train_stories

    def story(i, text, labels, second=None):
        row = {"text": f"{text} {i}", "labels": labels}
        return row if second is None else {**row, "second_labels": second}

    skills = ["organisation", "reliability"]
    rows = [
        *(story(i, "j'ai fait la liste des courses et rangé le placard", ["organisation"]) for i in range(20)),
        *(story(i, "je suis venu tous les samedis comme promis", ["reliability"]) for i in range(20)),
        # the second person sees no organisation in the rota the first one labelled
        *(story(i, "j'ai noté les tours de vaisselle au frigo", ["organisation"], []) for i in range(20)),
    ]  # fmt: skip
    model = train_stories(rows, skills, "fr")
    agreed, disputed = model.probabilities(
        ["j'ai fait la liste et rangé le placard", "j'ai noté les tours de vaisselle"]
    )
    assert agreed[0] > 0.8
    assert 0.2 < disputed[0] < 0.8  # about one labeller in two
    (votes,) = model.votes(["j'ai noté les tours de vaisselle au frigo"])
    assert votes.tolist() == pytest.approx([0.5, 0.0], abs=0.01)


def test_each_example_sentence_is_one_labelled_text():
    from atout.detection.model import example_rows

    examples = {
        "skills": {"organisation": {"fr": ["j'ai fait le planning"]}},
        "none": {"fr": ["il pleuvait"]},
        "multi": {"fr": [{"text": "j'ai fait le planning", "skills": ["organisation", "rigour"]}]},
    }
    assert example_rows(examples, "fr") == [
        {"text": "j'ai fait le planning", "labels": ["organisation", "rigour"]},
        {"text": "il pleuvait", "labels": []},
    ]


def test_neighbours_only_read_the_sentences_where_the_narrator_may_act():
    from atout.detection.engine import WINDOW, own_text, segments

    text = "Ma sœur a tout organisé pour la fête. Moi je regardais la télé. Rangé la salle après."
    # From the segments detect has (sentences, then pairs): the pairs are not read twice.
    assert (
        own_text(segments(text, WINDOW), "fr") == "Moi je regardais la télé. Rangé la salle après."
    )
    assert own_text(segments("Le coach a tout prévu.", WINDOW), "fr") == ""
