"""The workbook on JupyterHub, for real (``make test-scale``): PostgreSQL, JupyterHub with
configurable-http-proxy and ``deploy/jupyterhub_config.py``, a server per person.

A facilitator signs in to the hub with the password (``/hub/facilitator-login``), gets a server of their own
in workshop mode, signs in to its dashboard and opens a room. Ten participants open the room's join link at
once in Chromium: each is signed in anonymously, gets a server of their own, joins the room, answers
chapter 02's reformulation and sends it; the facilitator's server refuses them (the hub's OAuth). Every
answer and every post is in PostgreSQL, and the facilitator's dashboard — on another server — shows all ten.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from tests.browser import chromium
from tests.browser.conftest import CHROMIUM_ARGS, LAPTOP
from tests.scale.hub import FACILITATOR, PASSWORD, Hub, running_hub
from widgets.store import KERNEL_NAME, SERVER_NAME

pytestmark = pytest.mark.timeout(1200)

PARTICIPANTS = 10
CHAPTER = "fr/02-croire-aux-ressources"
TIMEOUT_MS = 180_000  # ten servers, ten kernels and ten browsers starting at once on two cores
IDENTIFIED = (
    "() => /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(localStorage.getItem('alliance-workbook.participant') || '')"
)


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


def server_of(page: Page) -> str:
    """The person's own server, from the page's address: ``http://…/user/<name>``."""
    found = re.match(r"(https?://[^/]+/user/[^/]+)/", page.url)
    assert found, page.url
    return found.group(1)


async def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(**LAPTOP, locale="fr-FR")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return context, page


async def facilitator_opens_a_room(browser: Browser, hub: Hub) -> tuple[Page, str, str]:
    """The facilitator signs in to the hub, then to the dashboard on their own server; opens a room."""
    _, page = await new_page(browser)
    await page.goto(f"{hub.url}/hub/facilitator-login")
    await page.fill("input[name=username]", FACILITATOR)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form [type=submit]")
    await page.wait_for_url(re.compile(rf"/user/{FACILITATOR}/"))
    own = server_of(page)
    await page.goto(f"{own}/facilitator/")
    await page.fill("#fa-password", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.locator("h1")).to_have_text("Vos ateliers")
    await page.fill("#fa-title", "Conférence, salle 1")
    await page.select_option("#fa-room-lang", "fr")
    await page.click("form.fa-form button[type=submit]")
    await expect(page.locator(".fa-join-code")).to_be_visible()
    code = re.search(r"[0-9A-Z]{5}", await page.locator(".fa-join-code").inner_text())
    assert code is not None
    said = await page.locator(".fa-join").inner_text()  # "… open <link> or type <code> …"
    link = re.search(r"https?://\S+/join/[0-9A-Z]{5}", said)
    assert link is not None, said
    return page, code.group(), link.group()


async def participant(browser: Browser, join_link: str, number: int, others: str) -> dict[str, object]:
    """One participant: the join link, an anonymous hub user and a server of their own, an answer sent."""
    context, page = await new_page(browser)
    started = time.monotonic()
    await page.goto(join_link)
    await expect(page.locator("#rendered_cells")).to_be_visible(timeout=TIMEOUT_MS)
    await page.wait_for_function(IDENTIFIED)
    joined_s = time.monotonic() - started
    await expect(page.locator(".wb-room-joined")).to_contain_text("Conférence, salle 1")
    await page.locator(f'.wb-chapters a[href="#{CHAPTER}"]').first.click()
    await expect(page.locator(f'.wb-chapters a[aria-current="page"][href="#{CHAPTER}"]')).to_be_visible()
    text = f"Qu’est-ce qui va déjà un peu mieux ? participant-{number:02d}"
    exercise = page.locator(".wb-reformulate")
    await exercise.locator("textarea").fill(text)
    await expect(exercise.locator(".wb-save-state .wb-saved")).to_be_visible()
    await exercise.locator(".wb-send").click()
    await expect(exercise.locator(".wb-room-status")).to_contain_text("Envoyé à la salle")
    code = await page.evaluate("localStorage.getItem('alliance-workbook.participant')")
    # Another person's server (here the facilitator's) lets this participant in nowhere: the hub's OAuth.
    for path in ("/", "/facilitator/", "/voila/render/app.ipynb"):
        refused = await page.request.get(others + path)
        assert refused.status == 403, (path, refused.status, refused.url)
    result = {"server": server_of(page), "code": code, "text": text, "joined_s": joined_s}
    assert not page.errors, page.errors  # type: ignore[attr-defined]
    await context.close()
    return result


