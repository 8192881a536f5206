import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_by_email_link_works_once(mailoutbox):
    user = UserFactory(email="lina@example.org")
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "lina@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    url = re.search(r"http://[^\s]+/compte/mot-de-passe/[^\s]+/", mailoutbox[0].body).group(0)
    url = url.replace("http://127.0.0.1:8000", "")
    response = client.get(url, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "une-nouvelle-cle-7", "new_password2": "une-nouvelle-cle-7"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("une-nouvelle-cle-7")
    # The same link no longer works.
    response = Client().get(url, follow=True)
    assert "Ce lien ne marche plus" in response.content.decode()


def test_password_reset_for_unknown_email_sends_nothing(mailoutbox):
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []
