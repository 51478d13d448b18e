"""How `make test` finds its browser: CHROMIUM, one installed, Playwright's, then Debian's package."""

import pytest

from tests.browser import chromium


def fake_browser(path, banner: str = "Chromium 156.0.8078.73"):
    path.write_text(f"#!/bin/sh\necho '{banner}'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def calls(monkeypatch):
    """Record which ways were tried; by default none finds anything."""
    tried: list[str] = []
    monkeypatch.delenv(chromium.VARIABLE, raising=False)
    monkeypatch.setattr(chromium, "installed", calls_way(tried, "installed", None))
    offline = (None, "Playwright: offline")
    monkeypatch.setattr(chromium, "_install_with_playwright", calls_way(tried, "playwright", offline))
    not_root = (None, "apt-get: not running as root")
    monkeypatch.setattr(chromium, "_install_with_apt", calls_way(tried, "apt", not_root))
    return tried


def test_works_asks_the_browser_for_its_version(tmp_path):
    assert chromium.works(fake_browser(tmp_path / "chromium"))
    assert chromium.works(fake_browser(tmp_path / "chrome", "Google Chrome 131.0"))
    assert not chromium.works(fake_browser(tmp_path / "stub", "Please install the chromium snap"))
    assert not chromium.works(tmp_path / "missing")
    assert not chromium.works(tmp_path)


def test_chromium_variable_wins_and_nothing_else_is_tried(tmp_path, monkeypatch, calls):
    monkeypatch.setenv(chromium.VARIABLE, str(fake_browser(tmp_path / "mine")))
    assert chromium.find() == tmp_path / "mine"
    assert calls == []


def test_a_chromium_variable_that_does_not_work_is_an_error_not_a_hint(tmp_path, monkeypatch, calls):
    monkeypatch.setenv(chromium.VARIABLE, str(tmp_path / "nothing"))
    with pytest.raises(chromium.ChromiumNotFound, match="CHROMIUM="):
        chromium.find()
    assert calls == []


def test_an_installed_browser_is_used_without_installing(tmp_path, monkeypatch, calls):
    monkeypatch.setattr(chromium, "installed", calls_way(calls, "installed", tmp_path / "chromium"))
    assert chromium.find() == tmp_path / "chromium"
    assert calls == ["installed"]


def test_playwright_is_asked_before_apt(tmp_path, monkeypatch, calls):
    monkeypatch.setattr(chromium, "_install_with_playwright", calls_way(calls, "playwright", (tmp_path, "")))
    assert chromium.find() == tmp_path
    assert calls == ["installed", "playwright"]


def test_apt_comes_last(tmp_path, monkeypatch, calls):
    monkeypatch.setattr(chromium, "_install_with_apt", calls_way(calls, "apt", (tmp_path, "")))
    assert chromium.find() == tmp_path
    assert calls == ["installed", "playwright", "apt"]


def test_when_every_way_fails_one_message_says_why_and_what_to_run(calls):
    with pytest.raises(chromium.ChromiumNotFound) as failure:
        chromium.find()
    message = str(failure.value)
    assert calls == ["installed", "playwright", "apt"]
    assert "Playwright: offline" in message
    assert "not running as root" in message
    assert "apt-get install chromium" in message
    assert "playwright install chromium" in message
    assert "CHROMIUM=" in message


def test_without_installing_a_missing_browser_is_an_error(calls):
    with pytest.raises(chromium.ChromiumNotFound):
        chromium.find(install=False)
    assert calls == ["installed"]


def calls_way(calls: list[str], name: str, result):
    def attempt():
        calls.append(name)
        return result

    return attempt
