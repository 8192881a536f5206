"""The reasons of a level decision, in plain words for the person."""

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Reasons that need no figure.
PLAIN = {
    "self_missing": gettext_lazy("Tu n'as pas encore répondu au questionnaire toi-même."),
    "expert_needs_higher_others": gettext_lazy(
        "Pour « expert », les réponses de tes référents doivent être encore plus hautes."
    ),
    "referent_not_counted_same_email": gettext_lazy(
        "Une réponse ne compte pas : elle vient de ta propre adresse ou d'une adresse déjà comptée."
    ),
    "referent_not_counted_too_fast": gettext_lazy(
        "Une réponse ne compte pas : elle a été donnée trop vite pour que les phrases "
        "aient été lues."
    ),
    "referent_not_counted_not_observed": gettext_lazy(
        "Une réponse ne compte pas : la personne n'a pas pu observer assez de situations."
    ),
    "gap_higher": gettext_lazy(
        "Tu te vois plus fort que tes référents ne te voient. Ce n'est pas grave : "
        "parles-en avec eux ou avec ton conseiller."
    ),
    "gap_lower": gettext_lazy(
        "Tes référents te voient plus fort que tu ne te vois. Fais-toi confiance, "
        "et parles-en avec eux ou avec ton conseiller."
    ),
}


def _level(labels: dict[int, Any], number: int) -> str:
    level = labels.get(number)
    return level.tr("label") if level is not None else _("pas encore de niveau")


def explain(outcome: dict[str, Any], labels: dict[int, Any]) -> list[str]:
    """One sentence per reason stored in a decision (``rules.Decision.as_dict()``)."""
    lines: list[str] = []
    for reason in outcome.get("reasons", []):
        code = reason["code"]
        if code in PLAIN:
            lines.append(str(PLAIN[code]))
        elif code == "combined_mean":
            lines.append(
                _("La moyenne des réponses est %(value)s sur 4 : niveau « %(level)s ».")
                % {
                    "value": number_format(reason["value"], 1),
                    "level": _level(labels, reason["level"]),
                }
            )
        elif code == "self_only_cap":
            lines.append(
                _(
                    "Sans l'avis d'un référent, ton niveau s'arrête à « %(level)s ». "
                    "Invite des personnes qui t'ont vu agir."
                )
                % {"level": _level(labels, reason["level"])}
            )
        elif code == "confirm_needs_referents":
            lines.append(
                ngettext(
                    "Pour « confirmé », il faut que %(needed)s référent donne des réponses "
                    "élevées.",
                    "Pour « confirmé », il faut que %(needed)s référents différents donnent "
                    "des réponses élevées.",
                    reason["needed"],
                )
                % {"needed": reason["needed"]}
            )
        elif code == "expert_needs_agreement":
            lines.append(
                _(
                    "Pour « expert », il faut %(needed)s référents, ou des référents "
                    "tout à fait d'accord entre eux."
                )
                % {"needed": reason["needed"]}
            )
        elif code == "level":
            lines.append(
                _("Ton niveau : « %(level)s ».") % {"level": _level(labels, reason["level"])}
            )
    return lines
