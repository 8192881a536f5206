"""The référentiel's file formats, with no Django import.

Native JSON (``atout-referentiel/1``) is what we ship and export; 1EdTech CASE 1.0 packages
(CFDocument, CFItems, CFAssociations) are converted to and from it. ``validate`` checks a
native document completely before anything is written.
"""

import re
import uuid
from typing import Any

from atout.assessments.rules import validate_overrides

FORMAT = "atout-referentiel/1"
LANGS = ("fr", "en")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
OGR_RE = re.compile(r"^\d{3,7}$")
CASE_NS = uuid.UUID("6f1c1d2e-4b0b-4f43-9a59-7d1c2a5e0a01")
CASE_CONTEXT = "https://purl.imsglobal.org/spec/case/v1p0/context/imscasev1p0_context_v1p0.jsonld"
ROME_URN = "urn:francetravail:rome:4.0:ogr:"


class FormatError(ValueError):
    """The file cannot be read as a framework. The message names the problem."""


def _text(errors: list[str], where: str, value: Any, *, required: bool = True) -> None:
    if not isinstance(value, dict):
        errors.append(f"{where}: expected an object with 'fr' and 'en' texts")
        return
    for lang in LANGS:
        text = value.get(lang)
        if text is None or (isinstance(text, str) and not text.strip()):
            if required:
                errors.append(f"{where}.{lang}: missing text")
        elif not isinstance(text, str):
            errors.append(f"{where}.{lang}: must be a string")


def _code(errors: list[str], where: str, value: Any) -> None:
    if not isinstance(value, str) or not CODE_RE.match(value) or len(value) > 60:
        errors.append(f"{where}: '{value}' is not a valid code (lowercase letters, digits, _ or -)")


def _list(errors: list[str], where: str, value: Any, *, empty_ok: bool = True) -> list[Any]:
    if not isinstance(value, list):
        errors.append(f"{where}: expected a list")
        return []
    if not value and not empty_ok:
        errors.append(f"{where}: must not be empty")
    return value


