import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Benchmarks. `atout bench detection FILE.jsonl` measures the skill detector."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{detection}")
        detection = sub.add_parser(
            "detection", help="Quality (micro/macro F1, per skill), robustness and speed."
        )
        detection.add_argument("file", help='JSON lines {"text", "labels": [codes], "lang"}')
        detection.add_argument("--json", action="store_true", help="Print the raw JSON report.")

    def handle(self, *args: Any, **options: Any) -> None:
        from atout.detection import evaluate

        try:
            rows = evaluate.load(Path(options["file"]))
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if not rows:
            raise CommandError("The file holds no line to measure.")
        result = evaluate.report(rows)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        for lang, r in result.items():
            if lang == "timing":
                continue
            self.stdout.write(
                f"[{lang}] {r['texts']} texts  micro-F1 {r['micro_f1']:.3f}  macro-F1 "
                f"{r['macro_f1']:.3f}  no-skill texts left empty {r['no_skill_correct']}  "
                f"micro-F1 on degraded text {r['degraded_micro_f1']:.3f}"
            )
            for code, s in r["per_skill"].items():
                self.stdout.write(
                    f"    {code:<24} P {s['precision']:.2f}  R {s['recall']:.2f}  "
                    f"F1 {s['f1']:.2f}  n={s['support']}"
                )
        t = result["timing"]
        self.stdout.write(
            f"speed: median {t['median_ms']} ms, p95 {t['p95_ms']} ms per text; "
            f"{t['texts_per_second_batch']} texts/s in batch, "
            f"{t['texts_per_second_one_by_one']} texts/s one by one"
        )
