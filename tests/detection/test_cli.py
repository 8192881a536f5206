import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(*args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("detect", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = old
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_jsonl_keeps_order_and_ids(default_framework):
    lines = [
        {"id": 1, "text": "J'ai organisé le tournoi du quartier et réservé le gymnase."},
        {"id": "b", "text": ""},
        {"id": 3, "text": "I calmed down two customers who were shouting at each other."},
    ]
    out, _ = run("--jsonl", "-", stdin="\n".join(json.dumps(line) for line in lines))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [1, "b", 3]
    assert rows[1]["skills"] == []
    for row, line in zip(rows, lines, strict=True):
        for skill in row["skills"]:
            assert set(skill) == {"code", "score", "evidence"}
            for e in skill["evidence"]:
                assert 0 <= e["start"] < e["end"] <= len(line["text"])


@pytest.mark.django_db
def test_plain_mode_prints_a_table(tmp_path, default_framework):
    path = tmp_path / "story.txt"
    path.write_text(
        "Le car était en retard, alors j'ai appelé les parents un par un et on a décalé le match.",
        encoding="utf-8",
    )
    out, _ = run(str(path), "--lang", "fr")
    assert out.splitlines()[0].split() == ["skill", "score", "evidence"]
    assert "appelé les parents un par un" in out  # the evidence, quoted


@pytest.mark.django_db
def test_plain_mode_works_before_the_database_exists(monkeypatch):
    """`atout detect` right after install (no `atout setup` yet): codes instead of labels."""
    from django.db import OperationalError

    from atout.referentiel.models import Skill

    def no_table(*args, **kwargs):
        raise OperationalError("no such table: referentiel_skill")

    monkeypatch.setattr(Skill.objects, "filter", no_table)
    out, _ = run(
        "-",
        "--lang",
        "fr",
        stdin="J'ai organisé tout le planning des bénévoles, réparti les tâches et préparé le matériel.",
    )
    lines = out.splitlines()
    assert lines[0].split() == ["skill", "score", "evidence"]
    assert len(lines) > 1 and "organisation" in out


@pytest.mark.django_db
def test_bad_input_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="empty"):
        run("-", stdin="  ")
    with pytest.raises(CommandError, match="line 2"):
        run("--jsonl", "-", stdin='{"id": 1, "text": "ok"}\nnot json\n')
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "absent.txt"))
    out, _ = run("--jsonl", "-", stdin=json.dumps({"id": 9, "text": "a" * 30_000}))
    assert json.loads(out)["error"].startswith("text too long")
