"""Every test keeps its answers in a folder of its own, and starts with a fresh kernel session.

The store's tests run against both back ends: a test that asks for ``backend`` runs once with the SQLite
file and once with a PostgreSQL database of its own (``WORKBOOK_DATABASE_URL`` set), on one real server
started for the session (tests/postgres.py) the first time a test needs it.
"""

import itertools

import pytest

_databases = itertools.count(1)


@pytest.fixture(autouse=True)
def isolated_answers(tmp_path, monkeypatch):
    from widgets import session
    from widgets.store import DATA_DIR_VARIABLE, DATABASE_URL_VARIABLE
    from widgets.views import saving

    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)  # never a developer's own database
    monkeypatch.setattr(session, "_current", None)
    monkeypatch.setattr(saving, "_identity", None)
    # Views are driven synchronously here, as the front end would after the delay: save at once.
    # (Playwright's sync API leaves an event loop running in this thread after the browser tests.)
    monkeypatch.setattr(session.Debouncer, "_loop", staticmethod(lambda: None))
    return tmp_path / "data"


@pytest.fixture(scope="session")
def postgres_url():
    """The URL of the session's PostgreSQL server (its ``postgres`` database)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, isolated_answers, monkeypatch):
    """The store's back end for this test: ``Store()`` opens the SQLite file in ``isolated_answers``, or a
    fresh PostgreSQL database (its URL in ``WORKBOOK_DATABASE_URL``, which subprocesses inherit)."""
    if request.param == "postgresql":
        request.getfixturevalue("postgresql")
    return request.param


@pytest.fixture
def postgresql(postgres_url, monkeypatch):
    """A fresh PostgreSQL database for this test, which ``Store()`` opens; its URL."""
    from tests.postgres import create_database
    from widgets.store import DATABASE_URL_VARIABLE

    url = create_database(postgres_url, f"test_{next(_databases)}")
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    return url
