"""Choose the detector's options and thresholds on the DEVELOPMENT sets, never on the test set
(bench/data/, only ever measured with `atout bench detection`):

- bench/dev/detection_dev.jsonl: 180 French and 60 English snippets by a third author;
- bench/dev/detection_dev2.jsonl: 107 French and 50 English snippets written later by the
  author of the 2026-11 training batch (closer to the training style: read it as a second
  opinion, not as an unbiased measure);
- bench/dev/detection_dev4.jsonl: 599 French stories by six new writers, labelled twice by
  careful labellers (scored here against the first, `labels`; bench/stack_detection.py scores
  it against each labelling). The third set (dev3, 400 stories) is learnt since 2026-12-07:
  atout/detection/data/narratives/fr_dev3_*.jsonl.
- bench/dev/detection_dev5.jsonl: 300 English stories by four new writers, labelled the same
  way;
- bench/dev/detection_dev6.jsonl: 200 English stories by two more writers, about half with no
  skill of the narrator although the story sounds like one, labelled the same way.

Run: .venv/bin/python bench/dev_detection.py [-v]   (-v: per-skill numbers at the shipped
thresholds)
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devsets import dev_sets  # noqa: E402

from atout.detection import engine  # noqa: E402
from atout.detection.evaluate import degrade, predict, scores  # noqa: E402

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
SECOND = (None, (0.2, 0.1), (0.5, 0.1))
ALSO = (None, 0.2, 0.25)


def main() -> None:
    shipped = dict(engine.THRESHOLDS), dict(engine.SECOND), dict(engine.ALSO)
    for lang in ("fr", "en"):
        for stem, subset in dev_sets(lang).items():
            engine.THRESHOLDS.update(shipped[0])
            engine.SECOND.update(shipped[1])
            engine.ALSO.update(shipped[2])
            s = scores(subset, predict(subset))
            d = scores(subset, predict(subset, degrade))
            print(
                f"{stem} {lang} shipped (threshold {engine.THRESHOLDS[lang]}, second "
                f"{engine.SECOND[lang]}, also {engine.ALSO[lang]}): micro-F1 {s['micro_f1']:.3f}  macro-F1 "
                f"{s['macro_f1']:.3f}  no-skill empty {s['no_skill_correct']}  degraded "
                f"{d['micro_f1']:.3f}",
                flush=True,
            )
            if "-v" in sys.argv:
                for code, v in sorted(s["per_skill"].items(), key=lambda kv: kv[1]["f1"]):
                    print(f"    {code:<24} {v}")
            for threshold in THRESHOLDS:
                for second in SECOND:
                    for also in ALSO:
                        engine.THRESHOLDS[lang] = threshold
                        engine.SECOND[lang] = second
                        engine.ALSO[lang] = also
                        s = scores(subset, predict(subset))
                        print(
                            f"  {lang} threshold={threshold:.2f} second={second!s:<11} "
                            f"also={also!s:<4} micro-F1 {s['micro_f1']:.3f}  "
                            f"no-skill empty {s['no_skill_correct']}",
                            flush=True,
                        )
    engine.THRESHOLDS.update(shipped[0])
    engine.SECOND.update(shipped[1])
    engine.ALSO.update(shipped[2])


if __name__ == "__main__":
    main()
