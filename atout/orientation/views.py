import difflib
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from atout.accounts.departements import DEPARTEMENTS, normalise_departement
from atout.referentiel.models import Skill

from .explain import describe
from .models import Appellation, Metier
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


@login_not_required
def jobs(request: HttpRequest) -> HttpResponse:
    """Métiers close to the person's skills, each with why and what is missing."""
    levels, origin = _levels(request)
    matches: list[dict[str, Any]] = []
    if levels:
        profile = profile_from_levels(levels)
        matches = [describe(m) for m in index().rank(profile, limit=10)]
    skills = Skill.objects.filter(framework__code="atout").select_related("family")
    context = {
        "matches": matches,
        "levels": levels,
        "origin": origin,
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


@login_not_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return render(request, "orientation/search.html", {"query": query, "results": _search(query)})


@login_not_required
def gap(request: HttpRequest, code: str) -> HttpResponse:
    """For one métier: what the person already shows, at what level, and what is missing."""
    metier = get_object_or_404(Metier, code=code.upper())
    levels, origin = _levels(request)
    try:
        match = index().gap(profile_from_levels(levels), metier.code)
    except KeyError:
        raise Http404 from None
    context = {"metier": metier, "match": describe(match), "origin": origin, "levels": levels}
    return render(request, "orientation/gap.html", context)


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
        context["result"] = recruiting_sections(departement, levels or None)
    return render(request, "orientation/recruiting.html", context)
