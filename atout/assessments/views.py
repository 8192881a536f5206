from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atout.accounts.models import User
from atout.core.errors import InputError

from . import services
from .explain import explain
from .forms import InviteForm, StartForm
from .models import Assessment
from .scale import scale
from .selectors import assessments_of, get_assessment_for_user, latest_decision, level_labels


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _questionnaire(
    items: list[Any], field: str, answers: dict[str, Any], name: str = ""
) -> list[dict[str, Any]]:
    """Items with their text for this reader and the answer already given (kept on errors)."""
    rows = []
    for item in items:
        rows.append(
            {
                "code": item.code,
                "text": item.phrase(field, name),
                "value": str(answers.get(item.code, "")),
            }
        )
    return rows


def _posted_answers(request: HttpRequest, items: list[Any]) -> dict[str, str]:
    return {item.code: request.POST.get(f"item-{item.code}", "") for item in items}


def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = StartForm(user=user, initial={"skill": request.GET.get("competence")})
    context = {"assessments": assessments_of(user=user), "form": form}
    return render(request, "assessments/index.html", context)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = StartForm(request.POST, user=user)
    if not form.is_valid():
        context = {"assessments": assessments_of(user=user), "form": form}
        return render(request, "assessments/index.html", context, status=400)
    try:
        assessment = services.assessment_start(
            owner=user,
            skill_code=form.cleaned_data["skill"].code,
            experience=form.cleaned_data["experience"],
        )
    except InputError as error:
        if error.code == "already_open":
            existing = Assessment.objects.get(
                owner=user, skill=form.cleaned_data["skill"], status=Assessment.Status.OPEN
            )
            messages.info(request, error.message)
            return redirect("assessments:detail", existing.pk)
        raise
    return redirect("assessments:detail", assessment.pk)


def _detail_context(request: HttpRequest, assessment: Assessment, **extra: Any) -> dict[str, Any]:
    items = services.items_of(assessment)
    decision = latest_decision(assessment=assessment)
    labels = level_labels(framework_id=assessment.skill.framework_id)
    level = labels.get(assessment.level or 0)
    return {
        "assessment": assessment,
        "questions": _questionnaire(items, "self", assessment.self_answers),
        "scale": scale(),
        "decision": decision,
        "level": level,
        "reasons": explain(decision.outcome, labels) if decision else [],
        "referents": list(assessment.referents.all()),
        "invite_form": InviteForm(user=assessment.owner),
        "rules": services.rules_of(assessment.skill),
        "evidence_files": list(assessment.evidence_files.all()),
        **extra,
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Before the self answers: the questionnaire. After: the level, why, and the referents."""
    assessment = get_assessment_for_user(user=_user(request), pk=pk)
    if request.method == "POST" and assessment.is_open and not assessment.self_done:
        items = services.items_of(assessment)
        answers = _posted_answers(request, items)
        try:
            services.assessment_answer_self(assessment=assessment, answers=answers)
        except InputError as error:
            context = _detail_context(request, assessment, error=error.message)
            context["questions"] = _questionnaire(items, "self", answers)
            return render(request, "assessments/detail.html", context, status=error.status)
        messages.success(request, _("Merci ! Tes réponses sont enregistrées."))
        return redirect("assessments:detail", assessment.pk)
    return render(request, "assessments/detail.html", _detail_context(request, assessment))


@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(user=_user(request), pk=pk)
    form = InviteForm(request.POST, user=assessment.owner)
    if form.is_valid():
        try:
            referent = services.referent_invite(
                assessment=assessment,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                relation=form.cleaned_data["relation"],
                experience=form.cleaned_data["experience"],
                lang=form.cleaned_data["lang"],
            )
        except InputError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(
                request,
                _("Message envoyé à %(name)s. Tu verras ici quand la personne aura répondu.")
                % {"name": referent.name},
            )
            return redirect("assessments:detail", assessment.pk)
    else:
        status = 400
    context = _detail_context(request, assessment, invite_form=form)
    return render(request, "assessments/detail.html", context, status=status)


@require_POST
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(user=_user(request), pk=pk)
    services.assessment_set_reminders(assessment=assessment, on=request.POST.get("on") == "1")
    return redirect("assessments:detail", assessment.pk)


@require_POST
def auto_badge(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(user=_user(request), pk=pk)
    services.assessment_set_auto_badge(assessment=assessment, on=request.POST.get("on") == "1")
    return redirect("assessments:detail", assessment.pk)


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(user=_user(request), pk=pk)
    services.assessment_close(assessment=assessment)
    messages.success(request, _("Évaluation terminée : les liens encore ouverts ne marchent plus."))
    return redirect("assessments:detail", assessment.pk)


def delete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(user=_user(request), pk=pk)
    if request.method == "POST":
        services.assessment_delete(assessment=assessment)
        messages.success(request, _("Évaluation supprimée, avec les réponses de tes référents."))
        return redirect("assessments:index")
    return render(request, "assessments/delete.html", {"assessment": assessment})


LINK_STATUS = {"unknown": 404, "used": 410, "expired": 410, "closed": 409}


@login_not_required
def referent(request: HttpRequest, token: str) -> HttpResponse:
    """A referent's questionnaire, from the emailed link, without an account."""
    try:
        ref = services.referent_peek(token=token)
    except services.ReferentLinkError as error:
        return render(
            request,
            "assessments/referent_invalid.html",
            {"reason": error.reason},
            status=LINK_STATUS[error.reason],
        )
    assessment = ref.assessment
    items = services.items_of(assessment)
    name = assessment.owner.first_name or _("cette personne")
    answers: dict[str, Any] = {}
    error_message, status = "", 200
    with translation.override(ref.lang):
        if request.method == "POST":
            answers = _posted_answers(request, items)
            try:
                services.referent_answer(
                    token=token,
                    answers=answers,
                    comment=request.POST.get("comment", ""),
                    endorses=request.POST.get("endorses") == "1",
                )
            except services.ReferentLinkError as error:
                return render(
                    request,
                    "assessments/referent_invalid.html",
                    {"reason": error.reason},
                    status=LINK_STATUS[error.reason],
                )
            except InputError as error:
                error_message, status = error.message, error.status
            else:
                return render(request, "assessments/referent_done.html", {"person": name})
        context = {
            "referent": ref,
            "person": name,
            "skill": assessment.skill,
            "questions": _questionnaire(items, "referent", answers, name),
            "scale": scale(dont_know=True),
            "comment": request.POST.get("comment", ""),
            "endorses": request.POST.get("endorses") == "1",
            "error": error_message,
        }
        return render(request, "assessments/referent.html", context, status=status)
