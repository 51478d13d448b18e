"""The answers file: append-only, migrated, shared by many processes, and honest when it cannot be used."""

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from widgets import store as store_module
from widgets.store import Store, StoreError

MIGRATIONS_NOW = tuple(store_module.MIGRATIONS)


def test_saves_append_and_the_latest_is_current(tmp_path):
    store = Store(tmp_path)
    store.save("AAAAA-AAAAA", "reflection.01_practice", "fr", {"text": "premier jet"})
    store.save("AAAAA-AAAAA", "reflection.01_practice", "fr", {"text": "version finale"}, complete=True)
    store.save("BBBBB-BBBBB", "reflection.01_practice", "en", {"text": "someone else"})
    latest = store.latest("AAAAA-AAAAA")
    assert latest["reflection.01_practice"].value == {"text": "version finale"}
    assert latest["reflection.01_practice"].complete
    history = store.history("AAAAA-AAAAA", "reflection.01_practice")
    assert [answer.value["text"] for answer in history] == ["premier jet", "version finale"]
    assert store.count() == 3


def test_text_round_trips_exactly_and_is_never_interpreted(tmp_path):
    store = Store(tmp_path)
    tricky = "'); DROP TABLE answers; -- <script>alert(1)</script> 👨‍👩‍👧 \u00e9\n\tfin"
    store.save("P", "x", "fr", {"text": tricky})
    assert Store(tmp_path).latest("P")["x"].value["text"] == tricky


def test_delete_removes_only_that_participant(tmp_path):
    store = Store(tmp_path)
    for index in range(3):
        store.save("P", f"e{index}", "fr", index)
    store.save("Q", "e0", "fr", 1)
    assert store.delete_participant("P") == 3
    assert store.latest("P") == {}
    assert "e0" in store.latest("Q")


def test_schema_is_versioned_and_migrations_run_once(tmp_path):
    assert Store(tmp_path).schema_version == len(store_module.MIGRATIONS)
    Store(tmp_path).save("P", "e", "fr", 1)  # reopening does not re-run the migration
    assert Store(tmp_path).count() == 1


def test_new_migrations_are_applied_to_an_old_file(tmp_path, monkeypatch):
    first = store_module.MIGRATIONS[:1]  # a file from before the workshop rooms
    monkeypatch.setattr(store_module, "MIGRATIONS", first)
    Store(tmp_path).save("P", "e", "fr", 1)
    monkeypatch.setattr(
        store_module, "MIGRATIONS", [*first, *MIGRATIONS_NOW[1:], "ALTER TABLE answers ADD COLUMN note TEXT"]
    )
    upgraded = Store(tmp_path)
    assert upgraded.schema_version == len(MIGRATIONS_NOW) + 1
    assert upgraded.latest("P")["e"].value == 1
    assert upgraded.rooms() == []  # the rooms' tables came with the migration


def test_wal_journal_and_busy_timeout(tmp_path):
    store = Store(tmp_path)
    assert store._connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._connection.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.BUSY_TIMEOUT_MS


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


def test_thirty_processes_writing_at_once_lose_nothing(tmp_path):
    writer = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from widgets.store import Store
        store = Store(Path(sys.argv[1]))
        for index in range(100):
            store.save(f"P{sys.argv[2]}", f"e{index % 7}", "fr", {"n": index})
        """
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", writer, str(tmp_path), str(number)], stderr=subprocess.PIPE)
        for number in range(30)
    ]
    errors = [process.communicate()[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * 30, "\n".join(errors)
    assert not any("locked" in error for error in errors)
    connection = sqlite3.connect(tmp_path / store_module.FILE_NAME)
    assert connection.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 3000
    assert connection.execute("SELECT COUNT(DISTINCT participant) FROM answers").fetchone()[0] == 30
