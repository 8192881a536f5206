import pytest

from atout.core.models import LogEntry
from atout.core.services import log_action
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_log_action_records_who_what_and_which_object(user):
    organisation = OrganisationFactory()
    entry = log_action(
        action="test.did", obj=organisation, actor=user, organisation=organisation, data={"n": 1}
    )
    assert LogEntry.objects.for_object(organisation).get() == entry
    assert (entry.actor, entry.object_type, entry.data) == (
        user,
        "organisations.organisation",
        {"n": 1},
    )


def test_suite_runs_on_the_database_ci_asked_for():
    import os

    from django.db import connection

    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == wanted
