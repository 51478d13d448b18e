"""The rubrics of chapters 03 and 04, and the engine features they use (include, unless_met)."""

import pytest

from tests import labelled
from widgets import first_call, rubric, scaling

SETS = labelled.sets("pre_session") + labelled.sets("scaling_followup")


def test_each_rubric_has_labelled_sets_in_both_languages():
    for name in ("pre_session", "scaling_followup"):
        for lang in ("fr", "en"):
            found = labelled.sets(name, lang)
            assert sum(len(labelled_set.items) for labelled_set in found) >= 60
            for labelled_set in found:
                assert len(labelled_set.items) >= 16  # the second blind sets (F) are small; the totals above
                labels = [labelled_set.label(item) for item in labelled_set.items]
                assert 0.3 < sum(labels) / len(labels) < 0.7, "both kinds, in comparable numbers"


@pytest.mark.parametrize("labelled_set", SETS, ids=lambda labelled_set: labelled_set.name)
def test_agreement_with_a_labelled_set(labelled_set):
    labelled.assert_agreement(labelled_set)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_contents_own_examples_pass_their_rubric(lang):
    misread = [
        f"{call.id}: {example}"
        for call in first_call.calls(lang)
        for example in call.question_exemplars
        if not rubric.assess(example, "pre_session", lang).solution_focused
    ]
    misread += [
        f"{case.id}: {example}"
        for case in scaling.vignettes(lang)
        for example in case.followup_exemplars
        if not rubric.assess(example, "scaling_followup", lang).solution_focused
    ]
    assert not misread, "\n".join(misread)


def test_included_criteria_are_the_very_same_rules():
    advice = rubric.load("reformulation", "fr").criterion("advice")
    assert rubric.load("pre_session", "fr").criterion("advice") is advice
    assert rubric.load("scaling_followup", "fr").criterion("advice") is advice
    feedback = rubric.assess(
        "Qu'est-ce qui fait que c'est 3 et pas 0 ? Vous devriez courir.", "scaling_followup", "fr"
    )
    assert feedback.result("advice").met
    assert not feedback.solution_focused


@pytest.mark.parametrize(
    ("lang", "closed", "open_too"),
    [
        ("fr", "Est-ce que ça va mieux depuis votre appel ?", "Et qu'est-ce qui va mieux ?"),
        ("en", "Has anything changed since you called?", "What has changed?"),
    ],
)
def test_only_closed_questions_is_a_fault_until_an_open_one_is_asked(lang, closed, open_too):
    alone = rubric.assess(closed, "pre_session", lang)
    assert alone.result("closed_only").met
    assert not alone.solution_focused
    both = rubric.assess(f"{closed} {open_too}", "pre_session", lang)
    assert not both.result("closed_only").met


@pytest.mark.parametrize(
    ("lang", "text", "met", "fault"),
    [
        ("fr", "Qu’est-ce qui fait que c’est 3 et pas 0 ?", "not_lower", None),
        ("fr", "À quoi verrez-vous que vous êtes à 4 ?", "next_sign", None),
        ("fr", "Quel chiffre serait suffisant pour vous ?", "good_enough", None),
        ("fr", "Pourquoi pas plus ?", None, "why_not_higher"),
        ("fr", "Seulement 2 ? Qu'est-ce qui fait que ce n'est pas 0 ?", "not_lower", "judges_number"),
        ("en", "What makes it a 3 and not a 0?", "not_lower", None),
        ("en", "How will you know you're at 4?", "next_sign", None),
        ("en", "Where would your partner put you?", "other_view", None),
        ("en", "What's stopping you from being at 8?", None, "why_not_higher"),
        ("en", "What makes it a 3 and not an 8?", None, "why_not_higher"),
    ],
)
def test_scaling_follow_up_criteria(lang, text, met, fault):
    feedback = rubric.assess(text, "scaling_followup", lang)
    if met:
        assert feedback.result(met).met
    if fault:
        assert feedback.result(fault).met
        assert not feedback.solution_focused
    else:
        assert feedback.solution_focused
