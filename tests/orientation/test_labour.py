"""`atout import labour DIR`, "Métiers qui recrutent près de chez moi" and its API call."""

import csv
import io
import os
from html import unescape
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from ninja.testing import TestClient

from atout.assessments.models import Assessment
from atout.orientation.api_public import public_router
from atout.orientation.demo import demo_labour_data, load_demo, load_demo_labour
from atout.orientation.importers import import_rome
from atout.orientation.labour import FILES, LabourImportError, import_labour
from atout.orientation.models import LabourFigure, Metier
from atout.referentiel.models import Skill
from tests.orientation.test_import_rome import ROME_DIR, needs_rome

pytestmark = pytest.mark.django_db

LABOUR_DIR = Path(os.environ.get("ATOUT_LABOUR_DIR", "/work/shared/data/reference/labour_market"))
needs_labour = pytest.mark.skipif(
    not (LABOUR_DIR / "bmo_2025_open_data.csv").exists(),
    reason=f"the labour-market files are not in {LABOUR_DIR} (set ATOUT_LABOUR_DIR)",
)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "labour", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# A small set: what each rule of the import needs, and nothing else -----------------------

BMO_ROWS = [  # code, label, département, bassin, met, xmet, smet
    ("S2X61", "Serveurs de cafés restaurants", "93", "1147", "100", "40", "10"),
    ("S2X61", "Serveurs de cafés restaurants", "93", "1148", "50", "*", "5"),
    ("S2X61", "Serveurs de cafés restaurants", "93", "1149", "*", "*", "*"),
    ("S2X61", "Serveurs de cafés restaurants", "75", "1107", "*", "*", "*"),
    ("T4X60", "Agents d'entretien de locaux", "93", "1147", "300", "30", "0"),
    ("Z9X99", "Un métier BMO absent de la table FAP", "93", "1147", "20", "1", "1"),
]
FAP_LINES = [
    "S;Hôtellerie, restauration, alimentation;",
    ";;",
    "S2Z;Employés et agents de maîtrise de l'hôtellerie et de la restauration;",
    "S2Z61;561a;G1803",
    ";561b;",
    '"  * (FAP S2Z61) Une note de bas de tableau, ""citée"".";;',
    ";;",
    "T4Z60;684a;K2204",
]
COMMUNES = [("93001", "93", "1147"), ("93005", "93", "1119"), ("95018", "95", "1119"),
            ("75056", "75", "1107")]  # fmt: skip
TENSION_ROWS = [  # ROME, bassin, oee, defm_abc, ind_tension_d
    ("G1803", "1147", "10", "30", "5"),
    ("G1803", "1119", "30", "30", "1"),
    ("N1103", "1107", "12,5", "25", "3"),
]


def write_csv(path: Path, header, rows, delimiter=",") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def small_set(directory: Path, *, bmo=None, communes=None, tension=None, fap=None) -> Path:
    bmo_header, tension_header, bassins_header = (
        FILES[key][2] for key in ("bmo", "tension", "bassins")
    )
    write_csv(
        directory / "bmo_2025_open_data.csv",
        bmo_header,
        [
            [
                "2025",
                code,
                label,
                "Z",
                "Famille",
                "11",
                "IDF",
                dep,
                "Nom",
                bassin,
                "B",
                met,
                xmet,
                smet,
            ]
            for code, label, dep, bassin, met, xmet, smet in (bmo or BMO_ROWS)
        ],
    )
    write_csv(
        directory / "lexique_bassins_be19_communes.csv",
        bassins_header,
        [
            [insee, "J", "11", dep, insee, "Commune", bassin, "Bassin"]
            for insee, dep, bassin in (communes or COMMUNES)
        ],
    )
    write_csv(
        directory / "tension_rome_bassin_2021.csv",
        tension_header,
        [
            ["2021", rome, bassin, oee, defm, level, "1", "1", "1", "1", "1", ""]
            for rome, bassin, oee, defm, level in (tension or TENSION_ROWS)
        ],
        delimiter=";",
    )
    (directory / "table_correspondance_fap_pcs_rome.csv").write_bytes(
        "\r\n".join(fap or FAP_LINES).encode("utf-8") + b"\r\n"
    )
    return directory


@pytest.fixture
def metiers():
    for code, label, parent in [
        ("G1803", "Serveur / Serveuse", "G1803"),
        ("G1805", "Sommelier / Sommelière", "G1803"),  # a ROME 4.0 child of G1803
        ("K2204", "Agent / Agente de nettoyage", "K2204"),
        ("N1103", "Magasinier / Magasinière", ""),  # no parent: its own code
    ]:
        Metier.objects.create(code=code, label=label, parent_code=parent, source="rome")


