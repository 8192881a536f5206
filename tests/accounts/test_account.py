import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from atout.accounts.models import ApiToken, User
from atout.core.models import LogEntry

pytestmark = pytest.mark.django_db


def test_profile_update_and_language_switch(user_client, user):
    response = user_client.post(
        reverse("accounts:account"),
        {"first_name": "Lina", "birth_year": "2008", "departement": "93", "language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.birth_year, user.departement, user.language) == (2008, "93", "en")
    page = user_client.get(reverse("accounts:account")).content.decode()
    assert "My details" in page
    assert '<html lang="en">' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("departement", "99", "n'est pas un numéro de département"),
        ("birth_year", "2024", "au moins 10 ans"),
        ("birth_year", "1800", "supérieure ou égale à 1900"),
    ],
)
def test_profile_bad_input_changes_nothing(user_client, user, field, value, message):
    data = {"first_name": "Lina", "birth_year": "", "departement": "", "language": "fr"}
    data[field] = value
    response = user_client.post(reverse("accounts:account"), data)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    user.refresh_from_db()
    assert user.birth_year is None and user.departement == ""


def test_language_switch_is_remembered_on_the_account(user_client, user):
    response = user_client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"


def test_api_token_shown_once_and_stored_hashed(user_client, user):
    response = user_client.post(reverse("accounts:api_token_create"), {"name": "tableur"})
    assert response.status_code == 302
    page = user_client.get(reverse("accounts:account")).content.decode()
    token = ApiToken.objects.get(user=user)
    secret = page.split('<code class="token">')[1].split("</code>")[0]
    assert secret.startswith("atout_") and secret.startswith(token.prefix)
    assert secret not in token.token_hash
    assert (
        '<code class="token">' not in user_client.get(reverse("accounts:account")).content.decode()
    )


def test_revoking_someone_elses_token_is_refused(user_client, other_user):
    from atout.accounts.services import api_token_create

    theirs = api_token_create(user=other_user, name="à eux").token
    response = user_client.post(reverse("accounts:api_token_revoke", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoke_own_token(user_client, user):
    from atout.accounts.services import api_token_create

    mine = api_token_create(user=user, name="le mien").token
    assert user_client.post(reverse("accounts:api_token_revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert LogEntry.objects.filter(action="api_token.revoked").count() == 1


def test_data_export_holds_only_my_data(user_client, user, other_user):
    response = user_client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert other_user.email not in response.content.decode()


def test_account_deletion_needs_confirmation_then_deletes(user_client, user):
    response = user_client.post(reverse("accounts:delete"), {"confirm": "oui"})
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    response = user_client.post(reverse("accounts:delete"), {"confirm": "supprimer"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    entry = LogEntry.objects.get(action="account.deleted")
    assert entry.actor is None and user.email not in json.dumps(entry.data)


def test_anonymous_cannot_export_or_delete():
    client = Client()
    assert client.get(reverse("accounts:data_export")).status_code == 302
    assert client.post(reverse("accounts:delete"), {"confirm": "SUPPRIMER"}).status_code == 302


def test_htmx_token_section_is_the_same_as_the_full_page(user_client, user):
    """The htmx partial swapped into the page gives what a full reload shows."""
    response = user_client.post(
        reverse("accounts:api_token_create"), {"name": "script"}, headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    partial = response.content.decode()
    assert partial.startswith('<section id="section-jetons"')
    assert '<code class="token">atout_' in partial
    token = ApiToken.objects.get(user=user)
    # Revoke through htmx: the partial shows it revoked, with no secret any more.
    response = user_client.post(
        reverse("accounts:api_token_revoke", args=[token.pk]), headers={"hx-request": "true"}
    )
    partial = response.content.decode()
    full = user_client.get(reverse("accounts:account")).content.decode()
    start = full.index('<section id="section-jetons"')
    end = full.index("</section>", start) + len("</section>")

    def unmask(text: str) -> str:  # CSRF tokens are masked anew on every render
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", text).strip()

    assert unmask(full[start:end]) == unmask(partial)
    assert "Révoqué" in partial and '<code class="token">' not in partial


def test_only_admin_of_an_organisation_with_members_cannot_delete_yet(user_client, user):
    from tests.organisations.factories import MembershipFactory

    membership = MembershipFactory(user=user, admin=True, organisation__name="Club de foot")
    MembershipFactory(organisation=membership.organisation)
    response = user_client.post(reverse("accounts:delete"), {"confirm": "SUPPRIMER"})
    assert response.status_code == 409
    assert "seul administrateur de : Club de foot" in html.unescape(response.content.decode())
    assert User.objects.filter(pk=user.pk).exists()
    MembershipFactory(organisation=membership.organisation, admin=True)  # a second admin
    assert user_client.post(reverse("accounts:delete"), {"confirm": "SUPPRIMER"}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_data_export_includes_experiences_and_every_chat_message(
    user_client, user, default_framework
):
    from atout.experiences import services

    services.experience_create(
        owner=user, title="Snack", kind="job", narrative="J'ai servi les clients."
    )
    turn = services.chat_start(owner=user, lang="fr")
    services.chat_answer(session=turn.session, text="du foot avec mon club")
    data = json.loads(user_client.get(reverse("accounts:data_export")).content)
    assert data["experiences"][0]["narrative"] == "J'ai servi les clients."
    texts = [m["text"] for m in data["chats"][0]["messages"]]
    assert "du foot avec mon club" in texts
