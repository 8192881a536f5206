"""``detect(text, lang)``: which skills a first-person narrative shows, with the sentences
that show them."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from .model import NONE, SentenceModel, model_for
from .text import Sentence, guess_lang, normalise, split_sentences

MAX_CHARS = 20_000
# Without a second stage (below): a skill counts when one sentence (or pair of adjacent
# sentences) reaches this probability, per language. Chosen by leaving one narrative author
# out (bench/authors_detection.py) and on the development sets (bench/dev_detection.py), never
# on the test set: the best micro-F1 where they agree that still leaves at least 85 % of texts
# with no skill empty.
THRESHOLDS = {"fr": 0.30, "en": 0.30}
FIRST_PERSON = {"fr": {"je", "j", "moi", "on", "nous"}, "en": {"i", "we", "me", "myself", "us"}}
OTHERS = {
    "fr": {"il", "elle", "ils", "elles", "ma", "mon", "mes", "le", "la", "les", "sa", "son", "ses",
           "leur", "leurs", "personne", "quelqu", "tout"},
    "en": {"he", "she", "they", "my", "the", "his", "her", "their", "someone", "everyone",
           "nobody"},
}  # fmt: skip
WINDOW = 2  # also score pairs of adjacent sentences: a situation, then the act
# Runner-up rule (ratio to the winner, minimum score), per language: kept only where the
# held-out authors and the dev sets agree that it helps (English, not French).
SECOND: dict[str, tuple[float, float] | None] = {"fr": None, "en": (0.2, 0.1)}
# Once one segment of a text passes the threshold (the text shows something), every skill that
# reaches this lower score in it counts too: a story usually shows two or three skills, and the
# second one often scores lower. Off since the narratives: at the lower French threshold the
# held-out authors and the dev sets no longer agree that it helps.
ALSO: dict[str, float | None] = {"fr": None, "en": None}
# The second stage, per language (data/stack.json, written by bench/stack_detection.py): one
# logistic regression per skill over the text's best segment score for every skill and the text
# model's probability for every skill, learnt on authors the models never saw. Both languages
# have one; a language without one, or a model trained on other skills than its stack learnt,
# decides on the segment scores alone (THRESHOLDS, SECOND, ALSO).
STACK = Path(__file__).resolve().parent / "data" / "stack.json"
# Evidence of a skill found by the second stage: its segments within this ratio of its best.
EVIDENCE_RATIO = 0.5
NO_SUBJECT_FACTOR = 0.75  # "appelé les parents un par un" (subject dropped, as people type)
OTHER_SUBJECT_FACTOR = 0.25  # "ma sœur a tout organisé"


class TextTooLong(ValueError):
    def __init__(self, length: int) -> None:
        super().__init__(f"text of {length} characters; at most {MAX_CHARS}")
        self.length = length


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int


@dataclass
class Detection:
    code: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Stack:
    skills: list[str]
    coef: np.ndarray  # skills x features (see stack_features)
    intercept: np.ndarray
    threshold: float
    neighbours: bool = False  # also reads the neighbours' votes (stack_features)

    def probabilities(
        self, best: np.ndarray, stories: np.ndarray, votes: np.ndarray | None = None
    ) -> np.ndarray:
        logits = stack_features(best, stories, votes) @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))


def stack_features(
    best: np.ndarray, stories: np.ndarray, votes: np.ndarray | None = None
) -> np.ndarray:
    """Per text: every skill's best segment score, every skill's text-model probability, the
    neighbours' votes for every skill when given (model.Neighbours.votes), and the three highest
    of the first two (how strongly the text shows anything)."""
    both = np.hstack([best, stories])
    top = -np.sort(-both, axis=1)[:, :3]
    return np.hstack([both, top] if votes is None else [both, votes, top])


@cache
def stack_for(lang: str) -> Stack | None:
    entry = json.loads(STACK.read_text(encoding="utf-8")).get(lang) if STACK.exists() else None
    if not entry:
        return None
    return Stack(
        entry["skills"],
        np.array(entry["coef"]),
        np.array(entry["intercept"]),
        entry["threshold"],
        entry.get("neighbours", False),
    )


def own_text(sentences: list[Sentence], lang: str) -> str:
    """The text's sentences (``segments`` gives them first) without those that start with
    someone else acting: what the neighbours compare (they read words, not who did what; "ma
    sœur a tout organisé. moi je regardais la télé" must not be voted organisation)."""
    return " ".join(
        s.text
        for s in sentences
        if not s.subject and _subject_factor(s, lang) > OTHER_SUBJECT_FACTOR
    )


def _subject_factor(sentence: Sentence, lang: str) -> float:
    # Normalised, so that SMS spellings count too: "jai", "g", "jme", "chui" are first person.
    words = normalise(sentence.subject or sentence.text, lang).split()
    if any(w in FIRST_PERSON[lang] for w in words):
        return 1.0
    if words and words[0] in OTHERS[lang]:
        return OTHER_SUBJECT_FACTOR
    return NO_SUBJECT_FACTOR


def segments(text: str, window: int = 1) -> list[Sentence]:
    """Sentences, plus runs of up to ``window`` adjacent ones (a situation, then the act)."""
    sentences = split_sentences(text)
    out = list(sentences)
    for size in range(2, window + 1):
        for i in range(len(sentences) - size + 1):
            first, last = sentences[i], sentences[i + size - 1]
            joined = " ".join(s.text for s in sentences[i : i + size])
            out.append(Sentence(first.start, last.end, joined, subject=last.text))
    return out


def sentence_scores(
    sentences: list[Sentence], lang: str, model: SentenceModel | None = None
) -> tuple[list[str], np.ndarray]:
    """Skill probabilities per sentence, after the who-did-it adjustment (``model``: the
    shipped one unless given, as cross-validation does)."""
    model = model or model_for(lang)
    probabilities = model.probabilities([s.text for s in sentences])
    factors = np.array([_subject_factor(s, lang) for s in sentences])
    skills = [label for label in model.labels if label != NONE]
    columns = [model.labels.index(label) for label in skills]
    raw = probabilities[:, columns]
    # A run of sentences counts for a skill only where its last sentence (the act) adds to what
    # the first one shows alone: "ma sœur a tout organisé. moi je regardais" is not my act.
    first_of = {s.start: i for i, s in enumerate(sentences) if not s.subject}
    for i, segment in enumerate(sentences):
        if segment.subject and segment.start in first_of:
            raw[i] = np.where(raw[i] > raw[first_of[segment.start]], raw[i], 0.0)
    return skills, raw * factors[:, None]


def detect(text: str, lang: str = "auto", *, threshold: float | None = None) -> list[Detection]:
    """Skills shown in ``text``, best first; evidence offsets index into ``text``."""
    if len(text) > MAX_CHARS:
        raise TextTooLong(len(text))
    return detect_many([text], lang, threshold=threshold)[0]


def _also(lang: str, threshold: float) -> float | None:
    also = ALSO[lang]
    return None if also is None else min(also, threshold)


def skill_scores(text: str, lang: str) -> dict[str, float]:
    """Every skill's best sentence score, under the threshold too (the chat probes the unsure)."""
    sentences = split_sentences(text[:MAX_CHARS])
    if not sentences:
        return {}
    skills, scores = sentence_scores(sentences, lang)
    return {code: round(float(scores[:, i].max()), 3) for i, code in enumerate(skills)}


def detect_many(
    texts: list[str], lang: str = "auto", *, threshold: float | None = None
) -> list[list[Detection]]:
    """``detect`` for many texts at once (one model call per language: much faster). With
    ``threshold``, decide on the segment scores alone at that threshold (the tuning scripts)."""
    langs = [lang if lang in {"fr", "en"} else guess_lang(t) for t in texts]
    results: list[list[Detection]] = [[] for _ in texts]
    for language in {"fr", "en"}:
        indices = [i for i, lg in enumerate(langs) if lg == language]
        split = {i: segments(texts[i], WINDOW) for i in indices if len(texts[i]) <= MAX_CHARS}
        split = {i: sentences for i, sentences in split.items() if sentences}
        flat = [s for i in split for s in split[i]]
        if not flat:
            continue
        model = model_for(language)
        skills, scores = sentence_scores(flat, language, model)
        stack = stack_for(language) if threshold is None else None
        stories = votes = None  # a model trained on other skills than its stack: segments only
        if stack is not None and model.stories is not None and stack.skills == skills:
            stories = model.stories.probabilities([texts[i] for i in split])
            if stack.neighbours:
                votes = model.stories.votes([own_text(split[i], language) for i in split])
        row = 0
        for k, (i, sentences) in enumerate(split.items()):
            part = scores[row : row + len(sentences)]
            row += len(sentences)
            if stories is not None and stack is not None:
                voted = None if votes is None else votes[k]
                results[i] = _collect_stacked(sentences, skills, part, stories[k], stack, voted)
                continue
            limit = THRESHOLDS[language] if threshold is None else threshold
            results[i] = _collect(
                sentences,
                skills,
                part,
                threshold=limit,
                second=SECOND[language],
                also=_also(language, limit),
            )
    return results


def _collect(
    sentences: list[Sentence],
    skills: list[str],
    scores: np.ndarray,
    *,
    threshold: float,
    second: tuple[float, float] | None = None,
    also: float | None = None,
) -> list[Detection]:
    passes = scores >= threshold
    if also is not None and passes.any():
        passes |= scores >= also
    if second is not None:
        # A segment that clearly shows one skill may show a second one: the softmax splits the
        # probability, so a runner-up close enough to the winner counts too.
        ratio, minimum = second
        top = scores.max(axis=1, initial=0.0)
        passes |= (
            (top >= threshold)[:, None] & (scores >= ratio * top[:, None]) & (scores >= minimum)
        )
    found = []
    for column, code in enumerate(skills):
        rows = np.flatnonzero(passes[:, column])
        if not len(rows):
            continue
        best = float(scores[rows, column].max())
        found.append(Detection(code, round(best, 3), _evidence(sentences, rows)))
    return sorted(found, key=lambda d: -d.score)


def _collect_stacked(
    sentences: list[Sentence], skills: list[str], scores: np.ndarray, stories: np.ndarray,
    stack: Stack, votes: np.ndarray | None = None,
) -> list[Detection]:  # fmt: skip
    best = scores.max(axis=0)
    voted = None if votes is None else votes[None, :]
    probabilities = stack.probabilities(best[None, :], stories[None, :], voted)[0]
    found = []
    for column in np.flatnonzero(probabilities >= stack.threshold):
        rows = np.flatnonzero(scores[:, column] >= EVIDENCE_RATIO * best[column])
        score = round(float(probabilities[column]), 3)
        found.append(Detection(skills[column], score, _evidence(sentences, rows)))
    return sorted(found, key=lambda d: -d.score)


def _evidence(sentences: list[Sentence], rows: np.ndarray) -> list[Evidence]:
    """Quote the least text that shows it: a pair only when neither sentence alone does."""
    spans = [(sentences[i].start, sentences[i].end) for i in rows]
    return [
        Evidence(a, b)
        for a, b in sorted(set(spans))
        if not any((c, d) != (a, b) and a <= c and d <= b for c, d in spans)
    ]
