"""Feedback reads what an answer means, not only which words it holds (issue 11).

A strength word ("déjà", "so far", "signes", "since when", "would you like") is a strength only when what it
points at is wanted; negation and comparison turn a problem word round ("pas pire", "stopped it dropping");
coping questions, normalising followed by a resource question, compliments and relationship questions are
moves of the approach; the helper's diagnoses, interpretations of causes and negative goals are faults. Every
example of the issue is here in both languages, with the criterion that must carry it.
"""

import pytest

from widgets import rubric
from widgets.rubric import assess

# (rubric, text, solution-focused?, the criterion that must be met) — each example in French and in English.
EXAMPLES = {
    "fr": [
        ("reformulation", "Comment se fait-il que ce ne soit pas pire ?", True, "turned_round"),
        ("reformulation", "Depuis quand est-ce que ça va un peu mieux ?", True, "turned_round"),
        ("scaling_followup", "Qu'est-ce qui l'a empêché de descendre davantage ?", True, "turned_round"),
        (
            "scaling_followup",
            "Waouh, 3 ! Qu'est-ce que vous avez fait pour en arriver là ?",
            True,
            "compliment",
        ),
        (
            "reformulation",
            "C'est normal d'être épuisée avec trois enfants. Qu'est-ce qui vous aide à tenir ?",
            True,
            "resources",
        ),
        (
            "reformulation",
            "Vous avez dû essayer beaucoup de choses déjà. Qu'est-ce qui a marché, même un peu ?",
            True,
            "resources",
        ),
        ("reformulation", "Jusqu'ici, vous avez tout raté.", False, "points_at_problem"),
        ("reformulation", "Qu'est-ce qui a déjà mal tourné cette semaine ?", False, "points_at_problem"),
        ("reformulation", "Qu'est-ce que vous voudriez arrêter de faire ?", False, "negative_goal"),
        ("scaling_followup", "Qu'est-ce qui l'a fait descendre à 3 ?", False, "problem_amplifying"),
        (
            "scaling_followup",
            "Quels sont les signes que ça va encore descendre ?",
            False,
            "points_at_problem",
        ),
        (
            "pre_session",
            "Qu'est-ce qui a bougé dans le mauvais sens depuis votre appel ?",
            False,
            "points_at_problem",
        ),
        (
            "reformulation",
            "C'est vraiment un problème de communication dans votre couple. Qu'est-ce qui serait différent ?",
            False,
            "diagnoses",
        ),
        (
            "reformulation",
            "Ça vient sûrement de votre enfance. Qu'est-ce qui vous aide aujourd'hui ?",
            False,
            "interprets",
        ),
        (
            "reformulation",
            "Qu'est-ce que votre meilleure amie dirait que vous faites bien ?",
            True,
            "relationship",
        ),
        ("reformulation", "C'est normal, tout le monde passe par là.", False, "normalises_only"),
    ],
    "en": [
        ("reformulation", "How come things aren't worse?", True, "turned_round"),
        ("reformulation", "How long have things been a bit better?", True, "turned_round"),
        ("scaling_followup", "What stopped it from dropping further?", True, "turned_round"),
        ("scaling_followup", "Wow, 3! What did you do to get there?", True, "compliment"),
        (
            "reformulation",
            "It's normal to be exhausted with three children. What helps you keep going?",
            True,
            "resources",
        ),
        (
            "reformulation",
            "You must have tried lots of things already. What has worked, even a little?",
            True,
            "resources",
        ),
        ("reformulation", "So far, you've failed at everything.", False, "points_at_problem"),
        ("reformulation", "What has already gone wrong this week?", False, "points_at_problem"),
        ("reformulation", "What would you like to stop doing?", False, "negative_goal"),
        ("scaling_followup", "What made it drop to 3?", False, "problem_amplifying"),
        ("scaling_followup", "What are the signs that it's going to drop again?", False, "points_at_problem"),
        (
            "pre_session",
            "What has moved in the wrong direction since you called?",
            False,
            "points_at_problem",
        ),
        (
            "reformulation",
            "It's really a communication problem in your relationship. What would be different?",
            False,
            "diagnoses",
        ),
        (
            "reformulation",
            "It probably comes from your childhood. What helps you these days?",
            False,
            "interprets",
        ),
        ("reformulation", "What would your best friend say you do well?", True, "relationship"),
        ("reformulation", "It's normal, everyone goes through it.", False, "normalises_only"),
    ],
}
CASES = [(lang, *case) for lang, cases in EXAMPLES.items() for case in cases]


