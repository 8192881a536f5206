import pytest
from django.test import Client

from atout.experiences.models import ChatMessage, ChatSession, Experience

pytestmark = pytest.mark.django_db

STORY = (
    "L'été dernier j'ai bossé au snack de la plage. Un samedi le livreur n'est pas venu, "
    "alors j'ai appelé un autre fournisseur et j'ai réorganisé le service avec les collègues. "
    "Les clients râlaient, je leur ai expliqué calmement le retard."
)


def post_experience(client, **overrides):
    body = {"title": "Snack de la plage", "kind": "job", "narrative": STORY, **overrides}
    return client.post("/api/v1/experiences", body, content_type="application/json")


def test_create_experience_returns_skills_with_evidence_from_the_text(api, default_framework):
    response = post_experience(api)
    assert response.status_code == 201
    body = response.json()
    assert body["skills"], "this story shows skills"
    for skill in body["skills"]:
        assert 0 <= skill["score"] <= 1
        assert skill["label"]
        for e in skill["evidence"]:
            assert STORY[e["start"] : e["end"]] == e["text"]
    experience = Experience.objects.get(pk=body["id"])
    assert experience.narrative == STORY


def test_get_and_patch_confirmed_skills(api, default_framework):
    created = post_experience(api).json()
    first = created["skills"][0]["code"]
    response = api.patch(
        f"/api/v1/experiences/{created['id']}",
        {"confirmed_skills": [first, "creativity"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert set(response.json()["confirmed_skills"]) == {first, "creativity"}
    again = api.get(f"/api/v1/experiences/{created['id']}").json()
    added = next(s for s in again["skills"] if s["code"] == "creativity")
    assert added["source"] in {"added", "detected"}
    # Removing an added skill drops it; a detected one stays, unconfirmed.
    response = api.patch(
        f"/api/v1/experiences/{created['id']}",
        {"confirmed_skills": []},
        content_type="application/json",
    )
    assert response.json()["confirmed_skills"] == []


def test_patch_with_unknown_skill_is_400_and_changes_nothing(api, default_framework):
    created = post_experience(api).json()
    response = api.patch(
        f"/api/v1/experiences/{created['id']}",
        {"confirmed_skills": ["teamwork", "flying"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_skill"
    assert api.get(f"/api/v1/experiences/{created['id']}").json()["confirmed_skills"] == []


def test_another_person_cannot_read_or_change_my_experience(api, other_api, default_framework):
    created = post_experience(api).json()
    assert other_api.get(f"/api/v1/experiences/{created['id']}").status_code == 404
    response = other_api.patch(
        f"/api/v1/experiences/{created['id']}",
        {"confirmed_skills": ["teamwork"]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Experience.objects.get(pk=created["id"]).skills.filter(confirmed=True).exists()


def test_no_token_is_401(default_framework):
    assert post_experience(Client()).status_code == 401


@pytest.mark.parametrize(
    ("narrative", "status", "code"),
    [
        ("", 400, "empty"),
        ("   \n ", 400, "empty"),
        ("🙂🙂🙂 !!!", 400, "no_words"),
        ("\x00\x01\x02", 400, "no_words"),
        ("a" * 100_000, 413, "too_long"),
    ],
)
def test_bad_narratives_get_a_clear_message_and_nothing_is_saved(
    api, default_framework, narrative, status, code
):
    response = post_experience(api, narrative=narrative)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Experience.objects.exists()


def test_bad_kind_is_400(api, default_framework):
    response = post_experience(api, kind="piracy")
    assert response.status_code == 400
    assert not Experience.objects.exists()


def test_chat_runs_to_an_experience(api, default_framework):
    started = api.post("/api/v1/chat", {"lang": "fr"}, content_type="application/json")
    assert started.status_code == 201
    chat_id = started.json()["id"]
    assert "sport" in started.json()["message"]
    answers = [
        "un job d'été au snack de la plage",
        "c'était en juillet à Biarritz avec deux collègues et le patron",
        "je servais les clients, je faisais la caisse et je rangeais la réserve le soir",
        "un samedi le livreur est pas venu alors jai appelé un autre fournisseur et on a réorganisé le service",
        "au final on a pas fermé et le patron m'a proposé de revenir l'été suivant",
    ]
    turns = []
    for answer in answers + ["oui", "voilà", "c'est tout"]:
        response = api.post(
            f"/api/v1/chat/{chat_id}/messages", {"text": answer}, content_type="application/json"
        )
        assert response.status_code == 200
        turns.append(response.json())
        if turns[-1]["finished"]:
            break
    assert turns[-1]["finished"]
    assert 5 <= len(turns) <= 8
    experience = Experience.objects.get(pk=turns[-1]["experience_id"])
    assert experience.kind == "job"
    assert "livreur" in experience.narrative
    # Every message was stored, in order.
    session = ChatSession.objects.get(pk=chat_id)
    roles = list(session.messages.values_list("role", flat=True))
    assert roles.count(ChatMessage.Role.PERSON) == len(turns)
    assert roles[0] == ChatMessage.Role.BOT
    # Finished: another message is a conflict.
    response = api.post(
        f"/api/v1/chat/{chat_id}/messages", {"text": "encore"}, content_type="application/json"
    )
    assert response.status_code == 409


def test_chat_keeps_unreadable_answers_and_asks_again(api, default_framework):
    chat_id = api.post("/api/v1/chat", {}, content_type="application/json").json()["id"]
    for junk in ["", "😅😅", "x" * 6000]:
        response = api.post(
            f"/api/v1/chat/{chat_id}/messages", {"text": junk}, content_type="application/json"
        )
        assert response.status_code == 200
        assert not response.json()["finished"]
    session = ChatSession.objects.get(pk=chat_id)
    # Nothing typed is lost (the empty send is not a message).
    assert list(session.messages.filter(role="person").values_list("text", flat=True)) == [
        "😅😅",
        "x" * 6000,
    ]
    assert session.state["answers"] == []  # but none of it went into the story
    too_big = api.post(
        f"/api/v1/chat/{chat_id}/messages", {"text": "x" * 100_001}, content_type="application/json"
    )
    assert too_big.status_code == 413


def test_another_person_cannot_use_my_chat(api, other_api, default_framework):
    chat_id = api.post("/api/v1/chat", {}, content_type="application/json").json()["id"]
    response = other_api.post(
        f"/api/v1/chat/{chat_id}/messages", {"text": "coucou"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not ChatMessage.objects.filter(role="person").exists()


def test_a_failure_after_the_message_arrives_loses_nothing(
    api, default_framework, monkeypatch, caplog
):
    chat_id = api.post("/api/v1/chat", {}, content_type="application/json").json()["id"]

    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr("atout.experiences.services.skill_scores", broken)
    response = api.post(
        f"/api/v1/chat/{chat_id}/messages",
        {"text": "du foot avec mon club"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "redire autrement" in response.json()["message"]
    session = ChatSession.objects.get(pk=chat_id)
    assert session.messages.filter(role="person", text="du foot avec mon club").exists()
    assert session.state["answers"] == []  # the half-done turn was rolled back
    monkeypatch.undo()
    response = api.post(
        f"/api/v1/chat/{chat_id}/messages",
        {"text": "du foot avec mon club"},
        content_type="application/json",
    )
    assert response.status_code == 200 and "sport" not in response.json()["message"]


def test_experience_gets_a_short_summary_in_the_persons_words(api, default_framework):
    long_story = STORY + " " + "Ensuite j'ai fait la plonge tout l'après-midi. " * 10
    created = post_experience(api, narrative=long_story).json()
    experience = Experience.objects.get(pk=created["id"])
    assert experience.summary.startswith("L'été dernier j'ai bossé au snack de la plage.")
    assert len(experience.summary) <= 280
