"""`atout bench matching [--rome DIR]`: build the index from the official ROME files (or the
loaded database), time the ranking for one person and for a batch, and check quality."""

from __future__ import annotations

import csv
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

from atout.matching import Index, Metier, Profile

KINDS = {"1": "savoir_faire", "2": "savoir_etre"}


def _rows(directory: Path, name: str) -> csv.DictReader[str]:
    return csv.DictReader(
        (directory / f"unix_{name}_v460_utf8.csv").open(encoding="utf-8", newline="")
    )


def index_from_rome(directory: Path) -> Index:
    kinds = {
        r["code_ogr"]: KINDS[r["code_rubrique"]]
        for r in _rows(directory, "item")
        if r["code_rubrique"] in KINDS
    }
    requirements: dict[str, dict[str, bool]] = defaultdict(dict)
    for r in _rows(directory, "coherence_item"):
        if r["code_ogr"] in kinds:
            requirements[r["code_rome"]][r["code_ogr"]] = r["coeur_metier"] == "Principale"
    mobilities: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for r in _rows(directory, "rubrique_mobilite"):
        mobilities[r["code_rome"]].append((r["code_rome_cible"], int(r["numero_ordre"])))
    riasec = {
        r["code_rome"]: (r["riasec_majeur"], r["riasec_mineur"])
        for r in _rows(directory, "referentiel_code_rome_riasec")
    }
    metiers = [
        Metier(
            code=r["code_rome"],
            label=r["libelle_rome"],
            requirements=requirements.get(r["code_rome"], {}),
            riasec_major=riasec.get(r["code_rome"], ("", ""))[0],
            riasec_minor=riasec.get(r["code_rome"], ("", ""))[1],
            mobilities=tuple(mobilities.get(r["code_rome"], [])),
        )
        for r in _rows(directory, "referentiel_code_rome")
    ]
    return Index(metiers, kinds)


def _random_profile(index: Index, rng: random.Random, etre: list[str], faire: list[str]) -> Profile:
    items = {i: rng.choice([0.25, 0.5, 0.75, 1.0]) for i in rng.sample(etre, min(5, len(etre)))}
    items |= dict.fromkeys(rng.sample(faire, rng.randint(0, min(10, len(faire)))), 1.0)
    held = (rng.choice(index.metiers).code,) if rng.random() < 0.5 else ()
    return Profile(items=items, held=held, riasec=rng.choice(["", "R", "S", "E", "SE", "CR"]))


def run(directory: Path | None, people: int = 100_000, seed: int = 3) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    start = time.perf_counter()
    if directory is not None:
        index = index_from_rome(directory)
    else:
        from .selectors import index as db_index

        index = db_index()
    built = time.perf_counter() - start
    links = sum(len(m.requirements) for m in index.metiers)
    lines = [
        f"index: {len(index.metiers)} métiers, {len(index.items)} items, {links} links, "
        f"built in {built:.2f} s"
    ]

    etre = [i for i in index.items if index.kinds[i] == "savoir_etre"]
    faire = [i for i in index.items if index.kinds[i] == "savoir_faire"]
    timings = []
    for _ in range(500):
        profile = _random_profile(index, rng, etre, faire)
        t = time.perf_counter()
        index.rank(profile, limit=20)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    lines.append(
        f"top-20 for one person (with reasons): median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(0.95 * (len(timings) - 1))]:.2f} ms"
    )

    profiles = [_random_profile(index, rng, etre, faire) for _ in range(people)]
    t = time.perf_counter()
    index.rank_many(profiles, limit=20)
    seconds = time.perf_counter() - t
    lines.append(
        f"batch: {people} people ranked in {seconds:.1f} s ({people / seconds:,.0f} per second)"
    )

    sample = rng.sample(
        [m for m in index.metiers if any(m.requirements.values())], min(300, len(index.metiers))
    )
    in_top5 = 0
    for metier in sample:
        profile = Profile(items={i: 1.0 for i, core in metier.requirements.items() if core})
        top = index.rank_many([profile], limit=5)[0]
        in_top5 += metier.code in top
    lines.append(
        f"quality: a métier's own core items rank it in the top 5 for {in_top5}/{len(sample)} "
        f"sampled métiers ({in_top5 / len(sample):.0%})"
    )

    above = total = 0
    for metier in sample:
        if not metier.mobilities:
            continue
        score, _ = index.scores(Profile(items={}, held=(metier.code,)))
        targets = {index.position[t] for t, _o in metier.mobilities if t in index.position}
        others = [
            j
            for j in range(len(index.metiers))
            if j not in targets and index.metiers[j].code != metier.code
        ]
        for t_pos in targets:
            unrelated = rng.choice(others)
            total += 1
            above += score[t_pos] > score[unrelated]
    if total:
        lines.append(
            f"quality: ROME mobility targets rank above an unrelated métier in {above}/{total} "
            f"pairs ({above / total:.0%}), profile = the held job alone"
        )
    return lines
