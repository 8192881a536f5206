"""Soft-skill labels of mission feeds → the référentiel's skill codes. No Django.

Feeds such as API Engagement (JeVeuxAider, Service Civique…) list free-text ``softSkills``
("Travail en équipe", "Sens de l'écoute"). This small written table maps the common ones;
labels are compared without case, accents or punctuation. The référentiel's own labels and
its ROME savoir-être cross-walk are added by ``importers.known_labels``.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(label: str) -> str:
    """``"Esprit d’Équipe !"`` → ``"esprit d equipe"``."""
    decomposed = unicodedata.normalize("NFKD", label)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NOT_WORD.sub(" ", plain).strip()


# référentiel code → labels seen in feeds and job ads (French first, then English).
_TABLE: dict[str, tuple[str, ...]] = {
    "teamwork": (
        "Travail en équipe", "Esprit d'équipe", "Travailler en équipe", "Coopération",
        "Collaboration", "Sens du collectif", "Esprit collectif", "Teamwork", "Team spirit",
    ),
    "communication": (
        "Communication", "Sens de la communication", "Aisance relationnelle",
        "Aisance à l'oral", "Expression orale", "Prise de parole", "Capacité à communiquer",
        "Communication skills",
    ),
    "empathy": (
        "Empathie", "Écoute", "Sens de l'écoute", "Écoute active", "Bienveillance",
        "Patience", "Empathy", "Listening",
    ),
    "conflict_management": (
        "Gestion des conflits", "Gérer les conflits", "Médiation", "Diplomatie",
        "Sens de la négociation", "Négociation", "Conflict management",
    ),
    "service_orientation": (
        "Sens du service", "Sens du service client", "Relation client", "Sens de l'accueil",
        "Accueil", "Disponibilité", "Service orientation", "Customer service",
    ),
    "stress_management": (
        "Gestion du stress", "Résistance au stress", "Sang-froid", "Calme", "Maîtrise de soi",
        "Stress management",
    ),
    "self_confidence": (
        "Confiance en soi", "Affirmation de soi", "Assurance", "Self-confidence",
    ),
    "adaptability": (
        "Adaptabilité", "Capacité d'adaptation", "Flexibilité", "Polyvalence", "Souplesse",
        "Ouverture d'esprit", "Adaptability", "Flexibility",
    ),
    "perseverance": (
        "Persévérance", "Ténacité", "Détermination", "Persistence",
    ),
    "organisation": (
        "Sens de l'organisation", "Organisation", "Être organisé", "Capacité d'organisation",
        "Planification", "Organisational skills", "Organizational skills",
    ),
    "time_management": (
        "Gestion du temps", "Gérer son temps", "Ponctualité", "Respect des délais",
        "Time management", "Punctuality",
    ),
    "rigour": (
        "Rigueur", "Minutie", "Précision", "Sens du détail", "Souci du détail",
        "Attention to detail", "Rigour",
    ),
    "reliability": (
        "Fiabilité", "Sens des responsabilités", "Responsabilité", "Assiduité", "Reliability",
        "Dependability",
    ),
    "respect_rules": (
        "Respect des règles", "Respect des consignes", "Respect du cadre",
        "Respect des procédures", "Discrétion", "Respecting rules",
    ),
    "autonomy": ("Autonomie", "Être autonome", "Autonomy", "Independence"),
    "initiative": (
        "Prise d'initiative", "Esprit d'initiative", "Prendre des initiatives",
        "Force de proposition", "Réactivité", "Initiative", "Proactivity",
    ),
    "motivation": (
        "Motivation", "Implication", "Engagement", "Investissement", "Dynamisme",
        "Enthousiasme", "Commitment",
    ),
    "leadership": (
        "Leadership", "Capacité à fédérer", "Animation de groupe", "Animer un groupe",
        "Capacité à motiver", "Capacité de décision", "Prise de décision",
    ),
    "problem_solving": (
        "Résolution de problèmes", "Sens de l'analyse", "Esprit d'analyse",
        "Capacité d'analyse", "Esprit critique", "Problem solving",
    ),
    "creativity": ("Créativité", "Imagination", "Inventivité", "Creativity"),
    "curiosity_learning": (
        "Curiosité", "Curiosité intellectuelle", "Envie d'apprendre", "Goût d'apprendre",
        "Curiosity", "Willingness to learn",
    ),
    "learning_from_feedback": (
        "Remise en question", "Capacité à se remettre en question", "Accepter la critique",
        "Écoute des remarques", "Learning from feedback",
    ),
}  # fmt: skip

SOFT_SKILLS: dict[str, str] = {
    normalise(label): code for code, labels in _TABLE.items() for label in labels
}


def map_labels(
    labels: Iterable[str], known: Mapping[str, str] = SOFT_SKILLS
) -> tuple[list[str], list[str]]:
    """(skill codes, labels nobody knows), each without repeats, in the order met."""
    codes: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for label in labels:
        key = normalise(label)
        if not key:
            continue
        if key in known:
            codes[known[key]] = None
        else:
            unknown[label.strip()] = None
    return list(codes), list(unknown)
