"""Chapters 05 and 06: the views, driven the way the front end drives them; what they save, and what the
portfolio and the room make of it."""

import pytest

from widgets import checkin, identity, portfolio, registry, relationships, session
from widgets.i18n import catalog
from widgets.store import Store
from widgets.views.checkin import CheckinExercise
from widgets.views.cooperation import RelationshipVignettes, SessionMessage, Synthesis


def participant() -> tuple[session.Session, str]:
    current = session.Session()
    code = identity.new_code()
    current.identify(code)
    return current, code


def saved(code: str) -> dict:
    return Store().latest(code)


# --- chapter 05 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_check_in_shows_the_case_its_chart_its_table_and_its_alerts(lang):
    current, _ = participant()
    view = CheckinExercise(lang, current=current)
    case = checkin.clients(lang)[0]
    found = checkin.sessions_with_alerts(checkin.alerts(case.scores))
    assert case.context[:30] in view.case_view.value.replace("&#x27;", "'")
    # the table is the chart's text alternative: every session, every total, each alert marked
    for number, _scores in enumerate(case.scores, start=1):
        assert f'data-session="{number}"' in view.table.value
    assert view.table.value.split("</table>")[0].count("▼") == sum(
        len({a.item for a in alerts}) for alerts in found.values()
    )
    assert [value for _, value in view.alert_picker.options] == list(found)
    spec = view.plot.spec
    assert spec["data"][0]["y"] == [checkin.total(scores) for scores in case.scores]
    assert spec["layout"]["shapes"][0]["y0"] == checkin.rules().total_cutoff
    flagged = {alert.session for alert in checkin.alerts(case.scores) if alert.item is None}
    assert spec["data"][1]["x"] == sorted(flagged)


def test_the_chart_of_an_item_marks_that_items_alerts():
    current, _ = participant()
    view = CheckinExercise("en", current=current)
    item = checkin.item_ids()[1]
    view.series_picker.value = item
    case = view.case
    assert view.plot.spec["data"][0]["y"] == [scores[item] for scores in case.scores]
    assert view.plot.spec["layout"]["shapes"][0]["y0"] == checkin.rules().item_cutoff
    expected = sorted({alert.session for alert in checkin.alerts(case.scores) if alert.item == item})
    assert view.plot.spec["data"][1]["x"] == expected


def test_adjusting_an_answer_moves_the_alerts_and_is_kept_a_bad_one_is_said_and_stays_in_the_field():
    current, code = participant()
    view = CheckinExercise("fr", current=current)
    view.session_picker.value = 1
    view.fields["heard"].value = "onze"
    assert "n’est pas un nombre entier" in view.message.value
    assert view.fields["heard"].value == "onze"  # nothing typed is lost
    assert checkin.scores_id(view.case.id) not in saved(code)
    view.fields["heard"].value = "11"
    assert "hors de l’échelle" in view.message.value
    view.fields["heard"].value = "2"
    assert view.message.value == ""
    assert 1 in [value for _, value in view.alert_picker.options]
    assert saved(code)[checkin.scores_id(view.case.id)].value["scores"][0]["heard"] == 2
    # back to the case's answers
    view.reset()
    assert saved(code)[checkin.scores_id(view.case.id)].value["scores"][0] == view.case.scores[0]
    # another visit finds the adjusted answers
    view.fields["goals"].value = "3"
    again = session.Session()
    reopened = CheckinExercise("fr", current=again)
    again.identify(code)
    assert reopened.series.scores[0]["goals"] == 3


def test_a_response_to_an_alert_is_read_by_its_rubric_saved_with_the_alerts_and_in_the_portfolio():
    current, code = participant()
    view = CheckinExercise("fr", current=current)
    number = view.alert_picker.value
    view.answer.box.value = (
        "Merci pour votre réponse franche la dernière fois. Qu’est-ce que je pourrais faire autrement "
        "pour que nos séances vous soient plus utiles ?"
    )
    view.answer._autosave.flush()
    answer = saved(code)[checkin.response_id(view.case.id, number)]
    assert answer.value["alerts"]
    assert answer.value["client"] == view.case.id
    assert answer.value["solution_focused"] is True
    assert view.answer.feedback is not None
    assert view.answer.feedback.solution_focused
    chapter = next(chapter for chapter in catalog("fr").chapters() if chapter.number == "05")
    text = portfolio.markdown(current.answers, "fr", code)
    assert chapter.title in text
    assert f"après la séance {number}" in text
    assert "Merci pour votre réponse franche" in text
    assert portfolio.progress(current.answers, "fr")["05"] == "started"  # the reflection is still to do
    # the room gets the text and its rubric's reading
    kind, item = registry.answered_by(checkin.response_id(view.case.id, number))
    payload = kind.send(answer, item, "fr")
    assert payload["solution_focused"] is True
    assert payload["text"].startswith("Merci")


