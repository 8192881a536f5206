"""``experiences`` and ``chat`` calls of the public API (../shared/API.md)."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from atout.api.errors import Error, error_response

from . import services
from .models import Experience
from .selectors import get_chat_for_user, get_experience_for_user

router = Router(tags=["experiences"])


class EvidenceOut(Schema):
    start: int
    end: int
    text: str


class SkillOut(Schema):
    code: str
    label: str
    score: float | None
    evidence: list[EvidenceOut]


class ExperienceIn(Schema):
    title: str
    kind: str
    narrative: str
    lang: str = "auto"


class ExperienceCreated(Schema):
    id: int
    skills: list[SkillOut]


class ConfirmedSkillOut(SkillOut):
    confirmed: bool
    source: str


class ExperienceOut(Schema):
    id: int
    title: str
    kind: str
    narrative: str
    lang: str
    started_on: date | None
    ended_on: date | None
    skills: list[ConfirmedSkillOut]
    confirmed_skills: list[str]


class ExperiencePatch(Schema):
    confirmed_skills: list[str]


class ChatIn(Schema):
    lang: str = "fr"


class ChatCreated(Schema):
    id: int
    message: str


class MessageIn(Schema):
    text: str


class MessageOut(Schema):
    message: str
    detected: list[SkillOut]
    finished: bool
    experience_id: int | None = None


def _experience_out(experience: Experience) -> dict[str, Any]:
    links = list(experience.skills.select_related("skill", "experience"))
    return {
        "id": experience.pk,
        "title": experience.title,
        "kind": experience.kind,
        "narrative": experience.narrative,
        "lang": experience.lang,
        "started_on": experience.started_on,
        "ended_on": experience.ended_on,
        "skills": [
            {
                "code": link.skill.code,
                "label": link.skill.tr("label"),
                "score": link.score,
                "evidence": link.quoted_evidence(),
                "confirmed": link.confirmed,
                "source": link.source,
            }
            for link in links
        ],
        "confirmed_skills": [link.skill.code for link in links if link.confirmed],
    }


def _input_error(request: HttpRequest, error: services.InputError) -> HttpResponse:
    return error_response(request, error.status, error.message, error.code)


@router.post("/experiences", response={201: ExperienceCreated, 400: Error, 401: Error, 413: Error})
def experience_create(request: HttpRequest, payload: ExperienceIn) -> Any:
    """Tell an experience in one go; the skills it shows come back with their evidence."""
    try:
        experience = services.experience_create(
            owner=request.auth,  # type: ignore[attr-defined]
            title=payload.title,
            kind=payload.kind,
            narrative=payload.narrative,
            lang=payload.lang,
        )
    except services.InputError as error:
        return _input_error(request, error)
    out = _experience_out(experience)
    return Status(201, {"id": experience.pk, "skills": out["skills"]})


@router.get("/experiences/{experience_id}", response={200: ExperienceOut, 401: Error, 404: Error})
def experience_get(request: HttpRequest, experience_id: int) -> Any:
    return _experience_out(get_experience_for_user(user=request.auth, pk=experience_id))  # type: ignore[attr-defined]


@router.patch(
    "/experiences/{experience_id}",
    response={200: ExperienceOut, 400: Error, 401: Error, 404: Error},
)
def experience_patch(request: HttpRequest, experience_id: int, payload: ExperiencePatch) -> Any:
    experience = get_experience_for_user(user=request.auth, pk=experience_id)  # type: ignore[attr-defined]
    try:
        services.experience_confirm_skills(experience=experience, codes=payload.confirmed_skills)
    except services.InputError as error:
        return _input_error(request, error)
    return _experience_out(experience)


@router.post("/chat", response={201: ChatCreated, 401: Error})
def chat_start(request: HttpRequest, payload: ChatIn | None = None) -> Any:
    """Start a conversation; the answer holds the chat's first question."""
    lang = payload.lang if payload else "fr"
    turn = services.chat_start(owner=request.auth, lang=lang)  # type: ignore[attr-defined]
    return Status(201, {"id": turn.session.pk, "message": turn.question.text})


@router.post(
    "/chat/{chat_id}/messages",
    response={200: MessageOut, 400: Error, 401: Error, 404: Error, 409: Error, 413: Error},
)
def chat_message(request: HttpRequest, chat_id: int, payload: MessageIn) -> Any:
    session = get_chat_for_user(user=request.auth, pk=chat_id)  # type: ignore[attr-defined]
    try:
        turn = services.chat_answer(session=session, text=payload.text)
    except services.InputError as error:
        return _input_error(request, error)
    narrative = "\n".join(turn.session.state.get("answers", []))
    return {
        "message": turn.question.text,
        "detected": services.detections_payload(detections=turn.detections, text=narrative),
        "finished": turn.question.finished,
        "experience_id": turn.session.experience_id,
    }
