"""The store: append-only, migrated, shared by many processes, and honest when it cannot be used — on the
SQLite file and on PostgreSQL alike (the ``backend`` fixture runs a test on each; tests/conftest.py)."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from tests.aio import in_thread
from widgets import store as store_module
from widgets.store import Store, StoreError

MIGRATIONS_NOW = tuple(store_module.MIGRATIONS)


def _rows(store, query):
    """What the back end holds, read by the test itself (not through the Store's methods)."""
    return store._connection.execute(query).fetchall()


def test_saves_append_and_the_latest_is_current(backend):
    store = Store()
    assert store.backend == backend
    store.save("AAAAA-AAAAA", "reflection.01_practice", "fr", {"text": "premier jet"})
    store.save("AAAAA-AAAAA", "reflection.01_practice", "fr", {"text": "version finale"}, complete=True)
    store.save("BBBBB-BBBBB", "reflection.01_practice", "en", {"text": "someone else"})
    latest = store.latest("AAAAA-AAAAA")
    assert latest["reflection.01_practice"].value == {"text": "version finale"}
    assert latest["reflection.01_practice"].complete
    history = store.history("AAAAA-AAAAA", "reflection.01_practice")
    assert [answer.value["text"] for answer in history] == ["premier jet", "version finale"]
    assert store.count() == 3


def test_a_save_never_changes_an_earlier_row(backend):
    store = Store()
    store.save("P", "e", "fr", {"text": "one"})
    before = _rows(store, "SELECT id, participant, exercise, lang, value, complete, saved_at FROM answers")
    for text in ("two", "three"):
        store.save("P", "e", "fr", {"text": text}, complete=True)
    after = _rows(store, "SELECT id, participant, exercise, lang, value, complete, saved_at FROM answers")
    assert [tuple(row) for row in after[:1]] == [tuple(row) for row in before]
    assert [json.loads(row[4])["text"] for row in after] == ["one", "two", "three"]
    assert time.time() - store.latest("P")["e"].saved_at < 60  # the time of day, to the second at least
    assert store.latest("P")["e"].saved_at > before[0][6]


def test_text_round_trips_exactly_and_is_never_interpreted(backend):
    store = Store()
    tricky = "'); DROP TABLE answers; -- <script>alert(1)</script> 👨‍👩‍👧 \u00e9\n\tfin ? %s %(x)s"
    store.save("P", "x", "fr", {"text": tricky})
    assert Store().latest("P")["x"].value["text"] == tricky


def test_delete_removes_only_that_participant(backend):
    store = Store()
    for index in range(3):
        store.save("P", f"e{index}", "fr", index)
    store.save("Q", "e0", "fr", 1)
    assert store.delete_participant("P") == 3
    assert store.latest("P") == {}
    assert "e0" in store.latest("Q")


def test_schema_is_versioned_and_migrations_run_once(backend):
    assert Store().schema_version == len(store_module.MIGRATIONS)
    Store().save("P", "e", "fr", 1)  # reopening does not re-run the migration
    assert Store().count() == 1


def test_new_migrations_are_applied_to_an_old_store(backend, monkeypatch):
    first = store_module.MIGRATIONS[:1]  # a store from before the workshop rooms
    monkeypatch.setattr(store_module, "MIGRATIONS", first)
    Store().save("P", "e", "fr", 1)
    monkeypatch.setattr(
        store_module, "MIGRATIONS", [*first, *MIGRATIONS_NOW[1:], "ALTER TABLE answers ADD COLUMN note TEXT"]
    )
    upgraded = Store()
    assert upgraded.schema_version == len(MIGRATIONS_NOW) + 1
    assert upgraded.latest("P")["e"].value == 1
    assert upgraded.rooms() == []  # the rooms' tables came with the migration


def test_wal_journal_and_busy_timeout(tmp_path):
    store = Store(tmp_path)
    assert store._connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._connection.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.BUSY_TIMEOUT_MS


def test_postgres_connection_autocommits_with_the_busy_timeout_for_locks(postgresql):
    """The SQLite file's equivalent: test_wal_journal_and_busy_timeout."""
    store = Store()
    assert store._connection.autocommit
    assert store._connection.execute("SHOW lock_timeout").fetchone()[0] == "30s"
    store.save("P", "e", "fr", 1)
    assert store._connection.info.transaction_status.name == "IDLE"  # no transaction left open
    with store.waiting_at_most(1000):
        assert store._connection.execute("SHOW lock_timeout").fetchone()[0] == "1s"
    assert store._connection.execute("SHOW lock_timeout").fetchone()[0] == "30s"


def test_a_lock_held_elsewhere_is_a_busy_error_after_the_wait(backend):
    """Another connection holds what a save needs: the save waits, then fails as busy (to be retried)."""
    store = Store()
    store.save("P", "e", "fr", 0)
    holder = Store()  # kept: a dropped Store closes its connection
    other = holder._connection
    if backend == "postgresql":
        other.execute("BEGIN")
        other.execute("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE")
    else:
        other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as raised, store.waiting_at_most(300):
            store.save("P", "e", "fr", 1)
        assert time.monotonic() - started < 5
        assert raised.value.busy
        assert "cannot be written" in raised.value.reason
    finally:
        other.execute("ROLLBACK")
    store.save("P", "e", "fr", 2)
    assert store.latest("P")["e"].value == 2


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path):
    blocked = tmp_path / "read-only"
    blocked.mkdir()
    blocked.chmod(0o500)
    try:
        if os.access(blocked, os.W_OK):  # root ignores permissions: use a path under a file instead
            blocked = tmp_path / "a-file"
            blocked.write_text("not a folder")
            blocked = blocked / "answers"
        with pytest.raises(StoreError) as raised:
            Store(blocked)
        assert "cannot" in raised.value.reason
    finally:
        (tmp_path / "read-only").chmod(0o700)


