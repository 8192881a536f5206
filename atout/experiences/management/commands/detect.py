import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from atout.detection import MAX_CHARS, detect, detect_many
from atout.referentiel.models import Skill

BATCH = 256


class Command(BaseCommand):
    help = "Detect soft skills in a text (a table), or in JSON lines {id, text} (--jsonl)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="A file, or - for standard input.")
        parser.add_argument("--lang", choices=["fr", "en", "auto"], default="auto")
        parser.add_argument("--jsonl", action="store_true", help="One {id, text} object per line.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] == "-":
            self.run(sys.stdin, options)
            return
        try:
            with Path(options["file"]).open(encoding="utf-8") as source:
                self.run(source, options)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error

    def run(self, source: TextIO, options: dict[str, Any]) -> None:
        if options["jsonl"]:
            self.jsonl(source, options["lang"])
        else:
            self.table(source.read(), options["lang"])

    def table(self, text: str, lang: str) -> None:
        if not text.strip():
            raise CommandError("The text is empty: tell an experience in a few sentences.")
        if len(text) > MAX_CHARS:
            raise CommandError(
                f"The text is too long ({len(text)} characters, at most {MAX_CHARS})."
            )
        detections = detect(text, lang)
        if not detections:
            self.stdout.write("No skill found in this text.")
            return
        try:
            labels = dict(
                Skill.objects.filter(framework__code="atout").values_list("code", "label_fr")
            )
        except DatabaseError:  # no database yet (before `atout setup`): show the codes
            labels = {}
        self.stdout.write(f"{'skill':<24} {'score':>5}  evidence")
        for d in detections:
            quotes = " | ".join(text[e.start : e.end].replace("\n", " ") for e in d.evidence)
            self.stdout.write(f"{labels.get(d.code, d.code):<24} {d.score:>5.2f}  {quotes}")

    def jsonl(self, source: TextIO, lang: str) -> None:
        batch: list[tuple[Any, str, str | None]] = []
        done = 0
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = row["text"]
                if not isinstance(text, str):
                    raise TypeError
                error = (
                    f"text too long (at most {MAX_CHARS} characters)"
                    if len(text) > MAX_CHARS
                    else None
                )
                batch.append((row.get("id"), text, error))
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(f'line {number}: expected {{"id": …, "text": "…"}}') from exc
            if len(batch) >= BATCH:
                done += self.flush(batch, lang)
                self.stderr.write(f"\r{done} texts", ending="")
                batch = []
        done += self.flush(batch, lang)
        if done >= BATCH:
            self.stderr.write(f"\r{done} texts, done.")

    def flush(self, batch: list[tuple[Any, str, str | None]], lang: str) -> int:
        results = detect_many([text if error is None else "" for _, text, error in batch], lang)
        for (identifier, _text, error), detections in zip(batch, results, strict=True):
            out: dict[str, Any] = {
                "id": identifier,
                "skills": [
                    {
                        "code": d.code,
                        "score": d.score,
                        "evidence": [{"start": e.start, "end": e.end} for e in d.evidence],
                    }
                    for d in detections
                ],
            }
            if error:
                out["error"] = error
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        return len(batch)
