"""A person signs up, logs in and browses the référentiel in a real Chromium; axe-core finds no
WCAG 2.1 A/AA violation on any page they see."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from atout.accounts.models import User
from atout.referentiel.services import framework_load_default

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
axe = Axe()


def assert_accessible(page) -> None:
    results = axe.run(page, options=WCAG)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_shows(page, text: str) -> None:
    """The page shows ``text``, waiting for it as a person would: a click that sends a form
    returns once the next page starts loading, before its text is there."""
    expect(page.locator("body")).to_contain_text(text, timeout=15_000)


def test_signup_login_and_referentiel(page):
    framework_load_default()
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Commencer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Créer un compte"
    assert_accessible(page)

    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Adresse e-mail").fill("ines@example.org")
    page.locator("#id_password1").fill("des-fraises-au-jardin")
    page.locator("#id_password2").fill("des-fraises-au-jardin")
    page.get_by_role("button", name="Créer mon compte").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Inès"
    assert User.objects.filter(email="ines@example.org").exists()
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Se connecter"
    ).click()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("ines@example.org")
    page.get_by_label("Mot de passe").fill("mauvais-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    assert_shows(page, "Adresse e-mail ou mot de passe incorrect")
    assert_accessible(page)  # the error state too
    page.get_by_label("Mot de passe").fill("des-fraises-au-jardin")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Inès"

    page.get_by_role("link", name="Les compétences").first.click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Référentiel atout des compétences transversales"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Travailler en équipe").click()
    assert page.url.endswith("/referentiel/atout/teamwork/")
    assert page.get_by_role("heading", level=1).inner_text() == "Travailler en équipe"
    assert_accessible(page)


def test_pages_on_a_phone_and_in_english(browser, live_server):
    framework_load_default()
    context = browser.new_context(
        locale="en-GB", base_url=live_server.url, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    for path in ["/", "/accessibilite/", "/compte/connexion/lien/", "/referentiel/atout/empathy/"]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page)
    context.close()


def test_organisation_pages_for_an_admin(browser, live_server):
    from django.conf import settings
    from django.test import Client

    from tests.organisations.factories import MembershipFactory

    admin = MembershipFactory(admin=True, organisation__name="Mission Locale d'Aubervilliers")
    MembershipFactory(organisation=admin.organisation)
    client = Client()
    client.force_login(admin.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto("/organisations/")
    assert_accessible(page)
    page.get_by_role("link", name="Mission Locale d'Aubervilliers").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mission Locale d'Aubervilliers"
    assert_accessible(page)
    page.get_by_label("Adresse e-mail de la personne").fill("nadia@example.org")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert_shows(page, "Invitation envoyée à nadia@example.org")
    assert_accessible(page)
    page.goto("/compte/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Créer un jeton").click()
    page.locator("code.token").wait_for()
    assert page.evaluate("window.notReloaded === true"), "htmx should swap the section in place"
    assert page.locator("code.token").inner_text().startswith("atout_")
    assert_accessible(page)
    context.close()


def test_tell_an_experience_in_the_chat_and_save_the_card(browser, live_server):
    from django.conf import settings
    from django.test import Client

    from atout.experiences.models import Experience
    from tests.accounts.factories import UserFactory

    framework_load_default()
    person = UserFactory(first_name="Yanis")
    client = Client()
    client.force_login(person)
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/experiences/")
    assert_accessible(page)
    page.get_by_role("button", name="Raconter une expérience").click()
    assert_accessible(page)
    answers = [
        "du foot, je suis dans un club depuis 4 ans",
        "on joue le samedi à Pantin, je suis capitaine des U15",
        "je motive les gars avant le match et jorganise le covoiturage avec les parents",
        "un jour deux joueurs se sont battus, je les ai séparés et on a parlé calmement",
        "on a fini deuxièmes du championnat",
        "ouais je leur explique les exercices quand le coach est pas là",
        "voilà",
        "c'est tout",
    ]
    for answer in answers:
        if page.get_by_role("link", name="Voir ma carte d'expérience").count():
            break
        count = page.locator(".bubble").count()
        page.get_by_label("Ta réponse").fill(answer)
        page.get_by_role("button", name="Envoyer").click()
        page.wait_for_function(f"document.querySelectorAll('.bubble').length > {count + 1}")
    assert_accessible(page)
    page.get_by_role("link", name="Voir ma carte d'expérience").click()
    assert page.locator("mark").count() >= 1
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    assert_shows(page, "Ton expérience est enregistrée.")
    assert Experience.objects.get(owner=person).skills.filter(confirmed=True).exists()
    page.goto("/experiences/")
    assert page.locator("svg.chart").count() == 1
    assert_accessible(page)
    context.close()
