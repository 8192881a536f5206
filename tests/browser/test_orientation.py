"""Orientation pages in Chromium on a phone, without an account; axe-core checks each."""

import pytest

from atout.orientation.selectors import data_changed
from tests.accounts.factories import PASSWORD
from tests.orientation.test_esco_pages import esco  # noqa: F401
from tests.orientation.test_pages import metiers  # noqa: F401

from .test_assessment import PHONE
from .test_journey import assert_accessible, assert_shows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choose_skills_see_close_jobs_and_the_gap(browser, live_server, metiers):  # noqa: F811
    data_changed()
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/orientation/")
    assert_accessible(page)
    page.locator("#level-service_orientation").select_option("service_orientation:3")
    page.get_by_role("button", name="Voir les métiers proches").click()
    assert page.get_by_role("link", name="Serveur / Serveuse").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Serveur / Serveuse").click()
    assert_shows(page, "Ce qui te manque")
    assert_accessible(page)
    page.goto("/orientation/metiers/?q=comis")
    assert_accessible(page)
    context.close()


def test_a_person_tells_jobs_held_and_interests(browser, live_server, user, metiers):  # noqa: F811
    data_changed()
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/compte/connexion/?next=/orientation/mon-parcours/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/orientation/mon-parcours/")
    assert_accessible(page)
    page.get_by_label("Ce qui t'attire le plus").select_option("S")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_label("Chercher un métier que tu as exercé").fill("serveur")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name="J'ai exercé « Serveur / Serveuse »").click()
    page.get_by_label("Prendre une commande").check()
    page.get_by_role("button", name="Ajouter").click()
    assert page.get_by_role("button", name="Retirer « Prendre une commande »").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Voir les métiers proches de moi").click()
    assert page.get_by_role("link", name="Magasinier / Magasinière").count() == 1
    assert_accessible(page)
    context.close()


def test_esco_occupations_and_their_gap(browser, live_server, metiers, esco):  # noqa: F811
    data_changed()
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/orientation/?competence=service_orientation:3")
    page.get_by_role("link", name="Professions ESCO (Europe)").click()
    assert_accessible(page)
    page.get_by_role("link", name="serveur/serveuse").click()
    assert_shows(page, "Source : ESCO v1.1.1")
    assert_accessible(page)
    context.close()
