"""Workshop rooms: a facilitator opens one (title, language) and gets a short join code; participants who
join can send an exercise's answer to it; the facilitator's dashboard debriefs, moderates and exports what
was sent (``widgets.facilitator``).

What a room holds is kept apart from the answers, in the same store: joining changes nothing else, and
autosave stays private. A post carries no participant code: the sender is an opaque token (an HMAC of the
code with the room's own random salt), so that sending again replaces one's post and "withdraw" finds it,
but no screen, export or report can name whose it was. A display name is optional and only shown if given.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from widgets.identity import ALPHABET, check_symbol
from widgets.store import Store
from widgets.text import clean

CODE_RANDOM = 4  # + 1 check symbol: "K7Q2M", easy to read aloud and type on a phone
NAME_LIMIT = 40
TITLE_LIMIT = 120
_READS_AS = {"I": "1", "L": "1", "O": "0", "U": "V"}


class RoomError(ValueError):
    """A room cannot be joined or sent to. ``reason``: ``malformed``, ``unknown``, ``closed``, ``name``,
    ``title``, ``nothing`` (nothing saved yet to send), ``store``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Room:
    code: str
    title: str
    lang: str
    salt: str
    created_at: float
    closed_at: float | None
    shown: str
    revealed: bool
    approved_only: bool
    version: int

    @property
    def open(self) -> bool:
        return self.closed_at is None

    @staticmethod
    def from_row(row: dict[str, Any]) -> Room:
        return Room(**{**row, "revealed": bool(row["revealed"]), "approved_only": bool(row["approved_only"])})


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(CODE_RANDOM))
    return symbols + check_symbol(symbols)


def normalize_code(typed: str) -> str:
    """A typed room code as stored (``k7q-2m`` → ``K7Q2M``), or :class:`RoomError` ``malformed``."""
    if not isinstance(typed, str):
        raise RoomError("malformed")
    symbols = "".join(_READS_AS.get(char, char) for char in typed.upper() if char.isalnum())
    if len(symbols) != CODE_RANDOM + 1 or any(char not in ALPHABET for char in symbols):
        raise RoomError("malformed")
    if check_symbol(symbols[:-1]) != symbols[-1]:
        raise RoomError("malformed")
    return symbols


def clean_name(typed: str) -> str:
    """An optional display name: trimmed, no control characters, at most ``NAME_LIMIT`` characters."""
    name = " ".join(clean(str(typed or ""))[0].split())  # emoji sequences (joiners) are kept whole
    if len(name) > NAME_LIMIT:
        raise RoomError("name")
    return name


def sender_token(room: Room, participant: str) -> str:
    """The participant as the room knows them: stable within the room, unlinkable to their code."""
    return hmac.new(room.salt.encode(), participant.encode(), hashlib.sha256).hexdigest()[:20]


def open_room(store: Store, title: str, lang: str) -> Room:
    """Open a new room and return it (with its fresh join code)."""
    title = " ".join(clean(str(title or ""))[0].split())  # no control or direction-changing characters
    if not title or len(title) > TITLE_LIMIT:
        raise RoomError("title")
    if lang not in ("fr", "en"):
        raise RoomError("malformed")
    for _ in range(20):
        code = new_code()
        if store.room(code) is None:
            store.create_room(code, title, lang, secrets.token_hex(16))
            found = find(store, code)
            if found is not None:
                return found
    raise RoomError("store")  # 20 collisions in a row: the store is not answering as it should


def find(store: Store, code: str) -> Room | None:
    row = store.room(code)
    return Room.from_row(row) if row else None


def joinable(store: Store, typed: str) -> Room:
    """The open room a participant typed the code of, or :class:`RoomError` saying why not."""
    code = normalize_code(typed)
    room = find(store, code)
    if room is None:
        raise RoomError("unknown")
    if not room.open:
        raise RoomError("closed")
    return room


def send(
    store: Store, room: Room, participant: str, exercise: str, item: str | None, name: str, payload: Any
) -> float:
    """Send (or send again, replacing) a participant's answer to the room. Returns when it was sent."""
    current = find(store, room.code)
    if current is None:
        raise RoomError("unknown")
    if not current.open:
        raise RoomError("closed")
    store.post(room.code, sender_token(room, participant), exercise, item or "", clean_name(name), payload)
    return time.time()


def withdraw(store: Store, room: Room, participant: str, exercise: str, item: str | None) -> None:
    """Take back what the participant sent for ``exercise``/``item`` (it leaves every screen)."""
    store.post(room.code, sender_token(room, participant), exercise, item or "", "", None)


def sent_at(store: Store, room: Room, participant: str, exercise: str, item: str | None) -> float | None:
    """When the participant's standing post for ``exercise``/``item`` was sent (``None``: nothing stands)."""
    return store.sent(room.code, sender_token(room, participant)).get((exercise, item or ""))
