"""Choose and write the second stage (data/stack.json) on authors the models never saw.

Reads the out-of-author segment scores of bench/oof_detection.py. For each group of authors
it left out, the text model (model.train_stories) is trained on the other groups' narratives
and scores the left-out ones, so both inputs of the second stage are out-of-author. Rules
compared (every learnt part learnt on the *other* authors only, nested):
- "segments t": a skill counts when one segment reaches t (the rule without a second stage);
- "max t": when its best segment or its text-model probability reaches t;
- "stack C tau": one logistic regression per skill (engine.stack_features), probability >= tau;
  its inputs include the neighbours' votes (model.Neighbours.votes: the other groups'
  narratives and the example sentences) unless --no-neighbours.
Reports the mean micro-F1 over held-out authors (worst author, no-skill texts left empty),
pooled precision and recall, and the development sets (scored by the models trained on every
author, the rule learnt on every author).
Run: .venv/bin/python bench/stack_detection.py fr_all31 [--c-text 4] [--rules PREFIX] [--report DIR]
    [--by-group] [--no-neighbours] [--per-skill] [--confusions] [--against FIELD]
    [--stage-author-share S] [--stage-learns DEV,...] [--write TAU --stack-c C]
(fr_all31 reads var/cache/oof/fr_all31.pickle; --per-skill: each rule's pooled F1, precision
and recall per skill against the authors' labels, beside how far the other labellers agree
with the authors on that skill; --confusions: the pairs of skills each rule mixes up most
(gives one where the author gave the other); --against second_labels (or third_labels):
score the held-out authors' narratives against that labeller instead of their author (what
is learnt does not change); --stage-author-share S: the second stage learns the labellings
with the author's labels counting S (model.AUTHOR_SHARE; the models stay as trained);
--stage-learns detection_dev4: the stage also learns that development set (its writers'
intentions as the author's labels, devsets.as_narrative), in every fold and in --write;
development sets are scored against each labelling they have (labels, second_labels...), and
those newer than the scores file by the shipped models (see shipped_dev); --by-group: learn the rule without
the whole held-out group instead of without the held-out author; --write: learn on every author, write
the language's entry of atout/detection/data/stack.json)
"""

import hashlib
import json
import pickle  # noqa: S403 (our own scores, under var/cache)
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devsets import LABELLINGS, as_narrative, dev_sets  # noqa: E402
from oof_detection import score_rows  # noqa: E402

from atout.detection import engine  # noqa: E402
from atout.detection.evaluate import scores  # noqa: E402
from atout.detection.model import (  # noqa: E402
    AUTHOR_SHARE,
    EXAMPLES,
    OTHER_LABELLINGS,
    example_rows,
    load_examples,
    model_for,
    shares,
    soft,
    source,
    train_stories,
)


def best_scores(rows, skills):
    """Per text, the best segment score of each skill."""
    return np.array([r["scores"].max(axis=0) if len(r["scores"]) else np.zeros(len(skills))
                     for r in rows])  # fmt: skip


def truth(rows, skills):
    return np.array([[code in r["labels"] for code in skills] for r in rows])


def result(rows, predicted, skills):
    sets = [{skills[j] for j in np.flatnonzero(p)} for p in predicted]
    out = scores([{"labels": r["labels"]} for r in rows], sets)
    gold = truth(rows, skills)
    tp = int((predicted & gold).sum())
    out["micro_precision"] = tp / max(int(predicted.sum()), 1)
    out["micro_recall"] = tp / max(int(gold.sum()), 1)
    return out


def fit_stack(m, p, v, y, c):
    """Per skill: (coef, intercept) of a logistic regression over engine.stack_features,
    learnt from the labellers' shares ``y`` (texts x skills)."""
    x = engine.stack_features(m, p, v)
    fitted = [
        LogisticRegression(C=c, max_iter=2000).fit(*soft(x, y[:, j])) for j in range(y.shape[1])
    ]
    return np.vstack([f.coef_[0] for f in fitted]), np.array([f.intercept_[0] for f in fitted])


