"""Every page renders clean in both languages; the landing, the header, the pager and the FR ⇄ EN switch."""

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import PAGES, assert_clean_render, follow, open_page, render_url, wait_rendered

pytestmark = pytest.mark.browser

ALL_PAGES = [(lang, path) for lang, paths in PAGES.items() for path in paths]


def test_root_lands_on_the_french_home_page(page: Page, server: str):
    page.goto(server + "/")
    wait_rendered(page)
    assert page.url == render_url(server, "fr/00-accueil.ipynb")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".wb-path-link")).to_have_count(1)
    expect(page.locator(".wb-path-link")).to_contain_text("Pourquoi l’alliance compte")


@pytest.mark.parametrize(("lang", "path"), ALL_PAGES, ids=[path for _, path in ALL_PAGES])
def test_page_renders_clean_with_header_and_language(page: Page, server: str, lang: str, path: str):
    open_page(page, server, path)
    assert_clean_render(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    nav = page.locator(".wb-chapters a")
    expect(nav).to_have_count(len(PAGES[lang]))
    current = page.locator('.wb-chapters a[aria-current="page"]')
    expect(current).to_have_attribute("href", f"/voila/render/{path}")
    expect(page.locator(".wb-lang")).to_have_attribute("hreflang", "en" if lang == "fr" else "fr")
    expect(page.locator("#rendered_cells h1").first).to_be_visible()
    # Voila strips sources: a participant never sees code.
    expect(page.locator("#rendered_cells .jp-InputArea-editor")).to_have_count(0)


@pytest.mark.parametrize(
    ("start", "target", "lang"),
    [
        ("fr/01-pourquoi-l-alliance.ipynb", "en/01-why-the-alliance.ipynb", "en"),
        ("en/00-welcome.ipynb", "fr/00-accueil.ipynb", "fr"),
    ],
)
def test_language_switch_lands_on_the_same_chapter(page: Page, server: str, start, target, lang):
    open_page(page, server, start)
    follow(page, page.locator(".wb-lang"), target)
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_pager_and_home_path_lead_to_chapter_01(page: Page, server: str):
    open_page(page, server, "en/00-welcome.ipynb")
    expect(page.locator(".wb-pager .wb-previous")).to_have_count(0)
    follow(page, page.locator(".wb-pager .wb-next"), "en/01-why-the-alliance.ipynb")
    expect(page.locator(".wb-pager .wb-next")).to_have_count(0)
    follow(page, page.locator(".wb-pager .wb-previous"), "en/00-welcome.ipynb")
    follow(page, page.locator(".wb-path-link").first, "en/01-why-the-alliance.ipynb")


def test_unknown_page_is_a_clean_404_without_remote_assets(page: Page, server: str):
    response = page.goto(render_url(server, "fr/99-nothing.ipynb"))
    assert response is not None
    assert response.status == 404
    expect(page.locator("a[href='/']")).to_be_visible()
    page.watch.errors.clear()  # the 404 itself is logged by the browser as a failed resource


def test_leaving_a_page_shuts_its_kernel_down(page: Page, server: str):
    open_page(page, server, "fr/00-accueil.ipynb")
    config = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    kernel_id = config["kernelId"]
    kernel_url = f"{server}/api/kernels/{kernel_id}"
    assert page.request.get(kernel_url).status == 200
    follow(page, page.locator(".wb-pager .wb-next"), "fr/01-pourquoi-l-alliance.ipynb")
    # The browser sends its beacon on unload and the server shuts the kernel down asynchronously:
    # there is no selector to wait on, so ask the server until it answers 404 (bounded).
    deadline = time.monotonic() + 30
    while (status := page.request.get(kernel_url).status) != 404 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert status == 404, "the kernel of the page left behind is still running"
