"""Bad input at every input (DESIGN.md, "Bad input"), driven the way the front end drives the views: empty,
blank, a 1 MB paste, control characters, emoji, right-to-left text, markup and scripts, numbers off the scale
or not numbers at all, unknown codes, forged widget messages, double clicks. For each: a message in the
page's language, the previous saved answer intact, nothing rendered as HTML.

The faults of the answers file (locked past its busy timeout, read-only, gone) are at the end.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import ipywidgets as w
import pytest
import traitlets
from tornado import web
from tornado.testing import AsyncHTTPTestCase

from widgets import checkin, facilitator, identity, room, scaling, session
from widgets import store as store_module
from widgets.store import Store
from widgets.views.checkin import CheckinExercise
from widgets.views.cooperation import RelationshipVignettes, SessionMessage, Synthesis
from widgets.views.factors import FactorsExercise
from widgets.views.first_call import PreSessionQuestion
from widgets.views.my_work import MyWork
from widgets.views.reformulate import ReformulationExercise
from widgets.views.room import RoomJoin, attach
from widgets.views.scaling import ScalingChartExercise, ScalingFollowup
from widgets.views.text_answer import TextAnswer

MEGABYTE = "Je demanderai ce qui va mieux. " * 34_000  # ~1 MB pasted
SCRIPT = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>gras</b>'
RTL = "ما الذي يسير بشكل أفضل؟ שלום"
EMOJI = "Qu’est-ce qui va mieux 🙂 👨‍👩‍👧 ? ✨"
CONTROL = "Ce qui\x00 va\x07 mieux\x1b[0m \u202edepuis\u2066 lundi"
KEPT = {"fr": "votre réponse enregistrée reste celle d’avant", "en": "your saved answer stays as it was"}
GOOD = {
    "fr": "Qu’est-ce qui va déjà un peu mieux depuis votre appel ?",
    "en": "What is already a bit better?",
}


def participant() -> tuple[session.Session, str]:
    current = session.Session()
    code = identity.new_code()
    current.identify(code)
    return current, code


def saved(code: str, exercise: str):
    return Store().latest(code).get(exercise)


def shown_html(widget: w.Widget) -> str:
    """Every piece of HTML the view gives the browser to render (what a participant's words could hide in)."""
    parts = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        parts.append(shown_html(child))
    return "\n".join(parts)


def assert_nothing_rendered(widget: w.Widget) -> None:
    html = shown_html(widget)
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>gras" not in html


# --- free text: the reflection (ch. 01) and every rubric-marked answer (ch. 02–06) ----------------------

# (bad text, accepted?, what is saved when accepted, a message shown — on submit for the reflection)
TEXTS = [
    pytest.param("", False, None, {"fr": "Écrivez quelques mots", "en": "Write a few words"}, id="empty"),
    pytest.param(" \n\t  ", False, None, {"fr": "Écrivez quelques mots", "en": "Write a few words"},
                 id="whitespace"),
    pytest.param(MEGABYTE, False, None, {"fr": "la limite est de 2000", "en": "the limit is 2000"},
                 id="one-megabyte"),
    pytest.param(CONTROL, True, "Ce qui va mieux[0m depuis lundi",
                 {"fr": "caractères invisibles", "en": "Invisible control characters"}, id="control"),
    pytest.param(EMOJI, True, EMOJI, {"fr": "prise en compte", "en": "Answer recorded"}, id="emoji"),
    pytest.param(RTL, True, RTL, {"fr": "prise en compte", "en": "Answer recorded"}, id="right-to-left"),
    pytest.param(SCRIPT, True, SCRIPT, {"fr": "prise en compte", "en": "Answer recorded"}, id="html-script"),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("bad", "accepted", "kept", "said"), TEXTS)
def test_the_reflection(lang, bad, accepted, kept, said):
    current, code = participant()
    view = TextAnswer("reflection.01_practice", lang, current=current)
    view.box.value = GOOD[lang]
    view.submit.click()
    view.box.value = bad
    view.submit.click()
    view.submit.click()  # a double click changes nothing
    assert view.box.value == bad  # what was typed stays in the box, whatever happens
    assert said[lang] in view.message.value
    answer = saved(code, "reflection.01_practice")
    assert answer.value["text"] == (kept if accepted else GOOD[lang])
    assert answer.complete
    assert_nothing_rendered(view)


RUBRIC_VIEWS = [
    pytest.param(ReformulationExercise, id="02-reformulate"),
    pytest.param(PreSessionQuestion, id="03-pre-session"),
    pytest.param(ScalingFollowup, id="04-follow-up"),
    pytest.param(CheckinExercise, id="05-check-in-response"),
    pytest.param(RelationshipVignettes, id="06-cooperation"),
    pytest.param(SessionMessage, id="06-session-message"),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("view_class", RUBRIC_VIEWS)
@pytest.mark.parametrize(("bad", "accepted", "kept", "said"), TEXTS)
def test_every_rubric_marked_answer(lang, view_class, bad, accepted, kept, said):
    current, code = participant()
    view = view_class(lang, current=current)
    answer = view.answer
    answer.box.value = GOOD[lang]
    exercise = answer.exercise_id
    assert saved(code, exercise).value["text"] == GOOD[lang]
    answer.box.value = bad
    assert answer.box.value == bad
    if bad is MEGABYTE:
        assert said[lang] in answer.message.value  # said as it is typed (pasted)
        assert "wb-over" in answer.counter.value
    elif not accepted:
        assert KEPT[lang] in answer.message.value
    assert saved(code, exercise).value["text"] == (kept if accepted else GOOD[lang])
    assert_nothing_rendered(view)
    if accepted:
        assert answer.feedback is not None  # the rubric read it as text


def test_a_megabyte_paste_is_not_read_by_the_rubric(monkeypatch):
    """Reading 1 MB with every rubric pattern would hold the kernel; the message says to shorten it."""
    from widgets import rubric

    current, _ = participant()
    view = ReformulationExercise("fr", current=current)
    view.answer.box.value = GOOD["fr"]
    before = view.answer.feedback_view.value
    read = []
    monkeypatch.setattr(rubric, "assess", lambda text, *args: read.append(len(text)))
    view.answer.box.value = MEGABYTE
    assert read == []
    assert view.answer.feedback_view.value == before


@pytest.mark.parametrize("bad", ["   ", MEGABYTE, SCRIPT, CONTROL])
def test_the_synthesis_box(bad):
    """Chapter 06's synthesis: the text is optional (emptied on purpose is kept as emptied); too long is not
    saved; markup stays text."""
    current, code = participant()
    view = Synthesis("en", current=current)
    view.start.value, view.now.value = 3, 7
    view.box.value = "Ask what they want."
    view.box.value = bad
    value = saved(code, "synthesis").value
    assert (value["start"], value["now"]) == (3, 7)
    if bad is MEGABYTE:
        assert value["text"] == "Ask what they want."
        assert "the limit is 2000" in view.message.value
    elif bad is SCRIPT:
        assert value["text"] == SCRIPT
    elif bad is CONTROL:
        assert "\x00" not in value["text"]
        assert "\u202e" not in value["text"]
    assert_nothing_rendered(view)


# --- numbers ---------------------------------------------------------------------------------------------

BAD_NUMBERS = [
    pytest.param("", "not_a_number", id="empty"),
    pytest.param("   ", "not_a_number", id="whitespace"),
    pytest.param("beaucoup", "not_a_number", id="word"),
    pytest.param("11", "off_scale", id="above"),
    pytest.param("-1", "off_scale", id="below"),
    pytest.param("nan", "not_a_number", id="nan"),
    pytest.param("inf", "not_a_number", id="infinity"),
    pytest.param("1e309", "not_a_number", id="overflow"),
    pytest.param("7" * 1_000_000, "not_a_number", id="one-megabyte"),
    pytest.param("\x00 5", "not_a_number", id="control"),
    pytest.param("😀", "not_a_number", id="emoji"),
    pytest.param("<script>alert(1)</script>", "not_a_number", id="script"),
]


@pytest.mark.parametrize(("bad", "code_expected"), BAD_NUMBERS)
def test_the_check_in_score_fields(bad, code_expected):
    current, code = participant()
    view = CheckinExercise("fr", current=current)
    item = checkin.item_ids()[0]
    view.set_score(1, item, "3")
    before = view.series
    field = view.fields[item]
    field.value = bad
    assert view.series == before  # refused: the previous answers stay
    text = view.message.value
    assert "La réponse précédente est gardée" in text
    assert ("hors de l’échelle" if code_expected == "off_scale" else "n’est pas un nombre entier") in text
    assert len(text) < 400  # a 1 MB paste is not echoed back whole
    assert saved(code, checkin.scores_id(view.case.id)).value["scores"][0][item] == 3
    assert_nothing_rendered(view)


@pytest.mark.parametrize(("bad", "code_expected"), BAD_NUMBERS)
def test_the_scale_value_field(bad, code_expected):
    current, code = participant()
    view = ScalingChartExercise("en", current=current)
    view.place(2, 5)
    view.session_picker.value = 2
    view.value_box.value = bad
    view.place_button.click()  # Enter, or the button: the same
    assert view.chart.points == {2: 5.0}
    assert ("off the scale" if code_expected == "off_scale" else "from 0 to 10") in view.message.value
    assert len(view.message.value) < 400
    assert saved(code, scaling.answer_id(view.vignette.id)).value["points"] == {"2": 5.0}
    assert_nothing_rendered(view)


FORGED_CLICKS = [
    pytest.param({"type": "click", "x": math.nan, "y": 3}, None, id="x-nan"),
    pytest.param({"type": "click", "x": 2, "y": math.inf}, None, id="y-infinity"),
    pytest.param({"type": "click", "x": "2", "y": "3"}, None, id="strings"),
    pytest.param({"type": "click", "x": True, "y": False}, None, id="booleans"),
    pytest.param({"type": "click", "x": None}, None, id="missing"),
    pytest.param({"type": "click", "x": [2], "y": {"v": 3}}, None, id="containers"),
    pytest.param({"type": "other", "x": 2, "y": 3}, None, id="not-a-click"),
    pytest.param(["click", 2, 3], None, id="not-an-object"),
    pytest.param({"type": "click", "x": 2, "y": 10.5}, "off the scale", id="above-the-scale"),
    pytest.param({"type": "click", "x": 2, "y": -0.6}, "off the scale", id="below-the-scale"),
    pytest.param({"type": "click", "x": 0, "y": 3}, "numbered 1 to", id="session-0"),
    pytest.param({"type": "click", "x": 40, "y": 3}, "at most 10 sessions", id="session-40"),
    pytest.param({"type": "click", "x": 1e300, "y": 1e300}, "from 0 to 10", id="huge"),
]


@pytest.mark.parametrize(("content", "said"), FORGED_CLICKS)
def test_a_forged_chart_click(content, said):
    current, code = participant()
    view = ScalingChartExercise("en", current=current)
    view.place(2, 5)
    view.message.value = ""
    view.plot._message(None, content, [])  # what the chart's anywidget hands the kernel
    assert view.chart.points == {2: 5.0}
    assert saved(code, scaling.answer_id(view.vignette.id)).value["points"] == {"2": 5.0}
    if said is None:
        assert view.message.value == ""  # not a click on the plot: ignored
    else:
        assert said in view.message.value


def test_the_chart_click_itself_refuses_what_is_not_a_point():
    current, _ = participant()
    view = ScalingChartExercise("fr", current=current)
    for x, y in ((math.nan, 3.0), (2.0, -math.inf), (1e308, 1e308)):
        view.click(x, y)
        assert view.chart.points == {}
        assert "nombre de 0 à 10" in view.message.value


@pytest.mark.parametrize(
    ("forged", "kept"),
    [
        pytest.param(1000, 100, id="above"),
        pytest.param(-5, 0, id="below"),
        pytest.param("abc", None, id="text"),
        pytest.param(None, None, id="null"),
        pytest.param(math.nan, None, id="nan"),
        pytest.param(1e309, None, id="infinity"),
        pytest.param("<script>alert(1)</script>", None, id="script"),
    ],
)
def test_a_forged_slider_value(forged, kept):
    """Chapter 01's sliders: what a forged comm message would set. In range after clamping, or refused by
    the widget (ipykernel logs the refusal; the kernel's value and the saved answer do not change)."""
    current, code = participant()
    view = FactorsExercise("fr", current=current)
    view.sliders["relationship"].value = 40
    before = dict(view.shares)
    slider = view.sliders["technique"]
    if kept is None:
        with pytest.raises(traitlets.TraitError):
            slider.set_state({"value": forged})
        assert view.shares == before
        assert saved(code, "guess_the_factors").value["shares"] == before
    else:
        slider.set_state({"value": forged})
        assert view.shares["technique"] == kept
    assert sum(view.shares.values()) == 100
    assert sum(saved(code, "guess_the_factors").value["shares"].values()) == 100


@pytest.mark.parametrize(
    ("bad", "kept"),
    [
        pytest.param("x" * 1_000_000, None, id="one-megabyte"),
        pytest.param(SCRIPT, SCRIPT, id="html-script"),
        pytest.param(CONTROL, "Ce qui va mieux[0m depuis lundi", id="control"),
        pytest.param(EMOJI, EMOJI, id="emoji"),
        pytest.param(RTL, RTL, id="right-to-left"),
        pytest.param("   ", "", id="whitespace-clears-the-note"),
    ],
)
def test_a_scale_points_notes(bad, kept):
    current, code = participant()
    view = ScalingChartExercise("en", current=current)
    view.place(2, 5)
    view.session_picker.value = 2
    view.not_zero.value = "He called a colleague"
    view.not_zero.value = bad
    note = saved(code, scaling.answer_id(view.vignette.id)).value["notes"].get("2", {}).get("not_zero", "")
    if kept is None:
        assert "the limit is 200" in view.message.value
        assert note == "He called a colleague"
    else:
        assert note == kept
    assert_nothing_rendered(view)


@pytest.mark.parametrize("index", [99, -1, "2", None])
def test_a_forged_choice_in_a_list(index):
    """Lists (sessions, clients, levels) sync an index: one out of range is refused by the widget."""
    current, code = participant()
    view = CheckinExercise("fr", current=current)
    picker = view.session_picker
    before = picker.value
    if index is None:
        picker.set_state({"index": None})  # "nothing chosen": the view shows nothing new, and breaks nothing
    else:
        with pytest.raises(traitlets.TraitError):
            picker.set_state({"index": index})
        assert picker.value == before
    assert view.series == checkin.Series.of(view.case)  # the answers are untouched
    assert saved(code, checkin.scores_id(view.case.id)) is None  # and nothing was saved


# --- codes: the participant's code (my work), the room's code and name ------------------------------------

BAD_CODES = [
    pytest.param("", id="empty"),
    pytest.param("   ", id="whitespace"),
    pytest.param("7K2QF-MZP8X" * 100_000, id="one-megabyte"),
    pytest.param("7K2QF\x00-MZP8X", id="control"),
    pytest.param("🙂🙂🙂🙂🙂-🙂🙂🙂🙂🙂", id="emoji"),
    pytest.param("\u202e7K2QF-MZP8X", id="right-to-left"),
    pytest.param("<script>alert(1)</script>", id="script"),
]


@pytest.mark.parametrize("bad", BAD_CODES)
def test_the_my_work_code_box(bad):
    current, code = participant()
    current.save("reflection.01_practice", "fr", {"text": "à moi"})
    view = MyWork("fr", current=current)
    view.code_box.value = bad
    view.use_code.click()
    assert "n’a pas la bonne forme" in view.code_message.value
    assert current.participant == code
    assert current.answers["reflection.01_practice"].value == {"text": "à moi"}
    assert_nothing_rendered(view)


def test_an_unknown_code_and_a_double_click_on_use_this_code():
    current, _ = participant()
    other = identity.new_code()
    Store().save(other, "reflection.01_practice", "en", {"text": "from the other device"})
    view = MyWork("en", current=current)
    view.code_box.value = identity.new_code()  # well formed, nothing kept under it
    view.use_code.click()
    assert "No answers are kept under this code" in view.code_message.value
    view.code_box.value = other
    view.use_code.click()
    view.use_code.click()  # the second click finds the box emptied by the first: the success stays said
    assert "are back" in view.code_message.value
    assert current.participant == other


@pytest.fixture
def opened(isolated_answers):
    return room.open_room(Store(isolated_answers), "Atelier", "fr")


@pytest.mark.parametrize("bad", [*BAD_CODES, pytest.param("K7Q2M", id="unknown-or-wrong-check")])
def test_the_room_code_box(opened, bad):
    current, _ = participant()
    view = RoomJoin("fr", current=current)
    view.code_box.value = bad
    view.join_button.click()
    assert current.room is None
    assert "Ce code n’a pas la bonne forme" in view.message.value or "Aucun atelier" in view.message.value
    assert_nothing_rendered(view)


def test_a_well_formed_unknown_room_and_a_closed_one(isolated_answers, opened):
    current, _ = participant()
    view = RoomJoin("en", current=current)
    view.code_box.value = next(code for code in iter(room.new_code, None) if code != opened.code)
    view.join_button.click()
    assert "No open workshop has this code" in view.message.value
    Store(isolated_answers).update_room(opened.code, closed_at=1.0)
    view.code_box.value = opened.code
    view.join_button.click()
    assert "This workshop is closed" in view.message.value
    assert current.room is None


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        pytest.param("", "", id="empty"),
        pytest.param("   ", "", id="whitespace"),
        pytest.param("Léa\x00\x07\u202e", "Léa", id="control"),
        pytest.param("Léa 👩‍👩‍👧", "Léa 👩‍👩‍👧", id="emoji-kept-whole"),
        pytest.param("ليلى", "ليلى", id="right-to-left"),
        pytest.param("<i>Léa</i><script>", "<i>Léa</i><script>", id="script"),
        pytest.param("L" * 1_000_000, None, id="one-megabyte"),
    ],
)
def test_the_room_display_name(opened, name, kept):
    current, _ = participant()
    view = RoomJoin("fr", current=current)
    view.code_box.value = opened.code
    view.name_box.value = name
    view.join_button.click()
    if kept is None:
        assert current.room is None
        assert "trop long (40 caractères au plus)" in view.message.value
    else:
        assert current.room == opened
        assert current.room_name == kept
    view.join_button.click()  # a double click: still in the room, no error
    assert "wb-problem" not in view.message.value or kept is None
    assert "<i>" not in shown_html(view)
    assert "<script" not in shown_html(view)


