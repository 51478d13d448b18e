"""A server that cannot take one more participant says so, in the person's language, and lets them in by
itself once a place frees up — instead of resetting their connection (issue 15). The limit is reached here
with `--max-participants 1`; the machine's own limits (open files, ZeroMQ sockets, memory) lead to the same
page (tests/unit/test_capacity.py). The pool's progress and the capacity line are in the server's log.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS, LAPTOP, PHONE, PageWatch, start_server
from tests.browser.pages import app_url, wait_identified, wait_rendered, wait_route

pytestmark = pytest.mark.browser

FULL = {
    "fr-FR": ("fr", "Le cahier est complet pour l’instant", "réessaie d’elle-même toutes les 30"),
    "en-GB": ("en", "The workbook is full for now", "tries again by itself every 30 seconds"),
}


@pytest.fixture(scope="module")
def one_place(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("log") / "voila.log"
    for url in start_server(tmp_path_factory, "--room", "1", "--max-participants", "1", log=log):
        yield url, log


def test_the_log_says_what_the_server_was_sized_for_and_how_far_the_pool_is(one_place, browser: Browser):
    url, log = one_place
    context = browser.new_context(**LAPTOP, locale="fr-FR")
    page = context.new_page()
    page.goto(app_url(url, "fr/00-accueil"))  # served once the place is ready: the pool has filled
    wait_rendered(page)
    said = log.read_text()
    assert "Capacity: room for 1 participant; this machine holds about 1" in said
    assert "ZeroMQ sockets: " in said
    assert "Pool: preparing 1 places" not in said
    assert "Pool: preparing 1 place, " in said
    assert "Pool: full — 1 place ready in " in said
    page.goto("about:blank")
    context.close()


def test_a_person_beyond_the_capacity_is_told_so_and_gets_in_once_a_place_frees(one_place, browser: Browser):
    url, _ = one_place
    first = browser.new_context(**LAPTOP, locale="fr-FR")
    taken = first.new_page()
    taken.set_default_timeout(90_000)
    taken.goto(app_url(url, "fr/00-accueil"))
    wait_rendered(taken)
    wait_identified(taken)

    waiting = {}
    for locale, (lang, title, retry) in FULL.items():
        context = browser.new_context(**PHONE, locale=locale)
        page = context.new_page()
        watch = PageWatch(page)
        response = page.goto(app_url(url, "fr/01-pourquoi-l-alliance"))
        assert response is not None
        assert response.status == 503
        assert response.headers.get("retry-after") == "30"
        expect(page.locator("h1")).to_have_text(title)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("[role=status]")).to_contain_text(retry)
        expect(page.locator("#wb-full-retry")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"full-{lang}-390.png", full_page=True)
        assert not watch.foreign, watch.foreign
        assert all("503" in error for error in watch.errors), watch.errors  # only the page's own status
        waiting[lang] = (context, page)

    # The first participant closes their tab: their kernel goes, and the waiting pages let themselves in
    # (the French one is closed first: one place frees, one person gets it).
    waiting["fr"][0].close()
    taken.goto("about:blank")
    first.close()
    context, page = waiting["en"]
    page.set_default_timeout(90_000)
    wait_rendered(page)  # the page reloaded by itself, within its 30 s
    wait_route(page, "fr/01-pourquoi-l-alliance")
    context.close()
