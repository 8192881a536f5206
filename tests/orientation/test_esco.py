"""`atout import esco DIR`, the ESCO matching index and the soft-skill crosswalk to ESCO: the
official files (read where they are, never copied) and small sets written here."""

import csv
import gzip
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from atout.matching import Profile
from atout.orientation import bench, selectors
from atout.orientation.esco import (
    OCCUPATION_COLUMNS,
    RELATION_COLUMNS,
    SKILL_CUT_COLUMNS,
    SKILL_FR_OLD_COLUMNS,
    TRANSVERSAL_COLUMNS,
    EscoImportError,
    import_esco,
)
from atout.orientation.models import EscoOccupation, EscoRelation, EscoSkill

ESCO_DIR = Path(os.environ.get("ATOUT_ESCO_DIR", "/work/shared/data/reference/esco_v1.1.1"))
needs_esco = pytest.mark.skipif(
    not (ESCO_DIR / "occupationSkillRelations.csv.gz").exists(),
    reason=f"the ESCO v1.1.1 files are not in {ESCO_DIR} (set ATOUT_ESCO_DIR)",
)
REFERENTIEL = Path(__file__).parents[2] / "atout" / "referentiel" / "data" / "atout.json"
SOFT_SKILLS = Path(__file__).parents[2] / "atout" / "orientation" / "data" / "esco_soft_skills.json"
FULL = {"occupations": 3007, "skills": 13896, "relations": 123788}  # 123,855 rows minus 67
pytestmark = pytest.mark.django_db
UNKNOWN_OCCUPATION = "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "esco", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return {
        "occupations": EscoOccupation.objects.count(),
        "skills": EscoSkill.objects.count(),
        "relations": EscoRelation.objects.count(),
    }


NOTHING = dict.fromkeys(FULL, 0)


# The soft-skill crosswalk (files only, no database) ---------------------------------------


def soft_skills() -> dict[str, list[dict[str, str]]]:
    return json.loads(SOFT_SKILLS.read_text(encoding="utf-8"))["skills"]


def test_every_referentiel_skill_leads_to_one_to_six_esco_skills():
    data = json.loads(REFERENTIEL.read_text(encoding="utf-8"))
    codes = [skill["code"] for family in data["families"] for skill in family["skills"]]
    crosswalk = soft_skills()

    assert len(codes) == 22 and list(crosswalk) == codes
    assert all(1 <= len(skills) <= 6 for skills in crosswalk.values())
    uris = [skill["uri"] for skills in crosswalk.values() for skill in skills]
    assert len(uris) == len(set(uris))  # one ESCO skill, one soft skill
    assert selectors.esco_soft_uris() == set(uris)


@needs_esco
def test_every_esco_skill_of_the_crosswalk_exists_and_occupations_call_for_it():
    with (ESCO_DIR / "skills_en_v1.1.1_cut.csv").open(encoding="utf-8", newline="") as handle:
        skills = {row["conceptUri"]: row for row in csv.DictReader(handle)}
    with gzip.open(
        ESCO_DIR / "occupationSkillRelations.csv.gz", "rt", encoding="utf-8", newline=""
    ) as handle:
        used = {row["skillUri"] for row in csv.DictReader(handle)}

    for code, crosswalk in soft_skills().items():
        for skill in crosswalk:
            row = skills.get(skill["uri"])
            assert row is not None, (code, skill)
            assert row["preferredLabel"] == skill["label"], (code, skill)
            assert row["skillType"] == "skill/competence", (code, skill)
            assert skill["uri"] in used, (code, skill)


# The official files ----------------------------------------------------------------------


