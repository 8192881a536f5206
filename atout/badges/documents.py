"""The public JSON documents of badges, by URL name: what the views serve and what the
site's verifier reads without an HTTP round trip to itself."""

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from atout.openbadges import ob2
from atout.organisations.models import Organisation

from . import services
from .models import Achievement, Award, StatusList


def did(slug: str) -> dict[str, Any]:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.issuer_keys.exists():
        raise Http404
    return services.did_document(organisation)


def status_list(slug: str, number: int) -> dict[str, Any]:
    listing = get_object_or_404(StatusList, organisation__slug=slug, number=number)
    return dict(listing.credential)


def issuer_ob2(slug: str) -> dict[str, Any]:
    organisation = get_object_or_404(Organisation, slug=slug)
    return ob2.issuer_profile(
        id=settings.SITE_URL + reverse("badges:issuer_ob2", args=[slug]),
        name=organisation.name,
        url=organisation.url or settings.SITE_URL,
        email=organisation.email,
    )


def badge_class(uid: UUID, organisation: str) -> dict[str, Any]:
    """The OB 2.0 BadgeClass of a definition as one organisation awards it."""
    achievement = get_object_or_404(Achievement, uid=uid)
    issuer_slug = get_object_or_404(Organisation, slug=organisation).slug
    return ob2.badge_class(
        id=settings.SITE_URL + reverse("badges:badge_class", args=[uid, issuer_slug]),
        name=achievement.name_fr,
        description=achievement.description_fr,
        image=settings.SITE_URL + reverse("badges:achievement_image", args=[uid]),
        criteria_narrative=achievement.criteria_fr,
        criteria_url=achievement.url(),
        issuer=settings.SITE_URL + reverse("badges:issuer_ob2", args=[issuer_slug]),
        tags=list(achievement.tags),
    )


def assertion(award: Award) -> dict[str, Any]:
    """The hosted OB 2.0 assertion as issued, marked revoked once it is."""
    document: dict[str, Any] = json.loads(award.ob2_json)
    if award.revoked:
        document["revoked"] = True
        document["revocationReason"] = award.revocation_reason
    return document


def download(uid: UUID, form: str) -> dict[str, Any]:
    award = get_object_or_404(Award, uid=uid)
    if form == "ob2":
        return assertion(award)
    if form == "ob3":
        loaded: dict[str, Any] = json.loads(award.ob3_json)
        return loaded
    raise Http404


BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "did": did,
    "status_list": status_list,
    "issuer_ob2": issuer_ob2,
    "badge_class": badge_class,
    "download": download,
}
