import json

import pytest

from atout.referentiel.services import DEFAULT_FILE


@pytest.fixture(scope="session")
def referentiel_codes() -> set[str]:
    """The skill codes of the shipped référentiel (read from its file: no database needed)."""
    families = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))["families"]
    return {s["code"] for f in families for s in f["skills"]}
