"""Choose the detector's structural options and thresholds on the DEVELOPMENT set
(bench/dev/detection_dev.jsonl, written apart from both the training sentences and the test
set). The test set (bench/data/) is only ever measured, with `atout bench detection`.

Run: .venv/bin/python bench/dev_detection.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atout.detection import engine  # noqa: E402
from atout.detection.evaluate import load, predict, scores  # noqa: E402

DEV = ROOT / "bench" / "dev" / "detection_dev.jsonl"


def main() -> None:
    rows = load(DEV)
    for window in (1, 2):
        engine.WINDOW = window
        for lang in ("fr", "en"):
            subset = [r for r in rows if r["lang"] == lang]
            for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
                engine.THRESHOLDS[lang] = threshold
                s = scores(subset, predict(subset))
                print(
                    f"window={window} {lang} threshold={threshold:.2f}  micro-F1 {s['micro_f1']:.3f}  "
                    f"no-skill empty {s['no_skill_correct']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
