"""`atout bench matching [--rome DIR] [--esco DIR]`: build the index from the official ROME
files, the ESCO files (or the loaded database), time the ranking for one person and for a
batch, and check quality. `--imports`: time the ROME, ESCO and labour imports, and their
memory, in a throwaway database."""

from __future__ import annotations

import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from atout.matching import SAVOIR_ETRE, SAVOIR_FAIRE, Index, Metier, Profile

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
    lines += _speed(index, people, 500, lambda: _random_profile(index, rng, etre, faire))

    sample = rng.sample(
        [m for m in index.metiers if any(m.requirements.values())], min(300, len(index.metiers))
    )
    lines.append(_own_core_items(index, sample, "a métier's own core items", "métiers"))

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


def _speed(index: Index, people: int, one_by_one: int, profile: Callable[[], Profile]) -> list[str]:
    """Top-20 with reasons for one person (median, p95), then ``people`` in one batch."""
    timings = []
    for _ in range(one_by_one):
        one = profile()
        t = time.perf_counter()
        index.rank(one, limit=20)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    lines = [
        f"top-20 for one person (with reasons): median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(0.95 * (len(timings) - 1))]:.2f} ms"
    ]
    profiles = [profile() for _ in range(people)]
    t = time.perf_counter()
    index.rank_many(profiles, limit=20)
    seconds = time.perf_counter() - t
    lines.append(
        f"batch: {people} people ranked in {seconds:.1f} s ({people / seconds:,.0f} per second)"
    )
    return lines


def _own_core_items(index: Index, sample: list[Metier], what: str, plural: str) -> str:
    """How often a profile made of a métier's own core items ranks it in the top 5."""
    in_top5 = 0
    for metier in sample:
        profile = Profile(items={i: 1.0 for i, core in metier.requirements.items() if core})
        top = index.rank_many([profile], limit=5)[0]
        in_top5 += metier.code in top
    return (
        f"quality: {what} rank it in the top 5 for {in_top5}/{len(sample)} "
        f"sampled {plural} ({in_top5 / len(sample):.0%})"
    )


# ESCO ------------------------------------------------------------------------------------


def _esco_rows(path: Path) -> Iterator[dict[str, str]]:
    from .csvfiles import open_text

    with open_text(path) as handle:
        yield from csv.DictReader(handle)


def index_from_esco(directory: Path) -> Index:
    """The ESCO index straight from the files, counted as ``selectors.index("esco")`` counts
    the imported tables (soft skills of ``esco_soft_skills.json`` → savoir-être, other
    skills → savoir-faire, knowledge left out)."""
    from .esco import find_files
    from .selectors import esco_kind, esco_soft_uris

    paths = find_files(directory)  # the files import_esco reads
    soft = esco_soft_uris()
    kinds = {}
    for r in _esco_rows(paths["skills"]):
        if kind := esco_kind(r["conceptUri"], r["skillType"], soft):
            kinds[r["conceptUri"]] = kind
    requirements: dict[str, dict[str, bool]] = defaultdict(dict)
    for r in _esco_rows(paths["relations"]):
        if r["skillUri"] in kinds:
            requirements[r["occupationUri"]][r["skillUri"]] = r["relationType"] == "essential"
    occupations = sorted(
        (r["code"], r["preferredLabel"], r["conceptUri"]) for r in _esco_rows(paths["occupations"])
    )
    metiers = [
        Metier(code=code, label=label, requirements=requirements.get(uri, {}))
        for code, label, uri in occupations
    ]
    return Index(metiers, kinds)


def run_esco(directory: Path, people: int = 100_000, seed: int = 3) -> list[str]:
    from .selectors import esco_crosswalk

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    start = time.perf_counter()
    index = index_from_esco(directory)
    built = time.perf_counter() - start
    links = sum(len(m.requirements) for m in index.metiers)
    etre = [i for i in index.items if index.kinds[i] == SAVOIR_ETRE]
    faire = [i for i in index.items if index.kinds[i] == SAVOIR_FAIRE]
    with_soft = sum(
        1 for m in index.metiers if any(index.kinds.get(i) == SAVOIR_ETRE for i in m.requirements)
    )
    lines = [
        f"ESCO index: {len(index.metiers)} occupations, {len(index.items)} skills "
        f"({len(etre)} savoir-être), {links} links, built in {built:.2f} s; "
        f"{with_soft} occupations call for at least one soft skill"
    ]
    walk = esco_crosswalk()
    codes = sorted(walk)

    def profile() -> Profile:
        """Soft skills at random levels (through the crosswalk, level / 4), and 0–10 claimed
        ESCO skills."""
        items: dict[str, float] = {}
        for code in rng.sample(codes, 5):
            strength = rng.randint(1, 4) / 4
            for uri in walk[code]:
                items[uri] = max(items.get(uri, 0.0), strength)
        items |= dict.fromkeys(rng.sample(faire, rng.randint(0, min(10, len(faire)))), 1.0)
        return Profile(items=items)

    lines += _speed(index, people, 1000, profile)
    candidates = [m for m in index.metiers if any(m.requirements.values())]
    sample = rng.sample(candidates, min(300, len(candidates)))
    lines.append(
        _own_core_items(index, sample, "an occupation's own essential skills", "occupations")
    )
    return lines


# Imports ---------------------------------------------------------------------------------


def run_imports(rome: Path, esco: Path, labour: Path) -> list[str]:
    """Run ``import rome``, ``import esco`` and ``import labour`` with ``--wet-run``, each in
    its own process, in a throwaway SQLite database (or the PostgreSQL database of
    ``DATABASE_URL``): wall time and peak memory (maximum resident set size) of each."""
    url = os.environ.get("DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": url if postgres else f"sqlite:///{folder}/imports.sqlite3",
        }
        lines.append(
            "database: PostgreSQL (DATABASE_URL)" if postgres else "database: throwaway SQLite"
        )
        steps = [
            ("migrate", ["migrate", "-v0"]),
            ("cache table", ["createcachetable"]),
            ("import rome", ["import", "-v0", "rome", str(rome), "--wet-run"]),
            ("import esco", ["import", "-v0", "esco", str(esco), "--wet-run"]),
            ("import labour", ["import", "-v0", "labour", str(labour), "--wet-run"]),
        ]
        seconds = peak = 0.0
        for name, args in steps:
            log = Path(folder) / "log.txt"
            with log.open("wb") as out:
                start = time.perf_counter()
                process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                    [sys.executable, "-m", "atout.cli", *args], env=env, stdout=out, stderr=out
                )
                _pid, status, usage = os.wait4(process.pid, 0)
                wall = time.perf_counter() - start
                process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{name} failed ({process.returncode}):\n{tail}")
            mib = usage.ru_maxrss / 1024  # KiB on Linux
            if name.startswith("import"):
                seconds += wall
                peak = max(peak, mib)
                lines.append(f"{name}: {wall:.1f} s, peak memory {mib:.0f} MiB")
        lines.append(
            f"ROME + ESCO + labour: {seconds:.1f} s in all (target < 180 s), peak memory "
            f"{peak:.0f} MiB (target < 1024 MiB)"
        )
    return lines
