from argparse import ArgumentParser
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atout.orientation import esco
from atout.orientation.esco import EscoImportError, import_esco
from atout.orientation.importers import STEPS, BadRow, RomeImportError, import_rome
from atout.orientation.labour import LabourImportError, import_labour
from atout.orientation.models import Metier, Source

SHOWN_BAD_ROWS = 50
BAR_WIDTH = 24


class Command(BaseCommand):
    help = (
        "Import official reference data. `import rome DIR` reads the ROME 4.0 CSV files "
        "(France Travail, unix_*_utf8.csv); `import labour DIR` the labour-market figures "
        "(BMO, tension, bassins, FAP table); `import esco DIR` the ESCO v1.1.1 occupations, "
        "skills and their relations. Without --wet-run they only read and check."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{rome,labour,esco}")
        rome = sub.add_parser(
            "rome",
            help="ROME 4.0 métiers, appellations, items, requirements and mobilities.",
        )
        rome.add_argument("directory", metavar="DIR", help="Folder of the unix_*_utf8.csv files.")
        rome.add_argument("--wet-run", action="store_true", help="Write (else: check only).")
        rome.add_argument(
            "--strict",
            action="store_true",
            help="Stop on the first bad row, writing nothing (else: report and skip it).",
        )
        labour = sub.add_parser(
            "labour",
            help="Recruitment projects (BMO) and tension by métier and département.",
        )
        labour.add_argument(
            "directory",
            metavar="DIR",
            help="Folder of bmo_*_open_data.csv, tension_rome_bassin_*.csv, "
            "lexique_bassins_be19_communes.csv and table_correspondance_fap_pcs_rome.csv.",
        )
        labour.add_argument("--wet-run", action="store_true", help="Write (else: check only).")
        labour.add_argument(
            "--strict",
            action="store_true",
            help="Stop on the first bad row, writing nothing (else: report and skip it).",
        )

        esco_parser = sub.add_parser(
            "esco",
            help="ESCO v1.1.1 occupations (French), skills and what each occupation calls for.",
        )
        esco_parser.add_argument(
            "directory",
            metavar="DIR",
            help="Folder of occupations_fr.csv, skills_en*.csv, skills_fr*.csv, "
            "transversalSkillsCollection_fr.csv and occupationSkillRelations.csv(.gz).",
        )
        esco_parser.add_argument("--wet-run", action="store_true", help="Write (else: check only).")
        esco_parser.add_argument(
            "--strict",
            action="store_true",
            help="Stop on the first bad row, writing nothing (else: report and skip it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "labour":
            self.do_labour(**options)
        elif options["what"] == "esco":
            self.do_esco(**options)
        else:
            self.do_rome(**options)

    def _skipper(self, bad_rows: list[BadRow]) -> Callable[[BadRow], None]:
        def on_skip(bad: BadRow) -> None:
            bad_rows.append(bad)
            if len(bad_rows) <= SHOWN_BAD_ROWS:
                self.stderr.write(f"Skipped: {bad}")

        return on_skip

    def _bad_rows_summary(self, bad_rows: list[BadRow]) -> None:
        if len(bad_rows) > SHOWN_BAD_ROWS:
            self.stderr.write(f"… and {len(bad_rows) - SHOWN_BAD_ROWS} more skipped rows.")
        if bad_rows:
            per_file = Counter(bad.file for bad in bad_rows)
            files = ", ".join(f"{name}: {n}" for name, n in sorted(per_file.items()))
            self.stdout.write(f"Skipped {len(bad_rows)} bad rows ({files}).")
        else:
            self.stdout.write("No row skipped.")

    def do_labour(
        self, *, directory: str, wet_run: bool, strict: bool, verbosity: int, **_: Any
    ) -> None:
        bad_rows: list[BadRow] = []
        try:
            counts = import_labour(
                Path(directory),
                write=wet_run,
                strict=strict,
                on_skip=self._skipper(bad_rows),
                progress=self._progress if verbosity > 0 else None,
            )
        except LabourImportError as error:
            raise CommandError(f"Labour-market files not imported: {error}") from error
        summary = (
            f"{counts['bmo']} BMO {counts['bmo_year']} figures and {counts['tension']} "
            f"tension {counts['tension_year']} figures, for {counts['metiers']} métiers "
            f"in {counts['departements']} départements"
        )
        self.stdout.write(f"Imported {summary}." if wet_run else f"Would import {summary}.")
        self.stdout.write(
            f"Read {counts['bmo_rows']} BMO rows ({counts['bmo_secret_rows']} with met secret), "
            f"{counts['tension_rows']} tension rows, {counts['communes']} communes in "
            f"{counts['bassins']} bassins, {counts['fap_families']} FAP families "
            f"({counts['fap_links']} links to ROME v3 codes)."
        )
        projects, unmapped = counts["bmo_projects"], counts["bmo_unmapped_projects"]
        share = f"{100 * unmapped / projects:.0f} %" if projects else "-"
        self.stdout.write(
            f"Not covered: {counts['bmo_unmapped_families']} BMO métiers have no family in the "
            f"FAP table ({unmapped} of {projects} known projects, {share}); "
            f"{counts['tension_unmatched_codes']} of the {counts['tension_codes']} ROME codes "
            f"of the tension file are the parent of no métier in the database "
            f"({counts['metiers_in_database']} métiers)."
        )
        self._bad_rows_summary(bad_rows)
        if not wet_run:
            self.stdout.write("Nothing written: add --wet-run to import.")

    def do_esco(
        self, *, directory: str, wet_run: bool, strict: bool, verbosity: int, **_: Any
    ) -> None:
        bad_rows: list[BadRow] = []
        try:
            counts = import_esco(
                Path(directory),
                write=wet_run,
                strict=strict,
                on_skip=self._skipper(bad_rows),
                progress=self._progress if verbosity > 0 else None,
            )
        except EscoImportError as error:
            raise CommandError(f"ESCO files not imported: {error}") from error
        summary = ", ".join(f"{counts[step]} {step}" for step in esco.STEPS)
        essential = f" ({counts['essential']} essential)"
        self.stdout.write(
            f"Imported {summary}{essential}." if wet_run else f"Would import {summary}{essential}."
        )
        self.stdout.write(
            f"French labels: {counts['labels_fr']} skills ({counts['labels_transversal']} "
            f"from the transversal collection); {counts['labels_en_fallback']} keep their "
            f"English label ({counts['labels_fr_unused']} French labels name concepts "
            "absent from the skills file)."
        )
        self._bad_rows_summary(bad_rows)
        if not wet_run:
            self.stdout.write("Nothing written: add --wet-run to import.")

    def do_rome(
        self, *, directory: str, wet_run: bool, strict: bool, verbosity: int, **_: Any
    ) -> None:
        bad_rows: list[BadRow] = []

        def on_skip(bad: BadRow) -> None:
            bad_rows.append(bad)
            if len(bad_rows) <= SHOWN_BAD_ROWS:
                self.stderr.write(f"Skipped: {bad}")

        before = self._metiers_now()
        try:
            counts = import_rome(
                Path(directory),
                write=wet_run,
                strict=strict,
                on_skip=on_skip,
                progress=self._progress if verbosity > 0 else None,
            )
        except RomeImportError as error:
            raise CommandError(f"ROME files not imported: {error}") from error
        if len(bad_rows) > SHOWN_BAD_ROWS:
            self.stderr.write(f"… and {len(bad_rows) - SHOWN_BAD_ROWS} more skipped rows.")
        summary = ", ".join(f"{counts[step]} {step}" for step in STEPS)
        if wet_run:
            self.stdout.write(f"Imported {summary}.")
        else:
            self.stdout.write(f"Would import {summary}.")
            demo = f", {before[1]} of them from the demo set" if before[1] else ""
            self.stdout.write(f"The database holds {before[0]} métiers now{demo}.")
        self.stdout.write(
            f"Ignored by design: {counts['work_contexts']} work contexts (items without "
            f"code_rubrique) and their {counts['work_context_links']} links to métiers."
        )
        if bad_rows:
            per_file = Counter(bad.file for bad in bad_rows)
            files = ", ".join(f"{name}: {n}" for name, n in sorted(per_file.items()))
            self.stdout.write(f"Skipped {len(bad_rows)} bad rows ({files}).")
        else:
            self.stdout.write("No row skipped.")
        if not wet_run:
            self.stdout.write("Nothing written: add --wet-run to import.")

    def _metiers_now(self) -> tuple[int, int]:
        return Metier.objects.count(), Metier.objects.filter(source=Source.DEMO).count()

    def _progress(self, step: str, done: int, total: int) -> None:
        if self.stderr.isatty():
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            line = f"\r{step:<22} {bar} {done}/{total}".ljust(70)
            end = "\n" if done == total else ""
            self.stderr.write(line, style_func=str, ending=end)  # plain, not error red
            self.stderr.flush()
        elif done == total:
            self.stderr.write(f"{step}: {done}/{total}")
