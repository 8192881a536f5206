import difflib
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext

from atout.accounts.departements import DEPARTEMENTS, normalise_departement
from atout.matching import Profile
from atout.progress.selectors import trainings_for
from atout.referentiel.models import Skill

from .explain import describe
from .interests import (
    RIASEC,
    InterestsError,
    add_held,
    claim_savoir_faire,
    get_interests,
    has_profile,
    person_profile,
    remove_held,
    set_riasec,
    unclaim_savoir_faire,
)
from .models import Appellation, EscoOccupation, Item, Metier, Requirement
from .recruiting import recruiting_sections
from .selectors import index, person_levels, profile_from_levels

MAX_LEVEL = 4


def _levels(request: HttpRequest) -> tuple[dict[str, int], str]:
    """The skills to match: chosen in the form (``competences=teamwork:3,…``), else the
    signed-in person's evidenced ones."""
    chosen: dict[str, int] = {}
    for part in request.GET.getlist("competence"):
        code, _, level = part.partition(":")
        if code and level.isdigit() and 1 <= int(level) <= MAX_LEVEL:
            chosen[code] = int(level)
    if chosen:
        return chosen, "form"
    if request.user.is_authenticated:
        return person_levels(user=request.user), "person"
    return {}, "none"


def _profile(request: HttpRequest, levels: dict[str, int], origin: str) -> Profile:
    """Skills chosen in the form alone; for the signed-in person, also the savoir-faire,
    jobs held and interests they gave (« Mon parcours et mes goûts »)."""
    if origin == "form" or not request.user.is_authenticated:
        return profile_from_levels(levels)
    return person_profile(user=request.user, levels=levels)


def _source(request: HttpRequest) -> str:
    """``esco`` when asked (``?referentiel=esco``) and imported, else ``rome``."""
    if request.GET.get("referentiel") == "esco" and EscoOccupation.objects.exists():
        return "esco"
    return "rome"


@login_not_required
def jobs(request: HttpRequest) -> HttpResponse:
    """Métiers close to the person's skills, each with why and what is missing; from the
    ROME (default) or, with ``?referentiel=esco``, ESCO's European occupations (soft
    skills only: savoir-faire and jobs held are ROME codes)."""
    levels, origin = _levels(request)
    source = _source(request)
    profile = (
        _profile(request, levels, origin)
        if source == "rome"
        else profile_from_levels(levels, source="esco")
    )
    matches: list[dict[str, Any]] = []
    if has_profile(profile):
        matches = [describe(m, source) for m in index(source).rank(profile, limit=10)]
    chosen = [f"{code}:{level}" for code, level in levels.items()] if origin == "form" else []
    skills = Skill.objects.filter(framework__code="atout").select_related("family")
    context = {
        "matches": matches,
        "levels": levels,
        "origin": origin,
        "profile": profile,
        "source": source,
        "esco": source == "esco" or EscoOccupation.objects.exists(),
        "rome_query": urlencode({"competence": chosen}, doseq=True),
        "esco_query": urlencode({"competence": chosen, "referentiel": "esco"}, doseq=True),
        "skills": skills,
        "demo": Metier.objects.filter(source="demo").exists(),
    }
    return render(request, "orientation/jobs.html", context)


def _search(query: str) -> list[Metier]:
    query = " ".join(query.split())[:100]
    if not query:
        return []
    direct = list(
        Metier.objects.filter(
            Q(label__icontains=query)
            | Q(appellations__label__icontains=query)
            | Q(code__iexact=query)
        ).distinct()[:20]
    )
    if direct:
        return direct
    labels = dict(Metier.objects.values_list("label", "code"))
    labels.update(dict(Appellation.objects.values_list("label", "metier__code")[:20_000]))
    close = difflib.get_close_matches(query, list(labels), n=10, cutoff=0.6)
    codes = list(dict.fromkeys(labels[c] for c in close))
    return list(Metier.objects.filter(code__in=codes))


def _search_esco(query: str) -> list[EscoOccupation]:
    query = " ".join(query.split())[:100]
    if not query:
        return []
    return list(
        EscoOccupation.objects.filter(
            Q(label__icontains=query) | Q(alt_labels__icontains=query) | Q(code=query)
        )[:20]
    )


@login_not_required
def search(request: HttpRequest) -> HttpResponse:
    """Métiers (ROME) and, once imported, ESCO occupations, by name or job title."""
    query = request.GET.get("q", "")
    context = {"query": query, "results": _search(query), "esco_results": _search_esco(query)}
    return render(request, "orientation/search.html", context)


