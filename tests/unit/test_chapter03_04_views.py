"""Chapters 03 and 04: the views, driven the way the front end drives them."""

from html import escape

import pytest

from widgets import first_call, identity, portfolio, scaling, session
from widgets.store import Store
from widgets.views.first_call import FirstCallExercise, PreSessionQuestion
from widgets.views.scaling import ScalingChartExercise, ScalingFollowup


def participant() -> tuple[session.Session, str]:
    current = session.Session()
    code = identity.new_code()
    current.identify(code)
    return current, code


def test_marking_and_checking_a_call():
    current, code = participant()
    view = FirstCallExercise("fr", current=current)
    assert [turn["speaker"] for turn in view.transcript.turns][:2] == ["helper", "client"]
    view.check()
    assert "Marquez au moins une phrase" in view.message.value
    markers = view.call.markers
    plain = next(phrase for phrase in view.call.phrases if phrase.markable and phrase.key is None)
    view.transcript.marked = [markers[0].id, plain.id]  # what the browser sends
    view.check()
    assert view.transcript.results == {
        **{phrase.id: "missed" for phrase in markers[1:]},
        markers[0].id: "found",
        plain.id: "extra",
    }
    assert f"1 marqueur(s) sur {len(markers)}" in view.results.value
    assert plain.why.replace("’", "&#x27;")[:15] in view.results.value or plain.why[:15] in view.results.value
    saved = Store().latest(code)[f"first_call.{view.call.id}"]
    assert saved.complete
    assert saved.value["marked"] == first_call.valid_marks(view.call, [markers[0].id, plain.id])
    # marks keep the check up to date once it has been asked for
    view.transcript.marked = [phrase.id for phrase in markers]
    assert set(view.transcript.results.values()) == {"found"}
    assert "Tout y est" in view.results.value


def test_marks_come_back_and_each_call_keeps_its_own():
    current, code = participant()
    view = FirstCallExercise("en", current=current)
    second = first_call.calls("en")[1]
    view.picker.value = second.id
    view.mark(second.markers[0].id, "not-a-phrase")
    assert view.transcript.marked == [second.markers[0].id]
    reopened = session.Session()
    again = FirstCallExercise("en", current=reopened)
    reopened.identify(code)
    assert again.call.id == second.id
    assert again.transcript.marked == [second.markers[0].id]
    assert again.transcript.results == {}  # never checked


def test_the_pre_session_question_gets_rubric_feedback_per_call():
    current, code = participant()
    view = PreSessionQuestion("fr", current=current)
    view.answer.box.value = "Est-ce que quelque chose a changé depuis votre appel ?"
    assert not view.answer.feedback.solution_focused
    assert 'data-criterion="closed_only" data-met="true"' in view.answer.feedback_view.value
    view.answer.box.value = "Depuis votre appel, qu’est-ce qui a déjà un peu changé ?"
    assert view.answer.feedback.solution_focused
    assert 'data-criterion="asks_about_change" data-met="true"' in view.answer.feedback_view.value
    saved = Store().latest(code)[f"pre_session.{view.item_id}"]
    assert saved.value["call"] == view.item_id


def test_drawing_a_scale_by_clicks_and_by_fields():
    current, code = participant()
    view = ScalingChartExercise("fr", current=current)
    view.click(1.2, 2.9)  # what the chart sends: the nearest session and half point
    assert view.chart.points == {1: 3.0}
    assert view.session_picker.value == 1
    view.session_picker.value = 2
    view.value_box.value = "4,5"
    view.place_button.click()
    assert view.chart.points == {1: 3.0, 2: 4.5}
    assert view.plot.spec["data"][1]["y"] == [3.0, 4.5]
    view.not_zero.value = "Il a appelé un collègue"
    view.next_sign.value = "Il déjeunera avec l’équipe"
    view.good_enough.value = 7
    assert view.plot.spec["layout"]["shapes"][0]["y0"] == 7
    assert "Il a appelé un collègue" in view.points_list.value
    assert "4,5" in view.points_list.value
    saved = Store().latest(code)[scaling.answer_id(view.vignette.id)]
    assert saved.value["points"] == {"1": 3.0, "2": 4.5}
    assert saved.value["notes"]["2"]["next_sign"] == "Il déjeunera avec l’équipe"
    assert not saved.complete  # two points: not yet
    view.session_picker.value = 3
    view.value_box.value = "6"
    view.value_box.value = "6"
    view.place_from_fields()
    assert Store().latest(code)[scaling.answer_id(view.vignette.id)].complete


