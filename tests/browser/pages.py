"""Helpers shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

ROUTES = {
    "fr": [
        "fr/00-accueil",
        "fr/01-pourquoi-l-alliance",
        "fr/02-croire-aux-ressources",
        "fr/03-le-changement-a-commence",
        "fr/04-les-questions-d-echelle",
    ],
    "en": [
        "en/00-welcome",
        "en/01-why-the-alliance",
        "en/02-believing-in-resources",
        "en/03-change-has-started",
        "en/04-scaling-questions",
    ],
}
APP = "/voila/render/app.ipynb"


def render_url(server: str, path: str) -> str:
    return f"{server}/voila/render/{path}"


def app_url(server: str, route: str) -> str:
    return f"{server}{APP}#{route}"


def wait_rendered(page: Page) -> None:
    """Voila shows #rendered_cells once every cell has run."""
    expect(page.locator("#rendered_cells")).to_be_visible(timeout=90_000)


def wait_route(page: Page, route: str) -> None:
    """The app shows ``route``: its header marks that chapter as the current one."""
    expect(page.locator(f'.wb-chapters a[aria-current="page"][href="#{route}"]')).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", route[:2])


def open_route(page: Page, server: str, route: str) -> None:
    page.goto(app_url(server, route))
    wait_rendered(page)
    wait_route(page, route)


def wait_identified(page: Page) -> None:
    """The browser holds the participant's code (identity.js keeps it in localStorage once the kernel has
    made or checked it): from then on, what is typed is saved under that code."""
    page.wait_for_function(
        "() => /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(localStorage.getItem('alliance-workbook.participant') || '')"
    )


def open_page(page: Page, server: str, path: str) -> None:
    """A chapter served as its own Voila page (per-page mode)."""
    page.goto(render_url(server, path))
    wait_rendered(page)


def follow(page: Page, locator: Locator, path: str) -> None:
    """Click a link to another page and wait for that page (not the one it leaves) to be rendered."""
    with page.expect_navigation(url=f"**/voila/render/{path}"):
        locator.click()
    wait_rendered(page)


def kernel_id(page: Page) -> str:
    config = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    return config["kernelId"]


def assert_clean_render(page: Page) -> None:
    """No error output anywhere in the page's cells."""
    cells = page.locator("#rendered_cells")
    expect(cells.locator('[data-mime-type="application/vnd.jupyter.stderr"]')).to_have_count(0)
    expect(cells.locator('[data-mime-type="application/vnd.jupyter.error"]')).to_have_count(0)
    expect(cells).not_to_contain_text("Traceback")
