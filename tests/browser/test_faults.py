"""Bad input and faults in a real page: a 1 MB paste and a script payload, a killed kernel, a server restarted
mid-workshop, a participant offline. What was saved is intact, the page says what happened in its language,
nothing typed is run or rendered as HTML. (Every input, table-driven, without a browser:
tests/unit/test_bad_input.py.)
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PageWatch, start_server
from tests.browser.pages import open_route, wait_identified, wait_rendered

pytestmark = pytest.mark.browser

TEXT = "Je commencerai par demander ce qui va déjà un peu mieux."
PAYLOAD = (
    '<img src=x onerror="window.__injected=1;alert(1)">'
    '<script>window.__injected=2;alert(2)</script><b class="wb-injected">gras</b>'
)
MEGABYTE = "Ce qui va mieux. " * 62_000  # ~1 MB, pasted at once
LOST = "Connexion au cahier perdue"


def type_reflection(page: Page, text: str) -> None:
    page.locator(".wb-reflection textarea").fill(text)
    expect(page.locator(".wb-reflection .wb-saved")).to_be_visible()


def submit_reflection(page: Page, text: str) -> None:
    page.locator(".wb-reflection textarea").fill(text)
    page.locator(".wb-reflection .wb-submit").click()
    expect(page.locator(".wb-reflection .wb-message .wb-ok")).to_contain_text("prise en compte")


def nothing_ran(page: Page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.evaluate("() => window.__injected") is None
    expect(page.locator(".wb-injected")).to_have_count(0)
    expect(page.locator("#rendered_cells img[src='x']")).to_have_count(0)


def test_a_megabyte_paste_and_a_script_payload(page: Page, server: str):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    submit_reflection(page, TEXT)
    box = page.locator(".wb-reflection textarea")

    box.fill(MEGABYTE)
    message = page.locator(".wb-reflection .wb-message")
    expect(message).to_contain_text("la limite est de 2000")
    expect(message).to_contain_text("rien de ce que vous avez écrit n’est effacé")
    page.locator(".wb-reflection .wb-submit").click()
    expect(message.locator(".wb-problem")).to_be_visible()
    page.reload()
    wait_rendered(page)
    expect(box).to_have_value(TEXT)  # the 1 MB paste was never saved: the previous answer is intact

    submit_reflection(page, PAYLOAD)
    nothing_ran(page, dialogs)
    page.reload()
    wait_rendered(page)
    expect(box).to_have_value(PAYLOAD)  # kept as the text it is
    nothing_ran(page, dialogs)


def test_a_script_payload_in_a_rubric_marked_answer(page: Page, server: str):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_route(page, server, "en/02-believing-in-resources")
    box = page.locator(".wb-reformulate textarea")
    box.fill(MEGABYTE)
    expect(page.locator(".wb-reformulate .wb-message")).to_contain_text("the limit is 2000")
    box.fill(PAYLOAD)
    expect(page.locator(".wb-reformulate .wb-saved")).to_be_visible()
    expect(page.locator(".wb-reformulate .wb-feedback")).not_to_be_empty()
    nothing_ran(page, dialogs)
    page.reload()
    wait_rendered(page)
    expect(box).to_have_value(PAYLOAD)
    nothing_ran(page, dialogs)


def _kernels_of(data: Path) -> list[int]:
    """The kernel processes (``python -m widgets._kernel``) of the server keeping its answers in ``data``
    (they inherit its environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            environment = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"widgets._kernel" in command and f"WORKBOOK_DATA_DIR={data}\0".encode() in environment:
            found.append(int(entry.name))
    return found


@pytest.fixture
def own_server(tmp_path_factory):
    """A server of this test's own, without pre-heated kernels: its only kernel is the participant's."""
    data = tmp_path_factory.mktemp("fault-data")
    serving = start_server(tmp_path_factory, "--room", "0", data_dir=data)
    yield next(serving), data, serving
    serving.close()


def test_a_killed_kernel_is_said_and_the_saved_answer_comes_back(browser: Browser, own_server):
    server, data, _ = own_server
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    wait_identified(page)
    type_reflection(page, TEXT)
    kernels = _kernels_of(data)
    assert kernels, "no kernel found for this server"
    for pid in kernels:
        os.kill(pid, signal.SIGKILL)
    banner = page.locator(".wb-connection")
    expect(banner).to_contain_text(LOST, timeout=45_000)
    expect(banner).to_contain_text("Ce qui a été enregistré est conservé")
    expect(banner).to_have_attribute("role", "alert")
    page.locator(".wb-reflection textarea").fill("Tapé après la perte : pas enregistré")
    page.reload()
    wait_rendered(page)
    expect(page.locator(".wb-reflection textarea")).to_have_value(TEXT)
    expect(page.locator(".wb-connection")).to_be_hidden()
    context.close()


def test_a_server_restarted_mid_workshop(browser: Browser, tmp_path_factory):
    from widgets import room
    from widgets.store import Store

    data = tmp_path_factory.mktemp("restart-workshop")
    opened = room.open_room(Store(data), "Atelier du jeudi", "en")
    first = start_server(tmp_path_factory, "--room", "0", data_dir=data)
    server = next(first)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(60_000)
    PageWatch(page)
    open_route(page, server, "en/00-welcome")
    page.locator(".wb-room-code input").fill(opened.code.lower())
    page.locator(".wb-room-name input").fill("Ana")
    page.locator(".wb-join").click()
    expect(page.locator(".wb-room-joined")).to_contain_text("Atelier du jeudi")
    open_route(page, server, "en/01-why-the-alliance")
    type_reflection(page, "Kept across a restart.")

    first.close()  # the server stops mid-workshop: the open page says so
    expect(page.locator(".wb-connection")).to_contain_text("Connection to the workbook lost", timeout=45_000)
    port = int(server.rsplit(":", 1)[1])
    second = start_server(tmp_path_factory, "--room", "0", data_dir=data, port=port)
    server = next(second)
    page.reload()
    wait_rendered(page)
    expect(page.locator(".wb-reflection textarea")).to_have_value("Kept across a restart.")
    expect(page.locator(".wb-connection")).to_be_hidden()
    assert [found["code"] for found in Store(data).rooms()] == [opened.code]
    page.locator(".wb-chapters a", has_text="Welcome").click()
    expect(page.locator(".wb-room-joined")).to_contain_text("Atelier du jeudi")  # still in the room
    second.close()
    context.close()


def test_a_participant_offline_for_a_while_loses_nothing(browser: Browser, server: str):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    watch = PageWatch(page)
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    wait_identified(page)
    type_reflection(page, TEXT)
    context.set_offline(True)
    banner = page.locator(".wb-connection")
    expect(banner).to_contain_text("Vous êtes hors ligne")
    expect(banner).to_contain_text("Gardez cette page ouverte")
    page.locator(".wb-reflection textarea").fill("Tapé hors ligne, gardé.")
    page.wait_for_timeout(20_000)  # past the page's own check of its kernel (16 s)
    # (Chromium's offline emulation leaves open WebSockets working: the kernel may well have saved it.)
    expect(banner).to_contain_text("Vous êtes hors ligne")  # not "lost": reloading now would lose the page
    context.set_offline(False)
    expect(banner).to_be_hidden(timeout=20_000)
    expect(page.locator(".wb-reflection .wb-saved")).to_be_visible()
    page.reload()
    wait_rendered(page)
    expect(page.locator(".wb-reflection textarea")).to_have_value("Tapé hors ligne, gardé.")
    assert not [error for error in watch.errors if error.startswith("page error")], watch.errors
    context.close()


def test_a_connection_cut_for_a_while_loses_nothing_typed_meanwhile(browser: Browser, server: str):
    """The kernel's WebSocket itself is cut (Chromium's offline mode leaves open sockets working): closed,
    and every reconnection refused, for a minute (a participant's wifi dropping). The page says the connection
    is lost; when it comes back, what was typed meanwhile reaches the kernel and is saved."""
    import re
    import time

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    cut = {"now": False}
    sockets = []

    def route(socket) -> None:
        if cut["now"]:
            socket.close(code=1006, reason="cut")
            return
        upstream = socket.connect_to_server()
        sockets.append((socket, upstream))

    page.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), route)
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    wait_identified(page)
    type_reflection(page, TEXT)

    cut["now"] = True
    cut_at = time.monotonic()
    for socket, upstream in sockets:
        socket.close(code=1006, reason="cut")
        upstream.close()
    page.locator(".wb-reflection textarea").fill("Tapé pendant la coupure, gardé.")
    expect(page.locator(".wb-connection")).to_contain_text(LOST, timeout=40_000)
    # The cut is the fault under test: it lasts its minute, whatever the page has said meanwhile.
    page.wait_for_timeout(max(0.0, 60 - (time.monotonic() - cut_at)) * 1000)
    cut["now"] = False
    expect(page.locator(".wb-connection")).to_contain_text("Connexion rétablie", timeout=90_000)
    expect(page.locator(".wb-reflection .wb-saved")).to_be_visible()
    page.reload()
    wait_rendered(page)
    expect(page.locator(".wb-reflection textarea")).to_have_value("Tapé pendant la coupure, gardé.")
    context.close()