def figure(code, departement, dataset):
    return LabourFigure.objects.get(metier__code=code, departement=departement, dataset=dataset)


def test_small_set_gives_each_figure_its_rule_source_and_year(tmp_path, metiers):
    counts = import_labour(small_set(tmp_path), write=True)

    assert {key: counts[key] for key in ("bmo", "tension", "metiers", "departements", "skipped")} == {
        "bmo": 5, "tension": 5, "metiers": 4, "departements": 3, "skipped": 0,
    }  # fmt: skip
    assert counts["bmo_unmapped_families"] == 1 and counts["bmo_unmapped_projects"] == 20
    assert counts["fap_families"] == 2 and counts["fap_notes"] == 1
    waiter = figure("G1803", "93", "bmo")
    assert (waiter.source, waiter.year) == ("BMO 2025, France Travail", 2025)
    # 100 + 50 known, one bassin secret: at least 150, not 150 and not unknown
    assert (waiter.projects, waiter.projects_partial) == (150, True)
    assert waiter.hard_share == 0.4  # 40 / 100: the bassin where xmet is secret left out
    assert waiter.seasonal_share == 0.1  # 15 / 150
    assert waiter.bmo_families == "S2X61 Serveurs de cafés restaurants"
    assert figure("G1805", "93", "bmo").projects == 150  # through its ROME v3 parent
    secret = figure("G1803", "75", "bmo")
    assert (secret.projects, secret.projects_partial, secret.hard_share) == (None, False, None)
    cleaning = figure("K2204", "93", "bmo")
    assert (cleaning.projects, cleaning.projects_partial, cleaning.seasonal_share) == (
        300,
        False,
        0.0,
    )
    assert not LabourFigure.objects.filter(metier__code="N1103", dataset="bmo").exists()

    tension = figure("G1803", "93", "tension")
    assert (tension.source, tension.year) == ("Tensions 2021, DARES – France Travail", 2021)
    assert (tension.offers, tension.jobseekers, tension.competition) == (40, 60, 1.5)
    assert tension.tension == 2.0  # (10 × 5 + 30 × 1) / 40: weighted by offers
    border = figure("G1803", "95", "tension")  # bassin 1119 lies in 93 and 95: counts in both
    assert (border.offers, border.competition, border.tension) == (30, 1.0, 1.0)
    assert figure("N1103", "75", "tension").offers == 12.5  # decimal comma


def test_a_reimport_replaces_the_figures_and_the_demo_ones(tmp_path, metiers):
    LabourFigure.objects.create(
        metier=Metier.objects.get(code="K2204"), departement="13", dataset="demo",
        source="Données de démonstration", year=2025, projects=1,
    )  # fmt: skip
    import_labour(small_set(tmp_path), write=True)
    first = set(
        LabourFigure.objects.values_list("metier__code", "departement", "source", "projects")
    )
    assert not LabourFigure.objects.filter(dataset="demo").exists()
    import_labour(small_set(tmp_path, bmo=BMO_ROWS[:1]), write=True)
    assert LabourFigure.objects.filter(dataset="bmo").count() == 2  # G1803, G1805 in 93
    assert figure("G1803", "93", "bmo").projects == 100
    assert len(first) == 10
    assert load_demo_labour() == 0  # real figures: no demo figures any more


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path, metiers):
    out, err = run(small_set(tmp_path))
    assert "Would import 5 BMO 2025 figures and 5 tension 2021 figures, for 4 métiers" in out
    assert "1 BMO métiers have no family in the FAP table (20 of 470 known projects, 4 %)" in out
    assert "Nothing written: add --wet-run to import." in out
    assert "check bmo:" in err and "write" not in err  # progress, on stderr
    assert not LabourFigure.objects.exists()
    out, err = run(tmp_path, "--wet-run")
    assert "Imported 5 BMO 2025 figures" in out and "No row skipped." in out
    assert "write bmo: 5/5" in err and "write tension: 5/5" in err
    assert LabourFigure.objects.count() == 10


def test_a_bad_header_names_the_file_and_columns_and_writes_nothing(tmp_path, metiers):
    small_set(tmp_path)
    header = list(FILES["tension"][2])
    header[3] = "offres"
    write_csv(tmp_path / "tension_rome_bassin_2021.csv", header, [], delimiter=";")
    with pytest.raises(CommandError) as error:
        run(tmp_path, "--wet-run")
    assert str(error.value) == (
        "Labour-market files not imported: tension_rome_bassin_2021.csv has an unexpected "
        "header (missing columns: oee; unexpected columns: offres)."
    )
    assert not LabourFigure.objects.exists()


