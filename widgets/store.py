"""Where answers are kept: one SQLite file by default, or one PostgreSQL database for servers that share it.

Both back ends sit behind one :class:`Store` (the same methods, return types, migrations and errors); what
differs between them is a small dialect object (``_SQLite``, ``_PostgreSQL``), and the SQL is written once.

- **Location**: ``$WORKBOOK_DATA_DIR/answers.sqlite3``; by default the per-user data directory
  (``platformdirs``), never inside ``workbooks/`` or anything Voila serves. ``WORKBOOK_DATABASE_URL``
  (``postgresql://user:password@host:port/database``) puts everything in that PostgreSQL database instead,
  through psycopg 3 (``pip install 'alliance-workbook[postgres]'``), imported only then: a kernel of the
  default set-up does not pay for it.
- **Append-only**: every save is a new row; the current answer to an exercise is its latest row, so no save
  can destroy an earlier one. Only "delete my data", asked for by the person, removes rows.
- **Many processes**: write transactions of a few statements. SQLite: WAL journal (readers never block the
  writer), a busy timeout, ``BEGIN IMMEDIATE``, so thirty kernels saving at once wait their turn for
  milliseconds instead of failing with "database is locked". PostgreSQL: an autocommit connection with short
  explicit transactions, and the same timeout for locks (``lock_timeout``).
- **Versioned schema**: an ordered list of migrations, applied at connection; the version is SQLite's
  ``PRAGMA user_version``, or PostgreSQL's ``workbook_schema`` table, migrated under an advisory lock so that
  many kernels connecting at once to a new database migrate it once.
- **One connection per Store**, and one Store per kernel: 300 participants on PostgreSQL hold 300 connections
  (plus one per server for the facilitator's pages) — size ``max_connections`` for it, or put PgBouncer in
  session mode in front (not transaction mode: ``lock_timeout`` is set per session). A connection the
  server dropped is opened again at the next call; while it cannot be, calls raise :class:`StoreError`.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from widgets._assets import ROOT

DATA_DIR_VARIABLE = "WORKBOOK_DATA_DIR"
DATABASE_URL_VARIABLE = "WORKBOOK_DATABASE_URL"
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
KERNEL_NAME = "alliance-workbook kernel"  # a participant's kernel, as PostgreSQL lists its connection
SERVER_NAME = "alliance-workbook server"  # a server's own pages: the join page, the facilitator's
CONNECT_TIMEOUT_S = 10
SCHEMA_LOCK = 0x616C6C69616E6365  # PostgreSQL advisory lock held while migrating ("alliance")
T = TypeVar("T")

# Written once for both back ends: ``{id}`` is each one's auto-increasing key, ``?`` a parameter (the
# PostgreSQL dialect turns it into ``%s``, so no query holds a literal ? or %), DOUBLE PRECISION is SQLite's
# REAL (PostgreSQL's REAL has 24 bits: a time.time() would lose its seconds).

MIGRATIONS: list[str] = [
    # 1: answers, append-only.
    """
    CREATE TABLE answers (
        id {id},
        participant TEXT NOT NULL,
        exercise TEXT NOT NULL,
        lang TEXT NOT NULL,
        value TEXT NOT NULL,
        complete INTEGER NOT NULL DEFAULT 0,
        saved_at DOUBLE PRECISION NOT NULL
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
        created_at DOUBLE PRECISION NOT NULL,
        closed_at DOUBLE PRECISION,
        shown TEXT NOT NULL DEFAULT '',
        revealed INTEGER NOT NULL DEFAULT 0,
        approved_only INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE room_posts (
        id {id},
        room TEXT NOT NULL,
        sender TEXT NOT NULL,
        exercise TEXT NOT NULL,
        item TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        sent_at DOUBLE PRECISION NOT NULL
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
    """The store cannot be used (e.g. its folder cannot be written, its database server is down). ``reason``
    is for people; ``path`` is the answers file, or the database's address without its password."""

    def __init__(self, reason: str, path: Path | str) -> None:
        super().__init__(f"{reason}: {path}")
        self.reason = reason
        self.path = path

    @property
    def busy(self) -> bool:
        """Another connection held what was needed past the busy timeout (or the server is busy): trying
        again later should work."""
        cause = self.__cause__
        if isinstance(cause, sqlite3.OperationalError):
            code = getattr(cause, "sqlite_errorcode", None)
            return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in str(cause)
        return getattr(cause, "sqlstate", None) in _PostgreSQL.BUSY


def data_dir() -> Path:
    """The folder answers are kept in (``WORKBOOK_DATA_DIR``, else the per-user data directory)."""
    configured = os.environ.get(DATA_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("alliance-workbook", appauthor=False))


def database_url() -> str | None:
    """The PostgreSQL database answers are kept in (``WORKBOOK_DATABASE_URL``), if one is set."""
    return os.environ.get(DATABASE_URL_VARIABLE, "").strip() or None


def shown_url(url: str) -> str:
    """A database address as it may be logged or shown: without its password (in the address or as a
    ``password=`` parameter)."""
    shown = re.sub(r"(?<=[?&])password=[^&#]*", "password=***", url, flags=re.IGNORECASE)
    password = urlsplit(url).password
    return shown if password is None else shown.replace(f":{password}@", ":***@", 1)


@dataclass(frozen=True)
class Answer:
    exercise: str
    lang: str
    value: Any
    complete: bool
    saved_at: float


class _SQLite:
    """The embedded default: one file, shared by the server's kernels."""

    noun = "the answers file"
    id_column = "INTEGER PRIMARY KEY AUTOINCREMENT"
    begin = "BEGIN IMMEDIATE"  # takes the write lock up front, waiting (busy timeout) if needed
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._use_wal(connection)
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    @staticmethod
    def _use_wal(connection: sqlite3.Connection) -> None:
        """Put the file in write-ahead-log mode (it stays so). Switching needs the file to itself, and SQLite
        answers "database is locked" at once, without waiting the busy timeout, when another process holds it
        at that instant, as when many kernels open a new file together: try again until the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.005
        while True:
            try:
                if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    @staticmethod
    def sql(query: str) -> str:
        return query

    @staticmethod
    def broken(connection: sqlite3.Connection) -> bool:
        return False  # a file does not go away between calls; errors say why

    @staticmethod
    def wait_at_most(connection: sqlite3.Connection, milliseconds: int) -> None:
        connection.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    @staticmethod
    def lock_schema(connection: sqlite3.Connection) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already holds the file's write lock."""

    @staticmethod
    def schema_version(connection: sqlite3.Connection) -> int:
        return connection.execute("PRAGMA user_version").fetchone()[0]

    @staticmethod
    def set_schema_version(connection: sqlite3.Connection, number: int) -> None:
        connection.execute(f"PRAGMA user_version = {int(number)}")

    @staticmethod
    def insert(connection: sqlite3.Connection, query: str, parameters: tuple) -> int:
        """Run an INSERT; returns the new row's id."""
        return int(connection.execute(query, parameters).lastrowid or 0)


class _PostgreSQL:
    """A PostgreSQL database shared by every server (psycopg 3, imported only here)."""

    noun = "the answers database"
    id_column = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    begin = "BEGIN"
    # lock_not_available (lock_timeout), query_canceled, serialization_failure, deadlock_detected,
    # too_many_connections, cannot_connect_now (starting up): trying again later should work.
    BUSY = frozenset({"55P03", "57014", "40001", "40P01", "53300", "57P03"})

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.name = name
        try:
            import psycopg
        except ImportError as error:
            raise StoreError(
                f"{DATABASE_URL_VARIABLE} is set, but psycopg is not installed "
                "(pip install 'alliance-workbook[postgres]')",
                shown_url(url),
            ) from error
        self.psycopg = psycopg
        self.errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def connect(self) -> Any:
        connection = self.psycopg.connect(
            self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name=self.name
        )
        self.wait_at_most(connection, BUSY_TIMEOUT_MS)
        return connection

    @staticmethod
    def sql(query: str) -> str:
        return query.replace("?", "%s")

    @staticmethod
    def broken(connection: Any) -> bool:
        return connection.closed or connection.broken

    @staticmethod
    def wait_at_most(connection: Any, milliseconds: int) -> None:
        connection.execute(f"SET lock_timeout = {int(milliseconds)}")

    @staticmethod
    def lock_schema(connection: Any) -> None:
        """Hold the migration lock until the transaction ends (other kernels wait, then find it done)."""
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        connection.execute("CREATE TABLE IF NOT EXISTS workbook_schema (version INTEGER NOT NULL)")
        connection.execute(
            "INSERT INTO workbook_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM workbook_schema)"
        )

    @staticmethod
    def schema_version(connection: Any) -> int:
        if connection.execute("SELECT to_regclass('workbook_schema')").fetchone()[0] is None:
            return 0
        return connection.execute("SELECT COALESCE(MAX(version), 0) FROM workbook_schema").fetchone()[0]

    @staticmethod
    def set_schema_version(connection: Any, number: int) -> None:
        connection.execute("UPDATE workbook_schema SET version = %s", (number,))

    @staticmethod
    def insert(connection: Any, query: str, parameters: tuple) -> int:
        return int(connection.execute(f"{query} RETURNING id", parameters).fetchone()[0])


class Store:
    """A connection to the answers (file or database). Cheap to create; one per kernel is the intended use.

    ``Store()`` is the configured store: PostgreSQL when ``WORKBOOK_DATABASE_URL`` is set, else the SQLite
    file in :func:`data_dir`. ``Store(directory)`` is the SQLite file in ``directory``; ``Store(url=…)`` the
    PostgreSQL database at ``url``; ``name`` is what PostgreSQL lists it as (``pg_stat_activity``'s
    ``application_name``): a participant's kernel, or a server's own pages."""

    def __init__(
        self, directory: Path | None = None, *, url: str | None = None, name: str = KERNEL_NAME
    ) -> None:
        url = url or (database_url() if directory is None else None)
        self._connection: Any = None
        self._closed = False
        self._dialect: _SQLite | _PostgreSQL
        if url is not None:
            if not url.startswith(("postgresql://", "postgres://")):
                raise StoreError(
                    f"{DATABASE_URL_VARIABLE} must be a postgresql:// address", shown_url(url).split("@")[-1]
                )
            self.directory: Path | None = None
            self.path: Path | str = shown_url(url)
            self._dialect = _PostgreSQL(url, name)
        else:
            self.directory = (directory or data_dir()).resolve()
            self.path = self.directory / FILE_NAME
            served = (ROOT / "workbooks").resolve()
            if self.directory == served or served in self.directory.parents:
                raise StoreError("the answers must not be kept where the workbook is served", self.directory)
            self._dialect = _SQLite(self.path)
        try:
            self._connection = self._dialect.connect()
            self._migrate()
        except (OSError, *self._dialect.errors) as error:
            raise StoreError(
                f"{self._dialect.noun} cannot be opened or written ({error})", self.path
            ) from error

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return "sqlite" if isinstance(self._dialect, _SQLite) else "postgresql"

    def _live(self) -> Any:
        """The connection, opened again if the server dropped it (a restart, an idle cut)."""
        if self._closed:
            raise StoreError(f"{self._dialect.noun} was closed", self.path)
        if self._connection is None or self._dialect.broken(self._connection):
            try:
                self._connection = self._dialect.connect()
            except (OSError, *self._dialect.errors) as error:
                self._connection = None
                raise StoreError(f"{self._dialect.noun} cannot be reached ({error})", self.path) from error
        return self._connection

    def _attempt(self, work: Callable[[Any], T], doing: str) -> T:
        """``work(connection)``, wrapped: errors become :class:`StoreError`; on a connection found dropped,
        done once more on a new one (every write here may be repeated: appends, flags, deletions)."""
        connection = self._live()
        try:
            return work(connection)
        except self._dialect.errors as error:
            if not self._dialect.broken(connection):
                raise StoreError(f"{self._dialect.noun} cannot be {doing} ({error})", self.path) from error
            first = error
        try:
            return work(self._live())
        except self._dialect.errors as error:
            raise StoreError(f"{self._dialect.noun} cannot be {doing} ({error})", self.path) from first

    def _read(self, query: str, parameters: tuple = ()) -> list[tuple]:
        sql = self._dialect.sql(query)
        return self._attempt(lambda connection: connection.execute(sql, parameters).fetchall(), "read")

    def _write(self, work: Callable[[Any], T]) -> T:
        """``work(connection)`` in a short write transaction."""

        def transaction(connection: Any) -> T:
            connection.execute(self._dialect.begin)
            try:
                result = work(connection)
            except BaseException:
                if not self._dialect.broken(connection):
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result

        return self._attempt(transaction, "written")

    def _execute(self, connection: Any, query: str, parameters: tuple = ()) -> Any:
        return connection.execute(self._dialect.sql(query), parameters)

    @contextmanager
    def waiting_at_most(self, milliseconds: int) -> Iterator[None]:
        """Wait at most ``milliseconds`` for another connection's lock (a retry must not hold the kernel for
        the full busy timeout again and again while a lock stays stuck)."""
        self._attempt(lambda connection: self._dialect.wait_at_most(connection, milliseconds), "used")
        try:
            yield
        finally:
            if self._connection is not None and not self._dialect.broken(self._connection):
                self._attempt(
                    lambda connection: self._dialect.wait_at_most(connection, BUSY_TIMEOUT_MS), "used"
                )

    def _migrate(self) -> None:
        dialect = self._dialect
        version = dialect.schema_version(self._connection)
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):

            def migrate(connection: Any, number: int = number, script: str = script) -> None:
                dialect.lock_schema(connection)
                # Another process may have migrated since we looked: check again under the lock.
                if dialect.schema_version(connection) >= number:
                    return
                for statement in filter(str.strip, script.split(";")):
                    connection.execute(statement.replace("{id}", dialect.id_column))
                dialect.set_schema_version(connection, number)

            self._write(migrate)

    @property
    def schema_version(self) -> int:
        return self._attempt(self._dialect.schema_version, "read")

    def save(self, participant: str, exercise: str, lang: str, value: Any, complete: bool = False) -> None:
        """Append ``value`` (anything JSON can hold) as the participant's current answer to ``exercise``."""
        encoded = json.dumps(value, ensure_ascii=False)
        self._write(
            lambda connection: self._execute(
                connection,
                "INSERT INTO answers (participant, exercise, lang, value, complete, saved_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (participant, exercise, lang, encoded, int(complete), time.time()),
            )
        )

    def latest(self, participant: str) -> dict[str, Answer]:
        """The participant's current answer to every exercise they answered."""
        rows = self._read(
            "SELECT exercise, lang, value, complete, saved_at FROM answers"
            " WHERE id IN (SELECT MAX(id) FROM answers WHERE participant = ? GROUP BY exercise)"
            " ORDER BY exercise",
            (participant,),
        )
        return {row[0]: Answer(row[0], row[1], json.loads(row[2]), bool(row[3]), row[4]) for row in rows}

    def history(self, participant: str, exercise: str) -> list[Answer]:
        """Every saved version of one answer, oldest first."""
        rows = self._read(
            "SELECT exercise, lang, value, complete, saved_at FROM answers"
            " WHERE participant = ? AND exercise = ? ORDER BY id",
            (participant, exercise),
        )
        return [Answer(row[0], row[1], json.loads(row[2]), bool(row[3]), row[4]) for row in rows]

    def delete_participant(self, participant: str) -> int:
        """Remove every answer of ``participant`` (their explicit request). Returns how many rows went."""
        return self._write(
            lambda connection: (
                self._execute(
                    connection, "DELETE FROM answers WHERE participant = ?", (participant,)
                ).rowcount
            )
        )

    def count(self) -> int:
        return self._read("SELECT COUNT(*) FROM answers")[0][0]

    # --- workshop rooms (widgets/room.py says what they are) ------------------------------------------

    def create_room(self, code: str, title: str, lang: str, salt: str) -> None:
        self._write(
            lambda connection: self._execute(
                connection,
                "INSERT INTO rooms (code, title, lang, salt, created_at) VALUES (?, ?, ?, ?, ?)",
                (code, title, lang, salt, time.time()),
            )
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
        self._write(
            lambda connection: self._execute(
                connection,
                f"UPDATE rooms SET {assignments}, version = version + 1 WHERE code = ?",  # noqa: S608 (columns checked above)
                (*changes.values(), code),
            )
        )

    def delete_room(self, code: str) -> int:
        """Remove a room, everything sent to it and its moderation. Returns how many posts went."""

        def delete(connection: Any) -> int:
            self._execute(
                connection,
                "DELETE FROM room_moderation WHERE post IN (SELECT id FROM room_posts WHERE room = ?)",
                (code,),
            )
            posts = self._execute(connection, "DELETE FROM room_posts WHERE room = ?", (code,)).rowcount
            self._execute(connection, "DELETE FROM rooms WHERE code = ?", (code,))
            return posts

        return self._write(delete)

    def post(self, room: str, sender: str, exercise: str, item: str, name: str, payload: Any) -> int:
        """Append what ``sender`` sends to ``room`` for ``exercise``/``item`` (``None``: withdrawn)."""
        encoded = "" if payload is None else json.dumps(payload, ensure_ascii=False)

        def append(connection: Any) -> int:
            # The room's version first: its row lock makes posts to one room take ids in the order they
            # commit (PostgreSQL hands out ids before commit; SQLite writes one at a time anyway), so a
            # dashboard that saw post n never misses a post n - 1 that committed after it.
            self._execute(connection, "UPDATE rooms SET version = version + 1 WHERE code = ?", (room,))
            return self._dialect.insert(
                connection,
                self._dialect.sql(
                    "INSERT INTO room_posts (room, sender, exercise, item, name, payload, sent_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                (room, sender, exercise, item, name, encoded, time.time()),
            )

        return self._write(append)

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

        def moderate(connection: Any) -> None:
            # ON CONFLICT DO NOTHING: SQLite 3.24 (2018) and PostgreSQL alike.
            self._execute(
                connection, "INSERT INTO room_moderation (post) VALUES (?) ON CONFLICT DO NOTHING", (post,)
            )
            self._execute(
                connection,
                f"UPDATE room_moderation SET {assignments} WHERE post = ?",  # noqa: S608 (flags checked above)
                (*(int(value) for value in flags.values()), post),
            )
            self._execute(
                connection,
                "UPDATE rooms SET version = version + 1"
                " WHERE code = (SELECT room FROM room_posts WHERE id = ?)",
                (post,),
            )

        self._write(moderate)

    def room_version(self, code: str) -> tuple[int, int]:
        """What changes when anything in the room changes: (last post id, state version). Cheap to poll."""
        rows = self._read(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM room_posts WHERE room = ?),"
            " (SELECT version FROM rooms WHERE code = ?)",
            (code, code),
        )
        return (rows[0][0], rows[0][1] or 0) if rows else (0, 0)

    def release(self) -> None:
        """Close the connection until a call needs one again: for a server's pages that read the store once
        per visitor (the join page), so that a participant's server holds no database connection of its own
        between visitors — on a hub, one connection per person (their kernel's) instead of two."""
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(Exception):  # already dropped by the database: nothing to close
                connection.close()

    def close(self) -> None:
        """Close the connection; the Store cannot be used after."""
        self._closed = True
        if self._connection is not None:
            self._connection.close()

    def __del__(self) -> None:
        # A dropped Store closes its connection (psycopg warns about connections left open).
        connection = getattr(self, "_connection", None)
        if connection is not None and not getattr(self, "_closed", True):
            self._closed = True
            with suppress(Exception):  # at interpreter exit, the server may be gone already
                connection.close()
