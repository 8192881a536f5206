"""How self answers and referents' answers become a level. Plain Python, no Django import.

The rules are data (``Rules``): the référentiel sets them globally and may override them
per skill; every decision records the version it used. ``docs/assessment.md`` explains
them in words. Answers are on a 1–4 frequency scale; referents may also answer 0, "I could
not observe it", which counts as no answer.
"""

from dataclasses import asdict, dataclass, field, fields
from statistics import mean
from typing import Any

SCALE = (1, 2, 3, 4)
DONT_KNOW = 0


@dataclass(frozen=True)
class Rules:
    version: str = "2026.1"
    # Mean answer (1–4) needed for each level, read on the combined mean.
    level_1: float = 1.75
    level_2: float = 2.5
    level_3: float = 3.0
    level_4: float = 3.5
    # Self answers alone never give more than this level.
    self_max_level: int = 2
    # "confirmé" (3): at least this many referents, with distinct emails not the person's,
    # whose own mean reaches level_3.
    confirm_min_referents: int = 2
    # "expert" (4): the referents' mean reaches level_4, and either this many referents or,
    # with fewer, their means no further apart than expert_max_spread (strong agreement).
    expert_min_referents: int = 3
    expert_max_spread: float = 0.5
    # Weight of the self mean beside each referent's mean in the combined mean.
    self_weight: float = 1.0
    # Self mean minus others' mean at or beyond this is shown as something to talk over.
    gap_to_discuss: float = 1.0
    # A referent must observe at least this share of the items for the answer to count.
    min_observed_share: float = 0.5
    # Answers faster than this per item are flagged and do not count.
    min_seconds_per_item: float = 2.0
    # The first level an organisation's or the référentiel's badge can certify.
    badge_level: int = 3


DEFAULT_RULES = Rules()
RULE_NAMES = {f.name for f in fields(Rules)}


def validate_overrides(data: Any, where: str = "assessment") -> list[str]:
    """Problems in a rule override object from a framework file; empty when valid."""
    if not isinstance(data, dict):
        return [f"{where}: expected an object"]
    errors = []
    defaults = asdict(DEFAULT_RULES)
    for key, value in data.items():
        if key not in RULE_NAMES:
            errors.append(f"{where}.{key}: unknown rule (known: {', '.join(sorted(RULE_NAMES))})")
        elif isinstance(defaults[key], str):
            if not isinstance(value, str) or not value:
                errors.append(f"{where}.{key}: expected a text")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            errors.append(f"{where}.{key}: expected a number ≥ 0")
        elif isinstance(defaults[key], int) and not isinstance(value, int):
            errors.append(f"{where}.{key}: expected a whole number")
    return errors


def rules_for(*overrides: dict[str, Any] | None) -> Rules:
    """The default rules with the framework's then the skill's overrides applied."""
    merged = asdict(DEFAULT_RULES)
    for override in overrides:
        merged.update({k: v for k, v in (override or {}).items() if k in RULE_NAMES})
    return Rules(**merged)


@dataclass(frozen=True)
class ReferentAnswers:
    """One referent's answers. ``identity`` is their normalised email (see ``email_identity``)."""

    identity: str
    values: tuple[int, ...]
    seconds: float | None = None  # from opening the questionnaire to answering


@dataclass
class Decision:
    level: int  # 0 = no level yet
    rule_version: str
    self_mean: float | None
    others_mean: float | None
    combined_mean: float | None
    counted_referents: int
    spread: float | None
    gap: float | None
    talk_over: bool
    badge_possible: bool
    # Why, as (code, parameters) pairs; the app turns them into sentences.
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["reasons"] = [{"code": code, **params} for code, params in self.reasons]
        return data


