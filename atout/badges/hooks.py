"""Called by assessments (``settings.ATOUT_LEVEL_HOOKS``) when a level reaches a badge."""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from atout.core.errors import InputError

from . import services

log = logging.getLogger(__name__)


def level_reached(assessment: Any, decision: Any) -> None:
    """Issue the badge when the person asked for it in advance (their consent), and tell
    them by email. Without that consent nothing happens: the page offers the badge."""
    if not assessment.auto_badge:
        return
    try:
        award = services.award_for_assessment(assessment=assessment)
    except InputError as error:  # e.g. no issuing organisation configured
        log.warning("automatic badge not issued for assessment %s: %s", assessment.pk, error)
        return
    owner = assessment.owner
    with translation.override(owner.language):
        context = {"award": award, "url": settings.SITE_URL + award.get_absolute_url()}
        subject = render_to_string("badges/emails/ready_subject.txt", context).strip()
        body = render_to_string("badges/emails/ready.txt", context)
    send_mail(subject, body, None, [owner.email])
