"""The whole loop through the pages: self answers, two referents by email, a level explained."""

import pytest
from django.core import mail
from django.test import Client

from atout.assessments.models import Assessment, Decision, Referent
from atout.core.models import LogEntry
from atout.referentiel.models import Skill

from .helpers import answers_form, last_token, spent, tampered, text

pytestmark = pytest.mark.django_db


def item_codes(skill_code="teamwork"):
    return list(Skill.objects.get(code=skill_code).items.values_list("code", flat=True))


def start(client, skill="teamwork"):
    response = client.post("/evaluations/commencer/", {"skill": skill})
    assert response.status_code == 302
    return Assessment.objects.latest("created_at")


def invite(client, assessment, name, email, relation="coach", lang="fr"):
    return client.post(
        f"/evaluations/{assessment.pk}/inviter/",
        {"name": name, "email": email, "relation": relation, "lang": lang},
    )


def test_self_assessment_two_referents_then_a_confirmed_level(user_client, user, default_framework):
    assessment = start(user_client)
    page = user_client.get(f"/evaluations/{assessment.pk}/")
    assert page.status_code == 200
    first_item = Skill.objects.get(code="teamwork").items.first()
    assert first_item.self_fr in text(page)

    response = user_client.post(f"/evaluations/{assessment.pk}/", answers_form(item_codes(), 3))
    assert response.status_code == 302
    page = text(user_client.get(f"/evaluations/{assessment.pk}/"))
    assert "Pratique" in page
    assert "Sans l'avis d'un référent" in page

    assert invite(user_client, assessment, "Marc Coach", "marc@club.fr").status_code == 302
    assert (
        invite(user_client, assessment, "Awa Tutrice", "awa@stage.fr", "tutor", "en").status_code
        == 302
    )
    assert [m.to for m in mail.outbox] == [["marc@club.fr"], ["awa@stage.fr"]]
    assert "Lina vous demande votre avis" in mail.outbox[0].subject
    assert "Lina is asking for your opinion" in mail.outbox[1].subject
    assert "Travailler en équipe" in mail.outbox[0].body

    referent_client = Client()  # no account
    for email, value in (("marc@club.fr", 4), ("awa@stage.fr", 3)):
        token = last_token(email)
        page = referent_client.get(f"/avis/{token}/")
        assert page.status_code == 200
        html = text(page)
        assert "Lina" in html and user.email not in html  # first name only
        spent(email, 120)
        done = referent_client.post(
            f"/avis/{token}/",
            {**answers_form(item_codes(), value), "comment": "Top", "endorses": "1"},
        )
        assert done.status_code == 200

    assessment.refresh_from_db()
    assert assessment.level == 3
    page = text(user_client.get(f"/evaluations/{assessment.pk}/"))
    assert "Confirmé" in page
    assert "Marc Coach" in page and "a répondu" in page
    assert "Top" not in page  # the person never sees what a referent answered
    assert "Open Badge" in page
    decision = Decision.objects.filter(assessment=assessment).first()
    assert decision.level == 3 and decision.rule_version == "2026.1"
    assert len(decision.inputs["referents"]) == 2
    assert LogEntry.objects.filter(action="assessment.decided").count() == 3


def test_the_referent_page_speaks_the_language_chosen_by_the_person(user_client, default_framework):
    assessment = start(user_client)
    user_client.post(f"/evaluations/{assessment.pk}/", answers_form(item_codes(), 3))
    invite(user_client, assessment, "Awa", "awa@stage.fr", "tutor", "en")
    html = text(Client().get(f"/avis/{last_token('awa@stage.fr')}/"))
    assert '<html lang="en">' in html
    assert "Teamwork" in html and "Lina listens to other people" in html


def test_missing_answers_keep_what_was_ticked_and_save_nothing(user_client, default_framework):
    assessment = start(user_client)
    codes = item_codes()
    partial = answers_form(codes[:5], 4)
    response = user_client.post(f"/evaluations/{assessment.pk}/", partial)
    assert response.status_code == 400
    html = text(response)
    assert "Il manque 3 réponse(s)" in html
    assert html.count("checked") == 5  # nothing typed is lost
    assessment.refresh_from_db()
    assert not assessment.self_done and assessment.self_answers == {}


def test_a_referent_link_works_once_then_says_it_was_used(user_client, default_framework):
    assessment = start(user_client)
    user_client.post(f"/evaluations/{assessment.pk}/", answers_form(item_codes(), 3))
    invite(user_client, assessment, "Marc", "marc@club.fr")
    token = last_token("marc@club.fr")
    client = Client()
    client.get(f"/avis/{token}/")
    assert client.post(f"/avis/{token}/", answers_form(item_codes(), 3)).status_code == 200
    again = client.get(f"/avis/{token}/")
    assert again.status_code == 410
    assert "déjà été utilisé" in text(again)
    assert client.post(f"/avis/{token}/", answers_form(item_codes(), 1)).status_code == 410
    assert Referent.objects.get().answers[item_codes()[0]] == 3


