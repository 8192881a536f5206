"""How far the narratives' labellers agree: their author's labels against each other
labeller's (``OTHER_LABELLINGS``, each written blind to the others), per language.

Run: .venv/bin/python bench/labellers_detection.py
Prints, for every two labellings over the narratives that have both: micro-F1 of one against
the other, skills per story for each, the share of stories each leaves empty, and the three
authors they agree least on. Then the same for the test set's French texts, labelled a second
time by a helper blind to their labels (bench/data/detection_eval_fr_second.jsonl): how far
two careful people agree on the texts the detector is measured on.
"""

import json
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atout.detection.evaluate import load  # noqa: E402
from atout.detection.model import OTHER_LABELLINGS, load_narratives  # noqa: E402

TEST = ROOT / "bench" / "data" / "detection_eval.jsonl"
SECOND = TEST.with_name("detection_eval_fr_second.jsonl")


def agreement(pairs: list[tuple[set, set]]) -> float:
    """Micro-F1 of the second sets of ``pairs`` against the first."""
    tp = sum(len(a & b) for a, b in pairs)
    differ = sum(len(a ^ b) for a, b in pairs)
    return 2 * tp / max(2 * tp + differ, 1)


def line(name: str, pairs: list[tuple[set, set]]) -> str:
    """Agreement of the second sets of ``pairs`` with the first, and how each labels."""
    n = len(pairs)
    return (
        f"{name}: {n} texts, micro-F1 {agreement(pairs):.3f}; skills per story "
        f"{sum(len(a) for a, _ in pairs) / n:.2f} / {sum(len(b) for _, b in pairs) / n:.2f}"
        f"; empty {sum(not a for a, _ in pairs) / n:.2f} / "
        f"{sum(not b for _, b in pairs) / n:.2f}; both empty "
        f"{sum(not a and not b for a, b in pairs) / n:.2f}"
    )


def main() -> None:
    by_lang: dict[str, list] = {}
    for author, rows in load_narratives().items():
        by_lang.setdefault(rows[0]["lang"], []).append((author, rows))
    for lang, authors in sorted(by_lang.items()):
        for first, second in combinations(("labels", *OTHER_LABELLINGS), 2):
            both = [(a, [r for r in rs if first in r and second in r]) for a, rs in authors]
            both = [(a, rs) for a, rs in both if rs]
            rows = [r for _, rs in both for r in rs]
            if not rows:
                continue
            pairs = [(set(r[first]), set(r[second])) for r in rows]
            print(line(f"{lang} {first} / {second} ({len(both)} authors)", pairs))
            per_author = sorted(
                (agreement([(set(r[first]), set(r[second])) for r in rs]), a) for a, rs in both
            )
            worst = ", ".join(f"{a} {f:.2f}" for f, a in per_author[:3])
            print(f"  least agreement: {worst}")
    test = {r["id"]: r for r in load(TEST)}
    second = [json.loads(x) for x in SECOND.read_text(encoding="utf-8").splitlines()]
    pairs = [(set(test[x["id"]]["labels"]), set(x["labels"])) for x in second]
    print(line("fr test set, its author / a second labeller", pairs))


if __name__ == "__main__":
    main()
