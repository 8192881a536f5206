import io
import json

import pytest
from django.core.management import CommandError, call_command

from atout.accounts.models import User
from atout.experiences.models import ChatMessage


def test_bench_detection_scores_a_labelled_file(tmp_path):
    path = tmp_path / "eval.jsonl"
    rows = [
        {
            "text": "J'ai organisé le planning des bénévoles et réservé la salle.",
            "labels": ["organisation"],
            "lang": "fr",
        },
        {"text": "J'ai travaillé chez Lidl en juillet.", "labels": [], "lang": "fr"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = io.StringIO()
    call_command("bench", "detection", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["fr"]["texts"] == 2
    assert 0 <= report["fr"]["micro_f1"] <= 1
    assert report["fr"]["no_skill_texts"] == 1
    assert report["timing"]["p95_ms"] > 0


def test_bench_detection_refuses_a_bad_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="needs 'text' and 'labels'"):
        call_command("bench", "detection", str(path))


@pytest.mark.django_db
def test_bench_chat_leaves_nothing_behind(default_framework):
    out = io.StringIO()
    call_command("bench", "chat", "--conversations", "2", stdout=out)
    assert out.getvalue().startswith("chat turns:")
    assert not User.objects.exists() and not ChatMessage.objects.exists()
