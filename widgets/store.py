"""Where answers are kept: one SQLite file, shared by every kernel of a server (and by its dashboard later).

- **Location**: ``$WORKBOOK_DATA_DIR/answers.sqlite3``; by default the per-user data directory
  (``platformdirs``), never inside ``workbooks/`` or anything Voila serves.
- **Append-only**: every save is a new row; the current answer to an exercise is its latest row, so no save
  can destroy an earlier one. Only "delete my data", asked for by the person, removes rows.
- **Many processes**: WAL journal (readers never block the writer), a busy timeout, and write transactions
  of one statement, so thirty kernels saving at once wait their turn for milliseconds instead of failing with
  "database is locked".
- **Versioned schema**: ``PRAGMA user_version`` and an ordered list of migrations, applied at connection.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from widgets._assets import ROOT

DATA_DIR_VARIABLE = "WORKBOOK_DATA_DIR"
ROOM_COLUMNS = (
    "code",
    "title",
    "lang",
    "salt",
    "created_at",
    "closed_at",
    "shown",
    "revealed",
    "approved_only",
    "version",
)
FILE_NAME = "answers.sqlite3"
BUSY_TIMEOUT_MS = 30_000

MIGRATIONS: list[str] = [
    # 1: answers, append-only.
    """
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        participant TEXT NOT NULL,
        exercise TEXT NOT NULL,
        lang TEXT NOT NULL,
        value TEXT NOT NULL,
        complete INTEGER NOT NULL DEFAULT 0,
        saved_at REAL NOT NULL
    );
    CREATE INDEX answers_latest ON answers (participant, exercise, id);
    """,
    # 2: workshop rooms (widgets/room.py): what the facilitator opens, what participants send, moderation.
    """
    CREATE TABLE rooms (
        code TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        lang TEXT NOT NULL,
        salt TEXT NOT NULL,
        created_at REAL NOT NULL,
        closed_at REAL,
        shown TEXT NOT NULL DEFAULT '',
        revealed INTEGER NOT NULL DEFAULT 0,
        approved_only INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE room_posts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        sender TEXT NOT NULL,
        exercise TEXT NOT NULL,
        item TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        sent_at REAL NOT NULL
    );
    CREATE INDEX room_posts_latest ON room_posts (room, exercise, item, sender, id);
    CREATE TABLE room_moderation (
        post INTEGER PRIMARY KEY,
        hidden INTEGER NOT NULL DEFAULT 0,
        pinned INTEGER NOT NULL DEFAULT 0,
        approved INTEGER NOT NULL DEFAULT 0
    );
    """,
]


class StoreError(Exception):
    """The store cannot be used (e.g. its folder cannot be written). ``reason`` is for people."""

    def __init__(self, reason: str, path: Path) -> None:
        super().__init__(f"{reason}: {path}")
        self.reason = reason
        self.path = path

    @property
    def busy(self) -> bool:
        """Another connection held the file past the busy timeout: trying again later should work."""
        cause = self.__cause__
        if not isinstance(cause, sqlite3.OperationalError):
            return False
        code = getattr(cause, "sqlite_errorcode", None)
        return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in str(cause)


def data_dir() -> Path:
    """The folder answers are kept in (``WORKBOOK_DATA_DIR``, else the per-user data directory)."""
    configured = os.environ.get(DATA_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("alliance-workbook", appauthor=False))


@dataclass(frozen=True)
class Answer:
    exercise: str
    lang: str
    value: Any
    complete: bool
    saved_at: float


class Store:
    """A connection to the answers file. Cheap to create; one per kernel is the intended use."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or data_dir()).resolve()
        self.path = self.directory / FILE_NAME
        served = (ROOT / "workbooks").resolve()
        if self.directory == served or served in self.directory.parents:
            raise StoreError("the answers must not be kept where the workbook is served", self.directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            self._connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"the answers file cannot be opened or written ({error})", self.path) from error

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction (BEGIN IMMEDIATE takes the write lock up front, waiting if needed)."""
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"the answers file cannot be written ({error})", self.path) from error

    @contextmanager
    def waiting_at_most(self, milliseconds: int) -> Iterator[None]:
        """Wait at most ``milliseconds`` for another connection's lock (a retry must not hold the kernel for
        the full busy timeout again and again while a lock stays stuck)."""
        self._connection.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
        try:
            yield
        finally:
            self._connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _migrate(self) -> None:
        version = self._connection.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._write() as connection:
                # Another process may have migrated since we looked: check again under the write lock.
                if connection.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue
                for statement in filter(str.strip, script.split(";")):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return self._connection.execute("PRAGMA user_version").fetchone()[0]

    def save(self, participant: str, exercise: str, lang: str, value: Any, complete: bool = False) -> None:
        """Append ``value`` (anything JSON can hold) as the participant's current answer to ``exercise``."""
        encoded = json.dumps(value, ensure_ascii=False)
        with self._write() as connection:
            connection.execute(
                "INSERT INTO answers (participant, exercise, lang, value, complete, saved_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (participant, exercise, lang, encoded, int(complete), time.time()),
            )

    def latest(self, participant: str) -> dict[str, Answer]:
        """The participant's current answer to every exercise they answered."""
        try:
            rows = self._connection.execute(
                "SELECT exercise, lang, value, complete, saved_at FROM answers"
                " WHERE id IN (SELECT MAX(id) FROM answers WHERE participant = ? GROUP BY exercise)"
                " ORDER BY exercise",
                (participant,),
            ).fetchall()
        except sqlite3.Error as error:
            raise StoreError(f"the answers file cannot be read ({error})", self.path) from error
        return {row[0]: Answer(row[0], row[1], json.loads(row[2]), bool(row[3]), row[4]) for row in rows}

    def history(self, participant: str, exercise: str) -> list[Answer]:
        """Every saved version of one answer, oldest first."""
        rows = self._connection.execute(
            "SELECT exercise, lang, value, complete, saved_at FROM answers"
            " WHERE participant = ? AND exercise = ? ORDER BY id",
            (participant, exercise),
        ).fetchall()
        return [Answer(row[0], row[1], json.loads(row[2]), bool(row[3]), row[4]) for row in rows]

    def delete_participant(self, participant: str) -> int:
        """Remove every answer of ``participant`` (their explicit request). Returns how many rows went."""
        with self._write() as connection:
            cursor = connection.execute("DELETE FROM answers WHERE participant = ?", (participant,))
        return cursor.rowcount

    def count(self) -> int:
        return self._connection.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    # --- workshop rooms (widgets/room.py says what they are) ------------------------------------------

    def _read(self, query: str, parameters: tuple = ()) -> list[tuple]:
        try:
            return self._connection.execute(query, parameters).fetchall()
        except sqlite3.Error as error:
            raise StoreError(f"the answers file cannot be read ({error})", self.path) from error

    def create_room(self, code: str, title: str, lang: str, salt: str) -> None:
        with self._write() as connection:
            connection.execute(
                "INSERT INTO rooms (code, title, lang, salt, created_at) VALUES (?, ?, ?, ?, ?)",
                (code, title, lang, salt, time.time()),
            )

    def room(self, code: str) -> dict[str, Any] | None:
        rows = self._read(
            "SELECT code, title, lang, salt, created_at, closed_at, shown, revealed, approved_only, version"
            " FROM rooms WHERE code = ?",
            (code,),
        )
        return dict(zip(ROOM_COLUMNS, rows[0], strict=True)) if rows else None

    def rooms(self) -> list[dict[str, Any]]:
        rows = self._read(
            "SELECT code, title, lang, salt, created_at, closed_at, shown, revealed, approved_only, version"
            " FROM rooms ORDER BY created_at DESC"
        )
        return [dict(zip(ROOM_COLUMNS, row, strict=True)) for row in rows]

    def update_room(self, code: str, **changes: Any) -> None:
        """Change a room's state (``shown``, ``revealed``, ``approved_only``, ``closed_at``)."""
        allowed = {"shown", "revealed", "approved_only", "closed_at"}
        if not changes or not set(changes) <= allowed:
            raise ValueError(f"a room's state is one of {sorted(allowed)}")
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self._write() as connection:
            connection.execute(
                f"UPDATE rooms SET {assignments}, version = version + 1 WHERE code = ?",  # noqa: S608 (columns checked above)
                (*changes.values(), code),
            )

    def delete_room(self, code: str) -> int:
        """Remove a room, everything sent to it and its moderation. Returns how many posts went."""
        with self._write() as connection:
            connection.execute(
                "DELETE FROM room_moderation WHERE post IN (SELECT id FROM room_posts WHERE room = ?)",
                (code,),
            )
            cursor = connection.execute("DELETE FROM room_posts WHERE room = ?", (code,))
            connection.execute("DELETE FROM rooms WHERE code = ?", (code,))
        return cursor.rowcount

    def post(self, room: str, sender: str, exercise: str, item: str, name: str, payload: Any) -> int:
        """Append what ``sender`` sends to ``room`` for ``exercise``/``item`` (``None``: withdrawn)."""
        encoded = "" if payload is None else json.dumps(payload, ensure_ascii=False)
        with self._write() as connection:
            cursor = connection.execute(
                "INSERT INTO room_posts (room, sender, exercise, item, name, payload, sent_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (room, sender, exercise, item, name, encoded, time.time()),
            )
        return int(cursor.lastrowid or 0)

    def posts(self, room: str) -> list[dict[str, Any]]:
        """What stands in ``room``: each sender's latest post per exercise and item, unless withdrawn, with
        its moderation, oldest first."""
        rows = self._read(
            "SELECT p.id, p.sender, p.exercise, p.item, p.name, p.payload, p.sent_at,"
            " COALESCE(m.hidden, 0), COALESCE(m.pinned, 0), COALESCE(m.approved, 0)"
            " FROM room_posts p LEFT JOIN room_moderation m ON m.post = p.id"
            " WHERE p.id IN (SELECT MAX(id) FROM room_posts WHERE room = ? GROUP BY exercise, item, sender)"
            " AND p.payload != '' ORDER BY p.id",
            (room,),
        )
        return [
            {
                "id": row[0], "sender": row[1], "exercise": row[2], "item": row[3], "name": row[4],
                "payload": json.loads(row[5]), "sent_at": row[6],
                "hidden": bool(row[7]), "pinned": bool(row[8]), "approved": bool(row[9]),
            }
            for row in rows
        ]  # fmt: skip

    def sent(self, room: str, sender: str) -> dict[tuple[str, str], float]:
        """What ``sender`` has standing in ``room``: (exercise, item) → when it was sent."""
        rows = self._read(
            "SELECT exercise, item, payload, sent_at FROM room_posts WHERE id IN"
            " (SELECT MAX(id) FROM room_posts WHERE room = ? AND sender = ? GROUP BY exercise, item)",
            (room, sender),
        )
        return {(row[0], row[1]): row[3] for row in rows if row[2] != ""}

    def moderate(self, post: int, **flags: bool) -> None:
        """Set ``hidden``, ``pinned`` or ``approved`` on a post."""
        allowed = {"hidden", "pinned", "approved"}
        if not flags or not set(flags) <= allowed:
            raise ValueError(f"moderation is one of {sorted(allowed)}")
        assignments = ", ".join(f"{flag} = ?" for flag in flags)
        with self._write() as connection:
            connection.execute("INSERT OR IGNORE INTO room_moderation (post) VALUES (?)", (post,))
            connection.execute(
                f"UPDATE room_moderation SET {assignments} WHERE post = ?",  # noqa: S608 (flags checked above)
                (*(int(value) for value in flags.values()), post),
            )
            connection.execute(
                "UPDATE rooms SET version = version + 1"
                " WHERE code = (SELECT room FROM room_posts WHERE id = ?)",
                (post,),
            )

    def room_version(self, code: str) -> tuple[int, int]:
        """What changes when anything in the room changes: (last post id, state version). Cheap to poll."""
        rows = self._read(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM room_posts WHERE room = ?),"
            " (SELECT version FROM rooms WHERE code = ?)",
            (code, code),
        )
        return (rows[0][0], rows[0][1] or 0) if rows else (0, 0)

    def close(self) -> None:
        self._connection.close()