def test_the_store_refuses_to_live_inside_the_served_folder():
    from widgets._assets import WORKBOOKS

    with pytest.raises(StoreError, match="served"):
        Store(WORKBOOKS / "data")


def test_default_location_is_per_user_and_not_served(monkeypatch):
    monkeypatch.delenv(store_module.DATA_DIR_VARIABLE)
    from widgets._assets import ROOT

    assert ROOT / "workbooks" not in [store_module.data_dir(), *store_module.data_dir().parents]


def test_the_database_url_chooses_postgresql_and_an_explicit_folder_stays_sqlite(backend, tmp_path):
    assert Store().backend == backend
    assert Store(tmp_path).backend == "sqlite"  # Store(directory): that folder's file, whatever is set


def test_a_database_url_that_is_not_postgresql_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(store_module.DATABASE_URL_VARIABLE, "mysql://someone:secret@db/answers")
    with pytest.raises(StoreError) as raised:
        Store()
    assert "postgresql://" in raised.value.reason
    assert "secret" not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://someone:secret@db:5432/answers", "postgresql://someone:***@db:5432/answers"),
        ("postgresql://db/answers?user=me&password=secret", "postgresql://db/answers?user=me&password=***"),
        ("postgresql:///answers?host=/run/postgresql", "postgresql:///answers?host=/run/postgresql"),
        (
            "postgresql:///answers?Password=p%40ss&sslmode=require",
            "postgresql:///answers?password=***&sslmode=require",
        ),
        ("postgres://u:p%40ss@h/d", "postgres://u:***@h/d"),
    ],
)
def test_a_database_address_is_shown_without_its_password(url, shown):
    assert store_module.shown_url(url) == shown


def test_a_database_url_without_psycopg_installed_says_what_to_install(monkeypatch):
    monkeypatch.setenv(store_module.DATABASE_URL_VARIABLE, "postgresql://someone:secret@127.0.0.1:1/answers")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what `import psycopg` finds when it is not installed
    with pytest.raises(StoreError) as raised:
        Store()
    assert "alliance-workbook[postgres]" in raised.value.reason
    assert "secret" not in str(raised.value)


def test_an_unreachable_server_is_a_clear_error_without_the_password(postgres_url):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(StoreError) as raised:
        Store(url=f"postgresql://someone:secret@127.0.0.1:{port}/answers")
    assert time.monotonic() - started < store_module.CONNECT_TIMEOUT_S + 5
    assert "the answers database cannot be opened" in raised.value.reason
    assert "secret" not in str(raised.value)
    assert raised.value.path == f"postgresql://someone:***@127.0.0.1:{port}/answers"


