"""A level hook for tests: records what the badges issue would be called with."""

CALLS: list[tuple[int, int]] = []


def record(assessment, decision) -> None:
    CALLS.append((assessment.pk, decision.level))
