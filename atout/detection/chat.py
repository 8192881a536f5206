"""The guided conversation: which question to ask next, from what was said and detected.

Five steps tell one experience (what, situation, actions, difficulty, result); then up to three
follow-ups probe the skills the detector is unsure about, and skip what is already clear.
A person who answers in two words is asked once, kindly, for a little more."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import tokens

STEPS = ["kind", "situation", "actions", "difficulty", "result"]
MAX_TURNS = 8
MAX_PROBES = 3
SHORT_ANSWER_WORDS = 4
# Between these scores a skill is "maybe": worth a question that would settle it.
PROBE_LOW, PROBE_HIGH = 0.12, 0.25

KINDS = ["sport", "job", "family", "volunteering", "school", "inclusion", "other"]
KIND_WORDS = {
    "sport": {"foot", "football", "basket", "sport", "club", "match", "equipe", "boxe", "hand",
              "rugby", "danse", "tennis", "entrainement", "coach", "team", "training", "soccer"},
    "job": {"job", "travail", "boulot", "taf", "stage", "magasin", "restaurant", "mcdo", "caisse",
            "livraison", "interim", "work", "shop", "store", "internship", "cdd", "saisonnier"},
    "family": {"famille", "frere", "frères", "soeur", "freres", "soeurs", "mere", "pere",
               "grand", "mamie", "papy", "cousins", "enfants", "family", "brother", "sister",
               "mum", "mom", "dad", "grandma", "siblings", "kids"},
    "volunteering": {"benevole", "benevolat", "association", "asso", "restos", "banque",
                     "alimentaire", "volunteer", "volunteering", "charity", "civique"},
    "school": {"ecole", "college", "lycee", "classe", "prof", "projet", "expose", "school",
               "class", "teacher", "project", "fac", "universite", "cfa"},
    "inclusion": {"insertion", "chantier", "iae", "esat", "entreprise d insertion", "inclusion"},
}  # fmt: skip

# The questions, in French and English (data/chat.json): each step of the story, and one
# follow-up per skill that asks for the kind of act that would show it, without leading.
_QUESTIONS = json.loads((Path(__file__).resolve().parent / "data" / "chat.json").read_text("utf-8"))
TEXTS: dict[str, dict[str, str]] = _QUESTIONS["steps"]
PROBES: dict[str, dict[str, str]] = _QUESTIONS["probes"]


@dataclass
class ChatState:
    """Everything the chat needs to pick its next question. JSON-serialisable via ``as_dict``."""

    lang: str = "fr"
    kind: str | None = None
    asked: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    finished: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "kind": self.kind,
            "asked": self.asked,
            "answers": self.answers,
            "scores": self.scores,
            "finished": self.finished,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ChatState":
        return cls(**data)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    finished: bool = False


def question(qid: str, lang: str) -> Question:
    if qid.startswith("probe:"):
        return Question(qid, PROBES[qid.removeprefix("probe:")][lang])
    return Question(qid, TEXTS[qid][lang], finished=qid == "done")


def guess_kind(text: str) -> str:
    words = set(tokens(text))
    best, hits = "other", 0
    for kind, vocabulary in KIND_WORDS.items():
        count = len(words & vocabulary)
        if count > hits:
            best, hits = kind, count
    return best


def next_question(state: ChatState) -> Question:
    """The question to ask now. Call after recording the last answer (or at the start)."""
    lang = state.lang if state.lang in {"fr", "en"} else "fr"
    if state.finished:
        return question("done", lang)
    answered = len(state.answers)
    last_id = state.asked[-1] if state.asked else None
    # A very short answer to a story step gets one kind request for more.
    if (
        last_id in STEPS[1:]
        and answered
        and len(tokens(state.answers[-1])) < SHORT_ANSWER_WORDS
        and "more" not in state.asked[-2:]
        and len(state.asked) < MAX_TURNS - 1
    ):
        return question("more", lang)
    remaining = [step for step in STEPS if step not in state.asked]
    if remaining:
        return question(remaining[0], lang)
    if len(state.asked) >= MAX_TURNS:
        return question("done", lang)
    probes = [q for q in state.asked if q.startswith("probe:")]
    if len(probes) < MAX_PROBES:
        unsure = sorted(
            (
                (score, code)
                for code, score in state.scores.items()
                if PROBE_LOW <= score < PROBE_HIGH and f"probe:{code}" not in state.asked
            ),
            reverse=True,
        )
        if unsure:
            return question(f"probe:{unsure[0][1]}", lang)
    return question("done", lang)
