"""The workbook as participants get it: one page, one kernel, every chapter; links change the route."""

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import start_server
from tests.browser.pages import (
    APP,
    ROUTES,
    app_url,
    assert_clean_render,
    kernel_id,
    open_route,
    render_url,
    wait_rendered,
    wait_route,
)

pytestmark = pytest.mark.browser

ALL_ROUTES = [route for routes in ROUTES.values() for route in routes]


def test_root_lands_on_the_french_home_page(page: Page, server: str):
    page.goto(server + "/")
    wait_rendered(page)
    wait_route(page, "fr/00-accueil")
    assert page.url == app_url(server, "fr/00-accueil")
    expect(page.locator(".wb-path-link")).to_have_count(len(ROUTES["fr"]) - 1)
    expect(page.locator(".wb-path-link").first).to_contain_text("Pourquoi l’alliance compte")


@pytest.mark.parametrize("route", ALL_ROUTES)
def test_every_chapter_renders_clean_in_its_language(page: Page, server: str, route: str):
    open_route(page, server, route)
    assert_clean_render(page)
    expect(page.locator(".wb-chapters a")).to_have_count(len(ROUTES[route[:2]]))
    expect(page.locator(".wb-lang")).to_have_attribute("hreflang", "en" if route.startswith("fr") else "fr")
    expect(page.locator(".wb-chapter h1").first).to_be_visible()
    expect(page.locator("#rendered_cells .jp-InputArea-editor")).to_have_count(0)  # no code shown
    assert page.title().endswith("alliance")


def test_a_chapter_url_opens_the_app_on_that_chapter(page: Page, server: str):
    page.goto(render_url(server, "en/01-why-the-alliance.ipynb"))
    wait_rendered(page)
    wait_route(page, "en/01-why-the-alliance")
    assert page.url == app_url(server, "en/01-why-the-alliance")


def test_moving_between_chapters_loads_no_page_and_starts_no_kernel(page: Page, server: str):
    open_route(page, server, "fr/00-accueil")
    kernel = kernel_id(page)
    page.evaluate("window.__same_page = true")
    page.locator(".wb-path-link").first.click()
    wait_route(page, "fr/01-pourquoi-l-alliance")
    expect(page.locator(".wb-factors")).to_be_visible()
    page.locator(".wb-lang").click()
    wait_route(page, "en/01-why-the-alliance")
    expect(page.locator(".wb-factors")).to_contain_text("Factors outside therapy")
    page.locator(".wb-pager .wb-previous").click()
    wait_route(page, "en/00-welcome")
    page.go_back()
    wait_route(page, "en/01-why-the-alliance")
    page.go_back()
    wait_route(page, "fr/01-pourquoi-l-alliance")
    assert page.evaluate("window.__same_page") is True
    assert kernel_id(page) == kernel
    assert page.url.startswith(server + APP)


def test_work_in_progress_survives_moving_to_another_chapter_and_back(page: Page, server: str):
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    page.locator(".wb-reflection textarea").fill("Je noterai ce qui marche déjà.")
    page.locator(".wb-chapters a", has_text="Accueil").click()
    wait_route(page, "fr/00-accueil")
    page.locator(".wb-pager .wb-next").click()
    wait_route(page, "fr/01-pourquoi-l-alliance")
    expect(page.locator(".wb-reflection textarea")).to_have_value("Je noterai ce qui marche déjà.")


@pytest.mark.parametrize(
    ("route", "message", "home"),
    [
        ("fr/99-rien", "Cette page n’existe pas.", "#fr/00-accueil"),
        ("en/nothing-here", "This page does not exist.", "#en/00-welcome"),
    ],
)
def test_an_unknown_route_says_so_and_leads_home(page: Page, server: str, route, message, home):
    page.goto(app_url(server, route))
    wait_rendered(page)
    expect(page.locator(".wb-not-found h1")).to_have_text(message)
    page.locator(f'.wb-not-found a[href="{home}"]').click()
    wait_route(page, home[1:])


def test_an_unknown_notebook_is_a_clean_404_without_remote_assets(page: Page, server: str):
    response = page.goto(render_url(server, "nothing.ipynb"))
    assert response is not None
    assert response.status == 404
    expect(page.locator("a[href='/']")).to_be_visible()
    page.watch.errors.clear()  # the browser logs the 404 itself as a failed resource


def test_leaving_the_page_shuts_its_kernel_down(page: Page, server: str):
    open_route(page, server, "fr/00-accueil")
    kernel_url = f"{server}/api/kernels/{kernel_id(page)}"
    assert page.request.get(kernel_url).status == 200
    page.goto("about:blank")
    # The browser sends its beacon on unload and the server shuts the kernel down asynchronously:
    # there is no selector to wait on, so ask the server until it answers 404 (bounded).
    deadline = time.monotonic() + 30
    while (status := page.request.get(kernel_url).status) != 404 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert status == 404, "the kernel of the page left behind is still running"


def test_a_page_being_left_no_longer_talks_to_its_kernel(page: Page, server: str):
    """Voila drops the kernel connection on "beforeunload"; a widget that acts after that (a late render, a
    route change) must stay quiet instead of logging "Cannot send" (seen in CI when a test clicked away
    before the page had settled). The page fixture fails the test on any console error."""
    open_route(page, server, "fr/00-accueil")
    page.evaluate(
        """() => new Promise((done) => {
            window.dispatchEvent(new Event("beforeunload"));
            // The router listens to "hashchange" and would sync the new route to the kernel.
            window.addEventListener("hashchange", () => setTimeout(done, 0), { once: true });
            window.location.hash = "fr/01-pourquoi-l-alliance";
        })"""
    )
    expect(page.locator("html")).to_have_attribute("lang", "fr")


@pytest.fixture(scope="module")
def impatient_culler(tmp_path_factory):
    """A server whose culler takes kernels idle for 2 s, checking every second (the room's defaults are
    300 s and 60 s): pooled kernels soon look "idle" while they wait for participants. Yields its URL and
    its log."""
    log = tmp_path_factory.mktemp("culler") / "voila.log"
    options = [
        "--room",
        "1",
        "--MappingKernelManager.cull_idle_timeout=2",
        "--MappingKernelManager.cull_interval=1",
    ]
    for url in start_server(tmp_path_factory, *options, log=log):
        yield url, log


def test_a_kernel_that_waited_in_the_pool_survives_being_handed_out(page: Page, impatient_culler):
    """A room that arrives long after `make start`: the pre-heated kernel has been idle for longer than the
    cull timeout. It must not be culled between being handed out and the browser connecting (it was, in
    `make bench`: the page never rendered)."""
    server, log = impatient_culler
    deadline = time.monotonic() + 90
    while "Kernel pool of app.ipynb is filled" not in log.read_text() and time.monotonic() < deadline:
        page.wait_for_timeout(200)  # the server says so only in its log: nothing else to wait on
    assert "is filled" in log.read_text(), "the pool never filled"
    page.wait_for_timeout(3000)  # longer than the cull timeout: what is being tested is the passing of time
    open_route(page, server, "fr/00-accueil")
    expect(page.locator(".wb-path-link").first).to_be_visible()
    page.locator(".wb-path-link").first.click()
    wait_route(page, "fr/01-pourquoi-l-alliance")  # the kernel answers: it is alive
    assert "Culling 'idle' kernel" not in log.read_text()
