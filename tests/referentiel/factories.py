"""A small but complete framework document, built fresh for each test that wants one."""

from typing import Any


def _t(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def small_framework(code: str = "jardin") -> dict[str, Any]:
    def skill(skill_code: str, fr: str, en: str) -> dict[str, Any]:
        return {
            "code": skill_code,
            "label": _t(fr, en),
            "definition": _t(f"Définition de {fr}.", f"Definition of {en}."),
            "behaviours": [
                {"level": n, "text": _t(f"{fr} niveau {n}", f"{en} level {n}")} for n in (1, 2)
            ],
            "items": [
                {
                    "code": f"{skill_code}-0{i}",
                    "self": _t(f"Je {fr} {i}", f"I {en} {i}"),
                    "referent": _t(f"{{name}} {fr} {i}", f"{{name}} {en} {i}"),
                }
                for i in (1, 2)
            ],
            "crosswalks": {
                "rome_savoir_etre": [{"code_ogr": "300483", "label": "Travailler en équipe"}],
                "esco": [
                    {
                        "uri": "http://data.europa.eu/esco/skill/0a2b9a7b-8e1c-4f1a-9d7e-000000000001",
                        "label": "exemple",
                    }
                ],
            },
        }

    return {
        "format": "atout-referentiel/1",
        "framework": {
            "code": code,
            "version": "1.0",
            "title": _t("Savoir-faire du jardin", "Garden know-how"),
            "description": _t("Pour les jardins partagés.", "For community gardens."),
            "publisher": "Les Jardins de démo",
            "licence": "CC-BY-4.0",
        },
        "levels": [
            {
                "number": 1,
                "code": "debut",
                "label": _t("Débutant", "Beginner"),
                "description": _t("Avec de l'aide.", "With help."),
            },
            {
                "number": 2,
                "code": "autonome",
                "label": _t("Autonome", "Independent"),
                "description": _t("Seul.", "Alone."),
            },
        ],
        "families": [
            {
                "code": "terre",
                "label": _t("La terre", "The soil"),
                "description": _t("", ""),
                "skills": [
                    skill("semer", "semer en plein champ", "sow in the open field"),
                    skill("arroser", "arroser", "water"),
                ],
            }
        ],
    }
