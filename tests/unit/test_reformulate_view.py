"""Chapter 02's exercise view, driven the way the front end drives it: typing, clicking, choosing."""

from html import escape

import pytest

from widgets import identity, portfolio, reformulation, session
from widgets.store import Store
from widgets.views.feedback import highlighted_html
from widgets.views.reformulate import ReformulationExercise


def identified(lang: str = "fr") -> tuple[ReformulationExercise, session.Session, str]:
    current = session.Session()
    code = identity.new_code()
    current.identify(code)
    return ReformulationExercise(lang, current=current), current, code


def met(view: ReformulationExercise) -> dict[str, bool]:
    return {result.id: result.met for result in view.feedback.criteria}


@pytest.mark.parametrize(
    ("lang", "good", "bad"),
    [
        ("fr", "Qu’aimeriez-vous à la place ?", "Pourquoi ne pas en parler à votre chef ?"),
        ("en", "What would you like instead?", "Why don't you just talk to your boss?"),
    ],
)
def test_criteria_update_as_the_response_changes(lang, good, bad):
    view, _, _ = identified(lang)
    assert view.feedback is None
    assert "wb-criteria" not in view.feedback_view.value  # nothing to judge yet
    view.box.value = good
    assert met(view)["wanted_instead"]
    assert view.feedback.solution_focused
    assert 'data-criterion="wanted_instead" data-met="true"' in view.feedback_view.value
    assert "wb-verdict-yes" in view.feedback_view.value
    view.box.value = bad
    assert met(view)["advice"]
    assert not view.feedback.solution_focused
    assert 'data-criterion="advice" data-met="true"' in view.feedback_view.value
    assert "wb-verdict-no" in view.feedback_view.value


@pytest.mark.parametrize(
    ("lang", "mixed"),
    [
        ("fr", "Qu’est-ce qui vous aide déjà ? Vous devriez aussi en parler à votre chef."),
        ("en", "What already helps? You should also talk to your boss."),
    ],
)
def test_an_answer_that_opens_and_shuts_gets_no_confident_verdict(lang, mixed):
    view, _, _ = identified(lang)
    view.box.value = mixed
    assert view.feedback.mixed
    assert "wb-verdict-mixed" in view.feedback_view.value
    assert "wb-verdict-yes" not in view.feedback_view.value
    assert "wb-verdict-no" not in view.feedback_view.value


def test_the_feedback_speaks_the_pages_language():
    view, _, _ = identified("en")
    view.box.value = "So far, what has helped?"
    assert "Feedback on your response" in view.feedback_view.value
    assert "words found:" in view.feedback_view.value
    assert "Retour" not in view.feedback_view.value


def test_typed_markup_is_shown_as_text_never_rendered():
    view, _, _ = identified("fr")
    view.box.value = '<img src=x onerror="alert(1)"> Qu’est-ce qui va <b>déjà</b> mieux ?'
    shown = view.feedback_view.value
    assert "<img" not in shown
    assert "<b>" not in shown
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in shown
    assert '<mark class="wb-mark wb-mark-strength">déjà</mark>' in shown


def test_highlighting_marks_faults_over_strengths():
    feedback = reformulation.assess("Pourquoi pas mieux ?", "fr")
    html = highlighted_html(feedback)
    assert '<mark class="wb-mark wb-mark-fault">Pourquoi</mark>' in html


def test_answers_with_nothing_to_read_get_a_notice():
    view, _, _ = identified("fr")
    view.box.value = "🙂🙂"
    assert view.feedback.notice == "no_words"
    assert "pas de mots à analyser" in view.feedback_view.value


