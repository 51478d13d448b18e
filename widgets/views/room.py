"""The participant's side of a workshop room: joining it (home page), and sending an answer to it.

Every exercise that the room can debrief gets a "send to the room" bar (``attach``), shown only while the
person is in a room, and added the first time they are: a participant who never joins one pays for no widget
model at all (every model is a message when a chapter opens).

Nothing is sent by itself: autosave stays private, and before the first send the bar says in plain words what
the facilitator will see. Sending again replaces what was sent; "withdraw" takes it off every screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from widgets import registry, session
from widgets.i18n import catalog
from widgets.room import RoomError
from widgets.views._html import message, para


def _problem(strings, error: RoomError) -> str:
    return strings(f"room.{error.reason}") if error.reason in _REASONS else strings("room.store")


_REASONS = {"malformed", "unknown", "closed", "name", "nothing", "store"}


def _clock(moment: float) -> str:
    return time.strftime("%H:%M", time.localtime(moment))


class RoomSend(w.VBox):
    """ "Send to the room" for the answer an exercise shows now (``answer_id()``)."""

    def __init__(
        self,
        kind: str,
        lang: str,
        answer_id: Callable[[], str | None],
        current: session.Session | None = None,
    ) -> None:
        self.kind = registry.kind(kind)
        self.lang = lang
        self.strings = catalog(lang)
        self.session = current or session.current()
        self.answer_id = answer_id
        t = self.strings
        self.notice = w.HTML(para(t("room.privacy"), "wb-room-privacy")).add_class("wb-room-notice")
        self.send_button = w.Button(description=t("room.send"), button_style="primary").add_class("wb-send")
        self.send_button.on_click(lambda _button: self.send())
        self.withdraw_button = w.Button(description=t("room.withdraw")).add_class("wb-withdraw")
        self.withdraw_button.on_click(lambda _button: self.withdraw())
        self.status = w.HTML().add_class("wb-room-status")
        buttons = w.HBox([self.send_button, self.withdraw_button]).add_class("wb-actions")
        super().__init__([self.notice, buttons, self.status])
        self.add_class("wb-room-send")
        self._notified = False
        self.session.on_room_change(self.refresh)
        self.session.subscribe(self.refresh, every_save=True)
        self.refresh()

    def _item(self) -> tuple[str | None, str | None]:
        answer_id = self.answer_id()
        if answer_id is None or self.kind.answers is None:
            return None, None
        return answer_id, self.kind.answers.item(answer_id)

    def refresh(self) -> None:
        """Show the bar while in a room, with what stands for the answer shown now."""
        room = self.session.room
        self.layout.display = "flex" if room is not None else "none"
        if room is None:
            return
        self.notice.layout.display = "none" if self._notified else "block"
        _, item = self._item()
        sent = self.session.sent_to_room(self.kind.name, item)
        t = self.strings
        self.send_button.description = t("room.send_again" if sent else "room.send")
        self.withdraw_button.layout.display = None if sent else "none"  # None: a button's own display
        self.status.value = para(t("room.sent", time=_clock(sent)), "wb-ok") if sent else ""

    def send(self) -> None:
        answer_id, item = self._item()
        t = self.strings
        if self.kind.send is None or answer_id is None:
            return
        try:
            sent = self.session.send_to_room(self.kind.name, answer_id, item, self.kind.send)
        except RoomError as error:
            self.status.value = message(_problem(t, error), ok=False)
            return
        self._notified = True
        self.refresh()
        self.status.value = message(t("room.sent", time=_clock(sent)), ok=True)

    def withdraw(self) -> None:
        _, item = self._item()
        try:
            self.session.withdraw_from_room(self.kind.name, item)
        except RoomError as error:
            self.status.value = message(_problem(self.strings, error), ok=False)
            return
        self.refresh()
        self.status.value = message(self.strings("room.withdrawn"), ok=True)


def attach(view: Any, kind: str, lang: str, answer_id: Callable[[], str | None]) -> Any:
    """Give an exercise's view its "send to the room" bar, from the moment the person is in a room.

    Until then the view carries nothing for the room: a participant who never joins one (a self-learner) pays
    for no widget model at all — every model is a message when a chapter opens.
    """
    current = getattr(view, "session", None) or session.current()

    def add_bar() -> None:
        if getattr(view, "room_bar", None) is None and current.room is not None:
            view.room_bar = RoomSend(kind, lang, answer_id, current)
            view.children = (*view.children, view.room_bar)

    view.room_bar = None
    current.on_room_change(add_bar)
    add_bar()
    return view


def refresh(view: Any) -> None:
    """An exercise shows another item: its bar says what stands for that one."""
    bar = getattr(view, "room_bar", None)
    if bar is not None:
        bar.refresh()


class RoomJoin(w.VBox):
    """Home page: join the workshop room whose code the facilitator gives (or that the join link brought)."""

    def __init__(self, lang: str = "fr", current: session.Session | None = None) -> None:
        from widgets.views.saving import identity_widget

        self.lang = lang
        self.strings = t = catalog(lang)
        self.session = current or session.current()
        self.identity = identity_widget()
        self.code_box = w.Text(placeholder=t("room.code_placeholder"), description=t("room.code_label"))
        self.code_box.add_class("wb-room-code")
        self.name_box = w.Text(placeholder=t("room.name_placeholder"), description=t("room.name_label"))
        self.name_box.add_class("wb-room-name")
        self.join_button = w.Button(description=t("room.join"), button_style="primary").add_class("wb-join")
        self.join_button.on_click(lambda _button: self.join())
        self.leave_button = w.Button(description=t("room.leave")).add_class("wb-leave")
        self.leave_button.on_click(lambda _button: self.leave())
        self.form = w.VBox([self.code_box, self.name_box, w.HBox([self.join_button]).add_class("wb-actions")])
        self.joined = w.HTML().add_class("wb-room-joined")
        self.message = w.HTML().add_class("wb-message")
        super().__init__(
            [
                w.HTML(f"<h2>{escape(t('room.heading'))}</h2>"),
                w.HTML(para(t("room.intro"), "wb-hint")),
                self.form,
                self.joined,
                w.HBox([self.leave_button]).add_class("wb-actions"),
                self.message,
            ]
        )
        self.add_class("wb-exercise").add_class("wb-room-join")
        self.session.on_room_change(self.show)
        self.show()

    def show(self) -> None:
        room = self.session.room
        t = self.strings
        self.form.layout.display = "none" if room else "flex"
        self.leave_button.layout.display = None if room else "none"
        if room is None:
            self.joined.value = ""
            problem = self.session.room_problem
            self.message.value = message(_problem(t, problem), ok=False) if problem else ""
            return
        self.message.value = ""
        joined = t("room.joined", title=room.title)
        name = t("room.as_name", name=self.session.room_name) if self.session.room_name else ""
        self.joined.value = para(f"{joined} {name}".strip(), "wb-ok")

    def join(self) -> None:
        """Join with the typed code; the browser remembers the room, so a reload stays in it."""
        t = self.strings
        try:
            room = self.session.join(self.code_box.value, self.name_box.value)
        except RoomError as error:
            self.message.value = message(_problem(t, error), ok=False)
            return
        self.identity.remember_room(room.code, self.session.room_name)

    def leave(self) -> None:
        self.session.leave()
        self.identity.remember_room("", "")
        self.message.value = message(self.strings("room.left"), ok=True)
