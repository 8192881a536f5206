"""Tune the detector by cross-validation on the TRAINING examples only
(atout/detection/data/examples.json), never on the test set.

Held-out sentences are glued into synthetic narratives of 1 to 4 sentences (about 15 % of
them with no skill) and scored by the engine's own pipeline (sentences and adjacent pairs,
who-did-it factor, thresholds, runner-up rule), like the benchmark.
Run: .venv/bin/python bench/tune_detection.py [fr|en] [C ...]
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from atout.detection import engine  # noqa: E402
from atout.detection.evaluate import scores  # noqa: E402
from atout.detection.model import load_examples, train, training_pairs  # noqa: E402

FOLDS = 5
THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4]
SECOND = [None, (0.2, 0.1), (0.5, 0.1)]
ALSO = [None, 0.2, 0.25]  # the lower score that counts once a text passes the threshold


def narratives(texts, labels, rng):
    grouped = {}
    for t, lbl in zip(texts, labels, strict=True):
        grouped.setdefault(t, set()).add(lbl)
    skills = [(t, lbls - {"none"}) for t, lbls in grouped.items() if lbls != {"none"}]
    nones = [t for t, lbls in grouped.items() if lbls == {"none"}]
    rng.shuffle(skills)
    rows = []
    while skills:
        if rng.random() < 0.15 and nones:
            parts = rng.sample(nones, k=min(len(nones), rng.randint(1, 2)))
            rows.append({"text": " ".join(parts), "labels": []})
            continue
        k = rng.choice([1, 1, 2, 2, 3])
        chosen = [skills.pop() for _ in range(min(k, len(skills)))]
        parts = [t for t, _ in chosen]
        if nones and rng.random() < 0.5:
            parts.insert(rng.randint(0, len(parts)), rng.choice(nones))
        rows.append(
            {
                "text": " ".join(p.rstrip(".") + "." for p in parts),
                "labels": sorted(set().union(*(lbls for _, lbls in chosen))),
            }
        )
    return rows


def segment_scores(model, texts, lang):
    """Per text: its segments and their skill scores, as ``engine.detect`` computes them."""
    split = [engine.segments(t, engine.WINDOW) for t in texts]
    skills, flat = engine.sentence_scores([s for ss in split for s in ss], lang, model)
    out, row = [], 0
    for segments in split:
        out.append((segments, flat[row : row + len(segments)]))
        row += len(segments)
    return skills, out


def decide(skills, per_text, threshold, second, also=None):
    also = None if also is None else min(also, threshold)
    return [
        {
            d.code
            for d in engine._collect(
                segs, skills, sc, threshold=threshold, second=second, also=also
            )
        }
        for segs, sc in per_text
    ]


def evaluate(lang, c, seed=7, examples=None):
    texts, labels = training_pairs(examples or load_examples(), lang)
    # Folds by sentence, not by (sentence, label): a two-skill sentence never sits on both sides.
    unique = sorted(set(texts))
    random.Random(seed).shuffle(unique)
    fold_of = {t: i % FOLDS for i, t in enumerate(unique)}
    results = {}
    for fold in range(FOLDS):
        held = [i for i, t in enumerate(texts) if fold_of[t] == fold]
        kept = [i for i, t in enumerate(texts) if fold_of[t] != fold]
        model = train([texts[i] for i in kept], [labels[i] for i in kept], lang, c=c)
        rows = narratives([texts[i] for i in held], [labels[i] for i in held], random.Random(fold))
        skills, per_text = segment_scores(model, [r["text"] for r in rows], lang)
        for t in THRESHOLDS:
            for second in SECOND:
                for also in ALSO:
                    s = scores(rows, decide(skills, per_text, t, second, also))
                    results.setdefault((t, second, also), []).append(s)
    for (t, second, also), folds in results.items():
        micro = sum(f["micro_f1"] for f in folds) / FOLDS
        empty = sum(f["no_skill_correct"] or 0 for f in folds) / FOLDS
        print(
            f"{lang} C={c:<5} threshold={t:.2f} second={second!s:<11} also={also!s:<4} "
            f"micro-F1 {micro:.3f}  "
            f"no-skill empty {empty:.3f}",
            flush=True,
        )
    return results


if __name__ == "__main__":
    langs = [a for a in sys.argv[1:] if a in {"fr", "en"}] or ["fr", "en"]
    cs = [float(a) for a in sys.argv[1:] if a not in {"fr", "en"}] or [32.0]
    for lang in langs:
        for c in cs:
            evaluate(lang, c)
