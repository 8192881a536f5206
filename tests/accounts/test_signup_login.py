import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from atout.accounts.models import User
from atout.core.models import LogEntry
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup(client: Client, **overrides):
    data = {
        "first_name": "Inès",
        "email": "Ines@Example.org",
        "language": "fr",
        "password1": "des-fraises-au-jardin",
        "password2": "des-fraises-au-jardin",
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def test_signup_creates_account_logs_in_and_audits():
    client = Client()
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")
    user = User.objects.get()
    assert user.email == "ines@example.org"  # normalised
    assert user.first_name == "Inès"
    assert user.check_password("des-fraises-au-jardin")
    page = client.get(reverse("accounts:account"))
    assert "Bonjour Inès" in page.content.decode()
    assert LogEntry.objects.filter(action="account.created", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "autre-chose-encore"}, "Les deux mots de passe ne sont pas les mêmes."),
        (
            {"password1": "123456789", "password2": "123456789"},
            "Ce mot de passe est entièrement numérique.",
        ),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"first_name": ""}, "Ce champ est obligatoire."),
    ],
)
def test_signup_bad_input_creates_nothing(overrides, message):
    response = signup(Client(), **overrides)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not User.objects.exists()


def test_signup_with_taken_email_is_refused():
    UserFactory(email="ines@example.org")
    response = signup(Client(), email="INES@example.org")
    assert response.status_code == 400
    assert "Un compte existe déjà" in response.content.decode()
    assert User.objects.count() == 1


def test_login_with_password():
    UserFactory(email="lina@example.org")
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"email": "LINA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200


@pytest.mark.parametrize("email", ["lina@example.org", "nobody@example.org"])
def test_wrong_password_or_unknown_email_gets_the_same_clear_message(email):
    UserFactory(email="lina@example.org")
    client = Client()
    response = client.post(reverse("accounts:login"), {"email": email, "password": "faux-faux"})
    assert response.status_code == 400
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert client.get(reverse("accounts:account")).status_code == 302  # still anonymous


def test_login_message_in_english_for_english_browser():
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        reverse("accounts:login"), {"email": "x@example.org", "password": "nope"}
    )
    assert response.status_code == 400
    assert "Wrong email address or password" in response.content.decode()


def test_login_is_rate_limited_even_with_the_right_password_afterwards(settings):
    settings.ATOUT_LOGIN_RATE = (3, 900)
    UserFactory(email="lina@example.org")
    client = Client()
    for _ in range(3):
        assert (
            client.post(
                reverse("accounts:login"), {"email": "lina@example.org", "password": "x"}
            ).status_code
            == 400
        )
    response = client.post(
        reverse("accounts:login"), {"email": "lina@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Trop d'essais" in html.unescape(response.content.decode())
    assert client.get(reverse("accounts:account")).status_code == 302


def test_login_redirects_only_to_safe_next():
    UserFactory(email="lina@example.org")
    client = Client()
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"email": "lina@example.org", "password": PASSWORD},
    )
    assert response["Location"] == reverse("accounts:account")


def test_protected_pages_redirect_anonymous_to_login():
    response = Client().get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_needs_post(user_client):
    assert user_client.get(reverse("accounts:logout")).status_code == 405
    assert user_client.post(reverse("accounts:logout")).status_code == 302
    assert user_client.get(reverse("accounts:account")).status_code == 302


def test_successful_logins_from_one_room_are_not_rate_limited(settings):
    """A workshop: many people log in from the same address."""
    settings.ATOUT_LOGIN_RATE = (2, 900)
    client = Client()
    for n in range(12):
        UserFactory(email=f"p{n}@example.org")
        response = client.post(
            reverse("accounts:login"), {"email": f"p{n}@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302
        client.post(reverse("accounts:logout"))


def test_failures_from_one_address_are_limited_across_emails(settings):
    settings.ATOUT_LOGIN_RATE = (2, 900)  # 2 per email, 10 per address
    client = Client()
    statuses = [
        client.post(
            reverse("accounts:login"), {"email": f"guess{n}@example.org", "password": "x"}
        ).status_code
        for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_signup_without_password_sends_a_login_link(mailoutbox):
    client = Client()
    response = signup(client, password1="", password2="")
    assert response.status_code == 200
    assert "Regardez vos e-mails" in response.content.decode()
    user = User.objects.get()
    assert not user.has_usable_password()
    assert client.get(reverse("accounts:account")).status_code == 302  # not logged in yet
    url = re.search(r"/compte/lien/\S+/", mailoutbox[0].body).group(0)
    assert client.post(url).status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200


def test_signup_with_only_one_password_field_is_refused():
    response = signup(Client(), password2="")
    assert response.status_code == 400
    assert not User.objects.exists()
