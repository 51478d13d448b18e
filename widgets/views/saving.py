"""The browser side of the session: the participant's code (``Identity``) and the "saved" indicator."""

from __future__ import annotations

import time
from html import escape

import anywidget
import ipywidgets as w
import traitlets

from widgets import identity, room, session
from widgets._assets import ASSETS
from widgets.i18n import catalog, languages


class Identity(anywidget.AnyWidget):
    """Brings the code kept in the browser to the kernel; "new" gets a fresh code (see identity.js)."""

    _esm = ASSETS / "js" / "identity.js"
    participant = traitlets.Unicode("", help="The participant's code, or 'new' to ask for one.").tag(
        sync=True
    )
    room = traitlets.Unicode(
        "", help="The workshop room the browser remembers, 'CODE|display name' ('' for none)."
    ).tag(sync=True)

    notices = traitlets.Dict(
        help="What the page says when it loses its kernel or the network, per language (identity.js)."
    ).tag(sync=True)

    def __init__(self, current: session.Session | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.notices = {
            lang: {key: catalog(lang)(f"save.{key}") for key in ("connection_lost", "offline", "reconnected")}
            for lang in languages()
        }
        self.session = current or session.current()
        self.observe(self._on_participant, names="participant")
        self.observe(self._on_room, names="room")
        self.on_msg(self._on_message)

    def remember_room(self, code: str, name: str) -> None:
        """Have the browser remember the room joined (a reload stays in it), or forget it (``code`` '')."""
        self.room = f"{code}|{name}" if code else ""

    def _on_room(self, change: dict) -> None:
        """The browser brings a room it remembers (or the join link's): join it, or say why not."""
        code, _, name = str(change["new"]).partition("|")
        current = self.session.room
        if not code:
            if current is not None:
                self.session.leave()
            return
        if current is not None and current.code == code:
            return  # the kernel itself asked the browser to remember this room
        try:
            self.session.join(code, name)
        except room.RoomError as error:
            self.session.room_problem = error
            self.room = ""  # the browser forgets a room that cannot be joined
            self.session.leave()

    def _on_message(self, _widget: Identity, content: dict, _buffers: list) -> None:
        if not isinstance(content, dict):
            return
        if content.get("event") == "ping":
            # The page checks that its kernel still answers (a killed kernel, a stopped server: it says so).
            number = content.get("n")
            self.send({"event": "pong", "n": number if isinstance(number, int) else 0})
        elif content.get("event") == "leaving":
            # The page is going away: write now what waits for its quiet second, rather than at kernel
            # exit, which may come after the reloaded page has read the answers.
            session.flush_waiting_saves()

    def _on_participant(self, change: dict) -> None:
        value = change["new"]
        if value == "new":
            self.participant = identity.new_code()  # the browser stores it; this observer runs again
            return
        try:
            code = identity.normalize(value)
        except identity.CodeError:
            self.participant = identity.new_code()  # a damaged stored value: start afresh
            return
        if code != value:
            self.participant = code
        elif code != self.session.participant:
            self.session.identify(code)


_identity: Identity | None = None


def identity_widget() -> Identity:
    """This kernel's one Identity widget (displayed once per page)."""
    global _identity
    if _identity is None:
        _identity = Identity()
    return _identity


class SaveIndicator(w.HTML):
    """A discreet line under an exercise: saving…, saved at HH:MM, or why it could not be saved."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.strings = catalog(lang)
        self.add_class("wb-save-state")

    def _saved_again(self) -> None:
        self.show(True, self._retried_in)

    def saving(self) -> None:
        self.value = f'<span class="wb-saving">{escape(self.strings("save.saving"))}</span>'

    def show(self, saved: bool, current: session.Session) -> None:
        t = self.strings
        if saved:
            text = t("save.saved", time=time.strftime("%H:%M"))
            self.value = f'<span class="wb-saved" role="status">{escape(text)}</span>'
        elif current.problem is not None:
            # Held by the session and tried again (session.retry_unsaved): the line turns to "saved" then.
            problem = current.problem
            # Not the folder's path: it is for whoever runs the server (said at start), not for participants.
            text = t("save.busy") if problem.busy else t("save.failed")
            text = f"{text} {t('save.retrying')}"
            self.value = f'<span class="wb-save-problem" role="alert">{escape(text)}</span>'
            self._retried_in = current
            current.when_saved_again(self._saved_again)
        else:
            self.value = f'<span class="wb-saving">{escape(t("save.waiting"))}</span>'
