"""Skill profiles ↔ métiers, without Django: which métiers a person's evidenced skills bring
within reach, why, and what is missing. See ``docs/orientation.md`` for the formula.

A métier requires ROME items (savoir-être professionnels, savoir-faire), "cœur de métier"
ones weighing ``CORE_WEIGHT``; a person holds items with a strength in [0, 1] (a soft skill
at level 3 of 4 gives 0.75 to the savoir-être items it is cross-walked to; a savoir-faire
they claim gives 1). Scores combine the weighted coverage of each kind, ROME's mobility
links from jobs they held, and their RIASEC interests when they gave them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

CORE_WEIGHT = 2.0
OTHER_WEIGHT = 1.0
SAVOIR_ETRE_SHARE = 0.6  # of the coverage part, when the person claims savoir-faire
COVERAGE_SHARE = 0.8
MOBILITY_BONUS = 0.15
RIASEC_MAJOR_BONUS = 0.05
RIASEC_MINOR_BONUS = 0.02
SAVOIR_ETRE, SAVOIR_FAIRE = "savoir_etre", "savoir_faire"


@dataclass(frozen=True)
class Metier:
    code: str
    label: str
    requirements: dict[str, bool]  # item code_ogr → core?
    riasec_major: str = ""
    riasec_minor: str = ""
    mobilities: tuple[tuple[str, int], ...] = ()  # (target code, order 1 = closest)


@dataclass(frozen=True)
class Profile:
    items: dict[str, float]  # item code_ogr → strength in [0, 1]
    held: tuple[str, ...] = ()  # ROME codes of jobs held
    riasec: str = ""  # interests, strongest first, e.g. "SE"


@dataclass
class Match:
    code: str
    label: str
    score: float
    coverage: dict[str, float]  # kind → weighted share of requirements met
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    have: list[tuple[str, float, bool]] = field(default_factory=list)  # (item, strength, core)
    missing: list[tuple[str, bool]] = field(default_factory=list)  # (item, core), core first


class Index:
    """Métier requirements as sparse matrices, built once (at import), queried in memory."""

    def __init__(self, metiers: Sequence[Metier], kinds: dict[str, str]) -> None:
        self.metiers = list(metiers)
        self.position = {m.code: i for i, m in enumerate(self.metiers)}
        self.kinds = kinds
        self.items = sorted(
            {item for m in self.metiers for item in m.requirements if item in kinds}
        )
        self.column = {item: j for j, item in enumerate(self.items)}
        self.matrix: dict[str, sparse.csr_matrix] = {}
        self.totals: dict[str, np.ndarray] = {}
        for kind in (SAVOIR_ETRE, SAVOIR_FAIRE):
            rows, cols, data = [], [], []
            for i, metier in enumerate(self.metiers):
                for item, core in metier.requirements.items():
                    if kinds.get(item) == kind:
                        rows.append(i)
                        cols.append(self.column[item])
                        data.append(CORE_WEIGHT if core else OTHER_WEIGHT)
            shape = (len(self.metiers), len(self.items))
            matrix = sparse.csr_matrix((data, (rows, cols)), shape=shape, dtype=np.float32)
            self.matrix[kind] = matrix
            self.totals[kind] = np.asarray(matrix.sum(axis=1)).ravel()
        self.riasec_major = np.array([m.riasec_major for m in self.metiers])
        self.riasec_minor = np.array([m.riasec_minor for m in self.metiers])

    def _vector(self, profile: Profile) -> np.ndarray:
        vector = np.zeros(len(self.items), dtype=np.float32)
        for item, strength in profile.items.items():
            j = self.column.get(item)
            if j is not None:
                vector[j] = max(0.0, min(1.0, strength))
        return vector

    def scores(self, profile: Profile) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        vector = self._vector(profile)
        coverage: dict[str, np.ndarray] = {}
        for kind in (SAVOIR_ETRE, SAVOIR_FAIRE):
            met = self.matrix[kind] @ vector
            totals = self.totals[kind]
            coverage[kind] = np.divide(met, totals, out=np.zeros_like(met), where=totals > 0)
        claims_skills = any(self.kinds.get(i) == SAVOIR_FAIRE for i in profile.items)
        share = SAVOIR_ETRE_SHARE if claims_skills else 1.0
        score = COVERAGE_SHARE * (
            share * coverage[SAVOIR_ETRE] + (1 - share) * coverage[SAVOIR_FAIRE]
        )
        for held in profile.held:
            source = self.position.get(held)
            if source is None:
                continue
            for target, order in self.metiers[source].mobilities:
                t = self.position.get(target)
                if t is not None:
                    score[t] += MOBILITY_BONUS * (1 - (order - 1) / 25)
        if profile.riasec:
            score += RIASEC_MAJOR_BONUS * (self.riasec_major == profile.riasec[0])
            score += RIASEC_MINOR_BONUS * np.isin(self.riasec_minor, list(profile.riasec[:2]))
        return score, coverage

    def explain(
        self, i: int, profile: Profile, score: float, coverage: dict[str, np.ndarray]
    ) -> Match:
        metier = self.metiers[i]
        have, missing = [], []
        for item, core in metier.requirements.items():
            if item not in self.kinds:
                continue
            strength = profile.items.get(item, 0.0)
            if strength > 0:
                have.append((item, strength, core))
            else:
                missing.append((item, core))
        have.sort(key=lambda h: (not h[2], -h[1], h[0]))
        missing.sort(key=lambda m: (not m[1], self.kinds.get(m[0]) != SAVOIR_ETRE, m[0]))
        reasons: list[tuple[str, dict[str, Any]]] = []
        if have:
            reasons.append(("shares", {"count": len(have), "core": sum(1 for h in have if h[2])}))
        for held in profile.held:
            source = self.position.get(held)
            if source is not None and metier.code in dict(self.metiers[source].mobilities):
                reasons.append(("mobility", {"from": held}))
        if profile.riasec and metier.riasec_major == profile.riasec[0]:
            reasons.append(("riasec", {"letter": metier.riasec_major}))
        return Match(
            code=metier.code,
            label=metier.label,
            score=round(float(score), 4),
            coverage={k: round(float(v[i]), 4) for k, v in coverage.items()},
            reasons=reasons,
            have=have,
            missing=missing,
        )

    def rank(self, profile: Profile, limit: int = 20, exclude_held: bool = True) -> list[Match]:
        """The ``limit`` best métiers for ``profile``, best first, each with its reasons."""
        score, coverage = self.scores(profile)
        if exclude_held:
            for held in profile.held:
                if held in self.position:
                    score[self.position[held]] = -1.0
        limit = min(limit, len(self.metiers))
        if limit <= 0:
            return []
        top = np.argpartition(-score, limit - 1)[:limit]
        top = top[np.lexsort((top, -score[top]))]
        return [
            self.explain(int(i), profile, float(score[i]), coverage) for i in top if score[i] > 0
        ]

    def gap(self, profile: Profile, code: str) -> Match:
        """What the person already shows for métier ``code`` and what is missing."""
        i = self.position[code]
        score, coverage = self.scores(profile)
        return self.explain(i, profile, float(score[i]), coverage)

    def rank_many(self, profiles: Iterable[Profile], limit: int = 20) -> list[list[str]]:
        """Top codes for many people (scores only, no explanations: for batches)."""
        out = []
        codes = np.array([m.code for m in self.metiers])
        for profile in profiles:
            score, _coverage = self.scores(profile)
            k = min(limit, len(score))
            top = np.argpartition(-score, k - 1)[:k]
            top = top[np.argsort(-score[top], kind="stable")]
            out.append([str(c) for c in codes[top[score[top] > 0]]])
        return out
