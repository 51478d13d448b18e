"""Find a Chromium for the browser tests, or provide one.

``python -m tests.browser.chromium`` prints the path of a working Chromium (or Chrome) on standard output and
everything else on standard error; ``make test`` runs it before pytest and hands the path on as ``CHROMIUM``.
It tries, in order, and stops at the first that works:

1. ``CHROMIUM``, when it is set (and then nothing else: a path that was asked for and does not work is an
   error, not a hint);
2. a Chromium or Chrome already installed (on ``PATH``, at the usual places on macOS, or one Playwright
   downloaded earlier);
3. Playwright's own: ``python -m playwright install chromium`` (into ``~/.cache/ms-playwright``), where the
   network allows it;
4. on Debian or Ubuntu, as root: ``apt-get install chromium``.

Only when all of them fail does it stop, with one message saying what to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests import apt

VARIABLE = "CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MAC_APPS = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
APT_PACKAGES = ("chromium", "chromium-browser")


class ChromiumNotFound(RuntimeError):
    """No Chromium could be found or installed; the message says what to run."""


def works(path: str | os.PathLike) -> bool:
    """``path`` is an executable that starts and reports a version (Ubuntu's ``chromium-browser`` may be a
    stub that only asks for snap)."""
    if not os.access(path, os.X_OK) or Path(path).is_dir():
        return False
    try:
        result = subprocess.run(
            [os.fspath(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and any(word in result.stdout for word in ("Chromium", "Chrome"))


def _playwright_executable() -> Path | None:
    """Where Playwright keeps (or would keep) its own Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        return Path(playwright.chromium.executable_path)


def installed() -> Path | None:
    """A working Chromium or Chrome that is already on this machine."""
    candidates = [shutil.which(name) for name in NAMES]
    candidates += [path for path in MAC_APPS if sys.platform == "darwin"]
    candidates.append(_playwright_executable())
    for candidate in filter(None, candidates):
        if works(candidate):
            return Path(candidate)
    return None


def _install_with_playwright() -> tuple[Path | None, str]:
    apt.say(
        "No Chromium found: asking Playwright to download its own (python -m playwright install chromium)…"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"Playwright's download did not finish ({error})"
    path = _playwright_executable()
    if result.returncode == 0 and path is not None and works(path):
        return path, ""
    last = (result.stderr or result.stdout).strip().splitlines()
    return None, "Playwright's download failed" + (f" ({last[0]})" if last else "")


def _install_with_apt() -> tuple[Path | None, str]:
    return apt.install(APT_PACKAGES, installed)


def find(install: bool = True) -> Path:
    """The Chromium the browser tests use, installed first if ``install`` and none is found."""
    asked = os.environ.get(VARIABLE)
    if asked:
        if works(asked):
            return Path(asked)
        raise ChromiumNotFound(f"{VARIABLE}={asked} is not a working Chromium or Chrome (--version fails).")
    found = installed()
    if found is not None or not install:
        if found is None:
            raise ChromiumNotFound("No Chromium or Chrome found. Run `make test`, which installs one.")
        return found
    reasons = []
    for attempt in (_install_with_playwright, _install_with_apt):
        found, reason = attempt()
        if found is not None:
            apt.say(f"Chromium installed: {found}")
            return found
        reasons.append(reason)
    raise ChromiumNotFound(
        "The browser tests need Chromium or Chrome, and none could be found or installed ("
        + "; ".join(reasons)
        + "). Install one — on Debian or Ubuntu: sudo apt-get install chromium; elsewhere, with internet "
        "access: .venv/bin/python -m playwright install chromium — or set CHROMIUM=/path/to/chrome, "
        "then run make test again."
    )


def main() -> int:
    try:
        path = find()
    except ChromiumNotFound as error:
        apt.say(f"error: {error}")
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
