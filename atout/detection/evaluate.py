"""Measure the detector on a labelled JSONL set: quality, robustness to informal writing, speed."""

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .engine import detect, detect_many
from .text import strip_accents

# How people shorten French and English in chats; applied to measure robustness.
DEGRADE = [
    (r"\bj'ai\b", "jai"), (r"\bje suis\b", "jsuis"), (r"\bc'était\b", "ct"), (r"\bc'etait\b", "ct"),
    (r"\bbeaucoup\b", "bcp"), (r"\bt'inquiète\b", "tkt"), (r"\bpourquoi\b", "pk"), (r"\bquand\b", "qd"),
    (r"\bquelqu'un\b", "qqn"), (r"\btoujours\b", "tjrs"), (r"\bvraiment\b", "vrmt"), (r"\bpas\b", "pa"),
    (r"\bje me\b", "jme"), (r"\bje lui\b", "jlui"), (r"\bavec\b", "avc"), (r"\bmême\b", "mm"),
    (r"\byou\b", "u"), (r"\bI'm\b", "im"), (r"\bdon't\b", "dont"), (r"\bdidn't\b", "didnt"),
    (r"\bgoing to\b", "gonna"), (r"\bbecause\b", "cuz"), (r"\bpeople\b", "ppl"),
]  # fmt: skip


def degrade(text: str) -> str:
    """Accents stripped, lower-cased, common SMS spellings."""
    for pattern, replacement in DEGRADE:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return strip_accents(text).lower()


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("text"), str) or not isinstance(row.get("labels"), list):
                raise ValueError(f"{path}:{number}: each line needs 'text' and 'labels'")
            rows.append(row)
    return rows


def scores(rows: list[dict[str, Any]], predictions: list[set[str]]) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    empty_ok = empty_total = 0
    for row, predicted in zip(rows, predictions, strict=True):
        gold = set(row["labels"])
        for code in predicted & gold:
            tp[code] += 1
        for code in predicted - gold:
            fp[code] += 1
        for code in gold - predicted:
            fn[code] += 1
        if not gold:
            empty_total += 1
            empty_ok += not predicted

    def f1(t: int, p: int, n: int) -> float:
        return 2 * t / (2 * t + p + n) if t else 0.0

    codes = sorted(set(tp) | set(fp) | set(fn))
    per_skill = {
        code: {
            "precision": round(tp[code] / (tp[code] + fp[code]), 3) if tp[code] + fp[code] else 0.0,
            "recall": round(tp[code] / (tp[code] + fn[code]), 3) if tp[code] + fn[code] else 0.0,
            "f1": round(f1(tp[code], fp[code], fn[code]), 3),
            "support": tp[code] + fn[code],
        }
        for code in codes
    }
    gold_codes = [c for c in codes if per_skill[c]["support"]]
    return {
        "texts": len(rows),
        "micro_f1": round(f1(sum(tp.values()), sum(fp.values()), sum(fn.values())), 3),
        "macro_f1": round(statistics.mean(per_skill[c]["f1"] for c in gold_codes), 3)
        if gold_codes
        else 0.0,
        "no_skill_texts": empty_total,
        "no_skill_correct": round(empty_ok / empty_total, 3) if empty_total else None,
        "per_skill": per_skill,
    }


def predict(
    rows: list[dict[str, Any]], transform: Callable[[str], str] = lambda t: t
) -> list[set[str]]:
    texts = [transform(r["text"]) for r in rows]
    by_lang: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_lang.setdefault(row.get("lang", "auto"), []).append(i)
    results: dict[int, set[str]] = {}
    for lang, indices in by_lang.items():
        found = detect_many([texts[i] for i in indices], lang)
        for i, detections in zip(indices, found, strict=True):
            results[i] = {d.code for d in detections}
    return [results[i] for i in range(len(rows))]


def timing(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Per-text latency of ``detect`` (one call each, as a chat turn) and batch throughput."""
    # Warm-up, one text per language: each language's model is loaded (or trained) once.
    for first in {row.get("lang", "auto"): row for row in rows}.values():
        detect(first["text"], first.get("lang", "auto"))
    latencies = []
    for row in rows:
        start = time.perf_counter()
        detect(row["text"], row.get("lang", "auto"))
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    start = time.perf_counter()
    predict(rows)
    batch = time.perf_counter() - start
    return {
        "median_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "texts_per_second_batch": round(len(rows) / batch, 1),
        "texts_per_second_one_by_one": round(len(rows) / (sum(latencies) / 1000), 1),
    }


def report(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    result: dict[str, Any] = {}
    for lang in sorted({r.get("lang", "auto") for r in rows}):
        subset = [r for r in rows if r.get("lang", "auto") == lang]
        clean = scores(subset, predict(subset))
        degraded = scores(subset, predict(subset, degrade))
        result[lang] = {**clean, "degraded_micro_f1": degraded["micro_f1"]}
    result["timing"] = timing(rows)
    return result