@login_not_required
def gap(request: HttpRequest, code: str) -> HttpResponse:
    """For one métier: what the person already shows, at what level, and what is missing."""
    metier = get_object_or_404(Metier, code=code.upper())
    levels, origin = _levels(request)
    try:
        match = index().gap(_profile(request, levels, origin), metier.code)
    except KeyError:
        raise Http404 from None
    departement = getattr(request.user, "departement", "") or ""
    context = {
        "metier": metier,
        "match": describe(match),
        "origin": origin,
        "levels": levels,
        "trainings": trainings_for(code=metier.code, departement=departement),
    }
    return render(request, "orientation/gap.html", context)


@login_not_required
def esco_gap(request: HttpRequest, code: str) -> HttpResponse:
    """For one ESCO occupation: the soft skills the person shows, and what is missing."""
    occupation = get_object_or_404(EscoOccupation, code=code)
    levels, origin = _levels(request)
    try:
        match = index("esco").gap(profile_from_levels(levels, source="esco"), occupation.code)
    except KeyError:
        raise Http404 from None
    context = {
        "metier": {
            "code": occupation.code,
            "label": occupation.label,
            "definition": occupation.description,
            "source": "esco",
        },
        "match": describe(match, "esco"),
        "origin": origin,
        "levels": levels,
        "trainings": [],
    }
    return render(request, "orientation/gap.html", context)


def _interests_context(request: HttpRequest, query: str) -> dict[str, Any]:
    interests = get_interests(user=request.user)
    held = {m.code: m for m in Metier.objects.filter(code__in=interests.held)}
    claimed = Item.objects.filter(code_ogr__in=interests.savoir_faire).order_by("label")
    suggested = (
        Requirement.objects.filter(
            metier__code__in=interests.held, item__kind=Item.Kind.SAVOIR_FAIRE
        )
        .exclude(item__code_ogr__in=interests.savoir_faire)
        .select_related("item")
        .order_by("-core", "item__label")
    )
    suggestions = list({r.item.code_ogr: r.item for r in suggested[:200]}.values())[:30]
    return {
        "interests": interests,
        "riasec": list(RIASEC.items()),
        "held": [held[code] for code in interests.held if code in held],
        "claimed": claimed,
        "suggestions": suggestions,
        "query": query,
        "results": [m for m in _search(query) if m.code not in held] if query else [],
        "error": "",
    }


ACTIONS = {
    "riasec": lambda request: set_riasec(
        user=request.user,
        first=request.POST.get("first", ""),
        second=request.POST.get("second", ""),
    ),
    "add_held": lambda request: add_held(user=request.user, code=request.POST.get("code", "")),
    "remove_held": lambda request: remove_held(
        user=request.user, code=request.POST.get("code", "")
    ),
    "claim": lambda request: claim_savoir_faire(
        user=request.user, codes=request.POST.getlist("savoir_faire")
    ),
    "unclaim": lambda request: unclaim_savoir_faire(
        user=request.user, code=request.POST.get("code", "")
    ),
}


def interests(request: HttpRequest) -> HttpResponse:
    """« Mon parcours et mes goûts »: jobs held, savoir-faire claimed, RIASEC interests."""
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            return HttpResponseBadRequest(gettext("Action inconnue."))
        try:
            action(request)
        except InterestsError as error:
            context = _interests_context(request, "")
            context["error"] = str(error)
            return render(request, "orientation/interests.html", context, status=400)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("orientation:interests")
        return redirect(target)
    query = request.GET.get("q", "")
    return render(request, "orientation/interests.html", _interests_context(request, query))


def _departement_order(code: str) -> tuple[int, str]:
    """01 … 19, 2A, 2B, 21 … 95, then overseas."""
    return (len(code), code.replace("2A", "20A").replace("2B", "20B"))


@login_not_required
def recruiting(request: HttpRequest) -> HttpResponse:
    """Métiers qui recrutent près de chez moi: sections of métiers with their labour figures
    in a département (``?departement=93``; a signed-in person's own by default)."""
    raw = request.GET.get("departement")
    if raw is None:
        raw = getattr(request.user, "departement", "")
    raw = (raw or "").strip()[:20]
    departement = normalise_departement(raw) if raw else ""
    levels, origin = _levels(request)
    chosen = levels if origin == "form" else {}
    skills = Skill.objects.filter(framework__code="atout").select_related("family")
    context: dict[str, Any] = {
        "departement": departement,
        "departements": sorted(DEPARTEMENTS, key=_departement_order),
        "error": "",
        "result": None,
        "origin": origin,
        "skills": [(skill, str(chosen.get(skill.code, ""))) for skill in skills],
    }
    if departement and departement not in DEPARTEMENTS:
        context["error"] = gettext(
            "« %(value)s » n'est pas un département connu. Choisis-en un dans la liste "
            "(par exemple 93 ou 2A)."
        ) % {"value": raw}
        return render(request, "orientation/recruiting.html", context, status=400)
    if departement:
        context["result"] = recruiting_sections(
            departement, None, profile=_profile(request, levels, origin)
        )
    return render(request, "orientation/recruiting.html", context)
