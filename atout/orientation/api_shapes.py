"""The orientation answers of the API and of ``atout orient`` (one shape for both)."""

from typing import Any

from atout.matching import Match

from .explain import describe


def job_out(match: Match, source: str = "rome") -> dict[str, Any]:
    described = describe(match, source)
    return {
        "code": match.code,
        "label": match.label,
        "score": match.score,
        "reasons": [described["reason"]],
        "gap": [
            {
                "kind": item["kind"],
                "code": item["code"],
                "label": item["label"],
                "importance": "core" if item["core"] else "other",
            }
            for item in described["missing"]
        ],
    }
