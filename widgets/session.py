"""The person behind this kernel: who they are (a code), what they saved, and saving it.

One kernel serves one participant (a tab of the app, or one page). The browser tells the kernel the
participant's code through :class:`Identity`; until it has, saves are held and written as soon as it is
known. Views subscribe to be told when the participant or their answers change (to restore or to refresh).
If the answers file cannot be used, the session says why (``problem``) and views keep working in the page.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from widgets import identity, room
from widgets.store import Answer, Store, StoreError

log = logging.getLogger(__name__)

SAVE_DELAY_S = 0.8  # an answer is saved this long after the last change ("within about a second")
RECHECK_DELAYS_S = (0.5, 1.5, 4.0)  # after a participant is identified: late saves from a page just left
RETRY_DELAYS_S = (2.0, 5.0, 10.0, 30.0)  # a save the answers file refused is tried again (then every 30 s)
RETRY_WAIT_MS = 1000  # how long a retry waits for a lock (the first try waited the store's full busy timeout)
Listener = Callable[[], None]


@dataclass(frozen=True)
class Pending:
    exercise: str
    lang: str
    value: Any
    complete: bool


class Session:
    def __init__(self, store_factory: Callable[[], Store] = Store) -> None:
        self.participant: str | None = None
        self.answers: dict[str, Answer] = {}
        self.problem: StoreError | None = None
        self._store_factory = store_factory
        self._store: Store | None = None
        self._pending: dict[str, Pending] = {}
        self._unsaved: dict[str, Pending] = {}  # refused by the answers file (locked, read-only): retried
        self._retries = 0
        self._retry_handle: asyncio.TimerHandle | None = None
        self._retried_listeners: list[Listener] = []
        self._listeners: list[Listener] = []
        self._save_listeners: list[Listener] = []
        self._followers: dict[str, list[Callable[[str], None]]] = {}
        self.room: room.Room | None = None  # the workshop room joined, if any (widgets/room.py)
        self.room_name = ""
        self.room_problem: room.RoomError | None = None  # why the room the browser remembered was not joined
        self._room_listeners: list[Listener] = []

    @property
    def store(self) -> Store | None:
        """The answers file, opened on first use; a file that could not be opened is tried again when a save
        is retried (``retry_unsaved``), not at every read."""
        if self._store is None and self.problem is None:
            self._open_store()
        return self._store

    def _open_store(self) -> None:
        try:
            self._store = self._store_factory()
        except StoreError as error:
            log.warning("answers will not be kept: %s", error)
            self.problem = error

    def subscribe(self, listener: Listener, every_save: bool = False) -> None:
        """Call ``listener`` when the participant changes or their answers are deleted (to restore views);
        with ``every_save``, also after each save (to refresh summaries such as chapter progress)."""
        (self._save_listeners if every_save else self._listeners).append(listener)

    def _notify(self, saved: bool = False) -> None:
        for listener in [] if saved else list(self._listeners):
            listener()
        for listener in list(self._save_listeners):
            listener()

    def follow(self, topic: str, listener: Callable[[str], None]) -> None:
        """Call ``listener(item_id)`` when the person opens an item of ``topic`` in any exercise."""
        self._followers.setdefault(topic, []).append(listener)

    def focus(self, topic: str, item_id: str) -> None:
        """The person opened ``item_id`` (a call, a case) in one exercise: the others about the same items
        follow, so that "the question you would ask on that call" is about the call just read. Listeners
        ignore an item they already show, which ends the round."""
        for listener in list(self._followers.get(topic, [])):
            listener(item_id)

    def identify(self, code: str) -> None:
        """Become participant ``code``: load their answers, write what was held, tell the views."""
        self.participant = identity.normalize(code)
        store = self.store
        if store is not None:
            try:
                for held in self._pending.values():
                    store.save(self.participant, held.exercise, held.lang, held.value, held.complete)
                self._pending.clear()
                self.answers = store.latest(self.participant)
            except StoreError as error:
                self.problem = error
        self._notify()
        loop = Debouncer._loop()
        if loop is not None:
            for delay in RECHECK_DELAYS_S:
                loop.call_later(delay, self._recheck)

    def _recheck(self) -> None:
        """A reloaded page's kernel may read the answers a moment before the kernel of the page it replaces
        has written the last words typed there (each saves as it is shut down): take up anything newer."""
        store = self.store
        if store is None or self.participant is None:
            return
        try:
            latest = store.latest(self.participant)
        except StoreError:
            return
        if any(
            key not in self.answers or answer.saved_at > self.answers[key].saved_at
            for key, answer in latest.items()
        ):
            self.answers = latest
            self._notify()  # views restore what they show, unless the person has started changing it

    def knows(self, code: str) -> bool:
        """Whether answers are kept under ``code`` (so that a mistyped but well-formed code is refused)."""
        store = self.store
        return bool(store and store.latest(identity.normalize(code)))

    def save(self, exercise: str, lang: str, value: Any, complete: bool = False) -> bool:
        """Keep ``value`` as the current answer to ``exercise``. Returns whether it reached the file."""
        if self.participant is None:
            self._pending[exercise] = Pending(exercise, lang, value, complete)
            return False
        self._unsaved.pop(exercise, None)  # this value replaces one still waiting to be retried
        store = self.store
        if store is None and self._unsaved_retry_opens():
            store = self._store
        if store is None:
            self._hold(Pending(exercise, lang, value, complete))
            return False
        try:
            store.save(self.participant, exercise, lang, value, complete)
            self.answers = store.latest(self.participant)
        except StoreError as error:
            log.warning("an answer was not saved, it will be tried again: %s", error)
            self.problem = error
            self._hold(Pending(exercise, lang, value, complete))
            return False
        self.problem = None
        if self._unsaved:
            self.retry_unsaved()  # the file answers again: write what it refused before
        self._notify(saved=True)
        return True

    # --- saves the answers file refused (locked past its busy timeout, read-only, full) -----------------

    def _unsaved_retry_opens(self) -> bool:
        """A store that could not be opened is tried again by a later save (the folder may be back)."""
        if self._store is None and self.problem is not None:
            self.problem = None
            self._open_store()
        return self._store is not None

    @property
    def unsaved(self) -> int:
        """How many answers wait to be written again (shown in the page as not saved)."""
        return len(self._unsaved)

    def _hold(self, held: Pending) -> None:
        self._unsaved[held.exercise] = held
        loop = Debouncer._loop()
        if loop is not None and self._retry_handle is None:
            delay = RETRY_DELAYS_S[min(self._retries, len(RETRY_DELAYS_S) - 1)]
            self._retries += 1
            self._retry_handle = loop.call_later(delay, self._retry_later)

    def _retry_later(self) -> None:
        self._retry_handle = None
        self.retry_unsaved()

    def when_saved_again(self, listener: Listener) -> None:
        """Call ``listener`` once, when every refused save has been written (the indicator says saved)."""
        if listener not in self._retried_listeners:
            self._retried_listeners.append(listener)

    def retry_unsaved(self) -> bool:
        """Write again what the answers file refused. Returns whether nothing is left waiting."""
        if not self._unsaved or self.participant is None:
            return not self._unsaved
        store = self._store
        if store is None and self._unsaved_retry_opens():
            store = self._store
        held = list(self._unsaved.values())
        self._unsaved.clear()
        if store is None:
            for entry in held:
                self._hold(entry)
            return False
        for index, entry in enumerate(held):
            try:
                with store.waiting_at_most(RETRY_WAIT_MS):
                    store.save(self.participant, entry.exercise, entry.lang, entry.value, entry.complete)
            except StoreError as error:  # the store wraps its back end's errors, whichever it is
                self.problem = error
                for waiting in held[index:]:
                    self._hold(waiting)
                return False
        self.problem = None
        self._retries = 0
        try:
            self.answers = store.latest(self.participant)
        except StoreError as error:
            self.problem = error
        listeners, self._retried_listeners = self._retried_listeners, []
        for listener in listeners:
            listener()
        self._notify(saved=True)
        return True

    # --- the workshop room --------------------------------------------------------------------------

    def on_room_change(self, listener: Listener) -> None:
        """Call ``listener`` when the person joins or leaves a room (views show or hide their send bar)."""
        self._room_listeners.append(listener)

    def _room_changed(self) -> None:
        for listener in list(self._room_listeners):
            listener()

    def join(self, code: str, name: str = "") -> room.Room:
        """Join the open room whose code was typed; :class:`room.RoomError` says why not."""
        store = self.store
        if store is None:
            raise room.RoomError("store")
        try:
            found = room.joinable(store, code)
            self.room_name = room.clean_name(name)
        except StoreError as error:
            raise room.RoomError("store") from error
        self.room = found
        self.room_problem = None
        self._room_changed()
        return found

    def leave(self) -> None:
        self.room = None
        self.room_name = ""
        self._room_changed()

    def send_to_room(self, exercise: str, answer_id: str, item: str | None, payload_of) -> float:
        """Send the saved answer ``answer_id`` of ``exercise`` to the room, as ``payload_of(answer, item,
        lang)`` makes it. Writes what waits to be saved first, so that what is sent is what is on screen."""
        flush_waiting_saves()
        store = self.store
        answer = self.answers.get(answer_id)
        if self.room is None or store is None or self.participant is None:
            raise room.RoomError("unknown" if self.room is None else "store")
        if answer is None:
            raise room.RoomError("nothing")
        try:
            return room.send(store, self.room, self.participant, exercise, item, self.room_name,
                             payload_of(answer, item, self.room.lang))  # fmt: skip
        except StoreError as error:
            raise room.RoomError("store") from error

    def withdraw_from_room(self, exercise: str, item: str | None) -> None:
        store = self.store
        if self.room is None or store is None or self.participant is None:
            return
        try:
            room.withdraw(store, self.room, self.participant, exercise, item)
        except StoreError as error:
            raise room.RoomError("store") from error

    def sent_to_room(self, exercise: str, item: str | None) -> float | None:
        """When this person's answer to ``exercise``/``item`` was sent to the room (``None``: it was not)."""
        store = self.store
        if self.room is None or store is None or self.participant is None:
            return None
        try:
            return room.sent_at(store, self.room, self.participant, exercise, item)
        except StoreError:
            return None

    def latest_item(self, prefix: str) -> str | None:
        """For exercises answered item by item (``prefix`` + item id): the item answered most recently."""
        saved = [answer for key, answer in self.answers.items() if key.startswith(prefix)]
        latest = max(saved, key=lambda answer: answer.saved_at, default=None)
        return latest.exercise.removeprefix(prefix) if latest else None

    def forget(self) -> int:
        """Delete every answer of this participant (their request). Returns how many saves were removed."""
        removed = 0
        if self.participant and self.store is not None:
            removed = self.store.delete_participant(self.participant)
        self.answers = {}
        self._pending.clear()
        self._notify()
        return removed


