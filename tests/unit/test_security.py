"""What a participant can reach from their own page: no one else's answers, and no trace of the code.

A participant's browser talks to one kernel (their own) through widget messages; the only thing that
names whose answers the kernel reads is the code the ``Identity`` widget brings. These tests send what a
modified page could send and check that none of it loads or changes another participant's answers, and
that a failing exercise shows a plain message, never the exception.
"""

from __future__ import annotations

import pytest

from widgets import identity, room, session
from widgets.i18n import catalog
from widgets.store import Store
from widgets.views.saving import Identity

ANSWER = "ce que seul A a écrit"


@pytest.fixture
def someone_else() -> str:
    """Participant A, with a saved answer, in another kernel: returns A's code."""
    code = identity.new_code()
    theirs = session.Session()
    theirs.identify(code)
    theirs.save("reflection.01_practice", "fr", {"text": ANSWER})
    assert Store().latest(code)
    return code


def _mistyped(code: str) -> str:
    symbols = code.replace("-", "")
    wrong = identity.ALPHABET[(identity.ALPHABET.index(symbols[-1]) + 1) % len(identity.ALPHABET)]
    return symbols[:-1] + wrong


def _attempts(code: str) -> list[str]:
    """What a modified page could put in ``participant`` instead of the code it holds."""
    symbols = code.replace("-", "")
    return [
        "",
        "*",
        "%",
        "' OR '1'='1",
        "'; DELETE FROM answers; --",
        "../answers.sqlite3",
        code[:5],  # half of it
        symbols[:-1],  # without its check symbol
        _mistyped(code),  # the check symbol of another code
        code + "0",
        code * 8,
        "\x00" + code,
        {"participant": code},  # not even a string
    ]


def test_no_participant_value_but_the_code_itself_loads_someone_elses_answers(someone_else):
    mine = session.Session()
    widget = Identity(current=mine)
    widget.participant = "new"  # what a first visit sends: the page then holds a code of its own
    for attempt in _attempts(someone_else):
        try:
            widget.participant = attempt
        except Exception:  # noqa: S112 (traitlets refuses a non-string: nothing was loaded, which is the point)
            continue
        assert mine.participant != someone_else, attempt
        assert ANSWER not in repr(mine.answers), attempt
        assert identity.is_code(widget.participant)  # a damaged value gets a fresh code of its own
    assert Store().latest(someone_else)["reflection.01_practice"].value == {"text": ANSWER}  # untouched


def test_the_code_is_the_key(someone_else):
    """With the code (typed on another device, forgiving case and dashes), the answers come: that is the
    design, and why a code has 45 random bits and is shown only to its owner."""
    mine = session.Session()
    widget = Identity(current=mine)
    widget.participant = someone_else.lower().replace("-", " ")
    assert mine.participant == someone_else
    assert mine.answers["reflection.01_practice"].value == {"text": ANSWER}


def test_widget_messages_other_than_the_code_change_nothing(someone_else):
    """Custom messages and state updates for traits that do not exist or are not synced are ignored."""
    mine = session.Session()
    own = identity.new_code()
    widget = Identity(current=mine)
    widget.participant = own
    forged = [
        {"method": "custom", "content": {"participant": someone_else}},
        {"method": "custom", "content": {"event": "identify", "code": someone_else}},
        {"method": "custom", "content": {"event": "leaving"}},
        {"method": "custom", "content": [someone_else]},
        {"method": "update", "state": {"session": someone_else, "_participant": someone_else}},
    ]
    for data in forged:
        widget._handle_msg({"content": {"data": data}, "buffers": []})
        assert mine.participant == own
        assert ANSWER not in repr(mine.answers)


def test_forgetting_deletes_only_ones_own_answers(someone_else):
    mine = session.Session()
    mine.identify(identity.new_code())
    mine.save("reflection.01_practice", "fr", {"text": "à moi"})
    assert mine.forget() == 1
    assert Store().latest(someone_else)["reflection.01_practice"].value == {"text": ANSWER}


def test_a_room_post_carries_no_code_and_reads_nobody_elses(someone_else):
    store = Store()
    opened = room.open_room(store, "Atelier", "fr")
    theirs = session.Session()
    theirs.identify(someone_else)
    theirs.join(opened.code, "A")
    theirs.send_to_room("reflection", "reflection.01_practice", None, lambda answer, item, lang: answer.value)
    mine = session.Session()
    mine.identify(identity.new_code())
    mine.join(opened.code.lower(), "B")
    # Sending and withdrawing act on one's own post: A's stays, and nothing of A's reaches this session.
    assert mine.sent_to_room("reflection", None) is None
    mine.withdraw_from_room("reflection", None)
    posts = store.posts(opened.code)
    assert [post["name"] for post in posts] == ["A"]
    assert someone_else not in repr(posts)
    assert someone_else.replace("-", "") not in repr(posts)
    assert ANSWER not in repr(mine.answers)


