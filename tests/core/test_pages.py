import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_says_what_atout_does_in_french_by_default():
    response = Client().get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Racontez une expérience" in page
    assert reverse("accounts:signup") in page


def test_home_in_english():
    page = Client(headers={"accept-language": "en"}).get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Tell us about an experience" in page


def test_accessibility_statement():
    response = Client().get(reverse("core:accessibility"))
    assert response.status_code == 200
    assert "Déclaration d'accessibilité" in response.content.decode()


def test_language_switch_for_visitors():
    client = Client()
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_static_files_are_served_locally_without_cdn():
    page = Client().get("/").content.decode()
    assert "/static/atout/js/htmx.min.js" in page
    assert "https://" not in page.split("<body")[0]


def test_unknown_page_is_404():
    response = Client().get("/nulle-part/")
    assert response.status_code == 404
