"""The rubrics of chapters 03 to 05, and the engine features they use (include and its unless, unless_met)."""

import pytest

from tests import labelled
from widgets import checkin, first_call, relationships, rubric, scaling

SETS = labelled.sets("pre_session") + labelled.sets("scaling_followup") + labelled.sets("checkin_response")


def test_each_rubric_has_labelled_sets_in_both_languages():
    for name in ("pre_session", "scaling_followup", "checkin_response"):
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
    misread += [
        f"{client.id}: {example}"
        for client in checkin.clients(lang)
        for example in client.exemplars
        if not rubric.assess(example, checkin.RUBRIC, lang).solution_focused
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


@pytest.mark.parametrize(
    ("lang", "text", "met", "fault"),
    [
        (
            "fr",
            "Merci pour votre franchise. Qu’est-ce que je pourrais faire autrement ?",
            "asks_what_to_change",
            None,
        ),
        ("fr", "Sur quoi aimeriez-vous qu’on se concentre aujourd’hui ?", "asks_what_to_change", None),
        ("fr", "À quoi ressemblerait un 7 pour vous ?", "asks_what_to_change", None),
        ("fr", "Qu’est-ce que vous voulez retirer de notre travail ?", "client_goal", None),
        ("fr", "Qu’est-ce qui a été utile, même un tout petit peu ?", "builds_on_useful", None),
        ("fr", "Merci pour votre honnêteté.", "thanks_feedback", "none"),
        (
            "fr",
            "Je voulais juste vous aider. Qu’est-ce qui vous aiderait ?",
            "asks_what_to_change",
            "defensive",
        ),
        ("fr", "Vous n’avez pas fait vos exercices.", None, "blames_client"),
        (
            "fr",
            "Ce n’est qu’un chiffre. Sur quoi voulez-vous travailler ?",
            "asks_what_to_change",
            "dismisses_score",
        ),
        ("fr", "Vous deviez être fatiguée ce jour-là.", None, "explains_score"),
        ("fr", "On va continuer sur le programme prévu.", None, "insists_own_goal"),
        ("fr", "Pourquoi une note si basse ?", None, "questions_score"),
        ("fr", "Il faut que vous me le disiez plus tôt.", None, "advice"),
        ("en", "Thanks for being honest. What could I do differently?", "asks_what_to_change", None),
        ("en", "What would you like us to focus on today?", "asks_what_to_change", None),
        ("en", "What would a 7 look like for you?", "asks_what_to_change", None),
        ("en", "What would you like to get out of our work?", "client_goal", None),
        ("en", "What was useful, even a tiny bit?", "builds_on_useful", None),
        ("en", "Thank you for your honesty.", "thanks_feedback", "none"),
        ("en", "I was only trying to help. What would help you?", "asks_what_to_change", "defensive"),
        ("en", "You didn't do your homework.", None, "blames_client"),
        ("en", "It's just a number. What do you want to work on?", "asks_what_to_change", "dismisses_score"),
        ("en", "You must have been tired that day.", None, "explains_score"),
        ("en", "We'll stick to the programme.", None, "insists_own_goal"),
        ("en", "Why such a low score?", None, "questions_score"),
        ("en", "You should tell me earlier.", None, "advice"),
    ],
)
def test_check_in_response_criteria(lang, text, met, fault):
    feedback = rubric.assess(text, checkin.RUBRIC, lang)
    if met:
        assert feedback.result(met).met
    if fault == "none":  # a strength, but not what the exercise asks for: not oriented, no fault
        assert not feedback.solution_focused
        assert not any(result.met for result in feedback.faults)
    elif fault:
        assert feedback.result(fault).met
        assert not feedback.solution_focused
    else:
        assert feedback.solution_focused


@pytest.mark.parametrize(
    ("lang", "proposal", "advice"),
    [
        ("fr", "Si on gardait un quart d’heure pour les papiers, ça vous dirait ?", "Et si vous couriez ?"),
        (
            "en",
            "If we kept a quarter of an hour for the forms, would that suit you better?",
            "How about running?",
        ),
    ],
)
def test_an_include_may_add_its_own_unless(lang, proposal, advice):
    # A proposal about the work together is advice when a reformulation is read, not when a check-in is.
    assert rubric.assess(proposal, "reformulation", lang).result("advice").met
    assert not rubric.assess(proposal, checkin.RUBRIC, lang).result("advice").met
    assert rubric.assess(advice, checkin.RUBRIC, lang).result("advice").met
    ours, theirs = rubric.load(checkin.RUBRIC, lang), rubric.load("reformulation", lang)
    assert ours.criterion("advice") is not theirs.criterion("advice")
    assert ours.criterion("labels_blames") is theirs.criterion("labels_blames")  # no unless of its own


# Chapter 06: cooperating with a visitor, a complainant, a customer, and the end-of-session message.
CHAPTER_06 = ("cooperation", "session_message")


@pytest.mark.parametrize("name", CHAPTER_06)
def test_chapter_06_rubrics_have_balanced_labelled_sets_in_both_languages(name):
    for lang in ("fr", "en"):
        found = labelled.sets(name, lang)
        assert len(found) >= 2  # a development set and a second one written before it was measured
        for labelled_set in found:
            assert len(labelled_set.items) >= 30  # A and B: 44-46; C, written blind: 30
            labels = [labelled_set.label(item) for item in labelled_set.items]
            assert 0.4 <= sum(labels) / len(labels) <= 0.6, "both kinds, in comparable numbers"


@pytest.mark.parametrize(
    "labelled_set",
    [found for name in CHAPTER_06 for found in labelled.sets(name)],
    ids=lambda labelled_set: labelled_set.name,
)
def test_chapter_06_agreement_with_a_labelled_set(labelled_set):
    labelled.assert_agreement(labelled_set)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chapter_06_exemplars_pass_their_rubric(lang):
    misread = [
        f"{vignette.id}: {example}"
        for vignette in relationships.vignettes(lang)
        for example in vignette.exemplars
        if not rubric.assess(example, relationships.COOPERATION_RUBRIC, lang).solution_focused
    ]
    misread += [
        f"{vignette.id}: {example}"
        for vignette in relationships.message_vignettes(lang)
        for example in vignette.exemplars
        if not rubric.assess(example, relationships.MESSAGE_RUBRIC, lang).solution_focused
    ]
    assert not misread, "\n".join(misread)


@pytest.mark.parametrize(
    ("lang", "text", "met", "fault"),
    [
        ("fr", "Venir ici n'était pas votre idée, je comprends.", "position", None),
        (
            "fr",
            "Qu'est-ce que le juge aurait besoin de voir pour que vous n'ayez plus à venir ?",
            "referrer_view",
            None,
        ),
        ("fr", "Merci d'être venu quand même.", "welcomes", None),
        (
            "fr",
            "D'ici la prochaine fois, je vous propose de remarquer les moments où il vous écoute.",
            "invites_noticing",
            None,
        ),
        ("fr", "C'est vous qui décidez de quoi on parle.", "respects_choice", None),
        ("fr", "Vous devez reconnaître que vous avez un problème.", None, "confronts"),
        ("fr", "Vous n'êtes pas très motivé, on dirait.", None, "labels_position"),
        ("fr", "Votre patron exagère un peu, non ?", None, "takes_sides"),
        ("fr", "Si vous ne venez pas, je devrai le signaler au juge.", None, "threatens"),
        ("fr", "Vous avez de la chance de ne pas être en prison.", None, "lectures"),
        ("fr", "Je vais vous donner un programme à suivre.", None, "imposes_task"),
        ("fr", "Vous devriez arrêter de boire.", None, "advice"),
        ("en", "Sounds like coming here wasn't your idea.", "position", None),
        (
            "en",
            "What would your boss need to see to be convinced you don't need to come any more?",
            "referrer_view",
            None,
        ),
        ("en", "Thanks for coming anyway.", "welcomes", None),
        (
            "en",
            "Between now and next time, I suggest you notice the times he listens.",
            "invites_noticing",
            None,
        ),
        ("en", "It's up to you what we talk about.", "respects_choice", None),
        ("en", "You need to admit you have a problem.", None, "confronts"),
        ("en", "You don't seem very motivated.", None, "labels_position"),
        ("en", "Your boss sounds like he's overreacting.", None, "takes_sides"),
        ("en", "If you don't come, I'll have to report it to the court.", None, "threatens"),
        ("en", "You're lucky you're not in prison.", None, "lectures"),
        ("en", "I'm going to give you some homework.", None, "imposes_task"),
        ("en", "You should stop drinking.", None, "advice"),
    ],
)
def test_cooperation_criteria(lang, text, met, fault):
    feedback = rubric.assess(text, "cooperation", lang)
    if met:
        assert feedback.result(met).met
    if fault:
        assert feedback.result(fault).met
        assert not feedback.solution_focused
    else:
        assert feedback.solution_focused


@pytest.mark.parametrize(
    ("lang", "text", "met", "fault"),
    [
        ("fr", "Je suis frappée par votre persévérance.", "specific_compliment", None),
        ("fr", "Comme vous souhaitez retrouver du calme, remarquez ce qui vous aide.", "bridge", None),
        ("fr", "Je vous propose de faire un peu plus de ce qui a marché mardi.", "suggestion", None),
        ("fr", "Bravo pour dimanche. Vous devez arrêter de vous disputer.", None, "orders"),
        ("fr", "Notez chaque fois que vous craquez.", None, "problem_homework"),
        ("fr", "Je vous conseille de faire du yoga.", None, "new_advice"),
        ("en", "I'm struck by your persistence.", "specific_compliment", None),
        ("en", "Since you'd like calmer evenings, notice what helps.", "bridge", None),
        ("en", "I suggest you do a bit more of what worked on Tuesday.", "suggestion", None),
        ("en", "Well done for Sunday. You must stop arguing.", None, "orders"),
        ("en", "Write down every time you fail.", None, "problem_homework"),
        ("en", "I'd recommend you try yoga.", None, "new_advice"),
    ],
)
def test_session_message_criteria(lang, text, met, fault):
    feedback = rubric.assess(text, "session_message", lang)
    if met:
        assert feedback.result(met).met
    if fault:
        assert feedback.result(fault).met
        assert not feedback.solution_focused
    else:
        assert feedback.solution_focused


@pytest.mark.parametrize(
    ("lang", "invitation", "advice"),
    [
        (
            "fr",
            "Je vous propose de remarquer les moments où ça va un peu mieux.",
            "Je vous propose d'arrêter de boire.",
        ),
        (
            "en",
            "I'd suggest you notice the moments when things go a bit better.",
            "I'd suggest you stop drinking.",
        ),
    ],
)
def test_an_invitation_to_notice_is_not_advice_in_cooperation(lang, invitation, advice):
    assert rubric.assess(invitation, "cooperation", lang).solution_focused
    assert not rubric.assess(advice, "cooperation", lang).solution_focused
    # reformulation reads it as advice: the include's unless lifts it for this rubric only
    assert rubric.assess(invitation, "reformulation", lang).result("advice").met
