from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atout.accounts.models import User
from atout.core.errors import InputError
from atout.experiences.selectors import get_experience_for_user

from . import services
from .forms import PlaceForm, SkillChoiceForm
from .models import Opportunity
from .selectors import (
    MAX_LEVEL,
    PER_SKILL_PAGE,
    get_opportunity,
    get_saved_item_for_user,
    get_skill,
    level_labels,
    person_levels,
    saved_by_opportunity,
    saved_items,
    section,
    skills,
)

MAX_SECTIONS = 5


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the form was on (``next``), else the person's page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("progress:index")


def index(request: HttpRequest) -> HttpResponse:
    """The person's skills and, for the one they choose (else each one they have below
    Expert), a few resources and missions near them or remote, each with why."""
    user = _user(request)
    levels = person_levels(user=user)
    labels = level_labels()
    by_code = {skill.code: skill for skill in skills()}
    form = SkillChoiceForm(request.GET or None)
    if form.is_valid():
        chosen = [form.cleaned_data["competence"]]
    else:
        chosen = [
            skill for code, skill in by_code.items() if code in levels and levels[code] < MAX_LEVEL
        ][:MAX_SECTIONS]
    saved = saved_by_opportunity(user=user)
    sections = [
        section(
            skill=skill,
            user=user,
            departement=user.departement,
            levels=levels,
            labels=labels,
            saved=saved,
        )
        for skill in chosen
    ]
    mine = [
        {"skill": skill, "level": levels[code], "label": labels.get(levels[code], "")}
        for code, skill in by_code.items()
        if code in levels
    ]
    context = {
        "form": form,
        "mine": mine,
        "sections": sections,
        "saved_items": saved_items(user=user),
        "experiences": list(user.experiences.only("pk", "title")),
        "max_level": MAX_LEVEL,
    }
    return render(request, "progress/index.html", context, status=400 if form.errors else 200)


@login_not_required
def skill(request: HttpRequest, code: str) -> HttpResponse:
    """Everything that helps to progress in one skill; anyone may browse."""
    skill = get_skill(code=code)
    user = _user(request) if request.user.is_authenticated else None
    form = PlaceForm(request.GET if "departement" in request.GET else None)
    if form.is_bound:
        departement = form.cleaned_data["departement"] if form.is_valid() else None
    else:
        departement = user.departement if user is not None and user.departement else None
    if departement == "":
        departement = None  # "Vide : partout"
    result = section(
        skill=skill,
        user=user,
        departement=departement,
        levels=person_levels(user=user) if user is not None else {},
        labels=level_labels(),
        saved=saved_by_opportunity(user=user),
        limit=PER_SKILL_PAGE,
    )
    if not form.is_bound:
        form = PlaceForm(initial={"departement": departement or ""})
    context = {
        "skill": skill,
        "section": result,
        "form": form,
        "departement": departement,
        "demo": Opportunity.objects.filter(source="demo", active=True).exists(),
    }
    return render(request, "progress/skill.html", context, status=400 if form.errors else 200)


@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity(pk=pk)
    services.saved_item_save(owner=_user(request), opportunity=opportunity)
    messages.success(request, _("C'est gardé : « %(title)s ».") % {"title": opportunity.title})
    return _back(request)


@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    saved_item = get_saved_item_for_user(user=_user(request), pk=pk)
    services.saved_item_mark_done(saved_item=saved_item)
    messages.success(
        request, _("Bravo ! « %(title)s » est fait.") % {"title": saved_item.opportunity.title}
    )
    return _back(request)


@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    saved_item = get_saved_item_for_user(user=_user(request), pk=pk)
    services.saved_item_remove(saved_item=saved_item)
    messages.success(request, _("C'est retiré de ta liste."))
    return _back(request)


@require_POST
def tell(request: HttpRequest, pk: int) -> HttpResponse:
    """« Raconter cette mission »: the chat, remembered on the saved mission."""
    saved_item = get_saved_item_for_user(user=_user(request), pk=pk)
    try:
        chat = services.saved_item_tell(saved_item=saved_item, lang=request.LANGUAGE_CODE)
    except InputError as error:
        messages.error(request, error.message)
        return _back(request)
    return redirect("experiences:chat", chat.pk)


@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a done mission to an experience the person already told."""
    user = _user(request)
    saved_item = get_saved_item_for_user(user=user, pk=pk)
    raw = request.POST.get("experience", "")
    if not raw.isdigit():
        messages.error(request, _("Choisis une expérience."))
        return _back(request)
    experience = get_experience_for_user(user=user, pk=int(raw))
    try:
        services.saved_item_link_experience(saved_item=saved_item, experience=experience)
    except InputError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("La mission est reliée à « %(title)s ».") % {"title": experience.title}
        )
    return _back(request)
