import html

import pytest
from django.test import Client
from django.urls import reverse

from atout.referentiel.services import framework_import
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_framework_page_is_public_and_lists_families_and_skills(default_framework):
    client = Client()
    response = client.get(reverse("referentiel:index"), follow=True)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for skill in default_framework.skills.all():
        assert skill.label_fr in page
        assert skill.get_absolute_url() in page
    for family in default_framework.families.all():
        assert family.label_fr in page


def test_skill_page_has_a_stable_url_with_levels_and_items(default_framework):
    response = Client().get("/referentiel/atout/teamwork/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    skill = default_framework.skills.get(code="teamwork")
    for level in default_framework.levels.all():
        assert level.label_fr in page
    for behaviour in skill.behaviours.all():
        assert behaviour.text_fr in page
    assert skill.items.first().self_fr in page
    assert "300465" in page


def test_skill_page_in_english(default_framework):
    response = Client(headers={"accept-language": "en"}).get("/referentiel/atout/teamwork/")
    page = html.unescape(response.content.decode())
    assert "Teamwork" in page
    assert default_framework.skills.get(code="teamwork").definition_en in page


def test_unknown_skill_is_404(default_framework):
    assert Client().get("/referentiel/atout/flying/").status_code == 404


def test_private_organisation_framework_is_not_public(framework_data):
    framework_import(data=framework_data, organisation=OrganisationFactory())
    assert Client().get("/referentiel/jardin/").status_code == 404
    assert Client().get("/referentiel/jardin/semer/").status_code == 404


def test_public_organisation_framework_is_shown(framework_data):
    organisation = OrganisationFactory()
    framework_import(data=framework_data, organisation=organisation, is_public=True)
    assert Client().get("/referentiel/jardin/semer/").status_code == 200


def test_framework_page_query_count_does_not_grow_with_skills(
    default_framework, django_assert_max_num_queries
):
    client = Client()
    with django_assert_max_num_queries(8):  # incl. the request savepoint
        assert client.get("/referentiel/atout/").status_code == 200
    with django_assert_max_num_queries(8):  # incl. the request savepoint
        assert client.get("/referentiel/atout/teamwork/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/referentiel/atout/skills").status_code == 200
