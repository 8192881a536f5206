"""The detection development sets, shared by the bench scripts (never the test set)."""

from pathlib import Path
from typing import Any

from atout.detection.evaluate import load

# Every file in bench/dev/ (as tests/detection/test_narratives.py reads them): a set that is
# learnt leaves the folder (dev3 is now atout/detection/data/narratives/fr_dev3_*.jsonl).
DEV = sorted((Path(__file__).resolve().parent / "dev").glob("*.jsonl"))
# The labellings a development set may have: its first labeller's, other careful labellers',
# and its writers' intentions (bench/dev/detection_dev4.jsonl and dev5 have all three).
LABELLINGS = ("labels", "second_labels", "third_labels", "author_labels")


def dev_sets(lang: str) -> dict[str, list[dict[str, Any]]]:
    """File stem -> the set's rows in ``lang``, for each set that has texts in it (dev4 is
    French only, dev5 English only)."""
    sets = {path.stem: [r for r in load(path) if r["lang"] == lang] for path in DEV}
    return {stem: rows for stem, rows in sets.items() if rows}


def as_narrative(row: dict[str, Any]) -> dict[str, Any]:
    """A development-set row labelled like a training narrative: its writer's intentions as
    the author's labels, its careful labellings as the other labellers' (dev4 has all three)."""
    return {
        **{k: v for k, v in row.items() if k not in LABELLINGS},
        "labels": row["author_labels"],
        "second_labels": row["labels"],
        "third_labels": row["second_labels"],
    }
