"""Matches in plain words: one line of why, and the items with their labels."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atout.matching import Match
from atout.referentiel.models import Skill

from .models import Metier
from .selectors import crosswalk, esco_crosswalk, item_labels


def reason_line(match: Match, metier_labels: dict[str, str] | None = None) -> str:
    metier_labels = metier_labels or {}
    parts = []
    for code, params in match.reasons:
        if code == "shares":
            parts.append(
                ngettext(
                    "tu montres %(count)s de ses qualités attendues",
                    "tu montres %(count)s de ses qualités attendues",
                    params["count"],
                )
                % params
                + (
                    ngettext(
                        ", dont %(core)s essentielle",
                        ", dont %(core)s essentielles",
                        params["core"],
                    )
                    % params
                    if params["core"]
                    else ""
                )
            )
        elif code == "mobility":
            name = metier_labels.get(params["from"], params["from"])
            parts.append(_("proche de « %(name)s », un métier que tu as exercé") % {"name": name})
        elif code == "riasec":
            parts.append(_("correspond à tes centres d'intérêt"))
    text = " ; ".join(parts) or _("peu de points communs pour l'instant")
    return text[0].upper() + text[1:] + "."


def _held_labels(match: Match) -> dict[str, str]:
    codes = [params["from"] for code, params in match.reasons if code == "mobility"]
    if not codes:
        return {}
    return dict(Metier.objects.filter(code__in=codes).values_list("code", "label"))


def describe(match: Match, source: str = "rome") -> dict[str, Any]:
    """The match with item labels and, for missing soft skills, the référentiel skills
    that lead to them; ``source`` is the index it comes from (``rome`` or ``esco``)."""
    codes = {h[0] for h in match.have} | {m[0] for m in match.missing}
    labels = item_labels(codes, source=source)
    walk = esco_crosswalk() if source == "esco" else crosswalk()
    names = {s.code: s.tr("label") for s in Skill.objects.filter(framework__code="atout")}
    skills_for: dict[str, list[dict[str, str]]] = {}
    for skill, items in walk.items():
        for item in items:
            skills_for.setdefault(item, []).append({"code": skill, "label": names[skill]})
    return {
        "code": match.code,
        "label": match.label,
        "source": source,
        "score": match.score,
        "coverage": match.coverage,
        "reason": reason_line(match, _held_labels(match)),
        "missing_savoir_faire": any(
            labels.get(c, ("", ""))[1] == "savoir_faire" for c, _core in match.missing
        ),
        "have": [
            {
                "code": c,
                "label": labels.get(c, (c, ""))[0],
                "kind": labels.get(c, ("", ""))[1],
                "level": round(strength * 4),
                "core": core,
            }
            for c, strength, core in match.have
        ],  # fmt: skip
        "missing": [
            {
                "code": c,
                "label": labels.get(c, (c, ""))[0],
                "kind": labels.get(c, ("", ""))[1],
                "core": core,
                "skills": skills_for.get(c, []),
            }
            for c, core in match.missing
        ],  # fmt: skip
    }
