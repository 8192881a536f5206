"""``assessments`` and ``referent`` calls of the public API (../shared/API.md)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from atout.api.auth import current_user
from atout.api.errors import Error, error_response
from atout.core.errors import InputError
from atout.experiences.models import Experience

from . import services
from .explain import explain
from .models import Assessment
from .scale import scale
from .selectors import get_assessment_for_user, latest_decision, level_labels

router = Router(tags=["assessments"])


class ItemOut(Schema):
    id: str
    text: str


class ScaleOut(Schema):
    value: int
    label: str


class AssessmentIn(Schema):
    skill: str
    experience: int | None = None


class AssessmentCreated(Schema):
    id: int
    skill: str
    items: list[ItemOut]
    scale: list[ScaleOut]


class AnswersIn(Schema):
    answers: dict[str, Any]


class ReferentAnswersIn(AnswersIn):
    comment: str = ""
    endorse: bool = False


class ReferentIn(Schema):
    email: str
    name: str
    relation: str
    experience: int | None = None
    lang: str | None = None


class Created(Schema):
    id: int


class ReferentStatus(Schema):
    relation: str
    answered: bool


class AssessmentOut(Schema):
    id: int
    skill: str
    status: str
    level: int | None
    level_label: str | None
    self_done: bool
    referents: list[ReferentStatus]
    explanation: list[str]
    talk_over: bool
    badge_possible: bool
    rule_version: str | None


class ReferentPage(Schema):
    person: str
    skill: str
    definition: str
    items: list[ItemOut]
    scale: list[ScaleOut]


class Done(Schema):
    detail: str


def _items(assessment: Assessment, field: str, name: str = "") -> list[dict[str, str]]:
    return [
        {"id": item.code, "text": item.phrase(field, name)}
        for item in services.items_of(assessment)
    ]


def _assessment_out(assessment: Assessment) -> dict[str, Any]:
    decision = latest_decision(assessment=assessment)
    labels = level_labels(framework_id=assessment.skill.framework_id)
    level = labels.get(assessment.level or 0)
    outcome = decision.outcome if decision else {}
    return {
        "id": assessment.pk,
        "skill": assessment.skill.code,
        "status": assessment.status,
        "level": assessment.level,
        "level_label": level.tr("label") if level else None,
        "self_done": assessment.self_done,
        "referents": [
            {"relation": r.relation, "answered": r.answered_at is not None}
            for r in assessment.referents.all()
        ],
        "explanation": explain(outcome, labels),
        "talk_over": bool(outcome.get("talk_over")),
        "badge_possible": bool(outcome.get("badge_possible")),
        "rule_version": decision.rule_version if decision else None,
    }


def _error(request: HttpRequest, error: InputError) -> HttpResponse:
    return error_response(request, error.status, error.message, error.code)


def _experience(request: HttpRequest, pk: int | None) -> Experience | None:
    if pk is None:
        return None
    experience = Experience.objects.owned_by(current_user(request)).filter(pk=pk).first()
    if experience is None:
        raise InputError("unknown_experience", _("Expérience inconnue."), 404)
    return experience


@router.post(
    "/assessments",
    response={201: AssessmentCreated, 400: Error, 401: Error, 404: Error, 409: Error},
)
def assessment_start(request: HttpRequest, payload: AssessmentIn) -> Any:
    """Open an assessment of one skill; the answer holds the self questionnaire."""
    try:
        experience = _experience(request, payload.experience)
        assessment = services.assessment_start(
            owner=current_user(request),
            skill_code=payload.skill,
            experience=experience,
        )
    except InputError as error:
        return _error(request, error)
    return Status(
        201,
        {
            "id": assessment.pk,
            "skill": assessment.skill.code,
            "items": _items(assessment, "self"),
            "scale": scale(),
        },
    )


@router.get("/assessments/{assessment_id}", response={200: AssessmentOut, 401: Error, 404: Error})
def assessment_get(request: HttpRequest, assessment_id: int) -> Any:
    """Status, level and why; who answered (by relation), never what they answered."""
    return _assessment_out(get_assessment_for_user(user=current_user(request), pk=assessment_id))


@router.post(
    "/assessments/{assessment_id}/self",
    response={200: AssessmentOut, 400: Error, 401: Error, 404: Error, 409: Error},
)
def assessment_self(request: HttpRequest, assessment_id: int, payload: AnswersIn) -> Any:
    """The person's own answers: every item, a value of the scale (1–4)."""
    assessment = get_assessment_for_user(user=current_user(request), pk=assessment_id)
    try:
        services.assessment_answer_self(assessment=assessment, answers=payload.answers)
    except InputError as error:
        return _error(request, error)
    assessment.refresh_from_db()
    return _assessment_out(assessment)


@router.post(
    "/assessments/{assessment_id}/referents",
    response={201: Created, 400: Error, 401: Error, 404: Error, 409: Error, 429: Error},
)
def assessment_invite(request: HttpRequest, assessment_id: int, payload: ReferentIn) -> Any:
    """Invite a referent: they are emailed a link holding a one-time token (30 days)."""
    assessment = get_assessment_for_user(user=current_user(request), pk=assessment_id)
    try:
        experience = _experience(request, payload.experience)
        referent = services.referent_invite(
            assessment=assessment,
            name=payload.name,
            email=payload.email,
            relation=payload.relation,
            experience=experience,
            lang=payload.lang,
        )
    except InputError as error:
        return _error(request, error)
    return Status(201, {"id": referent.pk})


def _link_error(request: HttpRequest, error: services.ReferentLinkError) -> HttpResponse:
    status, detail = {
        "unknown": (404, _("Ce lien est incomplet ou n'existe plus.")),
        "used": (410, _("Ce lien a déjà été utilisé : la réponse est enregistrée.")),
        "expired": (410, _("Ce lien a expiré.")),
        "closed": (
            409,
            _("La personne a terminé cette évaluation : elle n'attend plus de réponse."),
        ),
    }[error.reason]
    return error_response(request, status, detail, error.reason)


@router.get(
    "/referent/{token}", auth=None, response={200: ReferentPage, 404: Error, 409: Error, 410: Error}
)
def referent_get(request: HttpRequest, token: str) -> Any:
    """What a referent sees: the person's first name, the skill and the items about them."""
    try:
        referent = services.referent_peek(token=token)
    except services.ReferentLinkError as error:
        return _link_error(request, error)
    assessment = referent.assessment
    name = assessment.owner.first_name
    with translation.override(referent.lang):
        return {
            "person": name,
            "skill": assessment.skill.tr("label"),
            "definition": assessment.skill.tr("definition"),
            "items": _items(assessment, "referent", name),
            "scale": scale(dont_know=True),
        }


@router.post(
    "/referent/{token}",
    auth=None,
    response={200: Done, 400: Error, 404: Error, 409: Error, 410: Error},
)
def referent_post(request: HttpRequest, token: str, payload: ReferentAnswersIn) -> Any:
    """A referent's answers (0 = could not observe, 1–4), once. Again → 410."""
    try:
        referent = services.referent_peek(token=token)
        with translation.override(referent.lang):
            services.referent_answer(
                token=token,
                answers=payload.answers,
                comment=payload.comment,
                endorses=payload.endorse,
            )
    except services.ReferentLinkError as error:
        return _link_error(request, error)
    except InputError as error:
        return _error(request, error)
    return {"detail": _("Merci : votre avis est enregistré.")}
