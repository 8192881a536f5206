import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from atout.experiences import services
from atout.experiences.models import ChatSession, Experience

pytestmark = pytest.mark.django_db
ANSWERS = [
    "du foot, je suis dans un club depuis 4 ans",
    "on joue le samedi à Pantin, je suis capitaine des U15",
    "je motive les gars avant le match et j'organise le covoiturage avec les parents",
    "un jour deux joueurs se sont battus, je les ai séparés et on a discuté calmement",
    "on a fini deuxièmes du championnat",
]


def tell(client: Client, answers=ANSWERS):
    response = client.post(reverse("experiences:chat_new"))
    assert response.status_code == 302
    url = response["Location"]
    for answer in [*answers, "voilà", "rien d'autre", "c'est tout"]:
        response = client.post(url, {"text": answer})
        if response["Location"] != url:
            return response["Location"]
    raise AssertionError("the chat never finished")


def test_whole_story_through_the_pages(user_client, user, default_framework):
    card_url = tell(user_client)
    page = html.unescape(user_client.get(card_url).content.decode())
    assert "<mark>" in page
    experience = Experience.objects.get(owner=user)
    assert experience.kind == "sport"
    marked = re.findall(r"<mark>(.*?)<span", page, flags=re.S)
    assert all(m in experience.narrative for m in marked)
    # Save: keep one detected skill, add another from the référentiel.
    kept = experience.skills.first().skill.code
    response = user_client.post(
        card_url,
        {"title": "Capitaine des U15", "kind": "sport", "confirmed": [kept], "add": "creativity",
         "started_on": "2022-09-01", "ended_on": "", "summary": ""},
    )  # fmt: skip
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.title == "Capitaine des U15"
    assert set(experience.skills.filter(confirmed=True).values_list("skill__code", flat=True)) == {
        kept,
        "creativity",
    }
    portfolio = html.unescape(user_client.get(reverse("experiences:portfolio")).content.decode())
    assert "Capitaine des U15" in portfolio
    assert '<svg class="chart" role="img"' in portfolio


def test_card_with_end_before_start_is_refused(user_client, user, default_framework):
    experience = services.experience_create(
        owner=user, title="Snack", kind="job", narrative="J'ai servi les clients avec le sourire."
    )
    response = user_client.post(
        reverse("experiences:card", args=[experience.pk]),
        {"title": "Snack", "kind": "job", "started_on": "2024-08-01", "ended_on": "2024-07-01"},
    )
    assert response.status_code == 400
    experience.refresh_from_db()
    assert experience.started_on is None


def test_closed_tab_resumes_the_same_conversation(user_client, user, default_framework):
    first = user_client.post(reverse("experiences:chat_new"))["Location"]
    user_client.post(first, {"text": "du baby-sitting avec mes petits frères"})
    again = user_client.post(reverse("experiences:chat_new"))["Location"]
    assert again == first
    page = user_client.get(again).content.decode()
    assert "du baby-sitting avec mes petits frères" in page
    assert ChatSession.objects.filter(owner=user).count() == 1


def test_htmx_answer_returns_the_chat_partial(user_client, default_framework):
    url = user_client.post(reverse("experiences:chat_new"))["Location"]
    response = user_client.post(
        url, {"text": "du bénévolat aux Restos du cœur"}, headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="chat"')
    assert "du bénévolat aux Restos du cœur" in html.unescape(body)


def test_someone_else_cannot_see_or_answer_my_chat_or_card(
    user_client, other_client, user, default_framework
):
    url = user_client.post(reverse("experiences:chat_new"))["Location"]
    assert other_client.get(url).status_code == 404
    assert other_client.post(url, {"text": "intrus"}).status_code == 404
    experience = services.experience_create(
        owner=user, title="Snack", kind="job", narrative="J'ai servi les clients."
    )
    card = reverse("experiences:card", args=[experience.pk])
    assert other_client.get(card).status_code == 404
    assert other_client.post(card, {"title": "Piraté", "kind": "job"}).status_code == 404
    assert other_client.post(reverse("experiences:delete", args=[experience.pk])).status_code == 404
    experience.refresh_from_db()
    assert experience.title == "Snack"


def test_portfolio_is_private_and_empty_at_first(other_client):
    page = other_client.get(reverse("experiences:portfolio")).content.decode()
    assert "Pas encore d" in html.unescape(page)
    assert Client().get(reverse("experiences:portfolio")).status_code == 302


def test_card_quotes_the_sentences_behind_each_skill(user_client, user, default_framework):
    experience = services.experience_create(
        owner=user, title="Snack", kind="job",
        narrative="Le livreur n'est pas venu. Alors j'ai appelé un autre fournisseur et on a réorganisé le service.",
    )  # fmt: skip
    page = html.unescape(
        user_client.get(reverse("experiences:card", args=[experience.pk])).content.decode()
    )
    for link in experience.skills.all():
        for e in link.evidence:
            assert f"« {experience.narrative[e['start'] : e['end']]} »" in page


def test_chat_title_and_summary_read_well(user_client, user, default_framework):
    card_url = tell(
        user_client,
        [
            "jgarde mes 3 petits freres le soir",
            "ct l'an dernier a bobigny",
            "je fais les devoirs avec eux et je prepare le repas",
            "un soir le petit avait de la fievre jai appelé le medecin",
            "mtn ils font leurs devoirs tout seuls",
        ],
    )
    experience = Experience.objects.get(owner=user)
    assert experience.title == "Jgarde mes 3 petits freres le soir"
    assert experience.summary == "ct l'an dernier a bobigny. mtn ils font leurs devoirs tout seuls."
    assert card_url.endswith(f"/{experience.pk}/")


def test_first_question_offers_one_tap_kinds(user_client, user, default_framework):
    url = user_client.post(reverse("experiences:chat_new"))["Location"]
    page = html.unescape(user_client.get(url).content.decode())
    assert 'name="text" value="Bénévolat"' in page
    user_client.post(url, {"text": "Bénévolat"})
    session = ChatSession.objects.get(owner=user)
    assert session.state["kind"] == "volunteering"
    assert 'name="text" value="Bénévolat"' not in user_client.get(url).content.decode()


def test_one_tap_kind_in_english_is_taken_as_is(other_user, default_framework):
    from django.utils import translation

    with translation.override("en"):
        turn = services.chat_start(owner=other_user, lang="en")
        services.chat_answer(session=turn.session, text="Inclusion job or work programme")
    turn.session.refresh_from_db()
    assert turn.session.state["kind"] == "inclusion"
