"""`atout import rome DIR`: the official ROME 4.0 files, and small broken sets built here."""

import csv
import io
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from atout.orientation.importers import COLUMNS, BadRow, RomeImportError, import_rome
from atout.orientation.models import Appellation, Item, Metier, Mobility, Requirement

pytestmark = pytest.mark.django_db

ROME_DIR = Path(os.environ.get("ATOUT_ROME_DIR", "/work/shared/data/reference/rome4_v460"))
needs_rome = pytest.mark.skipif(
    not (ROME_DIR / "unix_referentiel_code_rome_v460_utf8.csv").exists(),
    reason=f"the official ROME files are not in {ROME_DIR} (set ATOUT_ROME_DIR)",
)
FULL = {
    "metiers": 1584,
    "appellations": 13120,
    "items": 33671,  # 33,850 rows minus 179 work contexts
    "requirements": 90556,  # 104,219 pairs minus 13,663 to work contexts
    "mobilities": 14912,
}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "rome", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return {
        "metiers": Metier.objects.count(),
        "appellations": Appellation.objects.count(),
        "items": Item.objects.count(),
        "requirements": Requirement.objects.count(),
        "mobilities": Mobility.objects.count(),
    }


# A small valid set: rows give the columns they need, the others stay empty.
SMALL = {
    "referentiel_code_rome": [
        {"code_rome": "A1101", "libelle_rome": "Conduite d'engins (test)"},
        {"code_rome": "G1803", "libelle_rome": "Service en salle (test)"},
        {"code_rome": "N1103", "libelle_rome": "Préparation de commandes (test)"},
    ],
    "cr_gd_dp": [
        {
            "code_rome": code,
            "code_grand_domaine": code[0],
            "libelle_grand_domaine": f"GD {code[0]}",
            "code_domaine_professionel": code[:3],
            "libelle_domaine_professionel": f"DP {code[:3]}",
        }
        for code in ("A1101", "G1803", "N1103")
    ],  # fmt: skip
    "referentiel_code_rome_riasec": [
        {"code_rome": "A1101", "riasec_majeur": "R", "riasec_mineur": ""},
        {"code_rome": "G1803", "riasec_majeur": "S", "riasec_mineur": "E"},
        {"code_rome": "N1103", "riasec_majeur": "R", "riasec_mineur": "C"},
    ],
    "referentiel_appellation": [
        {
            "code_ogr": "10001",
            "libelle_appellation_long": "Serveur de salle (test)",
            "code_rome": "G1803",
        },
        {
            "code_ogr": "10002",
            "libelle_appellation_long": "Préparateur (test)",
            "code_rome": "N1103",
        },
    ],  # fmt: skip
    "item": [
        {"code_ogr": "100001", "libelle": "Prendre une commande (test)", "code_rubrique": "1"},
        {"code_ogr": "300465", "libelle": "Esprit d'équipe (test)", "code_rubrique": "2"},
        {"code_ogr": "200001", "libelle": "Gestes et postures (test)", "code_rubrique": "3"},
        {"code_ogr": "900001", "libelle": "Travail en soirée (test)", "code_rubrique": ""},
    ],
    "coherence_item": [
        {"code_rome": "G1803", "code_ogr": "100001", "coeur_metier": "Principale"},
        {"code_rome": "G1803", "code_ogr": "300465", "coeur_metier": ""},
        {"code_rome": "G1803", "code_ogr": "900001", "coeur_metier": ""},
        {"code_rome": "N1103", "code_ogr": "200001", "coeur_metier": "Émergente"},
    ],
    "rubrique_mobilite": [
        {"code_rome": "G1803", "code_rome_cible": "N1103", "numero_ordre": "2"},
        {"code_rome": "N1103", "code_rome_cible": "G1803", "numero_ordre": "1"},
        {"code_rome": "A1101", "code_rome_cible": "N1103", "numero_ordre": "1"},
    ],
    "texte": [
        {
            "code_rome": "G1803",
            "libelle_type_texte": "definition",
            "position_phrase": "2",
            "libelle_texte": "Dresse les tables.",
        },
        {
            "code_rome": "G1803",
            "libelle_type_texte": "definition",
            "position_phrase": "1",
            "libelle_texte": "Accueille les clients.",
        },
        {
            "code_rome": "G1803",
            "libelle_type_texte": "acces_metier",
            "position_phrase": "1",
            "libelle_texte": "Cet emploi est accessible sans diplôme. Un CAP est apprécié.",
        },
        {
            "code_rome": "N1103",
            "libelle_type_texte": "acces_metier",
            "position_phrase": "1",
            "libelle_texte": "Cet emploi est accessible avec un diplôme de niveau Bac+2 à Bac+3 d''un"
            " domaine technique.",
        },
        {
            "code_rome": "N1103",
            "libelle_type_texte": "competences",
            "position_phrase": "1",
            "libelle_texte": "Another kind of text: ignored.",
        },
    ],  # fmt: skip
}