@needs_esco
def test_full_import_gives_the_documented_counts_a_second_changes_nothing_and_ranks_well():
    out, err = run(ESCO_DIR, "--wet-run")

    assert counts() == FULL
    assert "Imported 3007 occupations, 13896 skills, 123788 relations (64891 essential)." in out
    assert (
        "French labels: 13438 skills (96 from the transversal collection); 458 keep their "
        "English label (106 French labels name concepts absent from the skills file)."
    ) in out
    assert "Skipped 67 bad rows (occupationSkillRelations.csv.gz: 67)." in out
    assert (
        f"Skipped: occupationSkillRelations.csv.gz, line 84425: unknown occupation "
        f"'{UNKNOWN_OCCUPATION}'"
    ) in err
    assert "write relations: 123855/123855" in err
    assert "Nothing written" not in out

    technical = EscoOccupation.objects.get(code="2654.1.7")
    assert technical.label == "directeur technique/directrice technique"
    assert technical.uri.endswith("00030d09-2b3a-4efd-87cc-c4ea39d27c34")
    assert technical.isco_group == "2654"
    assert "régisseuse\nrégisseur\n" in technical.alt_labels
    assert technical.description.startswith("Les directeurs techniques")
    problems = EscoSkill.objects.get(uri__endswith="03b9b491-fc9b-4868-914a-bf7cd47b5041")
    assert (problems.label, problems.label_en) == (
        "trouver des solutions aux problèmes",
        "create solutions to problems",
    )
    assert (problems.skill_type, problems.reuse_level) == ("skill/competence", "cross-sector")
    initiative = EscoSkill.objects.get(uri__endswith="001115fb-569f-4ee6-8381-c6807ef2527f")
    assert initiative.label == "faire preuve d’initiative"  # the transversal collection
    # 458 keep their English label, 159 read the same in both languages (ABAP, C++…)
    assert EscoSkill.objects.filter(label=F("label_en")).count() == 458 + 159
    assert EscoRelation.objects.filter(essential=True).count() == 64891

    EscoOccupation.objects.filter(code="2654.1.7").update(label="Changed")
    assert import_esco(ESCO_DIR, write=True)["skipped"] == 67
    assert counts() == FULL
    technical.refresh_from_db()
    assert technical.label == "directeur technique/directrice technique"

    index = selectors.index("esco")
    assert len(index.metiers) == 3007
    for code in ("5131.2", "5321.1.1", "5120.1", "2654.1.7"):  # serveur, aide-soignant…
        metier = index.metiers[index.position[code]]
        essential = {uri: 1.0 for uri, core in metier.requirements.items() if core}
        top = [match.code for match in index.rank(Profile(items=essential), limit=5)]
        assert code in top, (code, top)
    profile = selectors.profile_from_levels(
        {"service_orientation": 4, "teamwork": 3}, source="esco"
    )
    assert set(profile.items) <= selectors.esco_soft_uris() and profile.items
    assert index.rank(profile, limit=20)
    labels = selectors.item_labels(set(profile.items), source="esco")
    assert {kind for _label, kind in labels.values()} == {"savoir_etre"}


@needs_esco
def test_a_dry_run_reads_everything_and_writes_nothing():
    out, err = run(ESCO_DIR)

    assert "Would import 3007 occupations, 13896 skills, 123788 relations" in out
    assert "Nothing written: add --wet-run to import." in out
    assert "check relations: 123855/123855" in err and "write" not in err
    assert counts() == NOTHING


@needs_esco
def test_strict_stops_on_the_unknown_occupation_of_the_official_relations():
    with pytest.raises(CommandError) as error:
        run(ESCO_DIR, "--wet-run", "--strict")
    assert str(error.value) == (
        "ESCO files not imported: occupationSkillRelations.csv.gz, line 84425: unknown "
        f"occupation '{UNKNOWN_OCCUPATION}' (--strict: nothing written)"
    )
    assert counts() == NOTHING


# Small sets ------------------------------------------------------------------------------

OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
SERVER, COOK, CLEANER = (f"{OCC}{n}0000000-0000-4000-8000-000000000000" for n in "123")
TEAMWORK = f"{SKILL}082967d4-b94c-4305-aa13-35a6aa8c5c7c"  # in esco_soft_skills.json
ORDER, KNIFE, HYGIENE, NO_FR = (f"{SKILL}{n}0000000-0000-4000-8000-000000000000" for n in "abcd")
INITIATIVE = f"{SKILL}001115fb-569f-4ee6-8381-c6807ef2527f"

