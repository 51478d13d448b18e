"""Browser tests: the real `python -m widgets.server` (Voila) on a free port, driven in Chromium.

Chromium comes from ``tests/browser/chromium.py`` (``CHROMIUM``, one already installed, or one it installs);
a missing Chromium is a failure, never a skip. Every page opened through the ``page`` (a laptop) and
``phone`` fixtures is watched: a request to any host but the server, a console error or an uncaught page
error fails the test.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LAPTOP = {"viewport": {"width": 1280, "height": 900}}
#: A phone as Chromium emulates one: 390 × 844 CSS pixels (an iPhone 12–15), touch, mobile viewport rules.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Webpack's module-federation notes when a widget extension was built against a newer JupyterLab than Voila's
# front end ships: they are console *warnings*, listed here so that a real warning still shows in the report.
KNOWN_WARNINGS = ("Unsatisfied version", "No satisfying version")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, port: int, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the workbook server exited with {process.returncode}:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status in (200, 301, 302):
                return
        except OSError:
            time.sleep(0.2)  # polling a port that is not open yet: nothing to wait on but time
    pytest.fail(f"the workbook server did not answer within {timeout} s:\n{log.read_text()}")


def start_server(
    tmp_path_factory,
    *options: str,
    data_dir: Path | None = None,
    port: int | None = None,
    log: Path | None = None,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Start the workbook exactly as `make start` does (plus ``options``), with ``python`` (this environment's
    by default) and ``env`` added to the environment; yield its base URL."""
    port = port or free_port()
    data_dir = data_dir or tmp_path_factory.mktemp("data")
    log = log or tmp_path_factory.mktemp("log") / "voila.log"
    env = {**os.environ, **(env or {}), "WORKBOOK_DATA_DIR": str(data_dir)}
    command = [python, "-m", "widgets.server", "--host", "127.0.0.1", "--port", str(port), *options]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def start_workshop(tmp_path_factory, data_dir: Path, room: int, password: str) -> Iterator[str]:
    """`make workshop`'s server (the facilitator's room on, ``room`` kernels kept ready), its answers and
    rooms in ``data_dir``, the facilitator's password ``password``."""
    yield from start_server(
        tmp_path_factory,
        "--workshop",
        "--room",
        str(room),
        data_dir=data_dir,
        env={"WORKBOOK_FACILITATOR_PASSWORD": password},
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[str]:
    """The workbook as participants get it: the app, with a small pool of pre-heated kernels."""
    yield from start_server(tmp_path_factory, "--room", "2")


@pytest.fixture(scope="session")
def per_page_server(tmp_path_factory) -> Iterator[str]:
    """The workbook served one Voila page (and one kernel) per chapter."""
    yield from start_server(tmp_path_factory, "--per-page")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        executable = chromium.find()  # `make test` has found or installed it already: this is quick
    except chromium.ChromiumNotFound as error:
        pytest.fail(str(error))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """What a page did that it should not: other hosts contacted, console errors, uncaught errors."""

    def __init__(self, page: Page) -> None:
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.failed: list[str] = []
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("response", self._on_response)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.request.method} {response.url}")

    def _on_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            self.foreign.append(request.url)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")
        elif message.type == "warning" and not message.text.startswith(KNOWN_WARNINGS):
            self.warnings.append(message.text)


def watched_page(browser: Browser, request, device: dict) -> Iterator[Page]:
    """A page in a fresh context (``device``: viewport, touch…), watched; a screenshot is kept afterwards."""
    context = browser.new_context(**device, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    watch = PageWatch(page)
    page.watch = watch  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        try:
            page.screenshot(path=ARTIFACTS / f"{name}.png")
        except Exception as error:  # a screenshot is a courtesy; the assertions below are the test
            print(f"no screenshot: {error}")
        context.close()
    assert not watch.foreign, f"requests to other hosts: {watch.foreign}"
    assert not watch.errors, "\n".join(watch.errors + watch.failed)


@pytest.fixture
def page(browser: Browser, request) -> Iterator[Page]:
    """A laptop's window."""
    yield from watched_page(browser, request, LAPTOP)


@pytest.fixture
def phone(browser: Browser, request) -> Iterator[Page]:
    """A phone's screen, used by touch."""
    yield from watched_page(browser, request, PHONE)
