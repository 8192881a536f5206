"""Out-of-author segment scores: what the sentence model says about an author it never saw.

For each narrative author of a language, train on the example sentences plus every *other*
author's narratives, and keep the segment scores (after the who-did-it factor, as
``engine.sentence_scores`` gives them) of the left-out author's narratives. With a model
trained on every author, also keep the scores of the development sets. Decision rules
(thresholds, per-skill thresholds, a second stage) can then be compared on authors the model
never saw, in seconds (bench/stack_detection.py), without retraining.

Run: .venv/bin/python bench/oof_detection.py fr|en [--dir FOLDER ...] [--train-from FOLDER ...]
    [--also FOLDER ...] [--no-contrasts] [--groups K] [--jobs 2] [--name SUFFIX]
Several --dir: their authors together; --train-from: only these folders' narratives are learnt
(the others are only scored); --also: these folders' narratives are learnt in every fold and
never scored (more training data, same held-out authors and groups); the shipped contrast
stories (atout/detection/data/contrasts/) always are, as the shipped model learns them, unless
--no-contrasts (how every run before they shipped was made); --groups: leave out K groups of
authors in turn instead of one author at a time.
Writes var/cache/oof/{lang}{SUFFIX}.pickle.
"""

import pickle  # noqa: S403 (our own scores, under var/cache)
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devsets import LABELLINGS, dev_sets  # noqa: E402

from atout.detection import engine  # noqa: E402
from atout.detection.model import (  # noqa: E402
    CONTRASTS,
    NARRATIVES,
    load_examples,
    load_narratives,
    train_sentences,
)

OUT = ROOT / "var" / "cache" / "oof"


def score_rows(model, rows, lang):
    """Per row: its segments (start, end, is a pair) and their skill scores."""
    split = [engine.segments(r["text"], engine.WINDOW) for r in rows]
    skills, flat = engine.sentence_scores([s for ss in split for s in ss], lang, model)
    out, at = [], 0
    for row, segs in zip(rows, split, strict=True):
        out.append(
            {
                "id": row.get("id"),
                **{k: sorted(row[k]) for k in LABELLINGS if k in row},
                "text": row["text"],
                "segments": [(s.start, s.end, bool(s.subject)) for s in segs],
                "scores": flat[at : at + len(segs)].astype("float32"),
            }
        )
        at += len(segs)
    return skills, out


def fold(args):
    """Train on the sentences and the narratives of ``trained`` authors; score ``held``
    authors (or the development sets when ``held`` is None)."""
    lang, trained, held, authors, also = args
    rows = [r for a in trained for r in authors[a]] + also
    model = train_sentences(load_examples(), rows, lang)
    if held is None:
        return None, {key: score_rows(model, rows, lang) for key, rows in dev_sets(lang).items()}
    return held, {a: score_rows(model, authors[a], lang) for a in held}


def main() -> None:
    lang = sys.argv[1]
    option = {a: sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a.startswith("--")}
    dirs = [Path(sys.argv[i + 1]) for i, a in enumerate(sys.argv) if a == "--dir"]
    train_from = [Path(sys.argv[i + 1]) for i, a in enumerate(sys.argv) if a == "--train-from"]
    also_dirs = [Path(sys.argv[i + 1]) for i, a in enumerate(sys.argv) if a == "--also"]
    if "--no-contrasts" not in sys.argv and CONTRASTS.resolve() not in {
        d.resolve() for d in also_dirs
    }:
        also_dirs.append(CONTRASTS)
    jobs = int(option.get("--jobs", 2))
    authors, trainable = {}, set()
    for folder in dirs or [NARRATIVES]:
        for name, rows in load_narratives(folder).items():
            if rows and rows[0]["lang"] == lang:
                authors[name] = rows
                if not train_from or folder in train_from:
                    trainable.add(name)
    also = [
        r for folder in also_dirs for rows in load_narratives(folder).values() for r in rows
        if r["lang"] == lang
    ]  # fmt: skip
    names = sorted(authors)
    groups = int(option.get("--groups", len(names)))
    order = names[:]
    random.Random(11).shuffle(order)
    held_groups = [sorted(order[k::groups]) for k in range(groups)]
    print(f"{lang}: {len(authors)} authors, {sum(map(len, authors.values()))} narratives, "
          f"{len(trainable)} trained on, {groups} groups, {len(also)} more always learnt")  # fmt: skip
    # One training per distinct training set (a group with no trainable author shares one).
    by_training = {}
    for group in held_groups:
        trained = tuple(sorted(trainable - set(group)))
        by_training.setdefault(trained, []).extend(group)
    tasks = [(lang, trained, held, authors, also) for trained, held in by_training.items()]
    tasks.append((lang, tuple(sorted(trainable)), None, authors, also))
    result = {"lang": lang, "authors": {}, "dev": {}, "groups": held_groups, "also": also}
    with ProcessPoolExecutor(jobs) as pool:
        for held, scored in pool.map(fold, tasks):
            if held is None:
                result["dev"] = {k: v[1] for k, v in scored.items()}
                result["skills"] = next(iter(scored.values()))[0]
            else:
                for a, (skills, rows) in scored.items():
                    result["skills"], result["authors"][a] = skills, rows
            print(f"  {held or 'dev sets'} done", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{lang}{option.get('--name', '')}.pickle"
    with path.open("wb") as f:
        pickle.dump(result, f)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
