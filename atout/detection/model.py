"""The classifiers: TF-IDF over word and character n-grams of normalised text; a multinomial
logistic regression over the skills plus "none" that scores each sentence, and one logistic
regression per skill that scores a whole narrative. Trained on our own example sentences
(data/examples.json) and narratives (data/narratives/) at first use, then cached on disk."""

import hashlib
import json
import os
import pickle  # noqa: S403 (our own model, in the user's own cache directory)
import threading
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .text import normalise

EXAMPLES = Path(__file__).resolve().parent / "data" / "examples.json"
# Whole narratives (1-4 sentences) labelled with the skills the narrator shows, one JSONL file
# per author: they teach the model how other people tell the same acts.
NARRATIVES = EXAMPLES.with_name("narratives")
# Stories written around two skills the model confuses (one shown, the other's words or setting
# there too), labelled by their writer alone: learnt like the narratives, but not an author's
# voice, so the benches never hold them out as an author (bench/oof_detection.py learns them in
# every fold).
CONTRASTS = EXAMPLES.with_name("contrasts")
# Each narrative counts three times: fewer than the sentences, and closer to what people type
# (chosen by leaving one author out, with the development sets: bench/authors_detection.py).
NARRATIVE_WEIGHT = 3
NONE = "none"
# The neighbours' votes (Neighbours.votes): how many of the most similar training texts vote.
NEIGHBOURS = 25
_lock = threading.Lock()


def _vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    return words, chars


@dataclass
class Neighbours:
    """The labelled training texts (narratives and example sentences), for the neighbours'
    votes: their word features (features x texts, L2-normalised, float32) and their labels
    (texts x skills)."""

    lang: str
    words: TfidfVectorizer
    memory: Any
    labels: np.ndarray

    def votes(self, texts: list[str]) -> np.ndarray:
        """One row per text, one column per skill: the labels of the ``NEIGHBOURS`` training
        texts whose words are most like the text's (cosine of word TF-IDF), each weighted by
        its similarity squared. An empty text, or one that shares no word, gets no votes."""
        out = np.zeros((len(texts), self.labels.shape[1]), dtype=np.float32)
        for start in range(0, len(texts), 256):  # 256 x 23,000 similarities at a time
            chunk = [normalise(t, self.lang) for t in texts[start : start + 256]]
            similar = (self.words.transform(chunk).astype(np.float32) @ self.memory).toarray()
            k = min(NEIGHBOURS, similar.shape[1])
            nearest = np.argpartition(-similar, k - 1, axis=1)[:, :k]
            weight = np.take_along_axis(similar, nearest, axis=1) ** 2
            voted = np.einsum("tk,tks->ts", weight, self.labels[nearest])
            total = weight.sum(axis=1, keepdims=True)
            out[start : start + len(chunk)] = np.divide(
                voted, total, out=np.zeros_like(voted), where=total > 0
            )
        return out


def neighbours(rows: list[dict[str, Any]], skills: list[str], lang: str) -> Neighbours:
    """The neighbours of labelled texts (``{"text", "labels"}``, and ``OTHER_LABELLINGS`` where
    other people labelled them: each vote is then the share of labellers)."""
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    said = words.fit_transform([normalise(r["text"], lang) for r in rows])
    labels = shares(rows, skills).astype(np.float32)
    return Neighbours(lang, words, said.T.tocsr().astype(np.float32), labels)


@dataclass
class TextModel:
    """Whole narrative -> each skill's probability: one logistic regression per skill over the
    same features, learnt from the narratives (a story shows two or three skills at once, which
    the sentence model, one skill per sentence, tends to miss)."""

    lang: str
    words: TfidfVectorizer
    chars: TfidfVectorizer
    skills: list[str]
    weights: np.ndarray  # skills x features
    bias: np.ndarray
    neighbours: Neighbours  # training texts, for the neighbours' votes

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text, one column per skill (``self.skills``)."""
        if not texts:
            return np.zeros((0, len(self.skills)))
        normalised = [normalise(t, self.lang) for t in texts]
        x = hstack([self.words.transform(normalised), self.chars.transform(normalised)])
        logits = np.asarray(x.tocsr().astype(np.float32) @ self._columns) + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def votes(self, texts: list[str]) -> np.ndarray:
        """The neighbours' votes (``Neighbours.votes``)."""
        return self.neighbours.votes(texts)

    @cached_property
    def _columns(self) -> np.ndarray:
        """Features x skills, contiguous float32: ``weights.T`` as a view would make the
        product copy and widen the whole matrix on every call (3x slower)."""
        return np.ascontiguousarray(self.weights.T, dtype=np.float32)


