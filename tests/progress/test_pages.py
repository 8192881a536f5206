"""The person's page, the public skill pages, and what a person keeps, does and tells."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from atout.assessments.models import Assessment
from atout.experiences.models import ChatSession, Experience
from atout.progress.models import SavedItem
from atout.referentiel.models import Skill
from tests.accounts.factories import UserFactory
from tests.progress.factories import OpportunityFactory, SavedItemFactory

pytestmark = pytest.mark.django_db


def assess(user, code, level, days_ago=0):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return Assessment.objects.create(
        owner=user, skill=Skill.objects.get(framework__code="atout", code=code), level=level,
        status="closed", decided_at=moment,
    )  # fmt: skip


@pytest.fixture
def catalogue(default_framework):
    """For "organisation": remote, in 93, in 75, hidden, over; one on another skill."""
    return {
        "remote": OpportunityFactory(title="Cours à distance", skills=["organisation"]),
        "near": OpportunityFactory(in_93=True, mission=True, title="Mission à Saint-Denis",
                                   skills=["organisation"]),
        "far": OpportunityFactory(in_75=True, mission=True, title="Mission à Paris",
                                  skills=["organisation"]),
        "hidden": OpportunityFactory(title="Cours caché", active=False, skills=["organisation"]),
        "over": OpportunityFactory(title="Mission finie", mission=True, skills=["organisation"],
                                   ends_on=timezone.localdate() - datetime.timedelta(days=1)),
        "other": OpportunityFactory(title="Cours de rigueur", skills=["rigour"]),
    }  # fmt: skip


@pytest.fixture
def person(user):
    user.departement = "93"
    user.save()
    return user


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_page_explains_each_suggestion_from_the_latest_level(user_client, person, catalogue):
    assess(person, "organisation", 3, days_ago=30)
    assess(person, "organisation", 2)  # the latest decision counts
    html = html_of(user_client.get("/progres/"))
    assert "Pratique (2 sur 4)" in html
    assert "Tu es au niveau « Pratique ». Prochain niveau : « Confirmé »." in html
    assert html.count("Parce que tu veux atteindre « Confirmé » en « S&#x27;organiser ».") == 2
    assert "Cours à distance" in html and "Mission à Saint-Denis" in html
    assert "Près de chez toi : Saint-Denis (93)" in html and "À distance" in html
    for absent in ("Mission à Paris", "Cours caché", "Mission finie", "Cours de rigueur"):
        assert absent not in html


def test_a_chosen_skill_and_the_levels_at_both_ends(user_client, person, catalogue):
    html = html_of(user_client.get("/progres/", {"competence": "rigour"}))
    assert "Parce que tu veux atteindre « Découverte » en « Travailler avec rigueur »." in html
    assert "Cours de rigueur" in html and "Cours à distance" not in html
    assess(person, "rigour", 4)
    html = html_of(user_client.get("/progres/", {"competence": "rigour"}))
    assert "Pour aller plus loin en « Travailler avec rigueur », où tu es déjà « Expert »." in html
    assert "Tu es déjà au niveau Expert partout" in html_of(user_client.get("/progres/"))
    response = user_client.get("/progres/", {"competence": "jonglage"})
    assert (
        response.status_code == 400 and "Sélectionnez un choix valide" in response.content.decode()
    )


def test_without_a_departement_only_remote_ones_and_a_hint(user_client, user, catalogue):
    assess(user, "organisation", 1)
    html = html_of(user_client.get("/progres/"))
    assert "Indique ton département dans ton compte" in html
    assert "Cours à distance" in html and "Mission à Saint-Denis" not in html


def test_near_ones_come_before_remote_ones(user_client, person, catalogue):
    both = OpportunityFactory(
        title="A distance ou sur place", mission=True, remote=True, departement="93",
        place="Bobigny", skills=["organisation"],
    )  # fmt: skip
    html = html_of(user_client.get("/progres/", {"competence": "organisation"}))
    assert html.index("A distance ou sur place") < html.index("Mission à Saint-Denis")
    assert "Près de chez toi : Bobigny (93), ou à distance" in html
    assert both.title in html


def test_anyone_browses_a_skill_everywhere_or_near_a_place(catalogue):
    client = Client()
    html = html_of(client.get("/progres/competence/organisation/"))
    assert "Pour progresser en « S&#x27;organiser »." in html
    assert "Mission à Paris" in html and "Mission à Saint-Denis" in html
    assert "Cours caché" not in html and "Mission finie" not in html
    assert (
        '<a href="/compte/connexion/?next=/progres/competence/organisation/">Connecte-toi</a>'
        in html
    )
    assert "Garder" not in html
    html = html_of(client.get("/progres/competence/organisation/", {"departement": "75"}))
    assert "Mission à Paris" in html and "Cours à distance" in html
    assert "Mission à Saint-Denis" not in html
    response = client.get("/progres/competence/organisation/", {"departement": "99"})
    assert response.status_code == 400
    assert client.get("/progres/competence/jonglage/").status_code == 404


def test_a_signed_in_person_sees_their_departement_first(user_client, person, catalogue):
    html = html_of(user_client.get("/progres/competence/organisation/"))
    assert 'value="93"' in html and "Mission à Paris" not in html
    assert "Parce que tu veux atteindre « Découverte » en « S&#x27;organiser »." in html
    html = html_of(user_client.get("/progres/competence/organisation/", {"departement": ""}))
    assert "Mission à Paris" in html  # empty: everywhere


def test_the_person_page_and_every_write_need_an_account(catalogue):
    client = Client()
    assert client.get("/progres/").status_code == 302
    response = client.post(f"/progres/garder/{catalogue['remote'].pk}/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert not SavedItem.objects.exists()


def test_save_mark_done_and_remove(user_client, person, catalogue):
    remote = catalogue["remote"]
    page = "/progres/competence/organisation/"
    response = user_client.post(f"/progres/garder/{remote.pk}/", {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    user_client.post(f"/progres/garder/{remote.pk}/")  # again: still one
    item = SavedItem.objects.get()
    assert (item.owner, item.opportunity, item.status) == (person, remote, "saved")
    assert "Gardé dans ta liste" in html_of(user_client.get(page))

    user_client.post(f"/progres/gardes/{item.pk}/fait/")
    item.refresh_from_db()
    assert item.status == "done" and item.done_at is not None
    done_at = item.done_at
    user_client.post(f"/progres/gardes/{item.pk}/fait/")
    item.refresh_from_db()
    assert item.done_at == done_at  # done once
    html = html_of(user_client.get("/progres/"))
    assert "fait le" in html and "Raconter cette mission" not in html  # a resource

    response = user_client.post(
        f"/progres/gardes/{item.pk}/retirer/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/progres/"  # never off-site
    assert not SavedItem.objects.exists()


def test_nobody_touches_another_persons_saved_items(user_client, other_user, catalogue):
    theirs = SavedItemFactory(owner=other_user, opportunity=catalogue["near"], status="done")
    their_experience = Experience.objects.create(owner=other_user, title="À eux", narrative="…")
    for action in ("fait", "retirer", "raconter", "relier"):
        response = user_client.post(f"/progres/gardes/{theirs.pk}/{action}/", {"experience": 1})
        assert response.status_code == 404, action
    assert user_client.get(f"/progres/gardes/{theirs.pk}/fait/").status_code == 405
    mine = SavedItemFactory(owner=UserFactory(), opportunity=catalogue["far"])
    assert user_client.post(f"/progres/gardes/{mine.pk}/fait/").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.chat, theirs.experience) == ("done", None, None)
    assert SavedItem.objects.count() == 2
    assert user_client.post(f"/progres/garder/{catalogue['hidden'].pk}/").status_code == 404
    assert user_client.post(f"/progres/garder/{catalogue['over'].pk}/").status_code == 404
    assert "À eux" not in html_of(user_client.get("/progres/"))
    assert their_experience.pk


def test_a_done_mission_is_told_through_the_chat(user_client, person, catalogue):
    item = SavedItemFactory(owner=person, opportunity=catalogue["near"])
    response = user_client.post(f"/progres/gardes/{item.pk}/raconter/")
    assert response.status_code == 302 and not ChatSession.objects.exists()  # not done yet
    user_client.post(f"/progres/gardes/{item.pk}/fait/")
    html = html_of(user_client.get("/progres/"))
    assert "Raconter cette mission" in html

    response = user_client.post(f"/progres/gardes/{item.pk}/raconter/")
    item.refresh_from_db()
    chat = ChatSession.objects.get()
    assert item.chat == chat and chat.owner == person
    assert response["Location"] == f"/experiences/chat/{chat.pk}/"
    user_client.post(f"/progres/gardes/{item.pk}/raconter/")
    assert ChatSession.objects.count() == 1  # the same chat, resumed

    experience = Experience.objects.create(
        owner=person, title="Ma mission à Saint-Denis", narrative="…"
    )
    chat.experience, chat.finished = experience, True
    chat.save()
    html = html_of(user_client.get("/progres/"))
    assert "Racontée :" in html and f"/experiences/{experience.pk}/" in html


def test_a_done_mission_is_linked_to_ones_own_experience_only(
    user_client, person, other_user, catalogue
):
    item = SavedItemFactory(owner=person, opportunity=catalogue["near"], status="done")
    theirs = Experience.objects.create(owner=other_user, title="À eux", narrative="…")
    assert (
        user_client.post(
            f"/progres/gardes/{item.pk}/relier/", {"experience": theirs.pk}
        ).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.experience is None
    mine = Experience.objects.create(owner=person, title="Le samedi à l'épicerie", narrative="…")
    assert "Le samedi à l&#x27;épicerie" in html_of(user_client.get("/progres/"))  # offered
    user_client.post(f"/progres/gardes/{item.pk}/relier/", {"experience": mine.pk})
    item.refresh_from_db()
    assert item.experience == mine
    assert "Racontée :" in html_of(user_client.get("/progres/"))


def test_the_person_page_reads_a_bounded_number_of_rows(
    user_client, person, default_framework, django_assert_max_num_queries
):
    for code in ("organisation", "rigour", "teamwork"):
        assess(person, code, 1)
        for n in range(4):
            opportunity = OpportunityFactory(skills=[code], mission=n % 2 == 0, in_93=n == 0)
            SavedItemFactory(owner=person, opportunity=opportunity, status="done")
    with django_assert_max_num_queries(25):
        html = html_of(user_client.get("/progres/"))
    assert html.count("Raconter cette mission") == 6


def test_the_catalogue_is_editable_in_the_admin(default_framework):
    admin = Client()
    admin.force_login(UserFactory(staff=True))
    assert admin.get("/admin/progress/opportunity/").status_code == 200
    skill = Skill.objects.get(framework__code="atout", code="teamwork")
    response = admin.post(
        "/admin/progress/opportunity/add/",
        {"kind": "workshop", "title": "Atelier", "url": "https://www.lumni.fr/",
         "language": "fr", "skills": [skill.pk], "active": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Indique un département, ou coche « à distance »." in response.content.decode()
