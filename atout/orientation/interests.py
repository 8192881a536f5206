"""What a person tells orientation about themselves beyond their evidenced soft skills:
savoir-faire they claim, jobs they held, their RIASEC interests; and the profile that
combines all of it for the matching."""

import dataclasses
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from atout.matching import Profile

from .models import Interests, Item, Metier
from .selectors import person_levels, profile_from_levels

MAX_HELD = 20
MAX_SAVOIR_FAIRE = 200
# Holland's six interest types in plain words (ROME gives each métier a major and a minor).
RIASEC = {
    "R": _("Faire, fabriquer, bouger : du concret, avec les mains ou des machines"),
    "I": _("Comprendre, chercher, analyser"),
    "A": _("Créer, imaginer, s'exprimer"),
    "S": _("Aider, prendre soin, transmettre"),
    "E": _("Convaincre, vendre, mener un projet"),
    "C": _("Organiser, classer, suivre des règles précises"),
}


class InterestsError(ValueError):
    """A choice that cannot be kept (unknown code, too many); nothing was changed."""


def get_interests(*, user: Any) -> Interests:
    """The person's interests (empty, unsaved, when they never gave any)."""
    found = Interests.objects.filter(owner=user).first()
    return found if found is not None else Interests(owner=user)


def _locked(user: Any) -> Interests:
    interests, _created = Interests.objects.select_for_update().get_or_create(owner=user)
    return interests


@transaction.atomic
def set_riasec(*, user: Any, first: str, second: str = "") -> Interests:
    """Their strongest interest type and, optionally, the next one."""
    first, second = first.strip().upper(), second.strip().upper()
    if (first and first not in RIASEC) or (second and second not in RIASEC):
        raise InterestsError(_("Choisis parmi les six types proposés."))
    if second and not first:
        first, second = second, ""
    if second == first:
        second = ""
    interests = _locked(user)
    interests.riasec = first + second
    interests.save()
    return interests


@transaction.atomic
def add_held(*, user: Any, code: str) -> Interests:
    code = code.strip().upper()
    if not Metier.objects.filter(code=code).exists():
        raise InterestsError(_("Ce métier n'existe pas dans le référentiel."))
    interests = _locked(user)
    if code not in interests.held:
        if len(interests.held) >= MAX_HELD:
            raise InterestsError(_("Tu as déjà indiqué %(n)s métiers.") % {"n": MAX_HELD})
        interests.held = [*interests.held, code]
        interests.save()
    return interests


@transaction.atomic
def remove_held(*, user: Any, code: str) -> Interests:
    interests = _locked(user)
    interests.held = [c for c in interests.held if c != code.strip().upper()]
    interests.save()
    return interests


@transaction.atomic
def claim_savoir_faire(*, user: Any, codes: list[str]) -> Interests:
    """Add savoir-faire the person says they master (ROME item codes)."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    known = set(
        Item.objects.filter(code_ogr__in=wanted, kind=Item.Kind.SAVOIR_FAIRE).values_list(
            "code_ogr", flat=True
        )
    )
    if set(wanted) - known:
        raise InterestsError(_("Un de ces savoir-faire n'existe pas dans le référentiel."))
    interests = _locked(user)
    merged = list(dict.fromkeys([*interests.savoir_faire, *wanted]))
    if len(merged) > MAX_SAVOIR_FAIRE:
        raise InterestsError(
            _("Tu ne peux pas garder plus de %(n)s savoir-faire.") % {"n": MAX_SAVOIR_FAIRE}
        )
    interests.savoir_faire = merged
    interests.save()
    return interests


@transaction.atomic
def unclaim_savoir_faire(*, user: Any, code: str) -> Interests:
    interests = _locked(user)
    interests.savoir_faire = [c for c in interests.savoir_faire if c != code.strip()]
    interests.save()
    return interests


def person_profile(*, user: Any, levels: dict[str, int] | None = None) -> Profile:
    """Evidenced soft skills (assessed levels, skills confirmed on experiences; ``levels``
    when already read), plus the savoir-faire, jobs held and interests the person gave."""
    interests = get_interests(user=user)
    profile = profile_from_levels(
        person_levels(user=user) if levels is None else levels,
        savoir_faire=interests.savoir_faire,
        riasec=interests.riasec,
    )
    return dataclasses.replace(profile, held=tuple(interests.held))


def has_profile(profile: Profile) -> bool:
    return bool(profile.items or profile.held or profile.riasec)