def test_an_over_long_response_keeps_the_text_says_so_and_saves_nothing_new():
    view, _, code = identified("fr")
    view.box.value = "Qu’est-ce qui va déjà un peu mieux ?"
    saved_before = Store().latest(code)[reformulation.answer_id(view.statement.id)].value["text"]
    typed = "Qu’aimeriez-vous ? " * 200
    view.box.value = typed
    assert view.box.value == typed
    assert "la limite est de 2000" in view.message.value
    assert "wb-over" in view.counter.value
    assert Store().latest(code)[reformulation.answer_id(view.statement.id)].value["text"] == saved_before


def test_each_situation_keeps_its_own_answer():
    view, _, code = identified("fr")
    first = view.statement.id
    view.box.value = "Qu’est-ce qui vous aide à tenir ?"
    view.go_next()
    second = view.statement.id
    assert second != first
    assert view.box.value == ""
    view.box.value = "Qu’aimeriez-vous à la place ?"
    view.show_statement(first)
    assert view.box.value == "Qu’est-ce qui vous aide à tenir ?"
    saved = Store().latest(code)
    assert saved[reformulation.answer_id(first)].value["text"] == "Qu’est-ce qui vous aide à tenir ?"
    assert saved[reformulation.answer_id(second)].value["solution_focused"] is True
    assert "2 sur 32" in view.progress.value


def test_reopening_finds_the_last_situation_worked_on():
    view, _, code = identified("en")
    view.context_picker.value = "grief"
    view.go_next()
    statement = view.statement.id
    view.box.value = "What has helped you get through the days so far?"
    reopened = session.Session()
    again = ReformulationExercise("en", current=reopened)
    reopened.identify(code)
    assert again.statement.id == statement
    assert again.box.value == "What has helped you get through the days so far?"
    assert again.feedback.solution_focused


def test_moving_by_context_and_at_random():
    view, _, _ = identified("fr")
    view.context_picker.value = "mandated"
    assert view.statement.context == "mandated"
    assert "1 sur 4" in view.position.value
    for _ in range(6):
        view.go_random()
        assert view.statement.context == "mandated"
    view.context_picker.value = ""
    assert "sur 32" in view.position.value
    seen = set()
    for _ in range(5):
        previous = view.statement.id
        view.random_button.click()
        assert view.statement.id != previous
        seen.add(view.statement.id)
    assert len(seen) > 1


def test_examples_are_revealed_on_demand_and_hidden_again():
    view, _, _ = identified("en")
    assert view.exemplars.layout.display == "none"
    view.exemplars_button.click()
    assert view.exemplars.layout.display == "block"
    assert view.exemplars_button.description == "Hide the examples"
    for example in view.statement.exemplars:
        assert escape(example) in view.exemplars.value
    view.go_next()
    assert view.exemplars.layout.display == "none"  # a new situation: try before you look


def test_three_answers_finish_the_exercise_and_the_portfolio_holds_them():
    view, current, code = identified("fr")
    answers = ["Qu’aimeriez-vous à la place ?", "Qu’est-ce qui va déjà mieux ?", "Comment avez-vous tenu ?"]
    for text in answers:
        view.box.value = text
        view.go_next()
    chapter_02 = portfolio.progress(current.answers, "fr")["02"]
    assert chapter_02 == "started"  # the reflection is still to write
    markdown = portfolio.markdown(current.answers, "fr", code)
    for text in answers:
        assert f"> {text}" in markdown
    first = reformulation.statements("fr")[0]
    assert first.text in markdown
    html = portfolio.html(current.answers, "en", code)
    assert reformulation.statements("en")[0].speaker in html  # questions in the portfolio's language
    assert "Feedback: " in html


def test_a_store_that_cannot_be_written_says_so_and_keeps_the_text(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    current = session.Session(store_factory=lambda: Store(blocked / "sub"))
    current.identify(identity.new_code())
    view = ReformulationExercise("fr", current=current)
    view.box.value = "Qu’est-ce qui va mieux ?"
    assert view.box.value == "Qu’est-ce qui va mieux ?"
    assert "Non enregistré" in view.saved_state.value
    assert view.feedback.solution_focused  # feedback does not need the store
