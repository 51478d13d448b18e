"""`--per-page`: each chapter as its own Voila page, with the header rendered by the template."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ROUTES, assert_clean_render, follow, open_page, render_url, wait_rendered

pytestmark = pytest.mark.browser

PAGES = [(route[:2], f"{route}.ipynb") for routes in ROUTES.values() for route in routes]


@pytest.mark.parametrize(("lang", "path"), PAGES, ids=[path for _, path in PAGES])
def test_page_renders_clean_with_its_header(page: Page, per_page_server: str, lang: str, path: str):
    open_page(page, per_page_server, path)
    assert_clean_render(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    current = page.locator('.wb-chapters a[aria-current="page"]')
    expect(current).to_have_attribute("href", f"/voila/render/{path}")


def test_root_switch_and_pager_load_pages(page: Page, per_page_server: str):
    page.goto(per_page_server + "/")
    wait_rendered(page)
    assert page.url == render_url(per_page_server, "fr/00-accueil.ipynb")
    follow(page, page.locator(".wb-pager .wb-next"), "fr/01-pourquoi-l-alliance.ipynb")
    follow(page, page.locator(".wb-lang"), "en/01-why-the-alliance.ipynb")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    follow(page, page.locator(".wb-pager .wb-previous"), "en/00-welcome.ipynb")
    follow(page, page.locator(".wb-path-link").first, "en/01-why-the-alliance.ipynb")