def _administered():
    """A store on the server's ``postgres`` database (to act on the test's own), and the test's database."""
    url = os.environ[store_module.DATABASE_URL_VARIABLE]
    return Store(url=url.rsplit("/", 1)[0] + "/postgres"), url.rsplit("/", 1)[1]


def test_a_dropped_connection_is_opened_again_and_an_unreachable_database_is_a_store_error(postgresql):
    """The server cuts the connection (a restart, an idle cut): the next call opens a new one. While the
    database refuses connections, calls fail with StoreError; once it accepts them again, calls work. (A
    file is not cut off; its errors are tested above.)"""
    store = Store()
    store.save("P", "e", "fr", 1)
    admin, database = _administered()

    def cut() -> None:
        pid = store._connection.info.backend_pid
        admin._connection.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))

    cut()
    store.save("P", "e", "fr", 2)  # on a new connection
    assert store.latest("P")["e"].value == 2
    cut()
    assert store.latest("P")["e"].value == 2  # reads too

    admin._connection.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    try:
        cut()
        with pytest.raises(StoreError) as raised:
            store.save("P", "e", "fr", 3)
        assert "cannot" in raised.value.reason
        with pytest.raises(StoreError):
            store.room_version("NOPE1")
    finally:
        admin._connection.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    store.save("P", "e", "fr", 4)  # the database is back: so is the store
    assert [answer.value for answer in store.history("P", "e")] == [1, 2, 4]


def test_a_participant_s_saves_wait_out_a_database_that_goes_away(postgresql):
    """The kernel's session holds what the database refused (the page says not saved, retrying) and writes it
    when the database is back — whether it was away when the kernel started or went away later. (The
    file's equivalents: tests/unit/test_bad_input.py — locked, read-only, missing folder.)"""
    from widgets import identity, session

    admin, database = _administered()

    def allow(allowed: bool) -> None:
        admin._connection.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        admin._connection.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s", (database,)
        )

    allow(False)
    try:
        current = session.Session()
        code = identity.new_code()
        current.identify(code)  # the kernel starts while the database is away
        assert current.store is None
        assert not current.save("reflection.01_practice", "fr", {"text": "au démarrage"})
        assert current.unsaved == 1
    finally:
        allow(True)
    assert current.retry_unsaved()
    assert Store().latest(code)["reflection.01_practice"].value["text"] == "au démarrage"

    allow(False)  # and now it goes away under a working session
    try:
        assert not current.save("reflection.01_practice", "fr", {"text": "pendant la panne"})
        assert current.unsaved == 1
        assert "cannot" in current.problem.reason
        assert not current.retry_unsaved()
    finally:
        allow(True)
    assert current.retry_unsaved()
    history = Store().history(code, "reflection.01_practice")
    assert [answer.value["text"] for answer in history] == ["au démarrage", "pendant la panne"]


def test_a_released_store_holds_no_connection_until_it_is_used_again(backend, request):
    """What a server's join page does between visitors: on PostgreSQL the connection is gone from the
    database's list (by its name), and the next call opens one; nothing is lost either way."""
    import psycopg

    store = Store(name="workbook-release-test")
    store.save("P", "e", "fr", 1)

    def listed(expected: int) -> int:
        """Connections by that name, once ``expected`` (a closed one leaves the list when its backend has
        exited, a moment after the close) or after 10 s."""
        if backend == "sqlite":
            return int(store._connection is not None)
        deadline = time.monotonic() + 10
        with psycopg.connect(request.getfixturevalue("postgresql"), autocommit=True) as watcher:
            while True:
                count = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'workbook-release-test'"
                ).fetchone()[0]
                if count == expected or time.monotonic() > deadline:
                    return count
                time.sleep(0.02)

    assert listed(1) == 1
    store.release()
    assert listed(0) == 0
    store.release()  # twice: nothing to close
    assert store.latest("P")["e"].value == 1  # used again: a new connection
    assert listed(1) == 1
    store.save("P", "e", "fr", 2)
    assert [answer.value for answer in store.history("P", "e")] == [1, 2]