def test_send_to_the_room_twice_and_submit_twice(opened, isolated_answers):
    current, code = participant()
    current.join(opened.code)
    view = attach(TextAnswer("reflection.01_practice", "fr", current=current), "reflection", "fr",
                  lambda: "reflection.01_practice")  # fmt: skip
    view.box.value = SCRIPT
    view.submit.click()
    view.submit.click()
    bar = view.room_bar
    bar.send_button.click()
    bar.send_button.click()  # the second send replaces the first: one answer stands in the room
    posts = Store(isolated_answers).posts(opened.code)
    assert [post["payload"]["text"] for post in posts] == [SCRIPT]
    assert "Envoyé à la salle" in bar.status.value
    bar.withdraw_button.click()
    bar.withdraw_button.click()
    assert Store(isolated_answers).posts(opened.code) == []
    assert saved(code, "reflection.01_practice").value["text"] == SCRIPT
    assert_nothing_rendered(view)


# --- the facilitator's password and room title -----------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "   ", "x" * 1_000_000, "secret\x00", "🔑🔑🔑🔑🔑🔑", "\u202eterces",
                                   "<script>alert(1)</script>", None])  # fmt: skip
def test_a_wrong_password_of_any_shape_is_only_wrong(typed):
    password = facilitator.Password("secret-enough")
    assert password.matches(typed) is False


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        pytest.param("", None, id="empty"),
        pytest.param("  \n ", None, id="whitespace"),
        pytest.param("A" * 1_000_000, None, id="one-megabyte"),
        pytest.param("Atelier\x00 du\x07 mardi\u202e", "Atelier du mardi", id="control"),
        pytest.param("Atelier 🌱", "Atelier 🌱", id="emoji"),
        pytest.param("ورشة العمل", "ورشة العمل", id="right-to-left"),
        pytest.param("<script>alert(1)</script>", "<script>alert(1)</script>", id="script"),
    ],
)
def test_a_room_title(isolated_answers, title, kept):
    store = Store(isolated_answers)
    if kept is None:
        with pytest.raises(room.RoomError, match="title"):
            room.open_room(store, title, "fr")
        assert store.rooms() == []
    else:
        assert room.open_room(store, title, "fr").title == kept