def test_a_defensive_response_is_not_read_as_solution_focused():
    current, code = participant()
    view = CheckinExercise("en", current=current)
    view.answer.box.value = "I was only trying to help you. You should do the homework I gave you."
    view.answer._autosave.flush()
    answer = saved(code)[checkin.response_id(view.case.id, view.alert_picker.value)]
    assert answer.value["solution_focused"] is False


# --- chapter 06 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_classifying_a_vignette_says_whether_it_fits_and_how_to_cooperate(lang):
    current, code = participant()
    view = RelationshipVignettes(lang, current=current)
    vignette = relationships.vignettes(lang)[0]
    wrong = next(entry.id for entry in relationships.relationships(lang) if entry.id != vignette.relationship)
    view.choice.value = wrong
    assert "wb-unmet" in view.choice_feedback.value
    answer = saved(code)[f"relationship.{vignette.id}"]
    assert answer.value == {"vignette": vignette.id, "choice": wrong, "correct": False}
    view.choice.value = vignette.relationship
    assert "wb-met" in view.choice_feedback.value
    right = relationships.relationship(vignette.relationship, lang)
    assert right.cooperate[:20] in view.choice_feedback.value.replace("&#x27;", "'")
    assert saved(code)[f"relationship.{vignette.id}"].value["correct"] is True


def test_the_choice_and_the_answer_are_kept_together_and_come_back():
    current, code = participant()
    view = RelationshipVignettes("fr", current=current)
    second = relationships.vignettes("fr")[1]
    view.picker.value = second.id
    view.choice.value = second.relationship
    view.answer.box.value = second.exemplars[0]
    view.answer._autosave.flush()
    answer = saved(code)[f"relationship.{second.id}"]
    assert answer.value["choice"] == second.relationship
    assert answer.value["text"] == second.exemplars[0]
    assert answer.value["solution_focused"] is True
    again = session.Session()
    reopened = RelationshipVignettes("fr", current=again)
    again.identify(code)
    assert reopened.item_id == second.id
    assert reopened.choice.value == second.relationship
    assert reopened.answer.box.value == second.exemplars[0]
    kind, item = registry.answered_by(f"relationship.{second.id}")
    assert kind.send(answer, item, "fr")["choice"] == second.relationship


def test_an_unknown_relationship_is_refused():
    with pytest.raises(ValueError, match="unknown relationship"):
        relationships.classify(relationships.vignettes("fr")[0].id, "<script>")


def test_the_session_message_is_read_by_its_rubric():
    current, code = participant()
    view = SessionMessage("en", current=current)
    vignette = relationships.message_vignettes("en")[0]
    view.answer.box.value = vignette.exemplars[0]
    view.answer._autosave.flush()
    assert saved(code)[f"session_message.{vignette.id}"].value["solution_focused"] is True


def test_the_synthesis_draws_both_levels_keeps_the_text_and_comes_back():
    current, code = participant()
    view = Synthesis("fr", current=current)
    assert "début\u202f: — sur 10" in view.chart.value  # nothing chosen yet
    view.start.value = 3
    view.now.value = 7
    assert "3 sur 10" in view.chart.value
    assert "7 sur 10" in view.chart.value
    view.box.value = "Dès le premier appel, je demanderai ce qui a déjà commencé à changer."
    view._autosave.flush()
    answer = saved(code)["synthesis"]
    assert answer.value == {"start": 3, "now": 7, "text": view.box.value}
    assert answer.complete
    view.box.value = "x" * 5000
    view._autosave.flush()
    assert "wb-problem" in view.message.value
    assert saved(code)["synthesis"].value["text"].startswith("Dès")  # the last good text stays
    again = session.Session()
    reopened = Synthesis("fr", current=again)
    again.identify(code)
    assert (reopened.start.value, reopened.now.value) == (3, 7)
    assert reopened.box.value.startswith("Dès")
    kind, item = registry.answered_by("synthesis")
    assert kind.send(answer, item, "fr") == {"text": answer.value["text"], "start": 3, "now": 7}


def test_every_new_exercise_is_in_the_portfolio():
    current, code = participant()
    view = Synthesis("en", current=current)
    view.start.value, view.now.value = 4, 8
    view.box.value = "Ask what they have already tried that helped."
    view._autosave.flush()
    messages = SessionMessage("en", current=current)
    messages.answer.box.value = relationships.message_vignettes("en")[0].exemplars[0]
    messages.answer._autosave.flush()
    t = catalog("en")
    for answer_id, answer in saved(code).items():
        kind, item = registry.answered_by(answer_id)
        question, lines = kind.entry(t, "en", item, answer, {})
        assert question
        assert lines
    assert (
        "Confidence at the start: 4/10; today: 8/10."
        in registry.kind("synthesis").entry(t, "en", None, saved(code)["synthesis"], {})[1]
    )
