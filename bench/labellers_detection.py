"""How far the narratives' two labellers agree: their author's labels against the second
labeller's (``second_labels``, written blind to the first), per language.

Run: .venv/bin/python bench/labellers_detection.py
Prints, over the narratives that have both: micro-F1 of one labelling against the other, skills
per story for each, the share of stories each leaves empty, and the three authors they agree
least on.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atout.detection.model import load_narratives  # noqa: E402


def main() -> None:
    by_lang: dict[str, list] = {}
    for author, rows in load_narratives().items():
        both = [r for r in rows if "second_labels" in r]
        if both:
            by_lang.setdefault(both[0]["lang"], []).append((author, both))
    for lang, authors in sorted(by_lang.items()):
        tp = first_only = second_only = 0
        per_author = []
        rows = [r for _, rs in authors for r in rs]
        for author, rs in authors:
            a = b = c = 0
            for r in rs:
                first, second = set(r["labels"]), set(r["second_labels"])
                a, b, c = a + len(first & second), b + len(first - second), c + len(second - first)
            tp, first_only, second_only = tp + a, first_only + b, second_only + c
            per_author.append((2 * a / max(2 * a + b + c, 1), author))
        n = len(rows)
        print(
            f"{lang}: {n} narratives by {len(authors)} authors, micro-F1 between labellers "
            f"{2 * tp / max(2 * tp + first_only + second_only, 1):.3f}; skills per story "
            f"{sum(len(r['labels']) for r in rows) / n:.2f} (author) / "
            f"{sum(len(r['second_labels']) for r in rows) / n:.2f} (second); empty "
            f"{sum(not r['labels'] for r in rows) / n:.2f} / "
            f"{sum(not r['second_labels'] for r in rows) / n:.2f}; both empty "
            f"{sum(not r['labels'] and not r['second_labels'] for r in rows) / n:.2f}"
        )
        worst = ", ".join(f"{a} {f:.2f}" for f, a in sorted(per_author)[:3])
        print(f"  least agreement: {worst}")


if __name__ == "__main__":
    main()
