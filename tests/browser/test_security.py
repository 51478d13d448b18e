"""The server as an attacker on the room's network sees it: real HTTP against `make workshop`'s server.

- No response shows a traceback or a file path: error pages, refused requests, and an exercise whose build
  fails in the kernel (forced here through ``sitecustomize``; the participant reads one plain sentence).
- The answers file cannot be downloaded, whatever the path trick, even with ``WORKBOOK_DATA_DIR`` inside the
  repository by mistake; inside a served folder, the server refuses to start.
- Sources (``.py``, ``.json``, notebooks) and the notebook tree are not served.
- The kernel-shutdown beacon and the kernel's websocket refuse other origins; listing kernels is impossible.
- Code sent by hand on one's own kernel's websocket is dropped, never run (Voila's message allow-list).
- The facilitator's room answers a participant (no cookie, a forged cookie, no XSRF token) with nothing.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, expect
from tornado.httpclient import HTTPRequest

from tests.browser.conftest import ROOT, free_port, start_server
from tests.browser.pages import open_route

pytestmark = pytest.mark.browser

PASSWORD = "security-test-password"  # noqa: S105 (the test server's own)
ANSWER = "réponse-secrète-du-participant-A"
BROKEN_EXERCISE = "guess_the_factors"  # chapter 01's first exercise: its build fails in the kernel
LEAK = 'Traceback (most recent call last):\n  File "/srv/workbook/widgets/secret.py", line 1, in build'
NOT_FOUND = (403, 404)

FAULT_HOOK = f'''
"""Test fault for tests/browser/test_security.py: exercise {BROKEN_EXERCISE!r} cannot be built."""
import importlib.abc
import importlib.machinery
import sys


class _BreakOneExercise(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "widgets.exercises":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            real = module.build

            def build(exercise, lang, **options):
                if exercise == {BROKEN_EXERCISE!r}:
                    raise RuntimeError({LEAK!r})
                return real(exercise, lang, **options)

            module.build = build

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _BreakOneExercise())
'''


class Server:
    def __init__(self, url: str, data: Path) -> None:
        self.url = url
        self.data = data
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.origin = url

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Send ``path`` exactly as written (no normalisation, no decoding) and return the answer."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Iterator[Server]:
    """`make workshop`'s server with its answers inside the repository (test-artifacts/, ignored by git), a
    participant's answer and a room already in them, and one exercise that fails to build."""
    from widgets import identity, room
    from widgets.store import Store

    data = ROOT / "test-artifacts" / f"security-data-{uuid.uuid4().hex[:8]}"
    data.mkdir(parents=True)
    store = Store(data)
    store.save(identity.new_code(), "reflection.01_practice", "fr", {"text": ANSWER})
    room.open_room(store, "Atelier", "fr")
    (data / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + ANSWER.encode())  # an allow-listed extension
    hook = tmp_path_factory.mktemp("fault-hook")
    (hook / "sitecustomize.py").write_text(FAULT_HOOK)
    python_path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH", "")]))
    env = {"WORKBOOK_FACILITATOR_PASSWORD": PASSWORD, "PYTHONPATH": python_path}
    try:
        for url in start_server(tmp_path_factory, "--workshop", "--room", "1", data_dir=data, env=env):
            yield Server(url, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def assert_nothing_leaked(status: int, body: bytes, what: str) -> None:
    assert b"Traceback" not in body, f"{what}: {status} shows a traceback"
    assert str(ROOT).encode() not in body, f"{what}: {status} shows a file path"
    assert b"SQLite format" not in body, f"{what}: {status} sent the answers file"
    assert ANSWER.encode() not in body, f"{what}: {status} sent a participant's answer"


def _data_attacks(server: Server) -> list[str]:
    """Paths that try to reach the answers file (or anything else in the data folder)."""
    relative = server.data.relative_to(ROOT).as_posix()
    absolute = server.data.as_posix()
    up = "../" * 12
    enc_up = "%2e%2e%2f" * 12
    files = [f"{relative}/answers.sqlite3", f"{relative}/chart.png"]
    attacks = []
    for target in files:
        name = target.rsplit("/", 1)[1]
        full = f"{absolute}/{name}"
        attacks += [
            f"/{name}",
            f"/{target}",
            f"/voila/files/{name}",
            f"/voila/files/../{target}",
            f"/voila/files/%2e%2e/{target}",
            f"/voila/files/..%2f{quote(target, safe='')}",
            f"/voila/files/%2e%2e%2f{quote(target, safe='')}",
            f"/voila/files/{full}",
            f"/voila/files/%2f{quote(full[1:], safe='')}",
            f"/voila/files/{up}{full[1:]}",
            f"/files/{target}",
            f"/files/../{target}",
            f"/voila/static/{up}{full[1:]}",
            f"/voila/static/{enc_up}{quote(full[1:], safe='')}",
            f"/voila/templates/alliance/static/{enc_up}{quote(full[1:], safe='')}",
            f"/voila/templates/{quote('alliance/../../..', safe='')}/static/{quote(target, safe='')}",
            f"/voila/labextensions/{enc_up}{quote(full[1:], safe='')}",
            f"/voila/api/themes/{enc_up}{quote(full[1:], safe='')}",
            f"/voila/render/..%2f{quote(target, safe='')}",
            f"/voila/render/%2e%2e/{target}",
            f"/voila/api/contents/..%2f{quote(target, safe='')}",
            f"/voila/api/contents/{full}",
            f"/api/contents/{target}",
            f"/workbook/plotly/../../{target}",
            f"/workbook/plotly/..%2f..%2f{quote(target, safe='')}",
            f"/workbook/plotly/plotly-basic.min.js/../../../{target}",
            f"/facilitator/static/..%2f..%2f..%2f{quote(target, safe='')}",
            f"/facilitator/static/../../../{target}",
            f"/join/..%2f..%2f{quote(target, safe='')}",
            f"{full}",
            f"//{full[1:]}",
        ]
    return attacks


def test_the_answers_file_cannot_be_downloaded_whatever_the_path(attacked: Server):
    assert (attacked.data / "answers.sqlite3").exists()
    answered = {}
    for path in _data_attacks(attacked):
        status, _, body = attacked.request("GET", path)
        answered[path] = status
        assert_nothing_leaked(status, body, path)
    wrong = {path: status for path, status in answered.items() if status not in NOT_FOUND}
    assert not wrong, wrong


SOURCES = [
    "/voila/files/../widgets/server.py",
    "/voila/files/..%2fwidgets%2fserver.py",
    "/voila/files/%2e%2e/widgets/server.py",
    "/widgets/server.py",
    "/files/widgets/server.py",
    "/voila/static/../../../../widgets/server.py",
    "/voila/templates/alliance/static/..%2f..%2f..%2f..%2f..%2fwidgets%2fserver.py",
    "/voila/files/../voila.json",
    "/voila.json",
    "/voila/files/../assets/i18n/fr.json",
    "/voila/templates/alliance/static/..%2f..%2f..%2fi18n%2ffr.json",
    "/voila/files/../pyproject.toml",
    "/voila/files/app.ipynb",
    "/voila/files/fr/00-accueil.ipynb",
    "/voila/files/fr%2f00-accueil.ipynb",
    "/voila/files/APP.IPYNB",
    "/files/app.ipynb",
    "/files/fr/00-accueil.ipynb",
    "/api/contents/app.ipynb",
    "/api/contents/fr/00-accueil.ipynb?content=1",
    "/voila/api/contents",
    "/voila/api/contents/app.ipynb?content=1",
    "/voila/api/contents/fr",
    "/voila/tree",
    "/voila/tree/fr",
    "/tree",
    "/api/kernels",
    "/api/sessions",
    "/api/kernelspecs",
    "/lab",
    "/voila/render/../widgets/server.py",
    "/voila/render/%2e%2e/voila.json",
]


def test_sources_and_the_notebook_tree_are_not_served(attacked: Server):
    answered = {}
    for path in SOURCES:
        status, _, body = attacked.request("GET", path)
        answered[path] = status
        assert_nothing_leaked(status, body, path)
        for source in (b"import ", b'"cells"', b"VoilaConfiguration", b'"site":', b"nbformat"):
            assert source not in body, f"{path}: {status} serves a source ({source!r})"
    wrong = {path: status for path, status in answered.items() if status not in (*NOT_FOUND, 405)}
    assert not wrong, wrong


def test_error_pages_and_bad_requests_show_no_traceback(attacked: Server):
    attempts = [
        ("GET", "/voila/render/nothing.ipynb", {}),
        ("GET", "/login", {}),
        ("GET", "/logout", {}),
        ("GET", "/voila/labextensions/nothing.js", {}),
        ("GET", "/voila/api/themes/nothing", {}),
        ("GET", "/voila/render/fr/rien.ipynb", {}),
        ("GET", "/voila/render/%ff%fe.ipynb", {}),
        ("GET", "/voila/render/app.ipynb%00", {}),
        ("GET", "/voila/templates/nothing/static/x.js", {}),
        ("GET", "/voila/templates/alliance/x", {}),
        ("GET", f"/api/kernels/{uuid.uuid4()}", {}),
        ("GET", "/api/kernels/not-a-kernel", {}),
        ("GET", "/facilitator/room/%3Cscript%3E", {}),
        ("GET", "/join/%ff%fe%00", {}),
        ("GET", "/facilitator/login?lang=%00", {}),
        ("POST", "/facilitator/login", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("POST", f"/voila/api/shutdown/{uuid.uuid4()}", {"Origin": attacked.origin}),
        ("DELETE", f"/api/kernels/{uuid.uuid4()}", {}),
    ]
    for method, path, headers in attempts:
        status, _, body = attacked.request(method, path, headers=headers, body=b"password=x" * 3)
        assert status < 500, (method, path, status)  # a bad request is never a server error
        assert_nothing_leaked(status, body, f"{method} {path}")


def test_an_exercise_that_fails_in_the_kernel_shows_a_plain_message(page: Page, attacked: Server):
    open_route(page, attacked.url, "fr/01-pourquoi-l-alliance")
    failed = page.locator(".wb-exercise-failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("Cet exercice n’a pas pu s’afficher")
    expect(page.locator(".wb-reflection textarea")).to_be_visible()  # the rest of the chapter works
    shown = page.locator("body").inner_text()
    for trace in ("Traceback", "secret.py", "/srv/", "RuntimeError", str(ROOT)):
        assert trace not in shown
    assert "Traceback" not in page.content()


def _kernel_of_a_new_page(server: Server) -> str:
    status, _, body = server.request("GET", "/voila/render/app.ipynb")
    assert status == 200
    found = re.search(rb'"kernelId":\s*"([0-9a-f-]{36})"', body)
    assert found, "no kernel id in the page"
    return found.group(1).decode()


def _alive(server: Server, kernel: str) -> bool:
    return server.request("GET", f"/api/kernels/{kernel}")[0] == 200


def test_the_shutdown_beacon_refuses_other_origins_and_unknown_kernels(attacked: Server):
    kernel = _kernel_of_a_new_page(attacked)
    assert _alive(attacked, kernel)
    shutdown = f"/voila/api/shutdown/{kernel}"
    refused = {
        "another site": {"Origin": "http://evil.example"},
        "another port": {"Origin": f"http://127.0.0.1:{attacked.port + 1}"},
        "a sandboxed frame": {"Origin": "null"},
        "no origin, no token": {},
        "a forged token": {"Origin": "http://evil.example", "X-XSRFToken": "x", "Cookie": "_xsrf=x"},
    }
    for why, headers in refused.items():
        status, _, body = attacked.request("POST", shutdown, headers=headers)
        assert status in NOT_FOUND, (why, status)
        assert_nothing_leaked(status, body, why)
        assert _alive(attacked, kernel), f"{why}: the kernel was shut down"
    status, _, _ = attacked.request(
        "DELETE", f"/api/kernels/{kernel}", headers={"Origin": "http://evil.example"}
    )
    assert status in NOT_FOUND
    assert _alive(attacked, kernel)
    # A kernel that does not exist: a plain 404 from this server's own page.
    status, _, _ = attacked.request(
        "POST", f"/voila/api/shutdown/{uuid.uuid4()}", headers={"Origin": attacked.origin}
    )
    assert status == 404
    # The page's own beacon, from the page's own origin: its kernel goes.
    status, _, _ = attacked.request("POST", shutdown, headers={"Origin": attacked.origin})
    assert status == 204
    assert not _alive(attacked, kernel)


def test_the_kernel_websocket_refuses_other_origins(attacked: Server):
    """Whoever holds a kernel's id can open its websocket from this server's pages, never from another site's
    (the handshake is sent by hand: Playwright keeps an event loop running in this thread)."""
    kernel = _kernel_of_a_new_page(attacked)
    handshake = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(b"0123456789abcdef").decode(),
    }
    channels = f"/api/kernels/{kernel}/channels"
    status, _, _ = attacked.request("GET", channels, headers={**handshake, "Origin": "http://evil.example"})
    assert status == 403
    status, _, _ = attacked.request("GET", channels, headers={**handshake, "Origin": attacked.origin})
    assert status == 101
    attacked.request("POST", f"/voila/api/shutdown/{kernel}", headers={"Origin": attacked.origin})


def test_a_participant_cannot_run_code_in_their_own_kernel(attacked: Server, tmp_path):
    """The page hides the code, and the kernel's websocket takes only what widgets need (Voila's allow-list:
    comm messages, kernel_info, shutdown): code sent by hand — to read the answers file, or the server's
    environment — is dropped, never run. The kernel still answers what follows it."""
    from tornado.websocket import websocket_connect

    from tests.aio import run

    kernel = _kernel_of_a_new_page(attacked)
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    session = uuid.uuid4().hex

    def message(msg_type: str, content: dict, channel: str = "shell") -> str:
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "",
                  "date": "", "version": "5.3"}  # fmt: skip
        return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                           "channel": channel, "buffers": []})  # fmt: skip

    async def scenario() -> list[str]:
        url = attacked.url.replace("http", "ws", 1).rstrip("/") + f"/api/kernels/{kernel}/channels"
        socket = await websocket_connect(
            HTTPRequest(url, headers={"Origin": attacked.origin}, connect_timeout=60)
        )
        execute = {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}  # fmt: skip
        for channel in ("shell", "control"):
            socket.write_message(message("execute_request", execute, channel))
        socket.write_message(message("inspect_request", {"code": code, "cursor_pos": 1, "detail_level": 0}))
        socket.write_message(message("kernel_info_request", {}))  # answered after them, the shell in order
        seen: list[str] = []
        while "kernel_info_reply" not in seen:
            raw = await asyncio.wait_for(socket.read_message(), 60)
            assert raw is not None, "the kernel's websocket closed"
            seen.append(json.loads(raw)["header"]["msg_type"])
        socket.close()
        return seen

    seen = run(scenario)
    assert not {"execute_input", "execute_reply", "inspect_reply", "error", "stream"} & set(seen), seen
    assert not marker.exists(), "code sent over the websocket ran in the kernel"
    attacked.request("POST", f"/voila/api/shutdown/{kernel}", headers={"Origin": attacked.origin})


def test_a_participant_reaches_nothing_of_the_facilitators_room(attacked: Server):
    from widgets import room
    from widgets.store import Store

    code = room.Room.from_row(Store(attacked.data).rooms()[0]).code
    forged = {"Cookie": "workbook-facilitator=1"}
    for headers in ({}, forged):
        for path in ("live", "export.csv", "report.html", "projector"):
            status, _, body = attacked.request("GET", f"/facilitator/room/{code}/{path}", headers=headers)
            assert status in (302, 403), (path, status)
            assert_nothing_leaked(status, body, path)
        for path in ("state", "delete", "posts/1"):
            status, _, _ = attacked.request(
                "POST", f"/facilitator/room/{code}/{path}", headers=headers, body=b"{}"
            )
            assert status == 403, (path, status)
    assert room.find(Store(attacked.data), code) is not None


def test_answers_inside_a_served_folder_stop_the_server(tmp_path):
    inside = ROOT / "workbooks" / f"answers-{uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        [sys.executable, "-m", "widgets.server", "--port", str(free_port())],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "WORKBOOK_DATA_DIR": str(inside), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "inside workbooks/" in result.stderr
    assert "Traceback" not in result.stderr
    assert not inside.exists()