@pytest.mark.parametrize(("lang", "name", "text", "solution_focused", "criterion"), CASES)
def test_the_issues_examples(lang, name, text, solution_focused, criterion):
    feedback = assess(text, name, lang)
    assert feedback.solution_focused is solution_focused, [c.id for c in feedback.criteria if c.met]
    assert feedback.result(criterion).met


def test_both_languages_hold_the_same_examples():
    def shape(lang):
        return [(name, expected, criterion) for name, _, expected, criterion in EXAMPLES[lang]]

    assert shape("fr") == shape("en")


@pytest.mark.parametrize(
    ("lang", "text", "evidence"),
    [
        ("fr", "Qu'est-ce qui a déjà mal tourné cette semaine ?", ("déjà", "mal tourné")),
        ("en", "So far, you've failed at everything.", ("So far", "failed")),
    ],
)
def test_a_strength_word_aimed_at_the_problem_shows_both_words(lang, text, evidence):
    feedback = assess(text, "reformulation", lang)
    assert feedback.result("points_at_problem").evidence == evidence
    assert not feedback.result("resources").met
    assert not feedback.result("progress").met


@pytest.mark.parametrize(
    ("lang", "problem", "turned"),
    [
        ("fr", "Qu'est-ce qui a déjà empiré ?", "Qu'est-ce qui a fait que ça n'a pas empiré ?"),
        ("fr", "Depuis quand est-ce que ça va si mal ?", "Depuis quand est-ce que ça va un peu mieux ?"),
        ("en", "What has already got worse?", "What kept it from getting worse?"),
        ("en", "Since when has it been this bad?", "Since when has it been a little easier?"),
    ],
)
def test_negation_and_comparison_turn_a_problem_word_round(lang, problem, turned):
    assert not assess(problem, "reformulation", lang).solution_focused
    feedback = assess(turned, "reformulation", lang)
    assert feedback.solution_focused
    assert not feedback.result("problem_amplifying").met


@pytest.mark.parametrize(
    ("lang", "negative", "turned"),
    [
        (
            "fr",
            "Quel serait votre objectif : que les disputes cessent ?",
            "Qu'aimeriez-vous voir à la place des disputes ?",
        ),
        ("en", "What would you like to stop feeling?", "What would you like to feel instead?"),
    ],
)
def test_a_negative_goal_is_a_fault_and_a_goal_turned_round_is_not(lang, negative, turned):
    assert assess(negative, "reformulation", lang).result("negative_goal").met
    feedback = assess(turned, "reformulation", lang)
    assert feedback.solution_focused
    assert not feedback.result("negative_goal").met


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "fr",
            "Il y a la déception. Qu'est-ce qui vous aide ? Vous devriez aussi en parler à votre chef.",
        ),
        ("en", "What has helped you so far? You should also talk to your manager."),
    ],
)
def test_an_answer_that_both_opens_and_shuts_says_so_instead_of_a_verdict(lang, text):
    feedback = assess(text, "reformulation", lang)
    assert feedback.mixed
    assert not feedback.solution_focused
    assert feedback.verdict == rubric.load("reformulation", lang).verdicts["mixed"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Qu'est-ce qui a déjà changé, en mieux ou en pire ?"),
        ("en", "What has already changed, for better or worse?"),
    ],
)
def test_better_or_worse_at_once_is_said_to_be_unsure(lang, text):
    feedback = assess(text, "reformulation", lang)
    assert feedback.unsure
    assert feedback.verdict == rubric.load("reformulation", lang).verdicts["unsure"]


def test_not_yet_after_a_difficulty_is_still_read_as_progress():
    # "not yet" after a difficulty is the approach's own move (O'Hanlon), not problem talk.
    french = "Ça ne va pas encore comme vous le voudriez. Qu'est-ce qui va un peu mieux ?"
    assert assess(french, "reformulation", "fr").solution_focused
    english = "It isn't quite where you want it yet. What's a little better?"
    assert assess(english, "reformulation", "en").solution_focused
