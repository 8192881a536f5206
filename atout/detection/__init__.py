"""Soft-skill detection in first-person narratives. No Django: usable from the web app, the
command line and benchmarks alike."""

from .chat import ChatState, Question, guess_kind, next_question
from .engine import MAX_CHARS, Detection, Evidence, TextTooLong, detect, detect_many, skill_scores
from .text import guess_lang

__all__ = [
    "MAX_CHARS",
    "ChatState",
    "Detection",
    "Evidence",
    "Question",
    "TextTooLong",
    "detect",
    "detect_many",
    "guess_kind",
    "guess_lang",
    "next_question",
    "skill_scores",
]