def stack_probabilities(fitted, m, p, v):
    coef, intercept = fitted
    return engine.Stack([], coef, intercept, 0.0).probabilities(m, p, v)


def text_model_oof(data, c, path):
    """Out-of-group text-model probabilities and neighbours' votes per author; for the dev
    sets, trained on all. Kept beside the segment scores, keyed by C, the scores file, the
    example sentences and the model's code (about 10 minutes for French): re-runs take
    seconds."""
    raw = path.read_bytes() + EXAMPLES.read_bytes() + source() + str(c).encode()
    key = hashlib.sha256(raw).hexdigest()[:16]
    kept = path.with_name(f"{path.stem}-text-{key}.pickle")
    if kept.exists():
        return pickle.loads(kept.read_bytes())  # noqa: S301 (written below)
    found = _text_model_oof(data, c)
    kept.write_bytes(pickle.dumps(found))
    return found


def _text_model_oof(data, c):
    authors, skills, lang = data["authors"], data["skills"], data["lang"]
    sentences = example_rows(load_examples(), lang)  # the neighbours also know them

    def scored(model, rows):
        texts = [r["text"] for r in rows]
        own = [engine.own_text(engine.split_sentences(t), lang) for t in texts]
        return model.probabilities(texts), model.votes(own)

    also = data.get("also", [])  # learnt in every fold (bench/oof_detection.py --also)
    out = {}
    for group in data["groups"]:
        rows = [r for a, rs in authors.items() if a not in group for r in rs] + also
        model = train_stories(rows, skills, lang, c=c, sentences=sentences)
        for a in group:
            out[a] = scored(model, authors[a])
    every = [r for rs in authors.values() for r in rs] + also
    model = train_stories(every, skills, lang, c=c, sentences=sentences)
    return out, {k: scored(model, rows) for k, rows in data["dev"].items()}


def shipped_dev(data, dev_m, dev_p, dev_v, skills):
    """Development sets newer than the scores file (bench/devsets.dev_sets): scored by the shipped
    models, which are the scores file's models trained on every author only when it was made
    from the shipped data. Checked on the sets it does hold: their best segment scores and
    text-model probabilities must be the shipped models'."""
    lang = data["lang"]
    missing = {key: rows for key, rows in dev_sets(lang).items() if key not in data["dev"]}
    if not missing:
        return
    shipped = model_for(lang)
    for key, rows in data["dev"].items():
        again = best_scores(score_rows(shipped, rows, lang)[1], skills)
        stories = shipped.stories.probabilities([r["text"] for r in rows])
        if not (np.allclose(again, dev_m[key], atol=1e-4) and np.allclose(stories, dev_p[key])):
            print(f"{key}: the shipped model is not this file's: {list(missing)} left out")
            return
    for key, given in missing.items():
        rows = score_rows(shipped, given, lang)[1]
        data["dev"][key] = rows
        dev_m[key] = best_scores(rows, skills)
        texts = [r["text"] for r in rows]
        dev_p[key] = shipped.stories.probabilities(texts)
        if dev_v is not None:
            own = [engine.own_text(engine.split_sentences(t), lang) for t in texts]
            dev_v[key] = shipped.stories.votes(own)


