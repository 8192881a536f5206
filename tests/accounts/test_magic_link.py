import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atout.accounts.models import MagicLink
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_link(client: Client, email: str):
    return client.post(reverse("accounts:magic_link_request"), {"email": email})


def link_from(mail) -> str:
    match = re.search(r"http://[^\s]+/compte/lien/[^\s]+/", mail.body)
    assert match, mail.body
    return match.group(0).replace("http://127.0.0.1:8000", "")


def test_magic_link_logs_in_once(mailoutbox):
    user = UserFactory(email="lina@example.org", first_name="Lina")
    client = Client()
    response = request_link(client, "lina@example.org")
    assert response.status_code == 200
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lina@example.org"]
    assert "Bonjour Lina" in mailoutbox[0].body
    url = link_from(mailoutbox[0])
    token = url.rstrip("/").rsplit("/", 1)[-1]
    # Only the hash is stored.
    assert not MagicLink.objects.filter(token_hash=token).exists()
    assert MagicLink.objects.filter(user=user).count() == 1

    assert client.get(url).status_code == 200  # confirmation page, link not used yet
    response = client.post(url)
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200

    again = Client().post(url)
    assert again.status_code == 410
    assert "déjà servi" in again.content.decode()


def test_magic_link_email_is_in_the_persons_language(mailoutbox):
    UserFactory(email="sam@example.org", first_name="Sam", english=True)
    request_link(Client(), "sam@example.org")
    assert "Your atout login link" in mailoutbox[0].subject
    assert "Hello Sam" in mailoutbox[0].body


def test_expired_magic_link_is_refused(mailoutbox):
    UserFactory(email="lina@example.org")
    request_link(Client(), "lina@example.org")
    url = link_from(mailoutbox[0])
    MagicLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client = Client()
    response = client.post(url)
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()
    assert client.get(reverse("accounts:account")).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(mailoutbox):
    response = request_link(Client(), "nobody@example.org")
    assert response.status_code == 200
    assert "Si un compte existe" in response.content.decode()
    assert mailoutbox == []


def test_forged_token_is_404():
    response = Client().post(reverse("accounts:magic_link", args=["forged-token"]))
    assert response.status_code == 404
    assert "pas valide" in response.content.decode()


def test_magic_link_requests_are_rate_limited(mailoutbox, settings):
    settings.ATOUT_MAGIC_LINK_RATE = (2, 3600)
    UserFactory(email="lina@example.org")
    client = Client()
    assert request_link(client, "lina@example.org").status_code == 200
    assert request_link(client, "lina@example.org").status_code == 200
    assert request_link(client, "lina@example.org").status_code == 429
    assert len(mailoutbox) == 2