def validate(data: Any) -> list[str]:
    """Every problem in a native framework document, as readable lines; empty when valid."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ["the file must hold one JSON object"]
    if data.get("format") != FORMAT:
        errors.append(f"format: expected '{FORMAT}', found {data.get('format')!r}")
    fw = data.get("framework")
    if not isinstance(fw, dict):
        return [*errors, "framework: missing"]
    _code(errors, "framework.code", fw.get("code"))
    if not isinstance(fw.get("version"), str) or not fw.get("version"):
        errors.append("framework.version: missing")
    _text(errors, "framework.title", fw.get("title"))
    _text(errors, "framework.description", fw.get("description", {}), required=False)
    if "assessment" in fw:
        errors += validate_overrides(fw["assessment"], "framework.assessment")

    level_numbers: set[int] = set()
    levels = _list(errors, "levels", data.get("levels"), empty_ok=False)
    for i, level in enumerate(levels):
        where = f"levels[{i}]"
        if not isinstance(level, dict):
            errors.append(f"{where}: expected an object")
            continue
        number = level.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 10:
            errors.append(f"{where}.number: expected a whole number from 1 to 10")
        elif number in level_numbers:
            errors.append(f"{where}.number: level {number} appears twice")
        else:
            level_numbers.add(number)
        _code(errors, f"{where}.code", level.get("code"))
        _text(errors, f"{where}.label", level.get("label"))
        _text(errors, f"{where}.description", level.get("description"))
    if level_numbers and level_numbers != set(range(1, len(level_numbers) + 1)):
        errors.append("levels: numbers must run 1, 2, 3… without gaps")

    family_codes: set[str] = set()
    skill_codes: set[str] = set()
    item_codes: set[str] = set()
    families = _list(errors, "families", data.get("families"), empty_ok=False)
    for f, family in enumerate(families):
        fwhere = f"families[{f}]"
        if not isinstance(family, dict):
            errors.append(f"{fwhere}: expected an object")
            continue
        _code(errors, f"{fwhere}.code", family.get("code"))
        if family.get("code") in family_codes:
            errors.append(f"{fwhere}.code: '{family.get('code')}' appears twice")
        family_codes.add(str(family.get("code")))
        _text(errors, f"{fwhere}.label", family.get("label"))
        _text(errors, f"{fwhere}.description", family.get("description", {}), required=False)
        for s, skill in enumerate(
            _list(errors, f"{fwhere}.skills", family.get("skills"), empty_ok=False)
        ):
            swhere = f"{fwhere}.skills[{s}]"
            if not isinstance(skill, dict):
                errors.append(f"{swhere}: expected an object")
                continue
            code = skill.get("code")
            _code(errors, f"{swhere}.code", code)
            if code in skill_codes:
                errors.append(f"{swhere}.code: skill '{code}' appears twice")
            skill_codes.add(str(code))
            swhere = f"skill '{code}'"
            _text(errors, f"{swhere}.label", skill.get("label"))
            _text(errors, f"{swhere}.definition", skill.get("definition"))
            if "assessment" in skill:
                errors += validate_overrides(skill["assessment"], f"{swhere}.assessment")
            for b, behaviour in enumerate(
                _list(errors, f"{swhere}.behaviours", skill.get("behaviours", []))
            ):
                bwhere = f"{swhere}.behaviours[{b}]"
                if not isinstance(behaviour, dict):
                    errors.append(f"{bwhere}: expected an object")
                    continue
                if behaviour.get("level") not in level_numbers:
                    level = behaviour.get("level")
                    errors.append(f"{bwhere}.level: {level!r} is not a level of this framework")
                _text(errors, f"{bwhere}.text", behaviour.get("text"))
            for n, item in enumerate(_list(errors, f"{swhere}.items", skill.get("items", []))):
                iwhere = f"{swhere}.items[{n}]"
                if not isinstance(item, dict):
                    errors.append(f"{iwhere}: expected an object")
                    continue
                _code(errors, f"{iwhere}.code", item.get("code"))
                if item.get("code") in item_codes:
                    errors.append(f"{iwhere}.code: item '{item.get('code')}' appears twice")
                item_codes.add(str(item.get("code")))
                _text(errors, f"{iwhere}.self", item.get("self"))
                _text(errors, f"{iwhere}.referent", item.get("referent"))
                referent = item.get("referent")
                if isinstance(referent, dict):
                    for lang in LANGS:
                        if isinstance(referent.get(lang), str) and "{name}" not in referent[lang]:
                            errors.append(f"{iwhere}.referent.{lang}: must contain {{name}}")
            crosswalks = skill.get("crosswalks", {})
            if not isinstance(crosswalks, dict):
                errors.append(f"{swhere}.crosswalks: expected an object")
                continue
            for r, rome in enumerate(
                _list(
                    errors,
                    f"{swhere}.crosswalks.rome_savoir_etre",
                    crosswalks.get("rome_savoir_etre", []),
                )
            ):
                if not isinstance(rome, dict) or not OGR_RE.match(str(rome.get("code_ogr", ""))):
                    errors.append(
                        f"{swhere}.crosswalks.rome_savoir_etre[{r}]: needs a numeric code_ogr"
                    )
            for e, esco in enumerate(
                _list(errors, f"{swhere}.crosswalks.esco", crosswalks.get("esco", []))
            ):
                if not isinstance(esco, dict) or not str(esco.get("uri", "")).startswith(
                    "http://data.europa.eu/esco/"
                ):
                    errors.append(
                        f"{swhere}.crosswalks.esco[{e}]: needs an ESCO uri (http://data.europa.eu/esco/…)"
                    )
    return errors


def check(data: Any) -> dict[str, Any]:
    """Return ``data`` when valid, else raise ``FormatError`` listing the first problems."""
    errors = validate(data)
    if errors:
        shown = "; ".join(errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise FormatError(f"{len(errors)} problem(s): {shown}{more}")
    return data


# --- CASE 1.0 ---------------------------------------------------------------------------


def _uuid(framework: str, kind: str, code: str) -> str:
    return str(uuid.uuid5(CASE_NS, f"{framework}/{kind}/{code}"))


def to_case(data: dict[str, Any], *, base_url: str, updated: str) -> dict[str, Any]:
    """A native document as a CASE 1.0 package. English and atout's kinds go in ``extensions``."""
    fw = data["framework"]
    fcode = fw["code"]
    doc_id = _uuid(fcode, "document", fcode)
    doc_uri = f"{base_url}/referentiel/{fcode}/"
    doc_link = {"title": fw["title"]["fr"], "identifier": doc_id, "uri": doc_uri}
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def item(
        kind: str, human_code: str, statement: dict[str, str], uri: str, **extra: Any
    ) -> dict[str, Any]:
        node = {
            "identifier": _uuid(fcode, kind, human_code),
            "uri": uri,
            "CFDocumentURI": doc_link,
            "fullStatement": statement["fr"],
            "humanCodingScheme": human_code,
            "CFItemType": kind,
            "language": "fr",
            "lastChangeDateTime": updated,
            "extensions": {"atout": {"en": statement["en"], **extra}},
        }
        items.append(node)
        return node

    def link(node: dict[str, Any]) -> dict[str, str]:
        return {
            "title": node["fullStatement"][:120],
            "identifier": node["identifier"],
            "uri": node["uri"],
        }

    def associate(
        kind: str, origin: dict[str, str], destination: dict[str, str], seq: int | None = None
    ) -> None:
        assoc: dict[str, Any] = {
            "identifier": _uuid(
                fcode, "association", f"{kind}:{origin['identifier']}:{destination['identifier']}"
            ),
            "uri": f"{doc_uri}#association-{len(associations) + 1}",
            "CFDocumentURI": doc_link,
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": updated,
        }
        if seq is not None:
            assoc["sequenceNumber"] = seq
        associations.append(assoc)

    for level in data["levels"]:
        node = item(
            "Level",
            f"level-{level['number']}",
            level["label"],
            f"{doc_uri}#level-{level['number']}",
            number=level["number"],
            code=level["code"],
            description=level["description"],
        )
        associate("isChildOf", link(node), doc_link, level["number"])
    for f, family in enumerate(data["families"], start=1):
        fnode = item(
            "Family",
            family["code"],
            family["label"],
            f"{doc_uri}#{family['code']}",
            description=family.get("description", {}),
        )
        associate("isChildOf", link(fnode), doc_link, f)
        for s, skill in enumerate(family["skills"], start=1):
            snode = item(
                "Skill",
                skill["code"],
                skill["label"],
                f"{doc_uri}{skill['code']}/",
                definition=skill["definition"],
            )
            snode["notes"] = skill["definition"]["fr"]
            associate("isChildOf", link(snode), link(fnode), s)
            for b, behaviour in enumerate(skill.get("behaviours", []), start=1):
                code = f"{skill['code']}-b{behaviour['level']}-{b}"
                bnode = item(
                    "Behaviour",
                    code,
                    behaviour["text"],
                    f"{doc_uri}{skill['code']}/#{code}",
                    level=behaviour["level"],
                )
                bnode["listEnumeration"] = str(behaviour["level"])
                associate("isChildOf", link(bnode), link(snode), b)
            for n, entry in enumerate(skill.get("items", []), start=1):
                inode = item(
                    "QuestionnaireItem",
                    entry["code"],
                    entry["self"],
                    f"{doc_uri}{skill['code']}/#{entry['code']}",
                    referent=entry["referent"],
                )
                associate("isChildOf", link(inode), link(snode), n)
            crosswalks = skill.get("crosswalks", {})
            for rome in crosswalks.get("rome_savoir_etre", []):
                target = {
                    "title": rome.get("label", ""),
                    "identifier": str(rome["code_ogr"]),
                    "uri": ROME_URN + str(rome["code_ogr"]),
                }
                associate("exactMatchOf", link(snode), target)
            for esco in crosswalks.get("esco", []):
                target = {
                    "title": esco.get("label", ""),
                    "identifier": esco["uri"].rsplit("/", 1)[-1],
                    "uri": esco["uri"],
                }
                associate("exactMatchOf", link(snode), target)

    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": fw.get("publisher") or "atout",
        "title": fw["title"]["fr"],
        "lastChangeDateTime": updated,
        "version": fw["version"],
        "description": fw.get("description", {}).get("fr", ""),
        "language": "fr",
        "adoptionStatus": "Adopted",
        "extensions": {
            "atout": {
                "format": FORMAT,
                "code": fcode,
                "title_en": fw["title"]["en"],
                "description_en": fw.get("description", {}).get("en", ""),
            }
        },
    }
    if fw.get("licence"):
        licence = fw["licence"]
        document["licenseURI"] = {
            "title": licence,
            "identifier": licence,
            "uri": f"https://spdx.org/licenses/{licence}.html",
        }
    return {
        "@context": CASE_CONTEXT,
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFItemTypes": [
                {
                    "identifier": _uuid(fcode, "itemtype", t),
                    "uri": f"{doc_uri}#type-{t}",
                    "title": t,
                    "typeCode": t,
                    "lastChangeDateTime": updated,
                }
                for t in ("Level", "Family", "Skill", "Behaviour", "QuestionnaireItem")
            ]
        },
    }