def rules():
    """name -> rule(train_m, train_p, train_v, train_y, m, p, v) -> predicted (texts x skills
    booleans). The stage's fit is kept per training set: the thresholds share it."""
    fitted = {}

    def stage(c, tm, tp, tv, ty):
        key = (c, tm.shape, float(tm.sum()), float(tp.sum()))
        if key not in fitted:
            fitted[key] = fit_stack(tm, tp, tv, ty, c)
        return fitted[key]

    out = {}
    for t in (0.25, 0.3, 0.35):
        out[f"segments {t}"] = lambda tm, tp, tv, ty, m, p, v, t=t: m >= t
    for t in (0.3, 0.35, 0.4):
        out[f"max {t}"] = lambda tm, tp, tv, ty, m, p, v, t=t: np.maximum(m, p) >= t
    for c in (0.3, 1.0, 3.0):
        for tau in (0.15, 0.2, 0.25, 0.3, 0.35):
            out[f"stack {c} {tau}"] = lambda tm, tp, tv, ty, m, p, v, c=c, tau=tau: (
                stack_probabilities(stage(c, tm, tp, tv, ty), m, p, v) >= tau
            )
    return out


def per_skill(rows, found, skills):
    """Per skill: F1, precision and recall of ``found`` (``result`` of the pooled predictions)
    against the labels scored (the authors' unless --against), and the F1 of each other
    labelling against them (OTHER_LABELLINGS), where the rows have it."""
    others = [k for k in OTHER_LABELLINGS if all(k in r for r in rows)]
    given = [scores(rows, [set(r[k]) for r in rows])["per_skill"] for k in others]
    none = {"f1": 0.0, "precision": 0.0, "recall": 0.0}
    print(f"{'skill':<24} F1    P     R     {'  '.join(others)} (F1 against the labels scored)")
    for code in skills:
        s = found["per_skill"].get(code, none)
        agree = "  ".join(f"{g.get(code, none)['f1']:.2f}" for g in given)
        print(f"{code:<24} {s['f1']:.2f}  {s['precision']:.2f}  {s['recall']:.2f}  {agree}")


