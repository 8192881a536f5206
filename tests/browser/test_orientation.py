"""Orientation pages in Chromium on a phone, without an account; axe-core checks each."""

import pytest

from atout.orientation.selectors import data_changed
from tests.orientation.test_pages import metiers  # noqa: F401

from .test_assessment import PHONE
from .test_journey import assert_accessible

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
    assert "Ce qui te manque" in page.content()
    assert_accessible(page)
    page.goto("/orientation/metiers/?q=comis")
    assert_accessible(page)
    context.close()