def test_a_fap_table_with_a_header_is_refused(tmp_path, metiers):
    small_set(tmp_path, fap=["FAP;PCS;ROME", *FAP_LINES])
    with pytest.raises(LabourImportError, match="line 1: expected a FAP family or heading"):
        import_labour(tmp_path, write=True)
    assert not LabourFigure.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path, metiers):
    small_set(tmp_path)
    path = tmp_path / "lexique_bassins_be19_communes.csv"
    path.write_bytes(
        path.read_bytes() + "93008,J,11,93,93008,Bobigny-Préfecture,1147,B\n".encode("cp1252")
    )
    with pytest.raises(
        CommandError,
        match=r"lexique_bassins_be19_communes.csv is not UTF-8 \(line 6, byte 0xe9\)",
    ):
        run(tmp_path, "--wet-run")
    assert not LabourFigure.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bmo": [*BMO_ROWS, ("S2X61", "Serveurs", "20", "2001", "10", "1", "1")]},
         "bmo_2025_open_data.csv, line 8: unknown département '20'. Nothing written."),
        ({"communes": [*COMMUNES, ("99001", "99", "9901")]},
         "lexique_bassins_be19_communes.csv, line 6: unknown département '99'."),
    ],
)  # fmt: skip
def test_an_unknown_departement_stops_the_import(tmp_path, metiers, change, message):
    with pytest.raises(CommandError, match=message):
        run(small_set(tmp_path, **change), "--wet-run")
    assert not LabourFigure.objects.exists()


def test_bad_rows_are_reported_with_file_and_line_and_skipped(tmp_path, metiers):
    small_set(
        tmp_path,
        bmo=[*BMO_ROWS, ("S2X61", "Serveurs", "93", "1147", "12", "n/a", "1")],
        tension=[*TENSION_ROWS, ("G1803", "7549", "1", "1", "1")],
        fap=[*FAP_LINES, "T;Services aux particuliers;", ";;K2503"],
    )
    out, err = run(tmp_path, "--wet-run")
    assert "Skipped: bmo_2025_open_data.csv, line 8: met, xmet, smet '12', 'n/a', '1'" in err
    assert "Skipped: tension_rome_bassin_2021.csv, line 5: G1803: bassin '7549' not in" in err
    assert "Skipped: table_correspondance_fap_pcs_rome.csv, line 10: ROME K2503 outside" in err
    assert "Skipped 3 bad rows" in out
    assert figure("G1803", "93", "bmo").projects == 150  # the bad row left out

    LabourFigure.objects.all().delete()
    with pytest.raises(CommandError, match=r"line 10: .* \(--strict: nothing written\)"):
        run(tmp_path, "--wet-run", "--strict")
    assert not LabourFigure.objects.exists()


def test_missing_files_are_named(tmp_path, metiers):
    small_set(tmp_path)
    (tmp_path / "tension_rome_bassin_2021.csv").unlink()
    with pytest.raises(CommandError, match=r"Missing in .*: tension_rome_bassin_\*\.csv\."):
        run(tmp_path)


@needs_rome
@needs_labour
def test_the_real_files_give_the_documented_counts():
    import_rome(ROME_DIR, write=True)
    assert Metier.objects.get(code="G1609").parent_code == "G1602"  # from code_rome_parent
    counts = import_labour(LABOUR_DIR, write=True)

    assert {key: counts[key] for key in ("bmo", "tension", "metiers", "departements")} == {
        "bmo": 104_371, "tension": 50_593, "metiers": 1_389, "departements": 101,
    }  # fmt: skip
    assert (counts["bmo_rows"], counts["bmo_secret_rows"], counts["tension_rows"]) == (
        50_076, 11_452, 27_111,
    )  # fmt: skip
    assert counts["skipped"] == 24  # bassin 7549 of the tension file is not in the lexicon
    assert (counts["bmo_unmapped_families"], counts["bmo_unmapped_projects"]) == (87, 488_372)
    assert counts["tension_unmatched_codes"] == 0
    assert LabourFigure.objects.count() == 104_371 + 50_593
    waiter = figure("G1803", "93", "bmo")
    assert (waiter.projects, waiter.hard_share) == (696, 0.375)
    assert figure("G1803", "93", "tension").competition == 1.6


# The page and the API, on the demo figures -----------------------------------------------


@pytest.fixture
def demo(default_framework):
    load_demo()


