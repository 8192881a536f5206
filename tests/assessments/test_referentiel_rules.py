"""Rules are set in the référentiel: globally and per skill, imported, exported, recorded."""

import copy
import json
from dataclasses import asdict

import pytest

from atout.assessments import services
from atout.assessments.models import Assessment
from atout.assessments.rules import DEFAULT_RULES
from atout.referentiel import formats
from atout.referentiel.models import Framework
from atout.referentiel.services import DEFAULT_FILE, framework_export, framework_import

pytestmark = pytest.mark.django_db


def shipped():
    return json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def test_the_shipped_framework_states_the_default_rules_in_full():
    assert shipped()["framework"]["assessment"] == asdict(DEFAULT_RULES)


def test_a_skill_override_changes_the_decision_and_the_recorded_version(user):
    data = shipped()
    data["framework"]["assessment"]["version"] = "ml-93-v2"
    teamwork = next(s for f in data["families"] for s in f["skills"] if s["code"] == "teamwork")
    teamwork["assessment"] = {"confirm_min_referents": 3}
    framework_import(data=data)

    assessment = services.assessment_start(owner=user, skill_code="teamwork")
    codes = [item.code for item in services.items_of(assessment)]
    services.assessment_answer_self(assessment=assessment, answers=dict.fromkeys(codes, 4))
    for n in range(2):
        assessment.referents.create(
            name=f"R{n}", email=f"r{n}@x.fr", identity=f"r{n}@x.fr", relation="coach",
            token_hash=f"{n:064d}", expires_at=assessment.created_at, opened_at=assessment.created_at,
            answered_at=assessment.created_at.replace(year=assessment.created_at.year + 1),
            answers=dict.fromkeys(codes, 4),
        )  # fmt: skip
    decision = services.assessment_decide(assessment=assessment)
    assert decision.level == 2  # two referents are not enough under this skill's rule
    assert decision.rule_version == "ml-93-v2"
    assert decision.rules["confirm_min_referents"] == 3
    assert Assessment.objects.get().level == 2

    # Another skill keeps the framework-wide rule.
    other = services.assessment_start(owner=user, skill_code="leadership")
    assert services.rules_of(other.skill).confirm_min_referents == 2


def test_rules_travel_through_export_and_import():
    data = shipped()
    data["families"][0]["skills"][0]["assessment"] = {"level_3": 3.25}
    framework_import(data=data)
    exported = framework_export(framework=Framework.objects.get(code="atout"))
    assert exported["framework"]["assessment"] == asdict(DEFAULT_RULES)
    assert exported["families"][0]["skills"][0]["assessment"] == {"level_3": 3.25}
    assert "assessment" not in exported["families"][0]["skills"][1]


def test_a_bad_rule_is_refused_on_import_and_names_the_skill(default_framework):
    data = shipped()
    broken = copy.deepcopy(data)
    broken["families"][0]["skills"][0]["assessment"] = {"level_3": "haut", "colour": 2}
    with pytest.raises(formats.FormatError) as error:
        framework_import(data=broken)
    message = str(error.value)
    assert "skill 'teamwork'.assessment.level_3: expected a number" in message
    assert "colour: unknown rule" in message
    assert Framework.objects.get(code="atout").skills.get(code="teamwork").assessment_rules == {}