SMALL = {
    "occupations_fr.csv": (
        OCCUPATION_COLUMNS,
        [
            {
                "conceptType": "Occupation",
                "conceptUri": SERVER,
                "iscoGroup": "5131",
                "preferredLabel": "serveur/serveuse (test)",
                "altLabels": "serveuse\n serveur \n\nserveuse",
                "description": "Sert les clients.",
                "code": "5131.2",
            },
            {
                "conceptType": "Occupation",
                "conceptUri": COOK,
                "iscoGroup": "5120",
                "preferredLabel": "cuisinier/cuisinière (test)",
                "code": "5120.1",
            },
            {
                "conceptType": "Occupation",
                "conceptUri": CLEANER,
                "iscoGroup": "9112",
                "preferredLabel": "agent d’entretien (test)",
                "code": "9112.1",
            },
        ],
    ),
    "skills_en_v1.1.1_cut.csv": (
        SKILL_CUT_COLUMNS,
        [
            (TEAMWORK, "skill/competence", "cross-sector", "cooperate with colleagues"),
            (ORDER, "skill/competence", "sector-specific", "take food and beverage orders"),
            (KNIFE, "skill/competence", "occupation-specific", "use knives"),
            (HYGIENE, "knowledge", "cross-sector", "food hygiene"),
            (NO_FR, "", "", "clean surfaces"),
            (INITIATIVE, "skill/competence", "transversal", "show initiative"),
        ],
    ),
    "skills_fr_esco_v1.0.x.csv": (
        SKILL_FR_OLD_COLUMNS,
        [
            (TEAMWORK, "coopérer avec des collègues"),
            (ORDER, "prendre les commandes"),
            (KNIFE, "utiliser des couteaux"),
            (HYGIENE, "hygiène alimentaire"),
            (INITIATIVE, "prendre des initiatives (v1.0)"),
            (f"{SKILL}e0000000-0000-4000-8000-000000000000", "un concept disparu"),
        ],
    ),
    "transversalSkillsCollection_fr.csv": (
        TRANSVERSAL_COLUMNS,
        [(INITIATIVE, "faire preuve d’initiative")],
    ),
    "occupationSkillRelations.csv.gz": (
        RELATION_COLUMNS,
        [
            (SERVER, "essential", ORDER),
            (SERVER, "optional", TEAMWORK),
            (SERVER, "optional", HYGIENE),
            (COOK, "essential", KNIFE),
            (COOK, "essential", HYGIENE),
            (COOK, "optional", TEAMWORK),
            (CLEANER, "essential", NO_FR),
        ],
    ),
}


def as_dict(header, row):
    """A small row as a dict of the file's columns: the order each file's tuples give."""
    if isinstance(row, dict):
        return row
    if header is SKILL_CUT_COLUMNS:
        keys = ("conceptUri", "skillType", "reuseLevel", "preferredLabel")
        return {"conceptType": "KnowledgeSkillCompetence", "status": "released"} | dict(
            zip(keys, row, strict=True)
        )
    if header in (SKILL_FR_OLD_COLUMNS, TRANSVERSAL_COLUMNS):
        return {"conceptType": "KnowledgeSkillCompetence"} | dict(
            zip(("conceptUri", "preferredLabel"), row, strict=True)
        )
    occupation, relation, skill = row
    return {"occupationUri": occupation, "relationType": relation, "skillUri": skill}


def write_csv(path: Path, header, rows, *, encoding="utf-8") -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        values = as_dict(header, row) if not isinstance(row, list) else row
        writer.writerow(
            [values.get(column, "") for column in header] if isinstance(values, dict) else values
        )
    data = text.getvalue().encode(encoding)
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)


def small_set(directory: Path, **changes) -> Path:
    """Write the small set; ``changes`` replaces the rows of a file (its name, dots as _)."""
    for name, (header, rows) in SMALL.items():
        write_csv(directory / name, header, changes.get(name.replace(".", "_"), rows))
    return directory