@dataclass
class SentenceModel:
    lang: str
    words: TfidfVectorizer
    chars: TfidfVectorizer
    classifier: LogisticRegression
    labels: list[str]
    stories: TextModel | None = None  # the shipped model has one; cross-validation's may not

    def features(self, texts: list[str]) -> Any:
        normalised = [normalise(t, self.lang) for t in texts]
        return hstack([self.words.transform(normalised), self.chars.transform(normalised)]).tocsr()

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text, one column per label (``self.labels``; includes ``none``)."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        return self.classifier.predict_proba(self.features(texts))


def load_examples(path: Path = EXAMPLES) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def training_pairs(examples: dict[str, Any], lang: str) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for code, by_lang in examples["skills"].items():
        for sentence in by_lang.get(lang, []):
            texts.append(sentence)
            labels.append(code)
    for sentence in examples[NONE].get(lang, []):
        texts.append(sentence)
        labels.append(NONE)
    # A sentence that shows two skills counts once for each: the model learns to split its
    # probability between them, so both can pass the threshold.
    for entry in examples.get("multi", {}).get(lang, []):
        for code in entry["skills"]:
            texts.append(entry["text"])
            labels.append(code)
    return texts, labels


def example_rows(examples: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Each example sentence once, with every skill it shows (none for the "none" ones)."""
    shown: dict[str, set[str]] = {}
    for text, label in zip(*training_pairs(examples, lang), strict=True):
        shown.setdefault(text, set())
        if label != NONE:
            shown[text].add(label)
    return [{"text": text, "labels": sorted(labels)} for text, labels in shown.items()]


def _narrative_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.jsonl"))}


def _rows(raw: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in raw.decode().splitlines() if line.strip()]


def _parse_narratives(files: dict[str, bytes]) -> dict[str, list[dict[str, Any]]]:
    return {Path(name).stem: _rows(raw) for name, raw in files.items()}


def load_narratives(folder: Path = NARRATIVES) -> dict[str, list[dict[str, Any]]]:
    """Each author's narratives (file name without suffix -> rows), in file order."""
    return _parse_narratives(_narrative_files(folder))


# The fields of a narrative row that hold other people's labels, each written blind to the
# author's and to each other's.
OTHER_LABELLINGS = ("second_labels", "third_labels")
# What the author's labels count for when others labelled the narrative too; the others share
# the rest. They worked from one brief and agree with each other far more (micro-F1 0.89) than
# with any author (0.80): together they are one more way of labelling, not several.
AUTHOR_SHARE = 0.5


def labellings(
    row: dict[str, Any], author_share: float | None = None
) -> list[tuple[list[str], float]]:
    """The labels each person gave a narrative, with what they count for (summing to 1): its
    author's (``author_share``, by default ``AUTHOR_SHARE``), and each other labeller's where
    there is one (``OTHER_LABELLINGS``)."""
    others = [row[k] for k in OTHER_LABELLINGS if k in row]
    if not others:
        return [(row["labels"], 1.0)]
    author = AUTHOR_SHARE if author_share is None else author_share
    each = (1 - author) / len(others)
    return [(row["labels"], author), *((labels, each) for labels in others)]


def shares(
    rows: list[dict[str, Any]], skills: list[str], author_share: float | None = None
) -> np.ndarray:
    """Texts x skills: the share of each text's labellings that gave the skill
    (``labellings``' weights: 0, 0.25, 0.5, 0.75 or 1 with three labellers)."""
    out = np.zeros((len(rows), len(skills)))
    for i, row in enumerate(rows):
        given = labellings(row, author_share)
        out[i] = [sum(w for labels, w in given if code in labels) for code in skills]
    return out


def narrative_pairs(
    rows: list[dict[str, Any]], weight: int = 1
) -> tuple[list[str], list[str], list[float]]:
    """A narrative counts once per skill it shows (``weight`` times), or once as "none"; with
    several labellers, each one's labels count for its weight (``labellings``)."""
    texts, labels, weights = [], [], []
    for row in rows:
        for codes, share in labellings(row):
            for code in codes or [NONE]:
                texts += [row["text"]] * weight
                labels += [code] * weight
                weights += [share] * weight
    return texts, labels, weights


def train(
    texts: list[str],
    labels: list[str],
    lang: str,
    *,
    c: float = 32.0,
    weights: list[float] | None = None,
) -> SentenceModel:
    """The sentence model; each (text, label) pair weighs 1 unless ``weights`` says."""
    normalised = [normalise(t, lang) for t in texts]
    words, chars = _vectorisers()
    words.fit(normalised)
    chars.fit(normalised)
    # A (text, label) pair given n times is learnt once with the sum of their weights: the
    # same objective as n copies (the document frequencies above still count every copy), in
    # far fewer rows.
    counts: dict[tuple[str, str], float] = {}
    for pair, w in zip(
        zip(normalised, labels, strict=True), weights or [1.0] * len(texts), strict=True
    ):
        counts[pair] = counts.get(pair, 0.0) + w
    unique = [text for text, _ in counts]
    matrix = hstack([words.transform(unique), chars.transform(unique)]).tocsr()
    classifier = LogisticRegression(C=c, max_iter=2000)
    classifier.fit(matrix, [label for _, label in counts], sample_weight=list(counts.values()))
    return SentenceModel(lang, words, chars, classifier, list(classifier.classes_))


def train_sentences(
    examples: dict[str, Any], rows: list[dict[str, Any]], lang: str
) -> SentenceModel:
    """The sentence model as shipped: every example sentence once, and the narratives ``rows``
    ``NARRATIVE_WEIGHT`` times, each labelling with its share (``narrative_pairs``)."""
    texts, labels = training_pairs(examples, lang)
    more_texts, more_labels, more_weights = narrative_pairs(rows, NARRATIVE_WEIGHT)
    return train(
        texts + more_texts,
        labels + more_labels,
        lang,
        weights=[1.0] * len(texts) + more_weights,
    )


def train_stories(
    rows: list[dict[str, Any]],
    skills: list[str],
    lang: str,
    *,
    c: float = 4.0,
    sentences: list[dict[str, Any]] | tuple[()] = (),
) -> TextModel:
    """The text model, from whole narratives and their labels (C chosen on held-out authors:
    bench/stack_detection.py); its neighbours also know the labelled ``sentences``
    (``example_rows``)."""
    normalised = [normalise(r["text"], lang) for r in rows]
    words, chars = _vectorisers()
    x = hstack([words.fit_transform(normalised), chars.fit_transform(normalised)]).tocsr()
    weights = np.zeros((len(skills), x.shape[1]), dtype=np.float32)
    bias = np.full(len(skills), -30.0)  # a skill no narrative shows: probability ~0
    share = shares(rows, skills)
    for j in range(len(skills)):
        if share[:, j].any() and not share[:, j].all():
            regression = LogisticRegression(C=c, max_iter=2000).fit(*soft(x, share[:, j]))
            weights[j], bias[j] = regression.coef_[0], regression.intercept_[0]
    near = neighbours([*rows, *sentences], skills, lang)
    return TextModel(lang, words, chars, skills, weights, bias, near)


def soft(x: Any, share: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray]:
    """Features, targets and sample weights that learn a soft label: each row once, positive
    when any labeller gave the skill (weight: their share), and once more as a negative of
    weight ``1 - share`` where the labellers disagree."""
    split = np.flatnonzero((share > 0) & (share < 1))
    rows = np.concatenate([np.arange(len(share)), split])
    y = np.concatenate([share > 0, np.zeros(len(split), bool)])
    weight = np.concatenate([np.where(share > 0, share, 1.0), 1 - share[split]])
    return x[rows], y, weight


def source() -> bytes:
    """The code that shapes a trained model (features, options, SMS tables): part of the key
    of every cached model, here and in the benches."""
    return b"".join(Path(__file__).with_name(n).read_bytes() for n in ("model.py", "text.py"))


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "atout"
    return Path(os.environ.get("ATOUT_CACHE_DIR") or default)


@cache
def _model(lang: str) -> SentenceModel:
    """Trained once per set of examples: kept in memory, and on disk for the next process."""
    raw = EXAMPLES.read_bytes()
    # Read once: the key and the training see the same narratives, even if a file changes.
    every = _narrative_files(NARRATIVES) | {
        f"contrasts/{name}": raw for name, raw in _narrative_files(CONTRASTS).items()
    }
    rows_of = {name: _rows(raw) for name, raw in every.items()}
    # Only this language's files (each file is one language) shape its model and its key:
    # English stories added or changed do not retrain the French model, nor the other way.
    files = {
        name: raw for name, raw in every.items() if any(r["lang"] == lang for r in rows_of[name])
    }
    stories = b"".join(name.encode() + raw for name, raw in files.items())
    # Keyed by everything that shapes the model: the examples and narratives, this module and
    # the text normalisation, and the scikit-learn version.
    key = hashlib.sha256(
        raw + stories + source() + lang.encode() + sklearn.__version__.encode()
    ).hexdigest()[:24]
    path = cache_dir() / f"detection-{lang}-{key}.pickle"
    if path.exists():
        try:
            with path.open("rb") as f:
                model = pickle.load(f)  # noqa: S301 (written by this code, in a private directory)
            if isinstance(model, SentenceModel):
                return model
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    examples = json.loads(raw)
    rows = [r for name in files for r in rows_of[name] if r["lang"] == lang]
    model = train_sentences(examples, rows, lang)
    skills = [c for c in model.labels if c != NONE]
    model.stories = train_stories(rows, skills, lang, sentences=example_rows(examples, lang))
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as f:
            pickle.dump(model, f)
        temporary.replace(path)
    except OSError:
        pass  # a read-only disk only costs the training time
    return model


def model_for(lang: str) -> SentenceModel:
    with _lock:  # one training per language, even with several threads asking at once
        return _model(lang)