def test_a_referent_answering_too_fast_is_flagged_and_not_counted(user_client, default_framework):
    assessment = start(user_client)
    user_client.post(f"/evaluations/{assessment.pk}/", answers_form(item_codes(), 3))
    for name, email in (("Marc", "marc@club.fr"), ("Awa", "awa@stage.fr")):
        invite(user_client, assessment, name, email)
    fast, slow = last_token("marc@club.fr"), last_token("awa@stage.fr")
    client = Client()
    client.get(f"/avis/{fast}/")
    client.post(f"/avis/{fast}/", answers_form(item_codes(), 4))  # within a second
    client.get(f"/avis/{slow}/")
    spent("awa@stage.fr", 90)
    client.post(f"/avis/{slow}/", answers_form(item_codes(), 4))
    assert Referent.objects.get(email="marc@club.fr").too_fast
    assessment.refresh_from_db()
    assert assessment.level == 2  # one counted referent is not enough for confirmé
    page = text(user_client.get(f"/evaluations/{assessment.pk}/"))
    assert "trop vite" in page


def test_closed_and_deleted_assessments_refuse_referents(user_client, default_framework):
    assessment = start(user_client)
    user_client.post(f"/evaluations/{assessment.pk}/", answers_form(item_codes(), 3))
    invite(user_client, assessment, "Marc", "marc@club.fr")
    token = last_token("marc@club.fr")
    user_client.post(f"/evaluations/{assessment.pk}/terminer/")
    response = Client().post(f"/avis/{token}/", answers_form(item_codes(), 3))
    assert response.status_code == 409
    assert "terminé cette évaluation" in text(response)
    assert invite(user_client, assessment, "Awa", "awa@stage.fr").status_code == 409

    assert user_client.post(f"/evaluations/{assessment.pk}/supprimer/").status_code == 302
    assert not Assessment.objects.exists() and not Referent.objects.exists()
    response = Client().get(f"/avis/{token}/")
    assert response.status_code == 404
    assert "n'existe plus" in text(response)


def test_expired_and_forged_links(user_client, default_framework):
    assessment = start(user_client)
    user_client.post(f"/evaluations/{assessment.pk}/", answers_form(item_codes(), 3))
    invite(user_client, assessment, "Marc", "marc@club.fr")
    token = last_token("marc@club.fr")
    assert Client().get(f"/avis/{tampered(token)}/").status_code == 404
    referent = Referent.objects.get()
    referent.expires_at = referent.created_at
    referent.save()
    response = Client().get(f"/avis/{token}/")
    assert response.status_code == 410
    html = text(response)
    assert "expiré" in html and '<form method="post" class="form' not in html


def test_nobody_else_sees_or_changes_an_assessment(user_client, other_client, default_framework):
    assessment = start(user_client)
    for url in ("", "inviter/", "relances/", "terminer/", "supprimer/"):
        assert other_client.post(f"/evaluations/{assessment.pk}/{url}").status_code == 404
    assert other_client.get(f"/evaluations/{assessment.pk}/").status_code == 404
    assert Client().get(f"/evaluations/{assessment.pk}/").status_code == 302  # to login
    assert Assessment.objects.get().is_open


def test_starting_the_same_skill_twice_goes_back_to_the_open_assessment(
    user_client, default_framework
):
    first = start(user_client)
    response = user_client.post("/evaluations/commencer/", {"skill": "teamwork"})
    assert response.status_code == 302 and response.url == f"/evaluations/{first.pk}/"
    assert Assessment.objects.count() == 1


def test_reminders_can_be_turned_off(user_client, default_framework):
    assessment = start(user_client)
    user_client.post(f"/evaluations/{assessment.pk}/relances/", {"on": "0"})
    assessment.refresh_from_db()
    assert not assessment.reminders


def test_query_counts_stay_flat(user_client, django_assert_max_num_queries, default_framework):
    assessment = start(user_client)
    user_client.post(f"/evaluations/{assessment.pk}/", answers_form(item_codes(), 3))
    for n in range(4):
        invite(user_client, assessment, f"Ref {n}", f"ref{n}@example.net")
    with django_assert_max_num_queries(14):
        user_client.get(f"/evaluations/{assessment.pk}/")
    with django_assert_max_num_queries(8):
        user_client.get("/evaluations/")
    with django_assert_max_num_queries(6):
        Client().get(f"/avis/{last_token('ref0@example.net')}/")