@pytest.mark.parametrize("typed", ["", "ZZZZZ|x", "' OR 1=1|x", "../../x|y", "|name"])
def test_an_unknown_or_malformed_room_is_not_joined(typed):
    mine = session.Session()
    widget = Identity(current=mine)
    widget.participant = identity.new_code()
    widget.room = typed
    assert mine.room is None
    assert not widget.room.partition("|")[0]  # the browser is told to forget a room it cannot join


def test_a_failing_exercise_shows_a_plain_message_never_the_exception(monkeypatch):
    """The app catches an exercise that cannot be built: the person reads one sentence in their language;
    the exception (its text, the traceback, file paths) goes to the server's log only."""
    from tests.unit.test_app import texts
    from widgets import app

    leak = 'Traceback (most recent call last):\n  File "/srv/workbook/widgets/secret.py", line 1'

    def broken(name, lang, **options):
        raise RuntimeError(leak)

    monkeypatch.setattr(app.exercises, "build", broken)
    for route, lang in (("fr/01-pourquoi-l-alliance", "fr"), ("en/02-believing-in-resources", "en")):
        view = app.WorkbookApp(route)
        failed = [
            child for child in view.body.children[0].children if "wb-exercise-failed" in child._dom_classes
        ]
        assert failed
        shown = texts(view.body)
        assert catalog(lang)("site.exercise_failed") in shown
        for trace in ("Traceback", "secret.py", "/srv/", "RuntimeError", "File "):
            assert trace not in shown


def test_voila_serves_no_file_and_only_the_front_end_extensions_it_needs():
    """voila.json keeps Voila's allow-lists minimal: no file of workbooks/ is served as a file (the pages
    hold no image), only the widget extensions the pages use are loaded, sources and tracebacks are hidden,
    and a URL cannot pick another template or theme."""
    import json

    from widgets._assets import ROOT

    voila = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"]
    assert voila["file_allowlist"] == []
    assert sorted(voila["extension_allowlist"]) == [
        "@jupyter-widgets/jupyterlab-manager",
        "@voila-dashboards/widgets-manager8",
        "anywidget",
    ]
    assert voila["strip_sources"] is True
    assert voila["show_tracebacks"] is False
    assert voila["allow_template_override"] == voila["allow_theme_override"] == "NO"
    assert not [
        path for path in (ROOT / "workbooks").rglob("*") if path.is_file() and path.suffix != ".ipynb"
    ]


def test_a_cell_that_fails_shows_a_plain_sentence_not_the_traceback():
    """If a page's own cell fails (not one exercise: the whole app), Voila replaces the error by one line;
    voila.json makes that line speak to the participant, not of Voilà's command-line flags."""
    import json

    import nbformat
    from traitlets.config import Config
    from voila.execute import VoilaExecutor

    from widgets._assets import ROOT

    config = Config(json.loads((ROOT / "voila.json").read_text()))
    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=config, show_tracebacks=False)
    cell = nbformat.v4.new_code_cell("from widgets import app\napp.run()")
    cell.execution_count = 1
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="RuntimeError",
            evalue="/srv/workbook/widgets/app.py is broken",
            traceback=['Traceback (most recent call last):\n  File "/srv/workbook/widgets/app.py"'],
        )
    ]
    executor.strip_code_cell_errors(cell)
    shown = json.dumps(cell.outputs, ensure_ascii=False)
    for trace in ("Traceback", "/srv/", "RuntimeError", "--show_tracebacks", "--debug"):
        assert trace not in shown
    assert "Rechargez la page" in shown
    assert "Reload the page" in shown


def test_a_save_the_answers_file_refuses_says_so_without_the_folder(isolated_answers):
    """The folder of the answers is for whoever runs the server (it prints it at start): a participant's
    page says that saving failed, not where the server keeps its files."""
    from widgets.views.text_answer import TextAnswer

    mine = session.Session()
    mine.identify(identity.new_code())
    view = TextAnswer("reflection.01_practice", "fr", current=mine)
    mine.store._connection.execute("PRAGMA query_only = ON")  # what a read-only file or folder does
    view.box.value = "Écrit pendant que le fichier refuse"
    view.accept()
    shown = view.saved_state.value
    assert "Non enregistré" in shown
    assert str(isolated_answers) not in shown
    assert "/" not in shown.replace("</span>", "")
