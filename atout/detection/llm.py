"""Optional LLM backend through any OpenAI-compatible ``/chat/completions`` endpoint.

Off unless the operator sets ``ATOUT_LLM_URL`` (and ``ATOUT_LLM_MODEL``, ``ATOUT_LLM_KEY``):
personal text leaves the server only then. Every call has a short timeout; on any failure the
offline engine answers instead, so the chat never waits on, or breaks with, a remote model.
"""

import json
import logging
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from .chat import ChatState, Question, next_question
from .engine import Detection, Evidence, detect

log = logging.getLogger(__name__)


class LLMError(Exception):
    pass


@dataclass(frozen=True)
class LLMConfig:
    url: str
    model: str
    key: str = ""
    timeout: float = 4.0

    @classmethod
    def from_env(cls) -> "LLMConfig | None":
        url = os.environ.get("ATOUT_LLM_URL", "").strip()
        if not url:
            return None
        return cls(
            url=url.rstrip("/"),
            model=os.environ.get("ATOUT_LLM_MODEL", "gpt-4o-mini"),
            key=os.environ.get("ATOUT_LLM_KEY", ""),
            timeout=float(os.environ.get("ATOUT_LLM_TIMEOUT", "4")),
        )


def _complete(config: LLMConfig, system: str, user: str) -> dict[str, Any]:
    body = json.dumps(
        {
            "model": config.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (the operator's configured http(s) URL)
        f"{config.url}/chat/completions",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {config.key}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310
            payload = json.loads(response.read(1_000_000))
        content = json.loads(payload["choices"][0]["message"]["content"])
    except (
        urllib.error.URLError,
        TimeoutError,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
    ) as error:
        raise LLMError(str(error)) from error
    if not isinstance(content, dict):
        raise LLMError("the model did not answer a JSON object")
    return content


def llm_detect(text: str, lang: str, config: LLMConfig, skills: dict[str, str]) -> list[Detection]:
    """Ask the model which skills the narrator shows; quotes must be exact substrings."""
    system = (
        "You find the soft skills a person shows in their own first-person story. Only count what "
        "the narrator did (not claims, not negated acts, not other people's acts). Use only these "
        "codes: "
        + ", ".join(f"{code} ({label})" for code, label in skills.items())
        + ". Answer JSON: "
        '{"skills": [{"code": "...", "score": 0.0-1.0, '
        '"quotes": ["exact sentence from the story"]}]}'
    )
    data = _complete(config, system, text)
    found = []
    for entry in data.get("skills", []):
        if not isinstance(entry, dict) or entry.get("code") not in skills:
            continue
        evidence = []
        for quote in entry.get("quotes", []):
            start = text.find(quote) if isinstance(quote, str) and quote.strip() else -1
            if start >= 0:
                evidence.append(Evidence(start, start + len(quote)))
        if not evidence:  # a skill without a quote from the text is not shown
            continue
        try:
            score = min(1.0, max(0.0, float(entry.get("score", 0.5))))
        except (TypeError, ValueError):
            score = 0.5
        found.append(Detection(entry["code"], round(score, 3), evidence))
    return sorted(found, key=lambda d: -d.score)


def detect_with_fallback(
    text: str, lang: str, config: LLMConfig | None, skills: dict[str, str]
) -> list[Detection]:
    if config is not None:
        try:
            return llm_detect(text, lang, config, skills)
        except LLMError as error:
            log.warning("LLM detection failed, using the offline engine: %s", error)
    return detect(text, lang)


def follow_up_with_fallback(state: ChatState, narrative: str, config: LLMConfig | None) -> Question:
    """The offline chat decides *what* to ask; the LLM, when set, may phrase a probe richer."""
    question = next_question(state)
    if config is None or not question.id.startswith("probe:"):
        return question
    skill = question.id.removeprefix("probe:")
    system = (
        "You help a young person tell an experience. Write ONE short, kind, non-leading follow-up "
        f"question in {'French (tutoiement)' if state.lang == 'fr' else 'English'} that would show "
        f"whether they used the skill '{skill}', based on their story. Answer JSON: "
        '{"question": "..."}'
    )
    try:
        text = str(_complete(config, system, narrative).get("question", "")).strip()
    except LLMError as error:
        log.warning("LLM follow-up failed, using the offline question: %s", error)
        return question
    if not text or len(text) > 300:
        return question
    return Question(question.id, text)
