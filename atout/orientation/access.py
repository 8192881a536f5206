"""The lowest diploma level ROME's "Accès à l'emploi" text names, for "accessible sans
diplôme / bac+2 ou moins". Levels of the French nomenclature of diplomas (2019): 0 =
accessible without a diploma, 3 = CAP/BEP, 4 = bac, 5 = bac+2, 6 = bac+3, 7 = bac+5,
8 = doctorate. Only the first sentence counts: the next ones say what "helps"."""

import re

WITHOUT = re.compile(
    r"\b(sans (diplôme|qualification|formation|condition de diplôme)|à tous les niveaux"
    r"|aucun diplôme)",
    re.IGNORECASE,
)
BAC_PLUS = re.compile(r"\bbac\s*\+\s*([2-8])", re.IGNORECASE)
BAC_PLUS_LEVEL = {2: 5, 3: 6, 4: 6, 5: 7, 6: 7, 7: 8, 8: 8}
TOKENS = (
    (re.compile(r"\b(doctorat|docteur)", re.IGNORECASE), 8),
    (re.compile(r"\b(master|mastère|diplôme d.ingénieur|école d.ingénieur)", re.IGNORECASE), 7),
    (re.compile(r"\b(licence|bachelor|but)\b", re.IGNORECASE), 6),
    (re.compile(r"\b(bts|btsa|dut|deust)\b", re.IGNORECASE), 5),
    (re.compile(r"\b(bac(?!\s*\+)|baccalauréat|bp|brevet professionnel)\b", re.IGNORECASE), 4),
    (re.compile(r"\b(cap|bep|capa|bepa)\b", re.IGNORECASE), 3),
)
FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s")
NO_DIPLOMA, UP_TO_BAC_2 = 0, 5


def access_level(text: str) -> int | None:
    """``None`` when the first sentence names no diploma level (a licence, a permit…)."""
    first = FIRST_SENTENCE.split(text.strip(), maxsplit=1)[0]
    if WITHOUT.search(first):
        return NO_DIPLOMA
    levels = [BAC_PLUS_LEVEL[int(m.group(1))] for m in BAC_PLUS.finditer(first)]
    levels += [level for pattern, level in TOKENS if pattern.search(first)]
    return min(levels) if levels else None
