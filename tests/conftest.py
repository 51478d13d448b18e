"""Every test keeps its answers in a folder of its own, and starts with a fresh kernel session."""

import pytest


@pytest.fixture(autouse=True)
def isolated_answers(tmp_path, monkeypatch):
    from widgets import session
    from widgets.store import DATA_DIR_VARIABLE
    from widgets.views import saving

    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    monkeypatch.setattr(session, "_current", None)
    monkeypatch.setattr(saving, "_identity", None)
    # Views are driven synchronously here, as the front end would after the delay: save at once.
    # (Playwright's sync API leaves an event loop running in this thread after the browser tests.)
    monkeypatch.setattr(session.Debouncer, "_loop", staticmethod(lambda: None))
    return tmp_path / "data"
