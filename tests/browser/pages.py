"""Helpers shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

PAGES = {
    "fr": ["fr/00-accueil.ipynb", "fr/01-pourquoi-l-alliance.ipynb"],
    "en": ["en/00-welcome.ipynb", "en/01-why-the-alliance.ipynb"],
}


def render_url(server: str, path: str) -> str:
    return f"{server}/voila/render/{path}"


def wait_rendered(page: Page) -> None:
    """Voila shows #rendered_cells once every cell has run."""
    expect(page.locator("#rendered_cells")).to_be_visible(timeout=90_000)


def open_page(page: Page, server: str, path: str) -> None:
    page.goto(render_url(server, path))
    wait_rendered(page)


def assert_clean_render(page: Page) -> None:
    """No error output anywhere in the notebook's cells."""
    cells = page.locator("#rendered_cells")
    expect(cells.locator('[data-mime-type="application/vnd.jupyter.stderr"]')).to_have_count(0)
    expect(cells.locator('[data-mime-type="application/vnd.jupyter.error"]')).to_have_count(0)
    expect(cells).not_to_contain_text("Traceback")


def follow(page: Page, locator, path: str) -> None:
    """Click a link and wait for the page it leads to (not the one it leaves) to be rendered."""
    with page.expect_navigation(url=f"**/voila/render/{path}"):
        locator.click()
    wait_rendered(page)
