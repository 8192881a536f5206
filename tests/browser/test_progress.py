"""The progress pages in Chromium on a phone; axe-core checks each one."""

import pytest

from atout.accounts.models import User
from atout.assessments.models import Assessment
from atout.progress.demo import load_demo
from atout.referentiel.models import Skill
from atout.referentiel.services import framework_load_default
from tests.accounts.factories import PASSWORD, UserFactory

from .test_assessment import PHONE
from .test_journey import assert_accessible, assert_shows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browse_save_and_mark_done(browser, live_server):
    framework_load_default()
    load_demo()
    person: User = UserFactory(email="nina@example.org", departement="93")
    skill = Skill.objects.get(framework__code="atout", code="teamwork")
    Assessment.objects.create(owner=person, skill=skill, level=2, status="closed")
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/progres/competence/teamwork/")
    assert_accessible(page)

    page.goto("/compte/connexion/?next=/progres/")
    page.get_by_label("Adresse e-mail").fill(person.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/progres/")
    assert_shows(page, "Parce que tu veux atteindre « Confirmé » en « Travailler en équipe ».")
    assert_accessible(page)
    page.get_by_role("button", name="Garder : Distribution alimentaire le samedi matin").click()
    page.get_by_role("button", name="C'est fait : Distribution alimentaire le samedi matin").click()
    assert page.get_by_role("button", name="Raconter cette mission").count() == 1
    assert_accessible(page)
    page.get_by_label("Je veux progresser en…").select_option("rigour")
    page.get_by_role("button", name="Voir comment progresser").click()
    assert_shows(page, "« Découverte » en « Travailler avec rigueur »")
    assert_accessible(page)
    context.close()
