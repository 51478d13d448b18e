"""tests/postgres.py, the throwaway PostgreSQL the store's tests (and make test-scale) run against."""

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import postgres


def test_a_server_is_started_used_then_stopped_and_removed():
    with postgres.postgres_server({"max_connections": "20"}) as url:
        address = urlsplit(url)
        assert (address.scheme, address.hostname, address.path) == ("postgresql", "127.0.0.1", "/postgres")
        own = postgres.create_database(url, "helper_check")
        assert own == url.rsplit("/", 1)[0] + "/helper_check"
        from widgets.store import Store

        store = Store(url=own)
        assert store._connection.execute("SHOW max_connections").fetchone()[0] == "20"
        assert store._connection.execute("SHOW fsync").fetchone()[0] == "off"
        folder = Path(store._connection.execute("SHOW data_directory").fetchone()[0]).parent
        assert folder.name.startswith("workbook-postgres-")
        store.close()
    assert not folder.exists()  # the temporary folder is gone
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect((address.hostname, address.port))  # and nothing listens any more


def test_a_database_name_is_letters_digits_and_underscores():
    with pytest.raises(ValueError, match="database name"):
        postgres.create_database(
            "postgresql://postgres@127.0.0.1:1/postgres", 'x"; DROP DATABASE postgres; --'
        )


def test_a_postgres_bin_that_holds_no_server_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv(postgres.VARIABLE, str(tmp_path))
    with pytest.raises(postgres.PostgresNotFound, match=postgres.VARIABLE):
        postgres.binaries()
