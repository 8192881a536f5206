"""Assessment pages in a real Chromium on a phone-sized screen, checked with axe-core: the
person answers and invites a referent; the referent answers from the emailed link."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from atout.assessments.models import Assessment, Referent
from atout.referentiel.services import framework_load_default
from tests.accounts.factories import UserFactory
from tests.assessments.helpers import link_token

from .test_journey import assert_accessible, assert_shows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


def signed_in_context(browser, live_server, person):
    client = Client()
    client.force_login(person)
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_self_assessment_invitation_and_referent_page_on_a_phone(browser, live_server):
    framework_load_default()
    person = UserFactory(first_name="Lina", email="lina@example.org")
    context = signed_in_context(browser, live_server, person)
    page = context.new_page()
    page.goto("/evaluations/?competence=teamwork")
    assert_accessible(page)
    page.get_by_role("button", name="Commencer").click()
    assert_accessible(page)
    for group in page.locator("fieldset.question").all():
        group.get_by_label("Souvent").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    assert_shows(page, "Tes réponses sont enregistrées")
    assert_accessible(page)

    page.get_by_label("Son prénom et son nom").fill("Marc Coach")
    page.get_by_label("Son adresse e-mail").fill("marc@club.fr")
    page.get_by_label("Qui est cette personne pour toi ?").select_option("coach")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert_shows(page, "Message envoyé à Marc Coach")
    context.close()

    token = link_token(mail.outbox[-1])
    referent_context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    page = referent_context.new_page()
    page.goto(f"/avis/{token}/")
    assert_shows(page, "Votre avis sur Lina")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer mon avis").click()  # nothing ticked
    assert page.locator("fieldset.question input:invalid").count() > 0  # the browser asks first
    Referent.objects.update(
        opened_at=Referent.objects.get().opened_at - datetime.timedelta(minutes=2)
    )
    for group in page.locator("fieldset.question").all():
        group.get_by_label("Presque toujours").check()
    page.get_by_label("Un commentaire pour cette personne (facultatif)").fill(
        "Toujours là pour l'équipe."
    )
    page.get_by_role("button", name="Envoyer mon avis").click()
    assert_shows(page, "Votre avis est enregistré")
    assert_accessible(page)
    page.goto(f"/avis/{token}/")
    assert_shows(page, "déjà été utilisé")
    assert_accessible(page)
    referent_context.close()
    referent = Referent.objects.get()
    assert referent.answered_at and not referent.too_fast
    assert Assessment.objects.get().referents.answered().count() == 1