def confusions(rows, predicted, skills, top=25):
    """The pairs the rule mixes up most: it gives skill X to a text whose author gave skill Y
    and not X, and misses Y there. Counted per text, both ways apart."""
    count: dict[tuple[str, str], int] = {}
    for row, found in zip(rows, predicted, strict=True):
        given = {skills[i] for i in np.flatnonzero(found)}
        labelled = set(row["labels"])
        for extra in given - labelled:
            for missed in labelled - given:
                count[missed, extra] = count.get((missed, extra), 0) + 1
    print(f"{'author gave (missed)':<24} {'model gave instead':<24} texts")
    for (missed, extra), n in sorted(count.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{missed:<24} {extra:<24} {n}")


def stacked(scores, names):
    """The rows of ``names`` (authors or dev sets) on top of each other; None stays None."""
    return None if scores is None else np.vstack([scores[n] for n in names])


def main() -> None:
    name = sys.argv[1]
    option = {a: sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a.startswith("--")}
    path = ROOT / "var" / "cache" / "oof" / f"{name}.pickle"
    data = pickle.loads(path.read_bytes())  # noqa: S301 (written by bench/oof_detection.py)
    lang, skills, authors = data["lang"], data["skills"], data["authors"]
    # --report FOLDER: report only the held-out authors with a file there (compare runs)
    reported = list(authors)
    if "--report" in option:
        reported = [p.stem for p in sorted(Path(option["--report"]).glob("*.jsonl"))]
        reported = [a for a in reported if a in authors]
    m = {a: best_scores(rows, skills) for a, rows in authors.items()}
    # What the stage learns (the models stay as trained): the labellers' shares, the author's
    # labels counting --stage-author-share (by default as in the models, model.AUTHOR_SHARE).
    share = float(option.get("--stage-author-share", AUTHOR_SHARE))
    y = {a: shares(rows, skills, share) for a, rows in authors.items()}
    text_oof, dev_oof = text_model_oof(data, float(option.get("--c-text", 4)), path)
    p = {a: found[0] for a, found in text_oof.items()}
    dev_p = {k: found[0] for k, found in dev_oof.items()}
    neighbours = "--no-neighbours" not in sys.argv
    v = {a: found[1] for a, found in text_oof.items()} if neighbours else None
    dev_v = {k: found[1] for k, found in dev_oof.items()} if neighbours else None
    dev_m = {k: best_scores(rows, skills) for k, rows in data["dev"].items()}
    shipped_dev(data, dev_m, dev_p, dev_v, skills)
    # --stage-learns DEV[,…]: the stage also learns these development sets (scored by models
    # that never saw them), in every fold and in --write; they are no longer reported.
    learnt = [k for k in option.get("--stage-learns", "").split(",") if k]
    for key in learnt:
        rows = [as_narrative(r) for r in data["dev"].pop(key)]
        m[key], p[key], y[key] = dev_m.pop(key), dev_p.pop(key), shares(rows, skills, share)
        if v is not None:
            v[key] = dev_v.pop(key)
    every = [stacked(d, [*authors, *learnt]) for d in (m, p, v, y)]
    if "--write" in option:
        coef, intercept = fit_stack(*every, float(option.get("--stack-c", 1)))
        stack = json.loads(engine.STACK.read_text()) if engine.STACK.exists() else {}
        stack[lang] = {
            "skills": skills,
            "threshold": float(option["--write"]),
            "neighbours": neighbours,
            "intercept": [round(x, 6) for x in intercept.tolist()],
            "coef": [[round(x, 6) for x in row] for row in coef.tolist()],
        }
        engine.STACK.write_text(json.dumps(stack, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {engine.STACK} ({lang})")
        return
    group_of = {a: k for k, group in enumerate(data["groups"]) for a in group}
    for label, rule in rules().items():
        if not label.startswith(option.get("--rules", "")):
            continue
        per_author, pooled_rows, pooled = [], [], []
        against = option.get("--against", "labels")
        for a in reported:
            judged = [{**r, "labels": r[against]} for r in authors[a]]
            if "--by-group" in sys.argv:
                others = [b for b in authors if group_of[b] != group_of[a]]
            else:
                others = [b for b in authors if b != a]
            trained = [stacked(d, [*others, *learnt]) for d in (m, p, v, y)]
            predicted = rule(*trained, m[a], p[a], None if v is None else v[a])
            per_author.append(result(judged, predicted, skills))
            pooled_rows += judged
            pooled.append(predicted)
        total = result(pooled_rows, np.vstack(pooled), skills)
        mean = np.mean([s["micro_f1"] for s in per_author])
        empty = np.mean([s["no_skill_correct"] or 0 for s in per_author])
        worst = min(s["micro_f1"] for s in per_author)
        devs = []
        for key, rows in data["dev"].items():
            voted = None if dev_v is None else dev_v[key]
            found = rule(*every, dev_m[key], dev_p[key], voted)
            for field in LABELLINGS:  # each the set has
                if all(field in r for r in rows):
                    d = result([{"labels": r[field]} for r in rows], found, skills)
                    name = key.removeprefix("detection_") + (
                        "" if field == "labels" else f":{field}"
                    )
                    devs.append(f"{name} {d['micro_f1']:.3f}/{d['no_skill_correct'] or 0:.2f}")
            if all("second_labels" in r for r in rows):  # no skill for both careful labellers
                kept = [
                    not given.any()
                    for r, given in zip(rows, found, strict=True)
                    if not (r["labels"] or r["second_labels"])
                ]
                devs.append(f"(both empty: {sum(kept)} of {len(kept)} left empty)")
        print(
            f"{lang} {label:<16} mean {mean:.3f} (worst {worst:.3f}, empty {empty:.2f})  "
            f"pooled P {total['micro_precision']:.3f} R {total['micro_recall']:.3f}  "
            f"dev sets (no-skill empty) {'  '.join(devs)}",
            flush=True,
        )
        if "--per-skill" in sys.argv:  # under the rule's line
            per_skill(pooled_rows, total, skills)
        if "--confusions" in sys.argv:
            confusions(pooled_rows, np.vstack(pooled), skills)


if __name__ == "__main__":
    main()
