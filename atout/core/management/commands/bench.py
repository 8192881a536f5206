import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Benchmarks. `atout bench detection FILE.jsonl` measures the skill detector."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(
            dest="what", required=True, metavar="{detection,chat,assessment,badges,matching}"
        )
        detection = sub.add_parser(
            "detection", help="Quality (micro/macro F1, per skill), robustness and speed."
        )
        detection.add_argument("file", help='JSON lines {"text", "labels": [codes], "lang"}')
        detection.add_argument("--json", action="store_true", help="Print the raw JSON report.")
        chat = sub.add_parser(
            "chat", help="Time whole chat turns (store, detect, next question) on this database."
        )
        chat.add_argument("--conversations", type=int, default=30)
        assessment = sub.add_parser(
            "assessment",
            help="Time level decisions: the rules alone, then a batch through the database "
            "(rolled back).",
        )
        assessment.add_argument("--n", type=int, default=10_000)
        badges = sub.add_parser(
            "badges", help="Sign, bake and verify per second; bulk-issue through the database."
        )
        badges.add_argument("--n", type=int, default=200, help="Signatures per measure.")
        badges.add_argument("--bulk", type=int, default=1000, help="Awards to bulk-issue.")
        matching = sub.add_parser(
            "matching", help="Rank métiers: one person, a batch, and quality checks."
        )
        matching.add_argument(
            "--rome", default=None, help="Official ROME 4.0 folder (else the DB)."
        )
        matching.add_argument(
            "--esco",
            default=None,
            metavar="DIR",
            help="ESCO v1.1.1 folder: rank its occupations (index built from the files).",
        )
        matching.add_argument("--people", type=int, default=100_000)
        matching.add_argument(
            "--imports",
            action="store_true",
            help="Time import rome, esco and labour (--rome, --esco and --labour folders) in a "
            "throwaway SQLite database (or the PostgreSQL one of DATABASE_URL): wall time and "
            "peak memory.",
        )
        matching.add_argument(
            "--labour", default=None, metavar="DIR", help="Labour-market folder (--imports)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "chat":
            self.chat(options["conversations"])
        elif options["what"] == "matching":
            from pathlib import Path as _Path

            from atout.orientation import bench

            rome = _Path(options["rome"]) if options["rome"] else None
            esco = _Path(options["esco"]) if options["esco"] else None
            if options["imports"]:
                labour = _Path(options["labour"]) if options["labour"] else None
                if rome is None or esco is None or labour is None:
                    raise CommandError("--imports needs --rome, --esco and --labour folders.")
                try:
                    lines = bench.run_imports(rome, esco, labour)
                except RuntimeError as error:
                    raise CommandError(str(error)) from error
            elif esco is not None:
                lines = bench.run_esco(esco, options["people"])
                if rome is not None:
                    lines = bench.run(rome, options["people"]) + lines
            else:
                lines = bench.run(rome, options["people"])
            for line in lines:
                self.stdout.write(line)
        elif options["what"] == "badges":
            from atout.badges.bench import run as run_badges

            for line in run_badges(options["n"], options["bulk"]):
                self.stdout.write(line)
        elif options["what"] == "assessment":
            from atout.assessments.bench import run

            for line in run(options["n"]):
                self.stdout.write(line)
        else:
            self.detection(options)

    def chat(self, conversations: int) -> None:
        import statistics
        import time

        from django.db import transaction

        from atout.accounts.models import User
        from atout.experiences import services

        answers = [
            "du foot, je suis dans un club depuis 4 ans",
            "on joue le samedi a Pantin, je suis capitaine des U15",
            "je motive les gars avant le match et j'organise le covoiturage avec les parents",
            "un jour deux joueurs se sont battus, je les ai separes et on a parle calmement",
            "on a fini deuxiemes du championnat et le coach m'a felicite",
            "je leur explique les exercices quand le coach est pas la",
            "voila",
            "c'est tout",
        ]
        timings: list[float] = []
        with transaction.atomic():  # nothing measured here stays in the database
            person = User.objects.create_user(email="bench@atout.invalid", first_name="Bench")
            services.chat_answer(  # warm-up: the detector is loaded once per process
                session=services.chat_start(owner=person).session, text=answers[0]
            )
            for _ in range(conversations):
                session = services.chat_start(owner=person).session
                for answer in answers:
                    start = time.perf_counter()
                    turn = services.chat_answer(session=session, text=answer)
                    timings.append((time.perf_counter() - start) * 1000)
                    if turn.question.finished:
                        break
            transaction.set_rollback(True)
        timings.sort()
        self.stdout.write(
            f"chat turns: {len(timings)}  median {statistics.median(timings):.1f} ms  "
            f"p95 {timings[int(0.95 * (len(timings) - 1))]:.1f} ms  max {timings[-1]:.1f} ms"
        )

    def detection(self, options: dict[str, Any]) -> None:

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
