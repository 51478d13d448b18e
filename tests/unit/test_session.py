"""The session: who is there, holding saves until the browser says, restoring views, deleting."""

from widgets import identity, portfolio, session
from widgets.store import Store, StoreError
from widgets.views.factors import FactorsExercise
from widgets.views.my_work import MyWork
from widgets.views.saving import Identity
from widgets.views.text_answer import TextAnswer


def test_saves_made_before_the_browser_names_the_participant_are_kept():
    current = session.current()
    view = TextAnswer("reflection.01_practice", "fr", current=current)
    view.box.value = "Écrit avant que la page soit prête"
    assert "Sera enregistré" in view.saved_state.value
    code = identity.new_code()
    current.identify(code)
    assert Store().latest(code)["reflection.01_practice"].value == {
        "text": "Écrit avant que la page soit prête"
    }


def test_a_new_kernel_restores_the_participants_answers():
    code = identity.new_code()
    first = session.Session()
    first.identify(code)
    factors_view = FactorsExercise("en", current=first)
    factors_view.sliders["relationship"].value = 55
    factors_view.reveal_button.click()
    text_view = TextAnswer("reflection.01_practice", "en", current=first)
    text_view.box.value = "Ask what already works."
    text_view.submit.click()

    reopened = session.Session()  # another kernel: a reload, or a restarted server
    factors_again = FactorsExercise("en", current=reopened)
    text_again = TextAnswer("reflection.01_practice", "en", current=reopened)
    reopened.identify(code)
    assert factors_again.sliders["relationship"].value == 55
    assert factors_again.revealed
    assert text_again.box.value == "Ask what already works."
    assert text_again.accepted == "Ask what already works."
    assert "Saved" in text_again.saved_state.value


def test_another_participant_sees_nothing():
    mine, theirs = session.Session(), session.Session()
    mine.identify(identity.new_code())
    TextAnswer("reflection.01_practice", "fr", current=mine).box.value = "à moi"
    theirs.identify(identity.new_code())
    view = TextAnswer("reflection.01_practice", "fr", current=theirs)
    assert view.box.value == ""


def test_an_over_long_text_is_not_saved_and_the_previous_answer_stays():
    current = session.Session()
    code = identity.new_code()
    current.identify(code)
    view = TextAnswer("reflection.01_practice", "fr", current=current, limit=30)
    view.box.value = "Une réponse correcte."
    view.box.value = "x" * 31
    view.submit.click()
    assert view.box.value == "x" * 31
    assert Store().latest(code)["reflection.01_practice"].value["text"] == "Une réponse correcte."


def test_an_unwritable_store_says_so_and_the_page_keeps_working(tmp_path):
    def broken() -> Store:
        raise StoreError("the answers file cannot be opened or written (read-only)", tmp_path)

    current = session.Session(store_factory=broken)
    current.identify(identity.new_code())
    view = TextAnswer("reflection.01_practice", "en", current=current)
    view.box.value = "Still here"
    assert "Not saved" in view.saved_state.value
    assert view.box.value == "Still here"
    assert view.accept()


def test_identity_widget_gives_a_code_to_a_new_browser_and_repairs_a_damaged_one():
    current = session.Session()
    widget = Identity(current=current)
    widget.participant = "new"
    assert identity.is_code(widget.participant)
    assert current.participant == widget.participant
    widget.participant = "garbage<script>"
    assert identity.is_code(widget.participant)


def test_leaving_the_page_writes_the_waiting_saves_at_once():
    """The page says "leaving" before its kernel connection closes: what waits for its quiet second is
    written then, before a reloaded page reads the answers."""
    import asyncio

    from tests.aio import run

    code = identity.new_code()
    saved = []

    async def type_then_leave():
        current = session.Session()
        current.identify(code)
        view = TextAnswer("reflection.01_practice", "fr", current=current)
        view._autosave._loop = asyncio.get_running_loop  # the real loop, not the tests' immediate stand-in
        view.box.value = "Juste avant de recharger"
        assert Store().latest(code) == {}  # waiting for its delay
        Identity(current=current)._handle_custom_msg({"event": "leaving"}, [])  # what identity.js sends
        saved.append(Store().latest(code)["reflection.01_practice"].value)

    run(type_then_leave)  # its own thread: in `make test`, Playwright keeps a loop running in this one
    assert saved == [{"text": "Juste avant de recharger"}]


def test_progress_and_portfolio_hold_every_answer_escaped():
    current = session.Session()
    code = identity.new_code()
    current.identify(code)
    assert portfolio.progress(current.answers, "fr") == {}
    text_view = TextAnswer("reflection.01_practice", "fr", current=current)
    text_view.box.value = "<b>pas du gras</b> & « guillemets »"
    assert portfolio.progress(current.answers, "fr") == {"01": "started"}
    text_view.submit.click()
    FactorsExercise("fr", current=current).reveal_button.click()
    assert portfolio.progress(current.answers, "fr") == {"01": "finished"}
    page = portfolio.html(current.answers, "en", code)
    assert "&lt;b&gt;pas du gras&lt;/b&gt; &amp; « guillemets »" in page
    assert "<b>pas" not in page
    assert code in page
    assert "How I shared out the sources of change" in page
    text = portfolio.markdown(current.answers, "fr", code)
    assert "> <b>pas du gras</b> & « guillemets »" in text
    assert "## 01 — Pourquoi l’alliance compte" in text


