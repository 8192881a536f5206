"""Telling experiences: the chat, detection, and the person's confirmations."""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from atout.accounts.models import User
from atout.core.errors import InputError
from atout.detection import (
    MAX_CHARS,
    ChatState,
    Detection,
    Question,
    detect,
    guess_kind,
    guess_lang,
    next_question,
    skill_scores,
)
from atout.detection.llm import LLMConfig, detect_with_fallback, follow_up_with_fallback
from atout.detection.text import split_sentences, tokens
from atout.referentiel.models import Skill

from .models import ChatMessage, ChatSession, Experience, ExperienceSkill, Kind

log = logging.getLogger(__name__)
FRAMEWORK = "atout"
MAX_STORED = 100_000  # longer pastes are refused outright (HTTP 413)
MAX_ANSWER = 5_000  # longer answers are kept but not read: we ask for a shorter version


def _skills_by_code(codes: list[str]) -> dict[str, Skill]:
    return {s.code: s for s in Skill.objects.filter(framework__code=FRAMEWORK, code__in=codes)}


def _detect(text: str, lang: str) -> list[Detection]:
    """Offline engine, or the operator's LLM (ATOUT_LLM_URL) with the offline engine as fallback."""
    config = LLMConfig.from_env()
    if config is None:
        return detect(text, lang)
    labels = dict(Skill.objects.filter(framework__code=FRAMEWORK).values_list("code", "label_en"))
    return detect_with_fallback(text, lang, config, labels)


def check_narrative(text: str) -> str:
    text = text.replace("\x00", "").strip()
    if not text:
        raise InputError(
            "empty", _("Le texte est vide. Raconte en quelques phrases ce que tu as fait.")
        )
    if len(text) > MAX_CHARS:
        raise InputError(
            "too_long",
            _("Ce texte est très long (%(n)s caractères). Raconte l'essentiel en moins de %(max)s.")
            % {"n": len(text), "max": MAX_CHARS},
            413,
        )
    if not tokens(text):
        raise InputError(
            "no_words",
            _("Je n'ai pas trouvé de mots dans ce texte. Tu peux raconter avec tes mots ?"),
        )
    return text


@transaction.atomic
def experience_create(
    *, owner: User, title: str, kind: str, narrative: str, lang: str = "auto"
) -> Experience:
    narrative = check_narrative(narrative)
    if kind not in Kind.values:
        raise InputError("bad_kind", _("Type d'expérience inconnu : %(kind)s.") % {"kind": kind})
    detections = _detect(narrative, lang)
    experience = Experience.objects.create(
        owner=owner,
        title=(title.strip() or _("Mon expérience"))[:120],
        kind=kind,
        narrative=narrative,
        lang=lang if lang in {"fr", "en"} else guess_lang(narrative),
        summary=summarise(narrative),
    )
    _store_detections(experience, detections)
    return experience


def _store_detections(experience: Experience, detections: list[Detection]) -> None:
    skills = _skills_by_code([d.code for d in detections])
    ExperienceSkill.objects.bulk_create(
        ExperienceSkill(
            experience=experience,
            skill=skills[d.code],
            score=d.score,
            evidence=[{"start": e.start, "end": e.end} for e in d.evidence],
        )
        for d in detections
        if d.code in skills
    )