def test_small_set_maps_every_column(tmp_path):
    result = import_esco(small_set(tmp_path), write=True)

    assert result == {
        "occupations": 3, "skills": 6, "relations": 7, "essential": 4, "labels_fr": 5,
        "labels_transversal": 1, "labels_en_fallback": 1, "labels_fr_unused": 1, "skipped": 0,
    }  # fmt: skip
    server = EscoOccupation.objects.get(code="5131.2")
    assert (server.uri, server.label, server.isco_group) == (
        SERVER,
        "serveur/serveuse (test)",
        "5131",
    )
    assert server.alt_labels == "serveuse\nserveur"  # blanks and repeats dropped
    assert server.description == "Sert les clients."
    assert set(EscoSkill.objects.values_list("uri", "label", "label_en", "skill_type")) == {
        (TEAMWORK, "coopérer avec des collègues", "cooperate with colleagues", "skill/competence"),
        (ORDER, "prendre les commandes", "take food and beverage orders", "skill/competence"),
        (KNIFE, "utiliser des couteaux", "use knives", "skill/competence"),
        (HYGIENE, "hygiène alimentaire", "food hygiene", "knowledge"),
        (NO_FR, "clean surfaces", "clean surfaces", ""),  # no French label: English
        (INITIATIVE, "faire preuve d’initiative", "show initiative", "skill/competence"),
    }  # fmt: skip
    assert EscoSkill.objects.get(uri=KNIFE).reuse_level == "occupation-specific"
    assert set(EscoRelation.objects.values_list("occupation__code", "skill__uri", "essential")) == {
        ("5131.2", ORDER, True), ("5131.2", TEAMWORK, False), ("5131.2", HYGIENE, False),
        ("5120.1", KNIFE, True), ("5120.1", HYGIENE, True), ("5120.1", TEAMWORK, False),
        ("9112.1", NO_FR, True),
    }  # fmt: skip


def test_the_command_says_what_it_would_do_and_writes_nothing_without_wet_run(tmp_path):
    out, err = run(small_set(tmp_path))

    assert out.splitlines() == [
        "Would import 3 occupations, 6 skills, 7 relations (4 essential).",
        "French labels: 5 skills (1 from the transversal collection); 1 keep their English "
        "label (1 French labels name concepts absent from the skills file).",
        "No row skipped.",
        "Nothing written: add --wet-run to import.",
    ]
    assert "check relations: 7/7" in err
    assert counts() == NOTHING

    out, err = run(tmp_path, "--wet-run")
    assert out.splitlines()[0] == "Imported 3 occupations, 6 skills, 7 relations (4 essential)."
    assert "Nothing written" not in out
    assert "write relations: 7/7" in err
    assert counts() == {"occupations": 3, "skills": 6, "relations": 7}


def test_reimport_updates_in_place_and_replaces_the_relations(tmp_path):
    import_esco(small_set(tmp_path), write=True)
    ids = dict(EscoOccupation.objects.values_list("uri", "pk"))
    occupations = SMALL["occupations_fr.csv"][1]
    small_set(
        tmp_path,
        occupations_fr_csv=[{**occupations[0], "preferredLabel": "Renamed"}, *occupations[1:]],
        occupationSkillRelations_csv_gz=[(SERVER, "optional", ORDER)],
    )
    import_esco(tmp_path, write=True)
    import_esco(tmp_path, write=True)

    assert dict(EscoOccupation.objects.values_list("uri", "pk")) == ids
    assert EscoOccupation.objects.get(uri=SERVER).label == "Renamed"
    assert counts() == {"occupations": 3, "skills": 6, "relations": 1}
    assert list(
        EscoRelation.objects.values_list("occupation__code", "skill__uri", "essential")
    ) == [("5131.2", ORDER, False)]


