import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from atout.core.models import LogEntry
from atout.referentiel import formats
from atout.referentiel.models import Behaviour, Framework, Item, Skill
from atout.referentiel.services import framework_export, framework_import
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_json_lists_the_whole_common_framework(default_framework):
    out, _ = run("referentiel", "export", "--format", "json")
    data = json.loads(out)
    skills = {s["code"]: s for f in data["families"] for s in f["skills"]}
    assert len(skills) >= 18
    teamwork = skills["teamwork"]
    assert teamwork["label"] == {"fr": "Travailler en équipe", "en": "Teamwork"}
    assert {b["level"] for b in teamwork["behaviours"]} == {1, 2, 3, 4}
    assert all("{name}" in i["referent"]["fr"] for i in teamwork["items"])
    assert teamwork["crosswalks"]["rome_savoir_etre"][0]["code_ogr"] == "300465"
    assert formats.validate(data) == []


def test_export_is_what_was_imported(framework_data):
    framework = framework_import(data=framework_data)
    assert framework_export(framework=framework) == framework_data


def test_case_export_has_document_items_and_associations(default_framework):
    out, _ = run("referentiel", "export", "--format", "case")
    package = json.loads(out)
    assert package["CFDocument"]["title"] == default_framework.title_fr
    types = {item["CFItemType"] for item in package["CFItems"]}
    assert types == {"Level", "Family", "Skill", "Behaviour", "QuestionnaireItem"}
    skills = [i for i in package["CFItems"] if i["CFItemType"] == "Skill"]
    assert len(skills) == Skill.objects.count()
    ids = {i["identifier"] for i in package["CFItems"]} | {package["CFDocument"]["identifier"]}
    for assoc in package["CFAssociations"]:
        assert assoc["originNodeURI"]["identifier"] in ids
        if assoc["associationType"] == "isChildOf":
            assert assoc["destinationNodeURI"]["identifier"] in ids
    matches = [a for a in package["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    assert any(
        a["destinationNodeURI"]["uri"].startswith("http://data.europa.eu/esco/skill/")
        for a in matches
    )
    # Stable identifiers: a second export gives the same ids.
    again = json.loads(run("referentiel", "export", "--format", "case")[0])
    assert [i["identifier"] for i in again["CFItems"]] == [
        i["identifier"] for i in package["CFItems"]
    ]


def test_case_round_trip_gives_back_the_same_framework(framework_data):
    package = formats.to_case(
        framework_data, base_url="https://atout.example", updated="2026-01-01T00:00:00+00:00"
    )
    assert formats.from_case(package) == framework_data


def test_import_case_file_through_the_command(tmp_path, framework_data):
    organisation = OrganisationFactory(slug="jardins")
    package = formats.to_case(
        framework_data, base_url="https://atout.example", updated="2026-01-01T00:00:00+00:00"
    )
    path = tmp_path / "jardin.case.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    _, err = run("referentiel", "import", str(path), "--organisation", "jardins")
    assert "Imported framework 'jardin' (2 skills)" in err
    framework = Framework.objects.get(code="jardin")
    assert framework.organisation == organisation
    assert framework.skills.get(code="semer").label_en == "sow in the open field"


def test_reimport_updates_without_duplicating(framework_data):
    framework_import(data=framework_data)
    changed = copy.deepcopy(framework_data)
    changed["families"][0]["skills"][0]["label"]["fr"] = "Semer à la volée"
    changed["families"][0]["skills"][1]["items"].pop()
    framework_import(data=changed)
    assert Skill.objects.count() == 2
    assert Skill.objects.get(code="semer").label_fr == "Semer à la volée"
    assert Item.objects.count() == 3
    assert Behaviour.objects.count() == 4
    assert LogEntry.objects.filter(action="referentiel.updated").count() == 1


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda d: d["families"][0]["skills"][0]["label"].pop("en"),
            "skill 'semer'.label.en: missing text",
        ),
        (
            lambda d: d["families"][0]["skills"][1].update(code="semer"),
            "skill 'semer' appears twice",
        ),
        (
            lambda d: d["families"][0]["skills"][0]["behaviours"][0].update(level=7),
            "is not a level of this framework",
        ),
        (
            lambda d: d["families"][0]["skills"][0]["items"][0]["referent"].update(fr="Il sème."),
            "must contain {name}",
        ),
        (lambda d: d["levels"].pop(0), "numbers must run 1, 2, 3"),
        (lambda d: d.update(format="autre"), "format: expected 'atout-referentiel/1'"),
        (
            lambda d: d["families"][0]["skills"][0]["crosswalks"]["esco"][0].update(uri="nope"),
            "needs an ESCO uri",
        ),
        (lambda d: d["framework"].update(code="Pas Un Code"), "is not a valid code"),
    ],
)
def test_broken_file_is_refused_naming_the_problem_and_changes_nothing(
    tmp_path, framework_data, breakage, message
):
    framework_import(data=framework_data)
    before = framework_export(framework=Framework.objects.get(code="jardin"))
    broken = copy.deepcopy(framework_data)
    broken["families"][0]["skills"][0]["label"]["fr"] = "CHANGÉ"
    breakage(broken)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("referentiel", "import", str(path))
    assert "nothing changed" in str(error.value)
    assert message in str(error.value)
    assert framework_export(framework=Framework.objects.get(code="jardin")) == before


def test_not_json_and_missing_file_are_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{pas du json", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid JSON"):
        run("referentiel", "import", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        run("referentiel", "import", str(tmp_path / "absent.json"))
    assert not Framework.objects.exists()


def test_foreign_case_package_without_skills_is_refused(tmp_path):
    package = {
        "CFDocument": {"identifier": "d", "title": "Maths"},
        "CFItems": [{"identifier": "a", "fullStatement": "Add"}],
        "CFAssociations": [],
    }
    path = tmp_path / "maths.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(CommandError, match="no CFItem of type 'Skill'"):
        run("referentiel", "import", str(path))


def test_import_cannot_take_over_another_organisations_framework(tmp_path, framework_data):
    framework_import(data=framework_data, organisation=OrganisationFactory(slug="a"))
    OrganisationFactory(slug="b")
    path = tmp_path / "f.json"
    framework_data["framework"]["title"]["fr"] = "Volé"
    path.write_text(json.dumps(framework_data), encoding="utf-8")
    with pytest.raises(CommandError, match="belongs to another organisation"):
        run("referentiel", "import", str(path), "--organisation", "b")
    assert Framework.objects.get().title_fr == "Savoir-faire du jardin"


def test_load_is_idempotent(db):
    run("referentiel", "load")
    counts = (Skill.objects.count(), Item.objects.count(), Behaviour.objects.count())
    run("referentiel", "load")
    assert (Skill.objects.count(), Item.objects.count(), Behaviour.objects.count()) == counts


def test_case_without_licence_has_no_licence_uri(framework_data):
    framework_data["framework"]["licence"] = ""
    package = formats.to_case(
        framework_data, base_url="https://a.example", updated="2026-01-01T00:00:00+00:00"
    )
    assert "licenseURI" not in package["CFDocument"]
    assert formats.from_case(package) == framework_data
