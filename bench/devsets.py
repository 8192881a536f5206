"""The detection development sets, shared by the bench scripts (never the test set)."""

from pathlib import Path

DEV = [
    Path(__file__).resolve().parent / "dev" / "detection_dev.jsonl",
    Path(__file__).resolve().parent / "dev" / "detection_dev2.jsonl",
    Path(__file__).resolve().parent / "dev" / "detection_dev3.jsonl",
]