def test_plain_relations_and_a_full_skills_file_are_read_too(tmp_path):
    small_set(tmp_path)
    (tmp_path / "occupationSkillRelations.csv").write_bytes(
        gzip.decompress((tmp_path / "occupationSkillRelations.csv.gz").read_bytes())
    )
    (tmp_path / "occupationSkillRelations.csv.gz").unlink()
    header = (*SKILL_CUT_COLUMNS[:6], "hiddenLabels", "status", "modifiedDate", "scopeNote")
    header += ("definition", "inScheme", "description")
    rows = [as_dict(SKILL_CUT_COLUMNS, row) for row in SMALL["skills_en_v1.1.1_cut.csv"][1][:2]]
    write_csv(tmp_path / "skills_en.csv", header, rows)

    result = import_esco(tmp_path, write=False, on_skip=lambda bad: None)
    assert (result["skills"], result["relations"]) == (2, 3)  # skills_en.csv preferred
    assert result["skipped"] == 4  # relations to the skills the full file lacks


def test_a_bad_header_names_the_file_and_columns_and_writes_nothing(tmp_path):
    small_set(tmp_path)
    write_csv(
        tmp_path / "occupationSkillRelations.csv.gz",
        ("occupationUri", "relation", "skillType", "skillUri"),
        [[SERVER, "essential", "", ORDER]],
    )
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--wet-run")
    assert str(error.value) == (
        "ESCO files not imported: occupationSkillRelations.csv.gz has an unexpected header "
        "(missing columns: relationType; unexpected columns: relation): expected the ESCO "
        "v1.1.1 layout."
    )
    assert counts() == NOTHING


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        (lambda h: h[:-1], "missing columns: code): an ESCO version before v1.1?"),
        (lambda h: (*h, "naceCode"), "unexpected columns: naceCode): an ESCO version after"),
    ],
)
def test_another_esco_version_is_refused(tmp_path, change, hint):
    small_set(tmp_path)
    header = change(OCCUPATION_COLUMNS)
    write_csv(tmp_path / "occupations_fr.csv", header, SMALL["occupations_fr.csv"][1])
    with pytest.raises(EscoImportError) as error:
        import_esco(tmp_path, write=True)
    assert str(error.value).startswith("occupations_fr.csv has an unexpected header (")
    assert hint in str(error.value)
    assert counts() == NOTHING


def test_a_latin1_file_is_refused(tmp_path):
    small_set(tmp_path)
    header, rows = SMALL["skills_fr_esco_v1.0.x.csv"]
    write_csv(tmp_path / "skills_fr_esco_v1.0.x.csv", header, rows, encoding="latin-1")
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--wet-run")
    assert str(error.value) == (
        "ESCO files not imported: skills_fr_esco_v1.0.x.csv is not UTF-8 (line 2, byte 0xe9): "
        "use the official UTF-8 file."
    )
    assert counts() == NOTHING


def test_a_file_cut_in_the_middle_of_a_row_is_refused(tmp_path):
    small_set(tmp_path)
    relations = tmp_path / "occupationSkillRelations.csv.gz"
    data = gzip.decompress(relations.read_bytes()) + f"{COOK},essen".encode()
    relations.write_bytes(gzip.compress(data))
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--wet-run")
    assert str(error.value) == (
        "ESCO files not imported: occupationSkillRelations.csv.gz ends in the middle of a row "
        "(line 9): truncated file?"
    )

    occupations = tmp_path / "occupations_fr.csv"
    occupations.write_bytes(occupations.read_bytes() + b'Occupation,x,5131,"serveur\nserv')
    with pytest.raises(EscoImportError, match="occupations_fr.csv is not valid CSV after line 7 "):
        import_esco(tmp_path, write=True)
    assert counts() == NOTHING


def test_a_truncated_gzip_file_is_refused(tmp_path):
    small_set(tmp_path)
    relations = tmp_path / "occupationSkillRelations.csv.gz"
    relations.write_bytes(relations.read_bytes()[:-12])
    with pytest.raises(EscoImportError) as error:
        import_esco(tmp_path, write=True)
    assert str(error.value).startswith(
        "occupationSkillRelations.csv.gz is not a complete gzip file ("
    )
    assert str(error.value).endswith("): truncated download?")
    assert counts() == NOTHING


