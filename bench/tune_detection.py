"""Tune the detector's threshold and regularisation by cross-validation on the TRAINING
examples only (atout/detection/data/examples.json), never on the evaluation set.

Held-out sentences are glued into synthetic narratives of 1 to 4 sentences (about 15% of
them with no skill), scored like the benchmark. Run: .venv/bin/python bench/tune_detection.py
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from atout.detection import engine  # noqa: E402
from atout.detection.evaluate import scores  # noqa: E402
from atout.detection.model import load_examples, train, training_pairs  # noqa: E402
from atout.detection.text import split_sentences  # noqa: E402

FOLDS = 5


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


def evaluate(lang, c, thresholds, seed=7):
    texts, labels = training_pairs(load_examples(), lang)
    # Folds by sentence, not by (sentence, label): a two-skill sentence never sits on both sides.
    unique = sorted(set(texts))
    random.Random(seed).shuffle(unique)
    fold_of = {t: i % FOLDS for i, t in enumerate(unique)}
    order = list(range(len(texts)))
    results = {t: [] for t in thresholds}
    for fold in range(FOLDS):
        test_idx = {i for i in order if fold_of[texts[i]] == fold}
        train_t = [texts[i] for i in order if i not in test_idx]
        train_l = [labels[i] for i in order if i not in test_idx]
        model = train(train_t, train_l, lang, c=c)
        rows = narratives(
            [texts[i] for i in test_idx], [labels[i] for i in test_idx], random.Random(fold)
        )
        for row in rows:
            sentences = split_sentences(row["text"])
            probs = model.probabilities([s.text for s in sentences])
            skills = [lbl for lbl in model.labels if lbl != "none"]
            cols = [model.labels.index(s) for s in skills]
            factors = [engine._subject_factor(s, lang) for s in sentences]
            row["scores"] = [[p * f for p in probs[i, cols]] for i, f in enumerate(factors)]
            row["skills"] = skills
        for t in thresholds:
            predicted = [
                {s for j, s in enumerate(row["skills"]) if max(r[j] for r in row["scores"]) >= t}
                for row in rows
            ]
            results[t].append(scores(rows, predicted))
    for t in thresholds:
        folds = results[t]
        micro = sum(f["micro_f1"] for f in folds) / FOLDS
        empty = sum(f["no_skill_correct"] or 0 for f in folds) / FOLDS
        print(
            f"{lang} C={c:<5} threshold={t:.2f}  micro-F1 {micro:.3f}  no-skill empty {empty:.3f}"
        )


if __name__ == "__main__":
    for lang in ("fr", "en"):
        for c in (8.0, 16.0, 32.0):
            evaluate(lang, c, [0.15, 0.2, 0.25, 0.3, 0.35, 0.4])