# --- faults of the answers file --------------------------------------------------------------------------


def test_a_locked_database_keeps_the_answer_says_so_and_saves_it_when_free(monkeypatch, isolated_answers):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 150)  # not 30 s in a test
    current, code = participant()
    view = TextAnswer("reflection.01_practice", "fr", current=current)
    view.box.value = "Première version"
    locker = sqlite3.connect(isolated_answers / store_module.FILE_NAME, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock past the busy timeout
    view.box.value = "Deuxième version, tapée pendant le verrou"
    state = view.saved_state.value
    assert "le fichier des réponses est occupé" in state
    assert "Nouvel essai automatique" in state
    assert current.unsaved == 1
    locker.execute("COMMIT")
    locker.close()
    assert saved(code, "reflection.01_practice").value["text"] == "Première version"  # intact
    assert current.retry_unsaved()  # what the kernel's timer does a few seconds later
    assert saved(code, "reflection.01_practice").value["text"] == "Deuxième version, tapée pendant le verrou"
    assert "Enregistré" in view.saved_state.value
    assert current.unsaved == 0


def test_a_read_only_answers_file_keeps_the_page_working_and_the_saved_answers(isolated_answers):
    current, code = participant()
    view = TextAnswer("reflection.01_practice", "en", current=current)
    view.box.value = "Saved before"
    current.store._connection.execute("PRAGMA query_only = ON")  # what a read-only file or folder does
    view.box.value = "Typed while read-only"
    assert view.accept()  # accepted in the page; the file refuses it, the page says so
    assert "Not saved: the answers folder cannot be written" in view.saved_state.value
    assert "tried again" in view.saved_state.value
    assert view.box.value == "Typed while read-only"
    assert saved(code, "reflection.01_practice").value["text"] == "Saved before"
    assert not current.retry_unsaved()  # still refused: still held
    current.store._connection.execute("PRAGMA query_only = OFF")
    view.box.value = "Typed once it is writable again"  # the next save writes, and what was held
    assert saved(code, "reflection.01_practice").value["text"] == "Typed once it is writable again"
    assert current.unsaved == 0


def test_a_folder_that_comes_back_is_used_again(tmp_path):
    """The answers folder cannot be opened at first (not mounted, full, read-only), then can."""
    broken = {"now": True}

    def factory() -> Store:
        if broken["now"]:
            raise store_module.StoreError(
                "the answers file cannot be opened or written (disk full)", tmp_path
            )
        return Store(tmp_path)

    current = session.Session(store_factory=factory)
    code = identity.new_code()
    current.identify(code)
    view = TextAnswer("reflection.01_practice", "fr", current=current)
    view.box.value = "Écrit pendant la panne"
    assert "Non enregistré" in view.saved_state.value
    assert current.unsaved == 1
    broken["now"] = False
    assert current.retry_unsaved()
    assert Store(tmp_path).latest(code)["reflection.01_practice"].value["text"] == "Écrit pendant la panne"
    assert "Enregistré" in view.saved_state.value


def test_refused_saves_are_retried_on_a_timer(monkeypatch, isolated_answers):
    from tests.unit.test_session import FakeLoop

    loop = FakeLoop()
    current, code = participant()
    monkeypatch.setattr(session.Debouncer, "_loop", staticmethod(lambda: loop))
    store = current.store
    store._connection.execute("PRAGMA query_only = ON")
    current.save("reflection.01_practice", "fr", {"text": "tenu"})
    loop.advance(session.RETRY_DELAYS_S[0])  # first retry: still refused, tried again later
    assert current.unsaved == 1
    store._connection.execute("PRAGMA query_only = OFF")
    loop.advance(session.RETRY_DELAYS_S[1])
    assert current.unsaved == 0
    assert saved(code, "reflection.01_practice").value["text"] == "tenu"


def test_the_kernel_answers_the_pages_connection_check():
    from widgets.views.saving import Identity

    widget = Identity(current=session.Session())
    sent = []
    widget.send = sent.append
    widget._handle_custom_msg({"event": "ping", "n": 7}, [])
    widget._handle_custom_msg({"event": "ping", "n": "<script>"}, [])
    widget._handle_custom_msg("garbage", [])
    assert sent == [{"event": "pong", "n": 7}, {"event": "pong", "n": 0}]
    assert set(widget.notices) == {"fr", "en"}
    assert "rechargez la page" in widget.notices["fr"]["connection_lost"]
    assert "reload the page" in widget.notices["en"]["connection_lost"]


# --- the facilitator's forms, through their handlers ------------------------------------------------------


class TestFacilitatorForms(AsyncHTTPTestCase):
    """The sign-in and "open a workshop" forms, posted as a browser posts them (XSRF token included)."""

    XSRF = "0123456789abcdef"

    def run(self, result=None):
        """In a thread of its own: in `make test` the browser tests' Playwright session (sync API) keeps an
        event loop running in the main thread, and Tornado's test loop cannot run beside it there."""
        from tests.aio import in_thread

        return in_thread(lambda: super(TestFacilitatorForms, self).run(result))

    def get_app(self):
        self.shared = facilitator.Facilitation(facilitator.Password("secret-enough"))
        self.shared._store = Store(self.data)
        return web.Application(facilitator.handlers("/", self.shared), cookie_secret="s" * 32)

    def setUp(self) -> None:
        import tempfile

        self.data = Path(tempfile.mkdtemp())
        super().setUp()

    def post(self, path: str, fields: dict[str, str], cookies: str = ""):
        body = urlencode({**fields, "_xsrf": self.XSRF})
        headers = {"Cookie": f"_xsrf={self.XSRF}; {cookies}".strip("; ")}
        return self.fetch(path, method="POST", body=body, headers=headers, follow_redirects=False)

    def signed_in(self) -> str:
        response = self.post("/facilitator/login", {"password": "secret-enough"})
        assert response.code == 302
        return response.headers["Set-Cookie"].split(";")[0]

    def test_a_wrong_password_of_any_shape_is_said_in_the_pages_language(self):
        for typed in ("", "   ", "x" * 1_000_000, "secret\x00", "🔑" * 8, "\u202eterces", SCRIPT):
            for lang, said in (("fr", "Mot de passe incorrect."), ("en", "Wrong password.")):
                self.shared._failures.clear()
                response = self.post(f"/facilitator/login?lang={lang}", {"password": typed})
                page = response.body.decode()
                assert response.code == 403
                assert said in page
                assert "<script>alert" not in page
                assert "Set-Cookie" not in response.headers or "workbook-facilitator" not in str(
                    response.headers.get_list("Set-Cookie")
                )

    def test_a_bad_room_title_is_said_and_kept_in_the_box_escaped(self):
        cookie = self.signed_in()
        for title in ("", "  \n ", "A" * 1_000_000, SCRIPT * 3):
            response = self.post("/facilitator/rooms?lang=en", {"title": title, "lang": "fr"}, cookie)
            page = response.body.decode()
            assert response.code == 400
            assert '<html lang="en"' in page  # the page's language, not the new room's (a fix)
            assert "Give the workshop a title (120 characters at most)." in page
            assert "<script>alert" not in page
            assert len(page) < 100_000  # the 1 MB title is not sent back whole
        assert self.shared.store.rooms() == []
        for title in (SCRIPT[:100], "Atelier\x00 🌱 \u202edu mardi"):
            response = self.post("/facilitator/rooms", {"title": title, "lang": "fr"}, cookie)
            assert response.code == 302
        titles = {found["title"] for found in self.shared.store.rooms()}
        assert titles == {SCRIPT[:100], "Atelier 🌱 du mardi"}
        page = self.fetch("/facilitator/", headers={"Cookie": cookie}).body.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "remembered",
    [
        "garbage",
        "K7Q2M",
        "|Ana",
        "<script>alert(1)</script>|x",
        "\x00\u202e|\x00",
        "{code}|" + "L" * 1_000_000,
    ],
)
def test_a_room_the_browser_remembers_wrongly_is_forgotten_and_said(opened, remembered):
    """identity.js brings back what localStorage holds (or a forged message does): a room that cannot be
    joined is forgotten by the browser, and the home page says why."""
    from widgets.views.saving import Identity

    current, _ = participant()
    widget = Identity(current=current)
    widget.room = remembered.replace("{code}", opened.code)
    assert current.room is None
    if remembered.startswith("|"):
        assert current.room_problem is None  # no code: nothing to join, nothing to say
        return
    assert widget.room == ""
    view = RoomJoin("en", current=current)
    said = ("not the right shape", "No open workshop", "too long")
    assert any(words in view.message.value for words in said)
    assert "<script" not in view.message.value


def test_a_retry_waits_a_second_for_a_stuck_lock_not_the_full_busy_timeout(isolated_answers):
    """The first try waits the store's busy timeout (30 s: thirty kernels saving at once take their turn);
    a retry while the lock stays stuck must not hold the kernel that long again."""
    import time

    current, code = participant()
    store = current.store
    locker = sqlite3.connect(isolated_answers / store_module.FILE_NAME, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    current._hold(session.Pending("reflection.01_practice", "fr", {"text": "tenu"}, False))
    started = time.monotonic()
    assert not current.retry_unsaved()
    assert time.monotonic() - started < 5
    assert current.problem.busy
    locker.execute("COMMIT")
    locker.close()
    assert store._connection.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.BUSY_TIMEOUT_MS
    assert current.retry_unsaved()
    assert saved(code, "reflection.01_practice").value["text"] == "tenu"
