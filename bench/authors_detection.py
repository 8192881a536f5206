"""Does training on whole narratives by other authors help on an author the model never saw?

The narratives of atout/detection/data/narratives/ (one file per author) are added to the
training sentences as whole texts, each labelled once per skill it shows (no skill: "none").
Measured, never on the test set:

- leave one author out: train on the sentences plus the other authors' narratives, score the
  left-out author's narratives, against the sentences alone on the same texts (an author alone
  in a language is cut in 5 folds instead);
- the development sets (bench/dev/), with every narrative in training, against none.

Each measure reports the best micro-F1 over the thresholds that keep at least 85 % of
no-skill texts empty, and the numbers at the shipped thresholds.
Run: .venv/bin/python bench/authors_detection.py [fr|en] [--weight N] [--align] [--c C]
    [--window N] [--dir FOLDER] [--held AUTHOR,AUTHOR]  (--held: leave out only these)
(--align: each label on the narrative's segment the sentence-only model finds most like it)
"""

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devsets import dev_sets  # noqa: E402
from tune_detection import decide, segment_scores  # noqa: E402

from atout.detection import engine  # noqa: E402
from atout.detection.evaluate import scores  # noqa: E402
from atout.detection.model import (  # noqa: E402
    NARRATIVES,
    OTHER_LABELLINGS,
    load_examples,
    load_narratives,
    narrative_pairs,
    train,
    training_pairs,
)

GRID = [
    (t, second, also)
    for t in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
    for second in (None, (0.2, 0.1))
    for also in (None, 0.25)
]


def aligned_pairs(rows, model, weight):
    """Each label on the segment (sentence or pair) of its narrative that the sentence-only
    model finds most like it; a narrative with no skill counts whole as "none"."""
    texts, labels = [], []
    for row in rows:
        segs = engine.segments(row["text"], engine.WINDOW)
        if not row["labels"] or len(segs) < 2:
            t, lbl, _ = narrative_pairs([row], weight)  # one labeller (above): weights all 1
            texts += t
            labels += lbl
            continue
        probabilities = model.probabilities([s.text for s in segs])
        for code in row["labels"]:
            if code not in model.labels:
                continue
            best = int(probabilities[:, model.labels.index(code)].argmax())
            texts += [segs[best].text] * weight
            labels += [code] * weight
    return texts, labels


def measure(model, rows, lang):
    skills, per_text = segment_scores(model, [r["text"] for r in rows], lang)
    out = {}
    for t, second, also in GRID:
        out[(t, second, also)] = scores(rows, decide(skills, per_text, t, second, also))
    return out


def summary(results, lang):
    shipped = (engine.THRESHOLDS[lang], engine.SECOND[lang], engine.ALSO[lang])
    s = results.get(shipped) or next(iter(results.values()))
    ok = [(v["micro_f1"], k) for k, v in results.items() if (v["no_skill_correct"] or 1) >= 0.85]
    best = max(ok, key=lambda x: x[0]) if ok else (0.0, None)
    return (
        f"shipped {s['micro_f1']:.3f} (empty {s['no_skill_correct'] or 0:.2f})  "
        f"best≥0.85 {best[0]:.3f} at {best[1]}"
    )


def main() -> None:
    langs = [a for a in sys.argv[1:] if a in {"fr", "en"}] or ["fr", "en"]
    option = {a: sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a.startswith("--")}
    folder = Path(option.get("--dir", NARRATIVES))
    c = float(option.get("--c", 32))
    engine.WINDOW = int(option.get("--window", engine.WINDOW))
    weight = int(option.get("--weight", 3))
    examples = load_examples()
    # The authors' own labels only: this bench's figures (docs/detection.md) predate the
    # other labellers, whose shares bench/oof_detection.py and bench/stack_detection.py measure.
    by_author = {
        a: [{k: v for k, v in r.items() if k not in OTHER_LABELLINGS} for r in rows]
        for a, rows in load_narratives(folder).items()
    }
    for lang in langs:
        base_texts, base_labels = training_pairs(examples, lang)
        authors = {a: rows for a, rows in by_author.items() if rows and rows[0]["lang"] == lang}
        baseline = train(base_texts, base_labels, lang)

        def pairs(rows, baseline=baseline):
            if "--align" in sys.argv:
                return aligned_pairs(rows, baseline, weight)
            return narrative_pairs(rows, weight)[:2]  # one labeller (above): weights all 1

        folds = []
        if len(authors) > 1:
            held_out = option.get("--held", ",".join(authors)).split(",")
            for author, rows in authors.items():
                if author not in held_out:
                    continue
                others = [r for a, rs in authors.items() if a != author for r in rs]
                folds.append((author, others, rows))
        else:
            for author, rows in authors.items():
                shuffled = rows[:]
                random.Random(7).shuffle(shuffled)
                for k in range(5):
                    held = shuffled[k::5]
                    kept = [r for i, r in enumerate(shuffled) if i % 5 != k]
                    folds.append((f"{author}/{k}", kept, held))
        pooled_base, pooled_new = {}, {}
        for name, kept, held in folds:
            t, lbl = pairs(kept)
            model = train(base_texts + t, base_labels + lbl, lang, c=c)
            b, n = measure(baseline, held, lang), measure(model, held, lang)
            for key in b:
                pooled_base.setdefault(key, []).append(b[key])
                pooled_new.setdefault(key, []).append(n[key])
            print(f"{lang} {name:<20} sentences only: {summary(b, lang)}", flush=True)
            print(f"{lang} {'':<20} + narratives:    {summary(n, lang)}", flush=True)

        def mean(pool):
            return {
                k: {
                    "micro_f1": sum(f["micro_f1"] for f in v) / len(v),
                    "no_skill_correct": sum(f["no_skill_correct"] or 0 for f in v) / len(v),
                }
                for k, v in pool.items()
            }

        if folds:
            print(
                f"{lang} MEAN held-out authors, sentences only: {summary(mean(pooled_base), lang)}"
            )
            print(
                f"{lang} MEAN held-out authors, + narratives:    {summary(mean(pooled_new), lang)}"
            )
        every = [r for rs in authors.values() for r in rs]
        t, lbl = pairs(every)
        full = train(base_texts + t, base_labels + lbl, lang, c=c)
        for stem, rows in dev_sets(lang).items():
            print(
                f"{lang} {stem:<22} sentences only: {summary(measure(baseline, rows, lang), lang)}"
            )
            print(f"{lang} {'':<22} + narratives:    {summary(measure(full, rows, lang), lang)}")


if __name__ == "__main__":
    main()