def email_identity(email: str) -> str:
    """One spelling per mailbox: lower case, no ``+tag``, no dots for Gmail addresses."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def _mean(values: tuple[int, ...] | list[int]) -> float | None:
    seen = [v for v in values if v != DONT_KNOW]
    return mean(seen) if seen else None


def _level_of(value: float, rules: Rules) -> int:
    for level, threshold in (
        (4, rules.level_4),
        (3, rules.level_3),
        (2, rules.level_2),
        (1, rules.level_1),
    ):
        if value >= threshold:
            return level
    return 0


def too_fast(seconds: float | None, items: int, rules: Rules) -> bool:
    return seconds is not None and seconds < rules.min_seconds_per_item * items


def decide(
    self_values: list[int] | tuple[int, ...] | None,
    referents: list[ReferentAnswers],
    rules: Rules = DEFAULT_RULES,
    *,
    person_identity: str = "",
) -> Decision:
    """The level these answers support under ``rules``, with the reasons why."""
    reasons: list[tuple[str, dict[str, Any]]] = []
    self_mean = _mean(list(self_values)) if self_values else None

    counted: dict[str, float] = {}
    for ref in referents:
        ref_mean = _mean(ref.values)
        observed = sum(1 for v in ref.values if v != DONT_KNOW)
        if ref.identity == person_identity or ref.identity in counted:
            reasons.append(("referent_not_counted_same_email", {}))
        elif too_fast(ref.seconds, len(ref.values), rules):
            reasons.append(("referent_not_counted_too_fast", {}))
        elif ref_mean is None or observed < rules.min_observed_share * len(ref.values):
            reasons.append(("referent_not_counted_not_observed", {}))
        else:
            counted[ref.identity] = ref_mean

    others = list(counted.values())
    others_mean = mean(others) if others else None
    spread = (max(others) - min(others)) if len(others) >= 2 else None
    parts = ([self_mean] if self_mean is not None else []) + others
    weights = ([rules.self_weight] if self_mean is not None else []) + [1.0] * len(others)
    combined = (
        sum(w * v for w, v in zip(weights, parts, strict=True)) / sum(weights) if parts else None
    )

    if self_mean is None:
        reasons.append(("self_missing", {}))
        level = 0
    else:
        assert combined is not None
        level = _level_of(combined, rules)
        reasons.append(("combined_mean", {"value": round(combined, 2), "level": level}))
        if not others and level > rules.self_max_level:
            level = rules.self_max_level
            reasons.append(("self_only_cap", {"level": level}))
        if level >= 3:
            strong = [m for m in others if m >= rules.level_3]
            if len(strong) < rules.confirm_min_referents:
                level = 2
                reasons.append(("confirm_needs_referents", {"needed": rules.confirm_min_referents}))
        if level == 4:
            assert others_mean is not None
            agreement = spread is not None and spread <= rules.expert_max_spread
            if others_mean < rules.level_4:
                level = 3
                reasons.append(("expert_needs_higher_others", {"threshold": rules.level_4}))
            elif len(others) < rules.expert_min_referents and not agreement:
                level = 3
                reasons.append(
                    (
                        "expert_needs_agreement",
                        {"needed": rules.expert_min_referents, "spread": rules.expert_max_spread},
                    )
                )
        reasons.append(("level", {"level": level}))

    gap = (self_mean - others_mean) if self_mean is not None and others_mean is not None else None
    talk_over = gap is not None and abs(gap) >= rules.gap_to_discuss
    if talk_over:
        assert gap is not None
        reasons.append(("gap_higher" if gap > 0 else "gap_lower", {"gap": round(abs(gap), 2)}))
    return Decision(
        level=level,
        rule_version=rules.version,
        self_mean=None if self_mean is None else round(self_mean, 3),
        others_mean=None if others_mean is None else round(others_mean, 3),
        combined_mean=None if combined is None else round(combined, 3),
        counted_referents=len(others),
        spread=None if spread is None else round(spread, 3),
        gap=None if gap is None else round(gap, 3),
        talk_over=talk_over,
        badge_possible=level >= rules.badge_level,
        reasons=reasons,
    )