def test_my_work_switches_code_refuses_bad_ones_and_deletes():
    current = session.current()
    other = identity.new_code()
    Store().save(other, "reflection.01_practice", "fr", {"text": "depuis un autre appareil"})
    current.identify(identity.new_code())
    view = MyWork("fr", current=current)
    view.code_box.value = "pas un code"
    view.switch_code()
    assert "n’a pas la bonne forme" in view.code_message.value
    view.code_box.value = identity.new_code()  # well formed, nothing saved under it
    view.switch_code()
    assert "Aucune réponse" in view.code_message.value
    view.code_box.value = other.lower().replace("-", " ")
    view.switch_code()
    assert current.participant == other
    assert "de retour" in view.code_message.value
    view.prepare_portfolio()
    assert 'download="portfolio-' in view.downloads.value
    view.ask_to_delete()
    assert view.confirmation.layout.display == "flex"
    view.delete_everything()
    assert Store().latest(other) == {}
    assert "1 enregistrement" in view.delete_message.value


class FakeLoop:
    """An event loop whose clock the test moves: ``call_later`` is recorded, ``advance`` runs what is due.
    (A real loop and real sleeps made this test depend on the machine's load.)"""

    class Handle:
        def __init__(self, when: float, callback) -> None:
            self.when, self.callback, self.cancelled = when, callback, False

        def cancel(self) -> None:
            self.cancelled = True

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[FakeLoop.Handle] = []

    def call_later(self, delay: float, callback) -> "FakeLoop.Handle":
        handle = FakeLoop.Handle(self.now + delay, callback)
        self.timers.append(handle)
        return handle

    def advance(self, seconds: float) -> None:
        self.now += seconds
        due = sorted(
            (handle for handle in self.timers if handle.when <= self.now and not handle.cancelled),
            key=lambda handle: handle.when,
        )
        self.timers = [handle for handle in self.timers if handle not in due]
        for handle in due:
            handle.callback()


def test_debouncer_runs_once_after_a_quiet_delay_within_a_loop():
    calls = []
    loop = FakeLoop()
    debouncer = session.Debouncer(0.05, lambda: calls.append(len(calls)))
    debouncer._loop = lambda: loop
    for _ in range(5):  # typing: a change every 10 ms, each one restarts the wait
        debouncer()
        loop.advance(0.01)
    assert calls == []
    loop.advance(0.1)  # a quiet moment
    assert calls == [0]
    debouncer()
    debouncer.flush()  # an explicit action saves at once…
    assert calls == [0, 1]
    loop.advance(1)  # …and the wait it replaced does not save a second time
    assert calls == [0, 1]


def test_a_save_still_waiting_when_the_kernel_exits_is_written(isolated_answers):
    """A reload right after a keystroke shuts the kernel down before the autosave delay is up."""
    import os
    import subprocess
    import sys

    from widgets.store import DATA_DIR_VARIABLE

    code = identity.new_code()
    script = f"""
import asyncio
from widgets import session
from widgets.views.text_answer import TextAnswer

async def type_and_leave():
    current = session.Session()
    current.identify({code!r})
    view = TextAnswer("reflection.01_practice", "fr", current=current)
    view.box.value = "Tapé juste avant de recharger"
    assert "wb-saving" in view.saved_state.value  # waiting for its delay, not saved yet

asyncio.run(type_and_leave())  # the loop stops before the delay is up, as at kernel shutdown
"""
    env = {**os.environ, DATA_DIR_VARIABLE: str(isolated_answers)}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=60)
    saved = Store().latest(code)
    assert saved["reflection.01_practice"].value == {"text": "Tapé juste avant de recharger"}


def test_control_characters_are_removed_before_saving_and_the_person_is_told():
    current = session.Session()
    code = identity.new_code()
    current.identify(code)
    view = TextAnswer("reflection.01_practice", "fr", current=current)
    view.box.value = "ligne\x00 un\u202e\x1b"
    view.submit.click()
    assert Store().latest(code)["reflection.01_practice"].value["text"] == "ligne un"
    assert "caractères invisibles" in view.message.value


def test_answers_written_by_the_page_just_left_are_taken_up(monkeypatch):
    """Reload: the new page's kernel may read the answers just before the old one writes its last words."""
    loop = FakeLoop()
    monkeypatch.setattr(session.Debouncer, "_loop", staticmethod(lambda: loop))
    code = identity.new_code()
    new_page = session.Session()
    view = TextAnswer("reflection.01_practice", "fr", current=new_page)
    new_page.identify(code)
    assert view.box.value == ""
    old_page = Store()  # the kernel being shut down writes what was waiting
    old_page.save(code, "reflection.01_practice", "fr", {"text": "Écrit juste avant de recharger"})
    loop.advance(0.5)
    assert view.box.value == "Écrit juste avant de recharger"
    view.box.value = "Je continue ici"  # once the person types, a later recheck does not undo it
    old_page.save(code, "reflection.01_practice", "fr", {"text": "une autre version"})
    loop.advance(5)
    assert view.box.value == "Je continue ici"