def path_of(directory: Path, stem: str) -> Path:
    return directory / f"unix_{stem}_v460_utf8.csv"


def write_csv(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                [row.get(column, "") for column in header] if isinstance(row, dict) else row
            )


def small_set(directory: Path, **changes) -> Path:
    """Write the small set; ``changes`` replaces the rows of a file (by stem)."""
    for stem, header in COLUMNS.items():
        write_csv(path_of(directory, stem), header, changes.get(stem, SMALL[stem]))
    return directory


# The official files -----------------------------------------------------------------------


@needs_rome
def test_full_import_gives_the_documented_counts_and_a_second_one_changes_nothing():
    demo = Metier.objects.create(code="M1805", label="Démo", source="demo")
    out, err = run(ROME_DIR, "--wet-run")

    assert counts() == FULL
    assert (
        "Imported 1584 metiers, 13120 appellations, 33671 items, 90556 requirements, 14912 mobilities."
        in out
    )
    assert "No row skipped." in out
    assert "write mobilities: 14912/14912" in err
    assert set(Item.objects.values_list("kind", flat=True).distinct()) == {
        "savoir_faire",
        "savoir_etre",
        "savoir",
    }
    assert Item.objects.filter(kind="savoir_etre").count() == 16
    demo.refresh_from_db()
    assert demo.source == "rome" and demo.label != "Démo"
    assert (demo.grand_domaine, demo.domaine) == ("M", "M18")
    assert demo.grand_domaine_label and demo.domaine_label and demo.riasec_major
    assert Requirement.objects.filter(metier=demo, core=True).count() > 5
    assert Appellation.objects.filter(metier=demo).exists()
    targets = Mobility.objects.filter(source__code="A1101").order_by("order")
    assert targets.count() >= 6 and targets.first().order == 1
    assert not Item.objects.filter(label__regex=r"[\x80-\x9f]").exists()  # one U+0092 in the file

    Metier.objects.filter(code="A1101").update(label="Changed")
    assert import_rome(ROME_DIR, write=True)["skipped"] == 0
    assert counts() == FULL
    assert Metier.objects.get(code="A1101").label == "Conducteur / Conductrice d'engins agricoles"
    # "Accès à l'emploi": every fiche has one; most name a diploma level.
    assert not Metier.objects.filter(access="").exists()
    assert Metier.objects.filter(access_level=0).count() > 100
    assert Metier.objects.filter(access_level__isnull=False).count() > 1300
    assert not Metier.objects.filter(access__contains="''").exists()


@needs_rome
def test_a_dry_run_reads_everything_and_writes_nothing():
    Metier.objects.create(code="G1803", label="Démo", source="demo")
    out, err = run(ROME_DIR)

    assert "Would import 1584 metiers, 13120 appellations, 33671 items" in out
    assert "The database holds 1 métiers now, 1 of them from the demo set." in out
    assert (
        "Ignored by design: 179 work contexts (items without code_rubrique) and their 13663 links"
        in out
    )
    assert "Nothing written: add --wet-run to import." in out
    assert "check requirements: 104219/104219" in err and "write" not in err
    assert counts() == {**dict.fromkeys(FULL, 0), "metiers": 1}
    assert Metier.objects.get().source == "demo"


# Small sets -------------------------------------------------------------------------------


