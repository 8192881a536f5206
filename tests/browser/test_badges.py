"""A person gets their badge, opens its page, downloads the PNG and drops it on the verifier,
in a real Chromium on a phone-sized screen; axe-core checks each page."""

import pytest
from django.test import override_settings

from atout.badges.models import Award
from tests.badges.conftest import confirmed, issuer  # noqa: F401

from .test_assessment import PHONE, signed_in_context
from .test_journey import assert_accessible, assert_shows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_get_a_badge_and_verify_its_png(browser, live_server, user, tmp_path, confirmed, issuer):  # noqa: F811
    with override_settings(SITE_URL=live_server.url):
        context = signed_in_context(browser, live_server, user)
        page = context.new_page()
        page.goto(f"/evaluations/{confirmed.pk}/")
        page.get_by_role("button", name="Recevoir mon badge").click()
        assert_shows(page, "Ton badge est prêt")
        assert_accessible(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Image PNG (Open Badges 3.0)").click()
        png = tmp_path / "badge.png"
        download_info.value.save_as(png)
        context.close()

        visitor = browser.new_context(locale="fr-FR", base_url=live_server.url, viewport=PHONE)
        page = visitor.new_page()
        page.goto("/verifier/")
        assert_accessible(page)
        page.get_by_label("Fichier du badge").set_input_files(str(png))
        page.get_by_label("Adresse e-mail de la personne (facultatif)").fill("lina@example.org")
        page.get_by_role("button", name="Vérifier").click()
        assert page.get_by_role("heading", name="Badge valide").count() == 1
        assert_shows(page, "Travailler en équipe — Confirmé")
        assert_accessible(page)
        visitor.close()
    assert Award.objects.count() == 1
