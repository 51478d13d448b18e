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
        "fr/05-demander-un-retour",
        "fr/06-cooperer-et-faire-le-point",
    ],
    "en": [
        "en/00-welcome",
        "en/01-why-the-alliance",
        "en/02-believing-in-resources",
        "en/03-change-has-started",
        "en/04-scaling-questions",
        "en/05-asking-for-feedback",
        "en/06-cooperating-and-your-synthesis",
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


def chart_position(page: Page, session: int, value: float) -> tuple[float, float]:
    """Where a session and a value meet on the chart, in page pixels (from plotly's own axes)."""
    page.locator(".wb-scaling .js-plotly-plot").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([session, value]) => {
            const plot = document.querySelector(".wb-scaling .js-plotly-plot");
            const box = plot.getBoundingClientRect();
            const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
            return [box.left + xa._offset + xa.l2p(session), box.top + ya._offset + ya.l2p(value)];
        }""",
        [session, value],
    )
    return x, y


# What sticks out of the screen, or out of a box that cuts it off. An element counts when its right edge
# passes the viewport's, or the inside of an ancestor that clips or scrolls (content there is cut off, or
# needs a sideways scroll inside a card) — except the one row meant to scroll sideways, the chapter list on
# a phone. Text is checked line by line (a Range per text node), so a word running off the edge of its box
# is caught even when the box itself fits.
CUT_OFF_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const name = (el) => el.tagName.toLowerCase() + (typeof el.className === "string" && el.className
    ? "." + el.className.trim().split(/\\s+/).slice(-3).join(".") : "");
  const clippers = (el) => {
    const boxes = [];
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.matches(".wb-chapters ol, .jp-LabShell, .lm-BoxPanel, #rendered_cells")) {
        return boxes; // a designed scroller (or the page itself): what is inside it is reachable
      }
      const style = getComputedStyle(a);
      if (style.overflowX !== "visible") {
        const r = a.getBoundingClientRect();
        const inner = r.right - parseFloat(style.borderRightWidth) + 0.5;
        boxes.push([a, inner]);
      }
    }
    return boxes;
  };
  const check = (el, rect, what) => {
    if (rect.width === 0 || rect.height === 0) return;
    if (rect.bottom < 0 && rect.right < 0) return;
    if (rect.right > width + 0.5) {
      found.push(`${what} ends at ${Math.round(rect.right)} px, the screen at ${width} px`);
      return;
    }
    for (const [box, inner] of clippers(el)) {
      if (rect.right > inner + 1) {
        const edge = `${name(box)} (${Math.round(inner)} px)`;
        found.push(`${what} ends at ${Math.round(rect.right)} px, past ${edge}`);
        return;
      }
    }
  };
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    if (el.closest(".wb-chapters ol, .wb-skip, .js-plotly-plot .hoverlayer")) continue;
    // Inside a chart, only its words count: plotly's invisible drag handles overhang the plot by design.
    if (el.closest("svg") && el.tagName.toLowerCase() !== "text") continue;
    check(el, el.getBoundingClientRect(), name(el));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement) continue;
    const parent = node.parentElement;
    if (parent.closest(".wb-chapters ol, .wb-skip, script, style, svg")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      check(parent, rect, `text «${node.textContent.trim().slice(0, 40)}» in ${name(parent)}`);
    }
  }
  if (document.documentElement.scrollWidth > width) {
    found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px for ${width} px`);
  }
  return [...new Set(found)];
}
"""


def cut_off(page: Page) -> list[str]:
    """What runs past the right edge of the screen or of a box that cuts it off (empty when all fits)."""
    return page.evaluate(CUT_OFF_JS)
