"""`atout catalogue import FILE`: CSV of resources and API Engagement mission feeds."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from atout.progress.models import Opportunity

pytestmark = pytest.mark.django_db

HEADER = "kind,title,description,url,language,duration,remote,departement,skills\n"
GOOD_CSV = HEADER + (
    'mooc,Apprendre à apprendre,"Un cours, gratuit.",https://www.fun-mooc.fr/,fr,4 semaines,'
    "oui,,curiosity_learning;learning_from_feedback\n"
    "workshop,Atelier CV,,https://www.francetravail.fr/,fr,2 h,non,93,communication\n"
)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("catalogue", "import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_is_checked_then_written_then_idempotent(default_framework, tmp_path):
    path = write(tmp_path, "resources.csv", GOOD_CSV)
    out, _ = run(path)
    assert "Would import 2 items (2 new, 0 updated, 0 unchanged)." in out
    assert "Nothing written" in out and Opportunity.objects.count() == 0

    out, _ = run(path, "--wet-run")
    assert "Imported 2 items (2 new, 0 updated, 0 unchanged)." in out
    mooc = Opportunity.objects.get(kind="mooc")
    assert mooc.source == "csv" and mooc.remote and mooc.departement == ""
    assert mooc.description == "Un cours, gratuit."
    assert sorted(mooc.skills.values_list("code", flat=True)) == [
        "curiosity_learning",
        "learning_from_feedback",
    ]
    atelier = Opportunity.objects.get(kind="workshop")
    assert (atelier.remote, atelier.departement) == (False, "93")

    out, _ = run(path, "--wet-run")
    assert "(0 new, 0 updated, 2 unchanged)" in out
    assert Opportunity.objects.count() == 2


def test_csv_with_external_ids_updates_the_same_rows(default_framework, tmp_path):
    header = HEADER.strip() + ",external_id\n"
    row = "article,{title},,https://www.onisep.fr/,fr,,true,,rigour,onisep-1\n"
    run(write(tmp_path, "a.csv", header + row.format(title="Relire")), "--wet-run")
    out, _ = run(
        write(tmp_path, "b.csv", header + row.format(title="Relire son travail")), "--wet-run"
    )
    assert "(0 new, 1 updated, 0 unchanged)" in out
    assert list(Opportunity.objects.values_list("title", flat=True)) == ["Relire son travail"]


def test_a_bad_csv_reports_every_line_and_writes_nothing(default_framework, tmp_path):
    bad = GOOD_CSV + (
        "mooc,Sans lien,,pas-une-url,fr,,oui,,teamwork\n"  # line 4
        "podcast,Inconnu,,https://www.lumni.fr/,fr,,oui,,teamwork\n"  # line 5
        "workshop,Nulle part,,https://www.lumni.fr/,fr,,non,,teamwork\n"  # line 6
        "workshop,Ailleurs,,https://www.lumni.fr/,fr,,non,99,teamwork\n"  # line 7
        "mooc,Compétence inconnue,,https://www.lumni.fr/,de,,peut-être,,jonglage\n"  # line 8
        "mooc,Sans compétence,,https://www.lumni.fr/,fr,,oui,,\n"  # line 9
        'mooc,"Apprendre à apprendre",,https://www.fun-mooc.fr/,fr,,oui,,teamwork\n'  # line 10
    )
    with pytest.raises(CommandError, match="9 error"):
        run(write(tmp_path, "bad.csv", bad), "--wet-run")
    assert Opportunity.objects.count() == 0


def test_csv_errors_name_their_line(default_framework, tmp_path):
    from atout.progress.importers import parse_csv, skill_codes

    parsed = parse_csv(
        GOOD_CSV
        + "mooc,Sans lien,,pas-une-url,fr,,oui,,teamwork\n"
        + "workshop,Nulle part,,https://www.lumni.fr/,fr,,non,,teamwork\n"
        + "mooc,X,,https://www.lumni.fr/,de,,peut-être,2A,jonglage\n"
        + "mooc,Apprendre à apprendre,,https://www.fun-mooc.fr/,fr,,oui,,teamwork\n"
        + "mooc,trop,de,champs,ici,,,,,,\n",
        codes=skill_codes(),
    )
    assert parsed.errors == [
        "line 4: url 'pas-une-url' is not an http(s) address.",
        "line 5: give a departement, or remote = true.",
        "line 6: language 'de' is not fr or en.",
        "line 6: remote 'peut-être' is not true or false.",
        "line 6: unknown skill code(s): jonglage.",
        "line 7: external_id 'https://www.fun-mooc.fr/#apprendre-a-apprendre' appears twice.",
        "line 8: expected 9 fields.",
    ]


def test_trainings_name_the_metiers_they_prepare_for(default_framework, tmp_path):
    from atout.progress.importers import parse_csv, skill_codes

    header = HEADER.strip() + ",rome\n"
    good = header + ("training,CAP Cuisine,,https://www.onisep.fr/,fr,2 ans,non,93,,g1609;G1602\n")
    run(write(tmp_path, "t.csv", good), "--wet-run")
    training = Opportunity.objects.get()
    assert (training.kind, training.rome_codes) == ("training", "G1609 G1602")
    assert list(Opportunity.objects.for_metier("G1602")) == [training]
    assert not Opportunity.objects.for_metier("G1603").exists()

    parsed = parse_csv(
        header
        + "training,Sans métier,,https://www.onisep.fr/,fr,,oui,,,\n"
        + "training,Mauvais code,,https://www.onisep.fr/,fr,,oui,,,G18\n"
        + "mooc,Un cours,,https://www.onisep.fr/,fr,,oui,,rigour,G1803\n",
        codes=skill_codes(),
    )
    assert parsed.errors == [
        "line 2: a training needs the ROME code(s) of the métiers it prepares for.",
        "line 3: rome G18: not ROME codes (one letter, four digits).",
        "line 4: rome: only a training prepares for métiers.",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("kind,title\n", "missing columns: description, url"),
        (HEADER.strip() + ",colour\n", "unexpected columns: colour"),
        (HEADER, "no row after the header"),
    ],
)
def test_bad_csv_headers(default_framework, tmp_path, text, message):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("catalogue", "import", str(write(tmp_path, "x.csv", text)), stderr=err)
    assert message in err.getvalue()


def test_files_that_cannot_be_read(default_framework, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        HEADER.encode() + "mooc,Été,,https://a.fr/,fr,,oui,,rigour\n".encode("cp1252")
    )
    with pytest.raises(CommandError, match="1 error"):
        run(latin)
    with pytest.raises(CommandError):
        run(write(tmp_path, "list.txt", GOOD_CSV))  # no --format, unknown extension
    out, _ = run(write(tmp_path, "list.txt", GOOD_CSV), "--format", "csv")
    assert "Would import 2 items" in out


def mission(**fields):
    base = {
        "_id": "m-1",
        "title": "Aide aux devoirs",
        "descriptionHtml": "<p>Aider des <b>collégiens</b> &amp; leurs parents.</p>",
        "applicationUrl": "https://www.jeveuxaider.gouv.fr/",
        "type": "benevolat",
        "remote": "no",
        "departmentCode": "93",
        "city": "Saint-Denis",
        "organizationName": "Réussir Ensemble",
        "startAt": "2026-03-31T22:00:00.000Z",
        "endAt": "2026-06-30",
        "places": 3,
        "audience": ["Mineurs", "Adultes"],
        "softSkills": ["TRAVAIL EN EQUIPE", "Sens de l’écoute", "Jonglage"],
        "romeSkills": ["Respect des règles", "Conduire un engin"],
        "statusCode": "ACCEPTED",
    }
    return base | fields


def feed(tmp_path, *missions, name="missions.json"):
    return write(tmp_path, name, json.dumps({"ok": True, "total": len(missions), "data": missions}))


def test_a_mission_feed_maps_soft_skills_and_keeps_unknown_labels(default_framework, tmp_path):
    path = feed(
        tmp_path,
        mission(),
        mission(_id="m-2", type="volontariat_service_civique", remote="full", departmentCode=None,
                softSkills=["Autonomie"], romeSkills=[]),
    )  # fmt: skip
    out, _ = run(path, "--wet-run")
    assert "Imported 2 items (2 new, 0 updated, 0 unchanged)." in out
    assert "2 skill label(s) matched no référentiel skill" in out
    assert "'Jonglage' ×1" in out and "'Conduire un engin' ×1" in out
    first = Opportunity.objects.get(external_id="m-1")
    assert first.source == "missions" and first.kind == "volunteering"
    assert sorted(first.skills.values_list("code", flat=True)) == [
        "empathy",
        "respect_rules",
        "teamwork",
    ]
    assert first.raw_skills == ["Jonglage", "Conduire un engin"]
    assert first.description == "Aider des collégiens & leurs parents."
    assert (first.departement, first.place, first.remote) == ("93", "Saint-Denis", False)
    assert str(first.starts_on) == "2026-04-01"  # midnight in Paris
    assert str(first.ends_on) == "2026-06-30"
    assert (first.places, first.audience, first.organisation) == (
        3,
        "Mineurs, Adultes",
        "Réussir Ensemble",
    )
    second = Opportunity.objects.get(external_id="m-2")
    assert (second.kind, second.remote, second.departement) == ("civic_service", True, "")


def test_a_feed_again_is_idempotent_and_a_withdrawn_mission_is_hidden(default_framework, tmp_path):
    run(feed(tmp_path, mission(), mission(_id="m-2")), "--wet-run")
    out, _ = run(feed(tmp_path, mission(), mission(_id="m-2")), "--wet-run")
    assert "(0 new, 0 updated, 2 unchanged)" in out
    out, _ = run(
        feed(tmp_path, mission(statusCode="REFUSED"), mission(_id="m-2", deletedAt="2026-01-01")),
        "--wet-run",
    )
    assert "(0 new, 2 updated, 0 unchanged)" in out
    assert Opportunity.objects.count() == 2
    assert not Opportunity.objects.filter(active=True).exists()


def test_a_bad_feed_reports_indexes_and_writes_nothing(default_framework, tmp_path):
    path = feed(
        tmp_path,
        mission(),
        mission(_id="m-2", title="  "),
        mission(_id="m-3", applicationUrl="javascript:alert(1)", remote="sometimes"),
        "not a mission",
        mission(),  # m-1 again
        mission(_id="m-6", softSkills="Autonomie", startAt="demain"),
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="7 error"):
        call_command(
            "catalogue", "import", str(path), "--wet-run", stderr=err, stdout=io.StringIO()
        )
    lines = err.getvalue()
    for expected in [
        "data[1]: title is empty.",
        "data[2]: remote 'sometimes' is not no, possible, full or local.",
        "data[2]: applicationUrl 'javascript:alert(1)' is not an http(s) address.",
        "data[3]: a mission must be a JSON object.",
        "data[4]: external_id 'm-1' appears twice.",
        "data[5]: softSkills must be a list of texts.",
        "data[5]: startAt 'demain' is not an ISO 8601 date.",
    ]:
        assert f"Error: {expected}" in lines
    assert Opportunity.objects.count() == 0


def test_feed_oddities_are_warnings(default_framework, tmp_path):
    path = feed(
        tmp_path,
        mission(type="volontariat_inconnu"),
        mission(_id="m-2", remote="no", departmentCode=None, addresses=[]),  # nowhere
        mission(_id="m-3", softSkills=[], romeSkills=[]),
    )
    out, err = run(path, "--wet-run")
    assert "data[0]: type 'volontariat_inconnu' unknown, taken as bénévolat." in err
    assert "data[1]: no département and not remote: left out." in err
    assert "data[2]: no known skill: it will show on no page." in err
    assert "Imported 2 items (2 new, 0 updated, 0 unchanged; 1 left out)." in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"data": ', "line 1: not valid JSON"),
        ('{"missions": []}', "no mission list"),
        ('{"data": []}', "the mission list is empty"),
    ],
)
def test_unreadable_feeds(default_framework, tmp_path, text, message):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("catalogue", "import", str(write(tmp_path, "f.json", text)), stderr=err)
    assert message in err.getvalue()


def test_the_department_of_the_first_address_is_used(default_framework, tmp_path):
    path = feed(
        tmp_path,
        mission(departmentCode=None, city=None,
                addresses=[{"departmentCode": "2a", "city": "Ajaccio"}]),
    )  # fmt: skip
    run(path, "--wet-run")
    row = Opportunity.objects.get()
    assert (row.departement, row.place) == ("2A", "Ajaccio")