@pytest.mark.parametrize(
    ("lang", "session_number", "value", "expected"),
    [
        ("fr", 1, "12", "hors de l’échelle"),
        ("en", 1, "-2", "off the scale"),
        ("fr", 1, "beaucoup", "nombre de 0 à 10"),
        ("en", 11, "3", "at most 10 sessions"),
    ],
)
def test_bad_input_on_the_scale_gets_a_message_and_loses_nothing(lang, session_number, value, expected):
    current, _ = participant()
    view = ScalingChartExercise(lang, current=current)
    view.place(2, 5)
    assert not view.place(session_number, value)
    assert expected in view.message.value
    assert view.chart.points == {2: 5.0}


def test_an_over_long_note_is_refused_and_stays_in_the_box():
    current, _ = participant()
    view = ScalingChartExercise("en", current=current)
    view.click(1, 3)
    long_note = "x" * (scaling.NOTE_LIMIT + 5)
    view.not_zero.value = long_note
    assert "the limit is 200" in view.message.value
    assert view.not_zero.value == long_note
    assert view.chart.notes == {}


def test_a_note_needs_its_point_first():
    current, _ = participant()
    view = ScalingChartExercise("fr", current=current)
    view.session_picker.value = 4
    assert view.not_zero.disabled
    view.click(4, 2)
    assert not view.not_zero.disabled


def test_the_drawn_chart_comes_back_in_a_new_kernel():
    current, code = participant()
    view = ScalingChartExercise("en", current=current)
    second = scaling.vignettes("en")[1]
    view.picker.value = second.id
    view.click(1, 2)
    view.click(2, 4)
    reopened = session.Session()
    again = ScalingChartExercise("en", current=reopened)
    reopened.identify(code)
    assert again.vignette.id == second.id
    assert again.chart.points == {1: 2.0, 2: 4.0}
    assert again.plot.spec["data"][1]["x"] == [1, 2]


def test_follow_up_questions_are_read_by_their_rubric():
    current, code = participant()
    view = ScalingFollowup("en", current=current)
    case = scaling.vignette(view.item_id, "en")
    assert escape(case.client_answer) in view.card.value
    view.answer.box.value = "Why not higher?"
    assert 'data-criterion="why_not_higher" data-met="true"' in view.answer.feedback_view.value
    view.answer.box.value = "What makes it a 3 and not a 0? And how will you know you're at 4?"
    feedback = view.answer.feedback
    assert feedback.solution_focused
    assert {result.id for result in feedback.criteria if result.met} >= {"not_lower", "next_sign"}
    markdown = portfolio.markdown(current.answers, "en", code)
    assert "What makes it a 3 and not a 0?" in markdown
    assert case.title in markdown


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_exercises_about_the_same_calls_or_cases_open_the_same_one(lang):
    current, _code = participant()
    marks, question = FirstCallExercise(lang, current=current), PreSessionQuestion(lang, current=current)
    calls = [entry.id for entry in first_call.calls(lang)]
    marks.picker.value = calls[2]  # the person opens the third call to mark it…
    assert question.item_id == calls[2]  # …and the question below is about that call
    assert question.picker.value == calls[2]
    question.picker.value = calls[1]
    assert marks.call.id == calls[1]

    chart, followup = ScalingChartExercise(lang, current=current), ScalingFollowup(lang, current=current)
    cases = [entry.id for entry in scaling.vignettes(lang)]
    chart.picker.value = cases[1]
    assert followup.item_id == cases[1]
    followup.picker.value = cases[0]
    assert chart.vignette.id == cases[0]
    assert marks.call.id == calls[1]  # another topic: untouched
