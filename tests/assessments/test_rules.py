"""The level rules on their own (no database): what each combination of answers gives."""

import pytest

from atout.assessments.rules import (
    ReferentAnswers,
    decide,
    email_identity,
    rules_for,
    validate_overrides,
)

HIGH = (4, 4, 4, 3, 4, 4, 3, 4)  # mean 3.75
GOOD = (3, 3, 4, 3, 3, 3, 3, 3)  # mean 3.125
LOW = (1, 2, 1, 2, 1, 1, 2, 1)  # mean 1.375


def ref(identity, values=GOOD, seconds=120.0):
    return ReferentAnswers(identity=identity, values=tuple(values), seconds=seconds)


def codes(decision):
    return [code for code, _ in decision.reasons]


def test_self_answers_alone_never_give_more_than_pratique():
    decision = decide(HIGH, [])
    assert decision.level == 2
    assert "self_only_cap" in codes(decision)
    assert not decision.badge_possible


def test_low_self_answers_give_decouverte_or_nothing():
    assert decide((2, 2, 2, 2, 2, 2, 2, 2), []).level == 1
    assert decide(LOW, []).level == 0


def test_two_distinct_referents_with_high_answers_give_confirme():
    decision = decide(GOOD, [ref("coach@club.fr"), ref("tuteur@stage.fr")])
    assert decision.level == 3
    assert decision.counted_referents == 2
    assert decision.badge_possible


def test_one_referent_is_not_enough_for_confirme():
    decision = decide(HIGH, [ref("coach@club.fr", HIGH)])
    assert decision.level == 2
    assert "confirm_needs_referents" in codes(decision)


def test_the_same_mailbox_counts_once_even_spelt_differently():
    referents = [ref("coach@club.fr"), ref(email_identity("Coach+2@Club.fr"))]
    decision = decide(GOOD, referents)
    assert decision.counted_referents == 1
    assert decision.level == 2
    assert "referent_not_counted_same_email" in codes(decision)


def test_the_persons_own_mailbox_never_counts():
    person = email_identity("lina.b@gmail.com")
    referents = [ref(email_identity("linab+x@googlemail.com")), ref("coach@club.fr")]
    decision = decide(GOOD, referents, person_identity=person)
    assert decision.counted_referents == 1
    assert decision.level == 2


def test_expert_needs_three_referents_or_strong_agreement():
    two_apart = [ref("a@x.fr", (4,) * 8), ref("b@x.fr", (4, 4, 3, 3, 3, 4, 3, 3))]  # 4 vs 3.375
    assert decide(HIGH, two_apart).level == 3
    assert "expert_needs_agreement" in codes(decide(HIGH, two_apart))
    two_agreeing = [ref("a@x.fr", (4,) * 8), ref("b@x.fr", HIGH)]  # 4 vs 3.75: spread .25
    assert decide(HIGH, two_agreeing).level == 4
    three = [ref("a@x.fr", (4,) * 8), ref("b@x.fr", HIGH), ref("c@x.fr", (4, 4, 4, 4, 3, 3, 4, 4))]
    assert decide(HIGH, three).level == 4


def test_expert_with_two_referents_far_apart_is_refused_for_agreement():
    rules = rules_for({"expert_max_spread": 0.1})
    two = [ref("a@x.fr", (4,) * 8), ref("b@x.fr", HIGH)]  # spread .25 > .1
    decision = decide(HIGH, two, rules)
    assert decision.level == 3
    assert "expert_needs_agreement" in codes(decision)


def test_self_inflation_cannot_lift_the_level_above_what_referents_say():
    decision = decide((4,) * 8, [ref("a@x.fr", (2,) * 8), ref("b@x.fr", (2,) * 8)])
    # combined mean (4 + 2 + 2) / 3 = 2.67 → pratique; the referents did not reach confirmé
    assert decision.level == 2
    assert decision.talk_over and decision.gap == 2.0
    assert "gap_higher" in codes(decision)


def test_a_person_who_underrates_themselves_is_told_so():
    decision = decide(LOW, [ref("a@x.fr", HIGH), ref("b@x.fr", HIGH)])
    assert "gap_lower" in codes(decision)
    assert decision.talk_over


def test_answers_given_too_fast_do_not_count():
    decision = decide(GOOD, [ref("a@x.fr", seconds=4.0), ref("b@x.fr")])
    assert decision.counted_referents == 1
    assert "referent_not_counted_too_fast" in codes(decision)
    assert decision.level == 2


def test_a_referent_who_could_not_observe_most_items_does_not_count():
    mostly_unknown = (0, 0, 0, 0, 0, 4, 4, 4)
    decision = decide(GOOD, [ref("a@x.fr", mostly_unknown), ref("b@x.fr")])
    assert decision.counted_referents == 1
    assert "referent_not_counted_not_observed" in codes(decision)


def test_dont_know_answers_are_left_out_of_the_mean():
    some_unknown = (0, 0, 3, 3, 3, 3, 3, 3)
    decision = decide(GOOD, [ref("a@x.fr", some_unknown), ref("b@x.fr")])
    assert decision.counted_referents == 2
    assert decision.others_mean == 3.062


def test_without_self_answers_there_is_no_level():
    decision = decide(None, [ref("a@x.fr"), ref("b@x.fr")])
    assert decision.level == 0
    assert codes(decision)[0] == "self_missing"


def test_skill_overrides_win_over_the_framework_and_the_version_is_recorded():
    rules = rules_for({"version": "org-1", "confirm_min_referents": 3}, {"level_3": 3.2})
    assert rules.version == "org-1" and rules.confirm_min_referents == 3 and rules.level_3 == 3.2
    decision = decide(GOOD, [ref("a@x.fr"), ref("b@x.fr")], rules)
    assert decision.rule_version == "org-1"
    assert decision.level == 2


def test_rule_overrides_are_checked():
    assert validate_overrides({"level_3": 3.1, "version": "x"}) == []
    problems = validate_overrides(
        {"colour": 1, "level_3": "high", "confirm_min_referents": 1.5, "version": ""}
    )
    assert len(problems) == 4
    assert any("colour: unknown rule" in p for p in problems)
    assert validate_overrides([1]) == ["assessment: expected an object"]


@pytest.mark.parametrize(
    ("email", "identity"),
    [
        ("Lina@Example.org", "lina@example.org"),
        ("lina+coach@example.org", "lina@example.org"),
        ("l.i.n.a@googlemail.com", "lina@gmail.com"),
        ("l.ina@example.org", "l.ina@example.org"),
    ],
)
def test_email_identity(email, identity):
    assert email_identity(email) == identity