def test_small_set_maps_every_column(tmp_path):
    Metier.objects.create(code="G1803", label="Démo", source="demo")
    result = import_rome(small_set(tmp_path), write=True)

    assert result == {
        "metiers": 3, "appellations": 2, "items": 3, "requirements": 3, "mobilities": 3,
        "work_contexts": 1, "work_context_links": 1, "skipped": 0,
    }  # fmt: skip
    service = Metier.objects.get(code="G1803")
    assert (service.label, service.source) == ("Service en salle (test)", "rome")
    assert (service.grand_domaine, service.grand_domaine_label) == ("G", "GD G")
    assert (service.domaine, service.domaine_label) == ("G18", "DP G18")
    assert (service.riasec_major, service.riasec_minor) == ("S", "E")
    assert dict(Item.objects.values_list("code_ogr", "kind")) == {
        "100001": "savoir_faire", "300465": "savoir_etre", "200001": "savoir",
    }  # fmt: skip
    assert set(Requirement.objects.values_list("metier__code", "item__code_ogr", "core")) == {
        ("G1803", "100001", True), ("G1803", "300465", False), ("N1103", "200001", False),
    }  # fmt: skip
    assert Appellation.objects.get(code_ogr="10001").metier == service
    assert Mobility.objects.get(source=service).order == 2
    assert service.definition == "Accueille les clients. Dresse les tables."
    assert service.access == "Cet emploi est accessible sans diplôme. Un CAP est apprécié."
    assert service.access_level == 0
    picking = Metier.objects.get(code="N1103")
    assert picking.access_level == 5 and "d'un domaine" in picking.access  # '' → '
    driving = Metier.objects.get(code="A1101")
    assert (driving.definition, driving.access, driving.access_level) == ("", "", None)


def test_the_texts_file_is_optional(tmp_path):
    small_set(tmp_path)
    path_of(tmp_path, "texte").unlink()
    assert import_rome(tmp_path, write=True)["metiers"] == 3
    assert Metier.objects.get(code="G1803").access_level is None


def test_reimport_updates_and_replaces_links(tmp_path):
    import_rome(small_set(tmp_path), write=True)
    ids = dict(Metier.objects.values_list("code", "pk"))
    small_set(
        tmp_path,
        referentiel_appellation=[
            {"code_ogr": "10001", "libelle_appellation_long": "Renamed", "code_rome": "N1103"}
        ],
        coherence_item=[{"code_rome": "G1803", "code_ogr": "100001", "coeur_metier": ""}],
        rubrique_mobilite=[{"code_rome": "A1101", "code_rome_cible": "G1803", "numero_ordre": "4"}],
    )
    import_rome(tmp_path, write=True)

    assert dict(Metier.objects.values_list("code", "pk")) == ids
    appellation = Appellation.objects.get(code_ogr="10001")
    assert (appellation.label, appellation.metier.code) == ("Renamed", "N1103")
    assert Appellation.objects.count() == 2  # an appellation gone from the file stays
    assert list(Requirement.objects.values_list("metier__code", "item__code_ogr", "core")) == [
        ("G1803", "100001", False)
    ]
    assert list(Mobility.objects.values_list("source__code", "target__code", "order")) == [
        ("A1101", "G1803", 4)
    ]


def test_a_bad_header_names_the_file_and_columns_and_writes_nothing(tmp_path):
    small_set(tmp_path)
    write_csv(
        path_of(tmp_path, "rubrique_mobilite"),
        ["code_rome", "code_rome_dest", "numero_ordre"],
        [["G1803", "N1103", "1"]],
    )
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--wet-run")
    assert str(error.value) == (
        "ROME files not imported: unix_rubrique_mobilite_v460_utf8.csv has an unexpected "
        "header (missing columns: code_rome_cible; unexpected columns: code_rome_dest)."
    )
    assert counts() == dict.fromkeys(FULL, 0)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    small_set(tmp_path)
    item = path_of(tmp_path, "item")
    item.write_bytes(item.read_bytes() + '"100002","Préparer un café","1"\n'.encode("cp1252"))
    with pytest.raises(
        CommandError, match=r"unix_item_v460_utf8.csv is not UTF-8 \(line 6, byte 0xe9\)"
    ):
        run(tmp_path, "--wet-run")
    assert counts() == dict.fromkeys(FULL, 0)


def test_a_truncated_file_is_refused(tmp_path):
    small_set(tmp_path)
    coherence = path_of(tmp_path, "coherence_item")
    coherence.write_bytes(coherence.read_bytes() + b'"N1103","100001","Princi')
    with pytest.raises(
        CommandError, match="unix_coherence_item_v460_utf8.csv is not valid CSV after line 5"
    ):
        run(tmp_path, "--wet-run")
    assert counts() == dict.fromkeys(FULL, 0)


