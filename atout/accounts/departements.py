"""French département codes (metropolitan, Corsica, overseas)."""

DEPARTEMENTS: frozenset[str] = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
)


def normalise_departement(value: str) -> str:
    value = value.strip().upper()
    if value.isdigit() and len(value) == 1:
        value = "0" + value
    return value