class Debouncer:
    """Run ``action`` once ``delay`` seconds have passed without another call (immediately without a loop)."""

    def __init__(self, delay: float, action: Callable[[], None]) -> None:
        self.delay = delay
        self.action = action
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self) -> None:
        self.cancel()
        loop = self._loop()
        if loop is None:
            self.action()
            return
        self._handle = loop.call_later(self.delay, self._fire)

    @staticmethod
    def _loop() -> asyncio.AbstractEventLoop | None:
        """The kernel's event loop (widget callbacks run on it), or ``None`` outside one."""
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    def _fire(self) -> None:
        self._handle = None
        self.action()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        if self._handle is not None:
            self.cancel()
            self.action()


class Autosave(Debouncer):
    """A debounced save that is not lost when the page goes away before its delay is up.

    A reload or a closed tab right after a keystroke shuts the kernel down (the page's unload beacon);
    the kernel then exits normally, and every save still waiting runs before it does."""

    def __init__(self, action: Callable[[], None], delay: float = SAVE_DELAY_S) -> None:
        super().__init__(delay, action)
        _waiting_saves.add(self)


_waiting_saves: weakref.WeakSet[Autosave] = weakref.WeakSet()


def flush_waiting_saves() -> None:
    """Run every autosave still waiting for its delay (at kernel exit)."""
    for autosave in list(_waiting_saves):
        try:
            autosave.flush()
        except Exception:  # one failing view must not cost the others their save
            log.exception("a waiting save failed at exit")


def _at_exit() -> None:
    flush_waiting_saves()
    if _current is not None and _current.unsaved:
        _current.retry_unsaved()  # a last try: the kernel is going away with answers still refused


atexit.register(_at_exit)

_current: Session | None = None


def current() -> Session:
    """This kernel's session."""
    global _current
    if _current is None:
        _current = Session()
    return _current