def test_missing_files_are_named(tmp_path):
    small_set(tmp_path)
    (tmp_path / "occupationSkillRelations.csv.gz").unlink()
    (tmp_path / "skills_fr_esco_v1.0.x.csv").unlink()
    with pytest.raises(EscoImportError) as error:
        import_esco(tmp_path, write=False)
    assert str(error.value) == (
        f"Missing in {tmp_path}: skills_fr.csv or skills_fr*.csv; "
        "occupationSkillRelations.csv.gz or occupationSkillRelations.csv."
    )
    with pytest.raises(EscoImportError, match="nothing is not a folder"):
        import_esco(tmp_path / "nothing", write=False)


BAD = {
    "occupations_fr_csv": [
        *SMALL["occupations_fr.csv"][1],
        {
            "conceptType": "Occupation",
            "conceptUri": f"{OCC}not-a-uuid",
            "iscoGroup": "1111",
            "preferredLabel": "x",
            "code": "1111.1",
        },
        {
            "conceptType": "Occupation",
            "conceptUri": f"{OCC}40000000-0000-4000-8000-000000000000",
            "iscoGroup": "1111",
            "preferredLabel": "y",
            "code": "2222.1",
        },
    ],  # fmt: skip
    "occupationSkillRelations_csv_gz": [
        *SMALL["occupationSkillRelations.csv.gz"][1],
        (f"{OCC}f0000000-0000-4000-8000-000000000000", "essential", ORDER),
        (COOK, "essential", f"{SKILL}f0000000-0000-4000-8000-000000000000"),
        (COOK, "sometimes", ORDER),
        (SERVER, "essential", ORDER),
    ],
}


def test_bad_rows_are_reported_with_file_and_line_and_skipped(tmp_path):
    out, err = run(small_set(tmp_path, **BAD), "--wet-run")

    unknown = "f0000000-0000-4000-8000-000000000000"
    assert [line for line in err.splitlines() if line.startswith("Skipped")] == [
        f"Skipped: occupations_fr.csv, line 8: conceptUri '{OCC}not-a-uuid' is not an ESCO "
        "occupation URI",
        "Skipped: occupations_fr.csv, line 9: code '2222.1' is not an ESCO code of group 1111",
        f"Skipped: occupationSkillRelations.csv.gz, line 9: unknown occupation '{OCC}{unknown}'",
        f"Skipped: occupationSkillRelations.csv.gz, line 10: unknown skill '{SKILL}{unknown}'",
        "Skipped: occupationSkillRelations.csv.gz, line 11: relationType 'sometimes' "
        "(essential or optional)",
        f"Skipped: occupationSkillRelations.csv.gz, line 12: pair {SERVER}, {ORDER} appears twice",
    ]
    assert "Skipped 6 bad rows (occupationSkillRelations.csv.gz: 4, occupations_fr.csv: 2)." in out
    assert counts() == {"occupations": 3, "skills": 6, "relations": 7}


def test_strict_stops_on_the_first_bad_row_and_writes_nothing(tmp_path):
    small_set(tmp_path, occupationSkillRelations_csv_gz=BAD["occupationSkillRelations_csv_gz"])
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--wet-run", "--strict")
    assert str(error.value) == (
        "ESCO files not imported: occupationSkillRelations.csv.gz, line 9: unknown occupation "
        f"'{OCC}f0000000-0000-4000-8000-000000000000' (--strict: nothing written)"
    )
    assert counts() == NOTHING


def test_a_code_held_by_another_uri_stops_before_writing(tmp_path):
    EscoOccupation.objects.create(uri=f"{OCC}old", code="5131.2", label="old", isco_group="5131")
    with pytest.raises(EscoImportError, match="Occupation code 5131.2 belongs in the database"):
        import_esco(small_set(tmp_path), write=True)
    assert counts() == {"occupations": 1, "skills": 0, "relations": 0}


