from atout.detection import ChatState, guess_kind, next_question
from atout.detection.chat import MAX_TURNS, STEPS


def run(answers, scores=None, lang="fr"):
    state = ChatState(lang=lang)
    asked = []
    q = next_question(state)
    for answer in answers:
        state.asked.append(q.id)
        asked.append(q.id)
        state.answers.append(answer)
        state.scores = scores or {}
        q = next_question(state)
        if q.finished:
            break
    return asked, q


def test_five_steps_then_done_when_nothing_is_unsure():
    asked, q = run(["du foot au club"] + ["une réponse assez longue pour compter ici"] * 6)
    assert asked == STEPS
    assert q.finished


def test_unsure_skills_are_probed_and_clear_ones_skipped():
    scores = {"teamwork": 0.9, "empathy": 0.2, "rigour": 0.15, "creativity": 0.01}
    asked, q = run(["du foot"] + ["une réponse assez longue pour compter ici"] * 10, scores)
    probes = [a for a in asked if a.startswith("probe:")]
    assert probes == ["probe:empathy", "probe:rigour"]
    assert len(asked) <= MAX_TURNS
    assert q.finished


def test_a_two_word_answer_gets_one_request_for_more():
    asked, _ = run(
        ["le foot", "ouais bof", "ouais bof", "ça va", "une réponse assez longue pour compter"]
    )
    assert asked[:4] == ["kind", "situation", "more", "actions"]


def test_english_questions():
    q = next_question(ChatState(lang="en"))
    assert q.id == "kind" and "experience" in q.text


def test_kind_guess():
    assert guess_kind("du foot avec mon club") == "sport"
    assert guess_kind("jai gardé mes petits freres") == "family"
    assert guess_kind("un job au mcdo") == "job"
    assert guess_kind("bof") == "other"