def test_missing_files_are_named(tmp_path):
    small_set(tmp_path)
    path_of(tmp_path, "item").unlink()
    with pytest.raises(RomeImportError, match=r"Missing in .*: unix_item_v460_utf8.csv\."):
        import_rome(tmp_path, write=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(RomeImportError, match="No ROME file in .*empty"):
        import_rome(tmp_path / "empty", write=False)
    with pytest.raises(RomeImportError, match="nothing is not a folder"):
        import_rome(tmp_path / "nothing", write=False)


BAD = {
    "referentiel_appellation": [
        *SMALL["referentiel_appellation"],
        {"code_ogr": "10003", "libelle_appellation_long": "Orpheline", "code_rome": "B9999"},
    ],
    "coherence_item": [*SMALL["coherence_item"], ["N1103", "777777", "", "extra"]],
    "rubrique_mobilite": [
        {"code_rome": "G1803", "code_rome_cible": "K9999", "numero_ordre": "1"},
        *SMALL["rubrique_mobilite"],
        {"code_rome": "N1103", "code_rome_cible": "A1101", "numero_ordre": "x"},
        {"code_rome": "N1103", "code_rome_cible": "A1101", "numero_ordre": "3"},
    ],
}


def test_unknown_codes_are_reported_with_their_line_and_skipped(tmp_path):
    out, err = run(small_set(tmp_path, **BAD), "--wet-run")

    assert [line for line in err.splitlines() if line.startswith("Skipped")] == [
        "Skipped: unix_referentiel_appellation_v460_utf8.csv, line 4: appellation 10003: unknown métier 'B9999'",
        "Skipped: unix_coherence_item_v460_utf8.csv, line 6: 4 fields instead of 3",
        "Skipped: unix_rubrique_mobilite_v460_utf8.csv, line 2: G1803: unknown target métier 'K9999'",
        "Skipped: unix_rubrique_mobilite_v460_utf8.csv, line 6: N1103 → A1101: numero_ordre 'x'",
    ]
    assert (
        "Skipped 4 bad rows (unix_coherence_item_v460_utf8.csv: 1, "
        "unix_referentiel_appellation_v460_utf8.csv: 1, unix_rubrique_mobilite_v460_utf8.csv: 2)."
    ) in out
    assert "Imported 3 metiers, 2 appellations, 3 items, 3 requirements, 4 mobilities." in out
    assert not Appellation.objects.filter(code_ogr="10003").exists()
    assert Mobility.objects.get(source__code="N1103", target__code="A1101").order == 3


def test_strict_stops_on_the_first_bad_row_and_writes_nothing(tmp_path):
    with pytest.raises(CommandError) as error:
        run(small_set(tmp_path, **BAD), "--wet-run", "--strict")
    assert str(error.value) == (
        "ROME files not imported: unix_referentiel_appellation_v460_utf8.csv, line 4: "
        "appellation 10003: unknown métier 'B9999' (--strict: nothing written)"
    )
    assert counts() == dict.fromkeys(FULL, 0)


def test_on_skip_gets_the_bad_rows(tmp_path):
    bad: list[BadRow] = []
    result = import_rome(small_set(tmp_path, **BAD), write=False, on_skip=bad.append)
    assert result["skipped"] == 4
    assert [(b.file.removeprefix("unix_"), b.line) for b in bad] == [
        ("referentiel_appellation_v460_utf8.csv", 4),
        ("coherence_item_v460_utf8.csv", 6),
        ("rubrique_mobilite_v460_utf8.csv", 2),
        ("rubrique_mobilite_v460_utf8.csv", 6),
    ]


def test_a_failing_step_leaves_that_step_as_it_was(tmp_path, monkeypatch):
    import_rome(small_set(tmp_path), write=True)
    small_set(
        tmp_path,
        referentiel_code_rome=[
            {**row, "libelle_rome": "New"} for row in SMALL["referentiel_code_rome"]
        ],
        rubrique_mobilite=[{"code_rome": "A1101", "code_rome_cible": "G1803", "numero_ordre": "9"}],
    )

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Mobility._default_manager, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        import_rome(tmp_path, write=True)

    assert set(Metier.objects.values_list("label", flat=True)) == {"New"}  # steps before: written
    assert set(Mobility.objects.values_list("source__code", "target__code", "order")) == {
        ("G1803", "N1103", 2), ("N1103", "G1803", 1), ("A1101", "N1103", 1),
    }  # fmt: skip