def _bilingual(node: dict[str, Any], key: str = "en", fr: str | None = None) -> dict[str, str]:
    ext = (node.get("extensions") or {}).get("atout") or {}
    french = fr if fr is not None else node.get("fullStatement", "")
    return {"fr": french, "en": ext.get(key) or ""}


def from_case(package: Any) -> dict[str, Any]:
    """A CASE package as a native document (not yet validated). Raises ``FormatError``."""
    if not isinstance(package, dict):
        raise FormatError("the CASE package must be one JSON object")
    doc = package.get("CFDocument")
    items = package.get("CFItems")
    associations = package.get("CFAssociations")
    if (
        not isinstance(doc, dict)
        or not isinstance(items, list)
        or not isinstance(associations, list)
    ):
        raise FormatError("a CASE package needs CFDocument, CFItems and CFAssociations")
    doc_ext = (doc.get("extensions") or {}).get("atout") or {}
    by_id: dict[str, dict[str, Any]] = {}
    for i, node in enumerate(items):
        if (
            not isinstance(node, dict)
            or not node.get("identifier")
            or not node.get("fullStatement")
        ):
            raise FormatError(f"CFItems[{i}]: needs an identifier and a fullStatement")
        by_id[node["identifier"]] = node
    children: dict[str, list[tuple[int, str]]] = {}
    matches: dict[str, list[dict[str, Any]]] = {}
    for i, assoc in enumerate(associations):
        try:
            origin = assoc["originNodeURI"]["identifier"]
            destination = assoc["destinationNodeURI"]
            kind = assoc["associationType"]
        except (KeyError, TypeError) as error:
            raise FormatError(
                f"CFAssociations[{i}]: needs associationType, originNodeURI and destinationNodeURI"
            ) from error
        if kind == "isChildOf":
            children.setdefault(destination["identifier"], []).append(
                (assoc.get("sequenceNumber") or 0, origin)
            )
        elif kind in {"exactMatchOf", "isRelatedTo", "closeMatchOf"}:
            matches.setdefault(origin, []).append(destination)

    def kids(parent: str, kind: str) -> list[dict[str, Any]]:
        found = sorted(children.get(parent, []), key=lambda pair: pair[0])
        return [by_id[i] for _, i in found if i in by_id and by_id[i].get("CFItemType") == kind]

    doc_id = doc.get("identifier", "")
    if not any(node.get("CFItemType") == "Skill" for node in by_id.values()):
        raise FormatError(
            "this CASE package has no CFItem of type 'Skill': it is not an atout framework"
        )
    levels = []
    for node in kids(doc_id, "Level"):
        ext = (node.get("extensions") or {}).get("atout") or {}
        levels.append(
            {
                "number": ext.get("number"),
                "code": ext.get("code"),
                "label": _bilingual(node),
                "description": ext.get("description"),
            }
        )
    families = []
    for fnode in kids(doc_id, "Family"):
        fext = (fnode.get("extensions") or {}).get("atout") or {}
        skills = []
        for snode in kids(fnode["identifier"], "Skill"):
            sext = (snode.get("extensions") or {}).get("atout") or {}
            rome, esco = [], []
            for target in matches.get(snode["identifier"], []):
                uri = str(target.get("uri", ""))
                if uri.startswith(ROME_URN):
                    rome.append(
                        {"code_ogr": uri.removeprefix(ROME_URN), "label": target.get("title", "")}
                    )
                elif uri.startswith("http://data.europa.eu/esco/"):
                    esco.append({"uri": uri, "label": target.get("title", "")})
            skills.append(
                {
                    "code": snode.get("humanCodingScheme"),
                    "label": _bilingual(snode),
                    "definition": sext.get("definition")
                    or {"fr": snode.get("notes", ""), "en": ""},
                    "behaviours": [
                        {
                            "level": ((b.get("extensions") or {}).get("atout") or {}).get("level"),
                            "text": _bilingual(b),
                        }
                        for b in kids(snode["identifier"], "Behaviour")
                    ],
                    "items": [
                        {
                            "code": q.get("humanCodingScheme"),
                            "self": _bilingual(q),
                            "referent": ((q.get("extensions") or {}).get("atout") or {}).get(
                                "referent"
                            ),
                        }
                        for q in kids(snode["identifier"], "QuestionnaireItem")
                    ],
                    "crosswalks": {"rome_savoir_etre": rome, "esco": esco},
                }
            )
        families.append(
            {
                "code": fnode.get("humanCodingScheme"),
                "label": _bilingual(fnode),
                "description": fext.get("description") or {},
                "skills": skills,
            }
        )
    return {
        "format": FORMAT,
        "framework": {
            "code": doc_ext.get("code") or doc.get("humanCodingScheme") or "",
            "version": doc.get("version") or "",
            "title": {"fr": doc.get("title", ""), "en": doc_ext.get("title_en", "")},
            "description": {
                "fr": doc.get("description", ""),
                "en": doc_ext.get("description_en", ""),
            },
            "publisher": doc.get("creator", ""),
            "licence": (doc.get("licenseURI") or {}).get("title", ""),
        },
        "levels": levels,
        "families": families,
    }


def read(data: Any) -> dict[str, Any]:
    """Native or CASE, checked: the one entry point for imports."""
    if isinstance(data, dict) and "CFDocument" in data:
        data = from_case(data)
    return check(data)
