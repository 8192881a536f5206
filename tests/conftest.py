import pytest
from django.core.cache import cache
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.referentiel.factories import small_framework


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # rate-limit counters must not leak between tests
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory(first_name="Lina", email="lina@example.org")


@pytest.fixture
def other_user(db):
    return UserFactory(first_name="Yanis", email="yanis@example.org")


@pytest.fixture
def user_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_client(other_user) -> Client:
    client = Client()
    client.force_login(other_user)
    return client


@pytest.fixture
def framework_data():
    return small_framework()


@pytest.fixture
def default_framework(db):
    from atout.referentiel.services import framework_load_default

    return framework_load_default()


@pytest.fixture
def api(user) -> Client:
    """An API client with the person's personal token."""
    from atout.accounts.services import api_token_create

    return Client(headers={"authorization": f"Bearer {api_token_create(user=user).secret}"})


@pytest.fixture
def other_api(other_user) -> Client:
    from atout.accounts.services import api_token_create

    return Client(headers={"authorization": f"Bearer {api_token_create(user=other_user).secret}"})