def test_a_failing_step_leaves_that_step_as_it_was(tmp_path, monkeypatch):
    import_esco(small_set(tmp_path), write=True)
    occupations = SMALL["occupations_fr.csv"][1]
    small_set(
        tmp_path,
        occupations_fr_csv=[{**row, "preferredLabel": "New"} for row in occupations],
        occupationSkillRelations_csv_gz=[(COOK, "optional", ORDER)],
    )

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(EscoRelation._default_manager, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        import_esco(tmp_path, write=True)

    assert set(EscoOccupation.objects.values_list("label", flat=True)) == {"New"}
    assert EscoRelation.objects.count() == 7


# The ESCO index --------------------------------------------------------------------------


def test_the_esco_index_counts_soft_skills_as_savoir_etre_and_leaves_knowledge_out(tmp_path):
    import_esco(small_set(tmp_path), write=True)
    index = selectors.index("esco")

    assert [m.code for m in index.metiers] == ["5120.1", "5131.2", "9112.1"]
    assert index.kinds[TEAMWORK] == "savoir_etre"
    assert index.kinds[ORDER] == index.kinds[NO_FR] == "savoir_faire"
    assert HYGIENE not in index.kinds
    assert index.metiers[index.position["5131.2"]].mobilities == ()

    profile = selectors.profile_from_levels({"teamwork": 3}, [ORDER], source="esco")
    teamwork = [skill["uri"] for skill in soft_skills()["teamwork"]]
    assert TEAMWORK in teamwork
    assert profile.items == {**dict.fromkeys(teamwork, 0.75), ORDER: 1.0}
    ranked = index.rank(profile, limit=3)
    assert [m.code for m in ranked] == ["5131.2", "5120.1"]
    assert ranked[0].missing == []
    assert selectors.item_labels({TEAMWORK, ORDER, HYGIENE}, source="esco") == {
        TEAMWORK: ("coopérer avec des collègues", "savoir_etre"),
        ORDER: ("prendre les commandes", "savoir_faire"),
        HYGIENE: ("hygiène alimentaire", "savoir"),
    }
    assert selectors.index() is not index  # ROME stays its own index


def test_the_esco_index_is_rebuilt_after_an_import(tmp_path):
    import_esco(small_set(tmp_path), write=True)
    first = selectors.index("esco")
    assert selectors.index("esco") is first
    small_set(tmp_path, occupationSkillRelations_csv_gz=[(SERVER, "essential", KNIFE)])
    import_esco(tmp_path, write=True)
    rebuilt = selectors.index("esco")
    assert rebuilt is not first
    assert rebuilt.metiers[rebuilt.position["5131.2"]].requirements == {KNIFE: True}


def test_an_unknown_source_is_refused():
    with pytest.raises(ValueError, match="Unknown source 'isco'"):
        selectors.index("isco")
    with pytest.raises(ValueError, match="Unknown source"):
        selectors.profile_from_levels({}, source="isco")


def test_the_bench_builds_from_the_files_the_index_the_database_gives(tmp_path):
    import_esco(small_set(tmp_path), write=True)
    from_files, from_database = bench.index_from_esco(tmp_path), selectors.index("esco")

    assert from_files.metiers == from_database.metiers  # codes, labels, requirements
    assert from_files.items == from_database.items
    assert {i: from_files.kinds[i] for i in from_files.items} == {
        i: from_database.kinds[i] for i in from_database.items
    }

    lines = bench.run_esco(tmp_path, people=20)
    assert lines[0].startswith("ESCO index: 3 occupations, 4 skills (1 savoir-être), 5 links")
    assert lines[1].startswith("top-20 for one person (with reasons): median ")
    assert lines[2].startswith("batch: 20 people ranked in ")
    assert lines[3].startswith(
        "quality: an occupation's own essential skills rank it in the top 5 for 3/3 "
    )


def test_bench_imports_needs_the_three_folders():
    with pytest.raises(CommandError, match="--imports needs --rome, --esco and --labour"):
        call_command("bench", "matching", "--imports", "--esco", str(ESCO_DIR))