def test_the_demo_figures_are_marked_and_cover_the_demo_metiers(demo):
    data = demo_labour_data()
    assert data["departement"] == "93" and data["year"] == 2025
    assert data["source"] == "Données de démonstration" and "inventés" in data["note"]
    assert LabourFigure.objects.filter(dataset="demo", departement="93").count() == len(
        data["figures"]
    )
    assert load_demo_labour() == 0  # loading twice adds nothing


def test_the_page_shows_sections_with_source_and_year(demo):
    response = Client().get("/orientation/recrutent/", {"departement": "93"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    titles = ["Recrutent beaucoup", "Peu de concurrence", "Difficiles à pourvoir"]
    assert [html.index(title) for title in titles] == sorted(html.index(t) for t in titles)
    assert "Proches de mes compétences" not in html
    assert "Source : Données de démonstration, année 2025" in html
    assert "Chiffres de démonstration" in html
    assert "1\u00a0600 projets de recrutement" in html  # K2205, the most in the demo set
    assert "Demandeurs d'emploi par offre : 0,9" in html  # N4103: 140 / 160


def test_close_metiers_come_first_only_with_skills(demo):
    html = (
        Client()
        .get(
            "/orientation/recrutent/",
            {"departement": "93", "competence": ["service_orientation:4", "teamwork:3"]},
        )
        .content.decode()
    )
    assert "Proches de mes compétences" in html
    assert html.index("Proches de mes compétences") < html.index("Recrutent beaucoup")


def test_a_person_gets_their_departement_and_their_skills(user, user_client, demo):
    user.departement = "93"
    user.save()
    html = user_client.get("/orientation/recrutent/").content.decode()
    assert "Recrutent beaucoup" in html and "Proches de mes compétences" not in html
    Assessment.objects.create(owner=user, skill=Skill.objects.get(code="teamwork"), level=3)
    html = user_client.get("/orientation/recrutent/").content.decode()
    assert "Proches de mes compétences" in html


def test_an_unknown_departement_is_a_clear_400(demo):
    response = Client().get("/orientation/recrutent/", {"departement": "20"})
    assert response.status_code == 400
    assert "« 20 » n'est pas un département connu" in unescape(response.content.decode())
    assert Client().get("/orientation/recrutent/", {"departement": "2a"}).status_code == 200
    html = Client().get("/orientation/recrutent/", {"departement": "75"}).content.decode()
    assert "Pas encore de chiffres pour ce département." in html
    assert "Choisis ton département" in Client().get("/orientation/recrutent/").content.decode()


def test_the_api_gives_sections_with_each_figure_source_and_year(demo):
    api = TestClient(public_router)
    body = api.get("/jobs/recruiting?departement=93").json()
    assert body["departement"] == "93" and body["demo"] is True
    assert [s["key"] for s in body["sections"]] == [
        "many", "no_diploma", "up_to_bac_2", "competition", "hard",
    ]  # fmt: skip
    sections = {s["key"]: s for s in body["sections"]}
    levels = dict(Metier.objects.values_list("code", "access_level"))
    no_diploma = [m["code"] for i in sections["no_diploma"]["items"] for m in i["metiers"]]
    up_to_bac_2 = [m["code"] for i in sections["up_to_bac_2"]["items"] for m in i["metiers"]]
    assert no_diploma and {levels[code] for code in no_diploma} == {0}
    assert up_to_bac_2 and all(0 < levels[code] <= 5 for code in up_to_bac_2)
    first = body["sections"][0]["items"][0]
    assert first["metiers"] == [
        {"code": "K2205", "label": "Agent / Agente de nettoyage de bureaux"}
    ]
    assert first["figures"][0] == {
        "kind": "projects", "value": 1600, "at_least": False,
        "source": "Données de démonstration", "year": 2025,
    }  # fmt: skip
    assert all(
        f["source"] and f["year"]
        for s in body["sections"]
        for i in s["items"]
        for f in i["figures"]
    )
    close = api.get("/jobs/recruiting?departement=93&competence=teamwork:3").json()
    assert close["sections"][0]["key"] == "close"
    response = api.get("/jobs/recruiting?departement=99")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Unknown département '99' (e.g. 93, 2A).",
        "code": "invalid",
    }
    assert api.get("/jobs/recruiting?departement=75").json()["sections"] == []


def test_the_api_route_needs_no_token_once_registered(demo):
    response = Client().get("/api/v1/jobs/recruiting", {"departement": "93"})
    if response.status_code == 404:
        pytest.skip("public_router is not registered in atout/api/api.py yet")
    assert response.status_code == 200 and response.json()["sections"]