async def scenario(hub: Hub, executable: Path) -> tuple[list[dict[str, object]], str]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        dashboard, code, join_link = await facilitator_opens_a_room(browser, hub)
        # The join link leads through the hub to each participant's own server, not the facilitator's.
        assert join_link == f"{hub.url}/hub/user-redirect/join/{code}", join_link
        facilitator_server = server_of(dashboard)
        results = await asyncio.gather(
            *(
                participant(browser, join_link, number, facilitator_server)
                for number in range(1, PARTICIPANTS + 1)
            )
        )
        # The dashboard, on the facilitator's server, shows what the ten sent to theirs.
        shown = dashboard.locator(".fa-shown")
        situation = shown.locator('option[value^="reformulate:"]')
        await expect(situation).to_have_count(1)
        await expect(situation).to_contain_text(f"({PARTICIPANTS})")
        await shown.select_option(await situation.get_attribute("value"))
        cards = dashboard.locator(".fa-wall .fa-card")
        await expect(cards).to_have_count(PARTICIPANTS)
        for result in results:
            await expect(cards.filter(has_text=str(result["text"]))).to_have_count(1)
        assert not dashboard.errors, dashboard.errors  # type: ignore[attr-defined]
        await browser.close()
    return list(results), facilitator_server


def test_ten_participants_through_the_hub_and_a_facilitator_on_another_server(hub: Hub):
    # Found (or installed) before the event loop starts: finding it may drive Playwright's sync API.
    results, facilitator_server = asyncio.run(scenario(hub, chromium.find()))

    servers = {result["server"] for result in results}
    assert len(servers) == PARTICIPANTS, "each participant has a server of their own"
    assert facilitator_server not in servers
    assert facilitator_server.endswith(f"/user/{FACILITATOR}")

    # Every answer and every post is in the shared PostgreSQL, under each participant's code.
    with psycopg.connect(hub.workbook_db) as connection:
        for result in results:
            saved = connection.execute(
                "SELECT value::text FROM answers WHERE participant = %s AND exercise LIKE 'reformulate.%%'",
                (result["code"],),
            ).fetchall()
            assert any(str(result["text"]).split()[-1] in row[0] for row in saved), (result, saved)
        posts = connection.execute(
            "SELECT COUNT(DISTINCT sender) FROM room_posts WHERE exercise = 'reformulate'"
        ).fetchone()
        assert posts is not None
        assert posts[0] == PARTICIPANTS
        # One connection per kernel (a participant's, a pre-heated one), and one server connection in all:
        # the facilitator's, which the dashboard polls. The participants' servers closed theirs once their
        # join page was served (widgets/facilitator.py): 300 people hold about 300 connections, not 600.
        named = dict(
            connection.execute(
                "SELECT application_name, count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY application_name"
            ).fetchall()
        )
        assert named.get(SERVER_NAME, 0) <= 1, named
        assert named.get(KERNEL_NAME, 0) <= 2 * (PARTICIPANTS + 1), named
        assert set(named) <= {SERVER_NAME, KERNEL_NAME}, named
        connections = [sum(named.values())]
    # The hub keeps its own state in PostgreSQL too: the facilitator and ten anonymous users.
    with psycopg.connect(hub.hub_db) as connection:
        users = connection.execute("SELECT name, admin FROM users").fetchall()
    assert (FACILITATOR, True) in users
    assert len(users) == PARTICIPANTS + 1
    slowest = max(float(result["joined_s"]) for result in results)  # type: ignore[arg-type]
    print(
        f"{PARTICIPANTS} participants joined through the hub; the slowest in {slowest:.1f} s; "
        f"the workbook's database had {connections[0]} connections"
    )


def test_the_hub_log_names_no_failed_spawn(hub: Hub):
    log = Path(hub.log).read_text(errors="replace")
    assert "JupyterHub is now running" in log
    assert "Unhandled error starting" not in log
    assert "failed to start" not in log.lower()