@transaction.atomic
def experience_confirm_skills(*, experience: Experience, codes: list[str]) -> Experience:
    """The person's final list: listed skills are confirmed (added if new), others are not."""
    codes = list(dict.fromkeys(codes))
    skills = _skills_by_code(codes)
    unknown = [c for c in codes if c not in skills]
    if unknown:
        raise InputError(
            "unknown_skill",
            _("Compétence inconnue : %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    existing = {es.skill.code: es for es in experience.skills.select_related("skill")}
    for code, link in existing.items():
        if code not in skills and link.source == ExperienceSkill.Source.ADDED:
            link.delete()
        elif link.confirmed != (code in skills):
            link.confirmed = code in skills
            link.save(update_fields=["confirmed"])
    ExperienceSkill.objects.bulk_create(
        ExperienceSkill(
            experience=experience, skill=skill, source=ExperienceSkill.Source.ADDED, confirmed=True
        )
        for code, skill in skills.items()
        if code not in existing
    )
    return experience


@dataclass
class Turn:
    question: Question
    detections: list[Detection]
    session: ChatSession


def _say(session: ChatSession, q: Question) -> None:
    ChatMessage.objects.create(
        session=session, role=ChatMessage.Role.BOT, question_id=q.id, text=q.text
    )


@transaction.atomic
def chat_start(*, owner: User, lang: str = "fr") -> Turn:
    lang = lang if lang in {"fr", "en"} else "fr"
    state = ChatState(lang=lang)
    q = next_question(state)
    state.asked.append(q.id)
    session = ChatSession.objects.create(owner=owner, lang=lang, state=state.as_dict())
    _say(session, q)
    return Turn(q, [], session)


def chat_answer(*, session: ChatSession, text: str) -> Turn:
    """Store the answer first (nothing typed is lost), then pick the next question."""
    if len(text) > MAX_STORED:
        raise InputError(
            "too_long",
            _("Ce message est beaucoup trop long. Raconte l'essentiel en quelques phrases."),
            413,
        )
    if session.finished:
        raise InputError("finished", _("Cette conversation est terminée."), 409)
    if text.strip():  # an empty send is not a message; anything typed is kept
        ChatMessage.objects.create(session=session, role=ChatMessage.Role.PERSON, text=text)
    state = ChatState.from_dict(session.state)
    narrative = "\n".join(state.answers)
    clean = text.replace("\x00", "").strip()
    if not clean or not tokens(clean) or len(clean) > MAX_ANSWER:
        # Kept in the messages, not in the story: ask again, kindly.
        reason = (
            _("Ton message est très long. Tu peux raconter l'essentiel en quelques phrases ?")
            if len(clean) > MAX_ANSWER
            else _("Je n'ai pas bien compris. Tu peux le dire avec des mots, même courts ?")
        )
        q = Question(state.asked[-1], reason)
        with transaction.atomic():
            _say(session, q)
        return Turn(q, _detect(narrative, state.lang) if narrative else [], session)
    try:
        with transaction.atomic():
            if state.asked and state.asked[-1] == "kind":
                tapped = {str(label).lower(): value for value, label in Kind.choices}
                state.kind = tapped.get(clean.lower()) or guess_kind(clean)
            state.answers.append(clean)
            narrative = "\n".join(state.answers)
            state.scores = skill_scores(narrative, state.lang)
            detections = _detect(narrative, state.lang)
            q = follow_up_with_fallback(state, narrative, LLMConfig.from_env())
            state.asked.append(q.id)
            if q.finished:
                state.finished = True
                session.finished = True
                session.experience = _experience_from_chat(session, state, narrative, detections)
            session.state = state.as_dict()
            session.save(update_fields=["state", "finished", "experience", "updated_at"])
            _say(session, q)
    except Exception:  # the person's message is already stored: it must survive any failure
        log.exception("chat %s: could not process an answer", session.pk)
        session.refresh_from_db()
        q = Question(
            ChatState.from_dict(session.state).asked[-1],
            _("Oups, je n'ai pas réussi à lire ta réponse. Tu peux la redire autrement ?"),
        )
        _say(session, q)
        return Turn(q, [], session)
    return Turn(q, detections, session)


def summarise(text: str, limit: int = 280) -> str:
    """A short summary in the person's own words: the first sentences, up to ``limit``."""
    out = ""
    for sentence in split_sentences(text):
        candidate = f"{out} {sentence.text}".strip()
        if len(candidate) > limit:
            break
        out = candidate
    return out or text[:limit].rsplit(" ", 1)[0] + "…"


def _title(state: ChatState) -> str:
    """The first answer if it says something (« je garde mes petits frères »), else the next."""
    answers = [a for a in state.answers if tokens(a)]
    candidates = [a for a in answers[:2] if len(tokens(a)) >= 3] or answers[:1]
    title = candidates[0].split("\n")[0].split(".")[0].strip() if candidates else ""
    if len(title) > 60:
        title = title[:60].rsplit(" ", 1)[0] + "…"
    return title[:1].upper() + title[1:]


def _joined(parts: list[str]) -> str:
    """Answers joined as sentences, so a summary reads well even without punctuation."""
    return " ".join(
        p if p.rstrip()[-1:] in ".!?…" else p.rstrip() + "." for p in parts if p.strip()
    )


def _experience_from_chat(
    session: ChatSession, state: ChatState, narrative: str, detections: list[Detection]
) -> Experience:
    title = _title(state)
    experience = Experience.objects.create(
        owner=session.owner,
        title=title or str(Kind(state.kind or "other").label),
        kind=state.kind or Kind.OTHER,
        narrative=narrative,
        lang=state.lang,
        # The situation and what came of it, as the person said them.
        summary=summarise(_joined(state.answers[1:2] + state.answers[4:5])),
    )
    _store_detections(experience, detections)
    return experience


def experience_delete(*, experience: Experience) -> None:
    experience.delete()


def detections_payload(*, detections: list[Detection], text: str) -> list[dict[str, Any]]:
    """Detected skills as the API shows them, evidence quoted from ``text``."""
    labels = _skills_by_code([d.code for d in detections])
    return [
        {
            "code": d.code,
            "label": labels[d.code].tr("label") if d.code in labels else d.code,
            "score": d.score,
            "evidence": [
                {"start": e.start, "end": e.end, "text": text[e.start : e.end]} for e in d.evidence
            ],
        }
        for d in detections
    ]