def test_a_kernels_connection_is_named_for_the_database_s_administrator(postgresql):
    import psycopg

    kept = Store()
    kept.save("P", "e", "fr", 1)
    with psycopg.connect(postgresql, autocommit=True) as watcher:
        names = [row[0] for row in watcher.execute(
            "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()]  # fmt: skip
    assert store_module.KERNEL_NAME in names
    kept.close()


def test_a_closed_store_says_so(backend):
    store = Store()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.save("P", "e", "fr", 1)


def _processes(script, count, *arguments):
    """``count`` Python processes running ``script`` at once (number as argv[1]); their standard errors."""
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(number), *arguments], stderr=subprocess.PIPE)
        for number in range(count)
    ]
    errors = [process.communicate()[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * count, "\n".join(errors)
    return errors


def test_thirty_processes_writing_at_once_lose_nothing(backend):
    writer = textwrap.dedent(
        """
        import sys
        from widgets.store import Store
        store = Store()
        for index in range(100):
            store.save(f"P{sys.argv[1]}", f"e{index % 7}", "fr", {"n": index})
        """
    )
    errors = _processes(writer, 30)
    assert not any("locked" in error for error in errors)
    store = Store()
    assert store.count() == 3000
    assert _rows(store, "SELECT COUNT(DISTINCT participant) FROM answers")[0][0] == 30
    assert all(store.latest(f"P{number}")["e6"].value == {"n": 97} for number in range(30))


def test_many_processes_opening_a_new_store_at_once_migrate_it_once(backend, tmp_path):
    """Kernels starting together on an empty database (or file): one migrates, the others wait and find it
    done; none fails, and no migration runs twice (the last one would fail if run again). The processes are
    all started and ready before any opens the store (a start signal: a file appearing)."""
    go = tmp_path / "go"
    opener = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from widgets import store as store_module
        store_module.MIGRATIONS.append("ALTER TABLE answers ADD COLUMN note TEXT")
        Path(sys.argv[2] + "-" + sys.argv[1]).touch()
        while not Path(sys.argv[2]).exists():
            time.sleep(0.001)
        store = store_module.Store()
        assert store.schema_version == len(store_module.MIGRATIONS), store.schema_version
        store.save(f"P{sys.argv[1]}", "e", "fr", 1)
        """
    )
    count = 12
    processes = [
        subprocess.Popen([sys.executable, "-c", opener, str(number), str(go)], stderr=subprocess.PIPE)
        for number in range(count)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("go-*"))) < count and time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            break  # one ended early: its error is reported below
        time.sleep(0.01)
    go.touch()
    errors = [process.communicate()[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * count, "\n".join(errors)
    store = Store()
    assert store.schema_version == len(MIGRATIONS_NOW) + 1
    assert store.count() == count


def test_a_served_kernel_of_the_default_set_up_does_not_import_psycopg(monkeypatch):
    """A kernel of the default set-up (make start) pays nothing for the PostgreSQL back end: the app's
    notebook runs in a real kernel, saves to the SQLite file, and psycopg was never imported."""
    import nbformat
    from nbclient import NotebookClient

    from widgets._assets import WORKBOOKS

    monkeypatch.delenv(store_module.DATABASE_URL_VARIABLE, raising=False)
    notebook = nbformat.read(WORKBOOKS / "app.ipynb", as_version=4)
    check = textwrap.dedent(
        """
        import sys
        from widgets import facilitator, room, session
        store = session.current().store
        assert store is not None and store.backend == "sqlite", store
        store.save("P", "e", "fr", 1)
        print(sorted(name for name in sys.modules if name.split(".")[0] in ("psycopg", "psycopg_binary")))
        """
    )
    notebook.cells.append(nbformat.v4.new_code_cell(check))
    # In a thread of its own: in `make test`, Playwright's sync session keeps a loop running in this one.
    in_thread(NotebookClient(notebook, timeout=120, kernel_name="python3").execute)
    assert notebook.cells[-1].outputs[-1]["text"].strip() == "[]"


def test_the_raw_sqlite_file_is_what_the_store_wrote(tmp_path):
    """The SQLite file stays readable by any SQLite tool (what the facilitator exports or inspects)."""
    Store(tmp_path).save("P", "e", "fr", {"text": "é"})
    connection = sqlite3.connect(tmp_path / store_module.FILE_NAME)
    assert connection.execute("SELECT participant, value FROM answers").fetchall() == [("P", '{"text": "é"}')]
    connection.close()
