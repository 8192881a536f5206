"""Text handling for detection: sentences with offsets, normalisation of informal writing,
language guess. Pure Python, no Django."""

import re
import unicodedata
from dataclasses import dataclass

# Informal and SMS spellings, after accents are stripped and text lower-cased.
# Keys are whole tokens; values are what they stand for.
SMS_FR = {
    "jai": "j ai", "g": "j ai", "jsuis": "je suis", "chui": "je suis", "chuis": "je suis",
    "jsui": "je suis", "ct": "c etait", "cetait": "c etait", "bcp": "beaucoup",
    "tkt": "t inquiete pas", "pk": "pourquoi", "pq": "pourquoi", "qd": "quand", "kan": "quand",
    "mm": "meme", "pa": "pas", "jamai": "jamais", "koi": "quoi", "ya": "il y a", "yavait": "il y avait",
    "jcroi": "je crois", "jcrois": "je crois", "jpense": "je pense", "jme": "je me", "jle": "je le",
    "jla": "je la", "jles": "je les", "jlui": "je lui", "jleur": "je leur", "jvais": "je vais",
    "jfais": "je fais", "jsais": "je sais", "jsavais": "je savais", "jdois": "je dois",
    "jpouvais": "je pouvais", "jtrouve": "je trouve", "jvoulais": "je voulais", "jetais": "j etais",
    "javais": "j avais", "mtn": "maintenant", "dc": "donc", "pr": "pour",
    "ds": "dans", "tjrs": "toujours", "tjs": "toujours", "vrmt": "vraiment", "tt": "tout",
    "tte": "toute", "ts": "tous", "tts": "toutes", "msg": "message", "rdv": "rendez vous",
    "bjr": "bonjour", "slt": "salut", "stp": "s il te plait", "svp": "s il vous plait",
    "cv": "ca va", "oklm": "tranquille", "ptit": "petit", "ptite": "petite", "ptits": "petits",
    "jsp": "je sais pas", "chai": "je sais", "jpeux": "je peux", "jveux": "je veux", "cest": "c est", "ke": "que", "ki": "qui", "kelke": "quelque", "qq": "quelques",
    "qqn": "quelqu un", "qlq": "quelque", "nn": "non", "ouai": "ouais", "wesh": "", "genre": "",
    "pdt": "pendant", "avc": "avec", "ac": "avec", "taf": "travail", "boulot": "travail", "reuf": "frere", "reus": "soeur", "daron": "pere",
    "daronne": "mere", "frr": "frere", "bg": "", "mdr": "", "ptdr": "", "lol": "",
}  # fmt: skip
SMS_EN = {
    "u": "you", "ur": "your", "im": "i am", "ive": "i have", "id": "i would", "ill": "i will",
    "dont": "do not", "didnt": "did not", "doesnt": "does not", "cant": "can not", "wont": "will not",
    "wasnt": "was not", "couldnt": "could not", "isnt": "is not", "gonna": "going to",
    "wanna": "want to", "gotta": "got to", "idk": "i do not know", "thx": "thanks", "pls": "please",
    "plz": "please", "b4": "before", "cuz": "because", "coz": "because", "bc": "because",
    "tho": "though", "n": "and", "r": "are", "ppl": "people", "w": "with", "bout": "about",
    "lemme": "let me", "kinda": "kind of", "sorta": "sort of", "ya": "you", "yea": "yes",
    "yeah": "yes", "lol": "", "omg": "", "tbh": "", "rly": "really", "prob": "probably",
}  # fmt: skip
# French elisions and English contractions become separate tokens.
APOSTROPHES = re.compile(r"[’'`´]")
NON_WORD = re.compile(r"[^a-z0-9]+")
SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\n+|(?<=[.!?…])(?=[A-ZÀ-Ý])")
LANG_HINTS = {
    "fr": {"je", "j", "le", "la", "les", "et", "de", "des", "un", "une", "est", "pas", "ai", "que",
           "qui", "avec", "pour", "on", "mon", "ma", "mes", "au", "du", "il", "elle", "c", "ca"},
    "en": {"i", "the", "and", "to", "a", "of", "my", "was", "is", "it", "with", "for", "we", "he",
           "she", "they", "that", "in", "on", "at", "me", "had", "have", "but"},
}  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    # For a run of sentences, the one whose subject says who acted (the last: the act).
    subject: str = ""


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Lower-cased, accent-free word tokens, apostrophes split."""
    text = APOSTROPHES.sub(" ", strip_accents(text).lower().replace("œ", "oe").replace("æ", "ae"))
    return [t for t in NON_WORD.split(text) if t]


def normalise(text: str, lang: str) -> str:
    """What the model reads: accents, case and SMS spellings removed, in one canonical form."""
    table = SMS_FR if lang == "fr" else SMS_EN
    out = []
    for token in tokens(text):
        out.append(table.get(token, token))
    return " ".join(t for t in out if t)


def split_sentences(text: str, max_len: int = 400) -> list[Sentence]:
    """Sentences (or lines) with their offsets in ``text``; very long runs are cut at commas."""
    sentences: list[Sentence] = []
    position = 0
    for match in [*SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        _add(sentences, text, position, end, max_len)
        if match:
            position = match.end()
    return sentences


def _add(out: list[Sentence], text: str, start: int, end: int, max_len: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    if end - start > max_len:
        cut = text.rfind(",", start, start + max_len)
        if cut <= start:
            cut = text.rfind(" ", start, start + max_len)
        if cut <= start:
            cut = start + max_len
        _add(out, text, start, cut + 1, max_len)
        _add(out, text, cut + 1, end, max_len)
        return
    if any(c.isalnum() for c in text[start:end]):
        out.append(Sentence(start, end, text[start:end]))


def guess_lang(text: str) -> str:
    words = tokens(text[:2000])
    fr = sum(w in LANG_HINTS["fr"] for w in words)
    en = sum(w in LANG_HINTS["en"] for w in words)
    return "en" if en > fr else "fr"
