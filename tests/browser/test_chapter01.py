"""Chapter 01 end to end, keyboard first: linked sliders, the reveal, the reflection box."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ROUTES, assert_clean_render, open_route

pytestmark = pytest.mark.browser

FACTORS = ("extratherapeutic", "expectancy", "technique", "relationship")
TEXTS = {
    "fr": {
        "caption": "Comparaison, facteur par facteur",
        "accepted": "Réponse prise en compte.",
        "too_long": "la limite est de 2000",
        "total": "Total\u00a0: 100\u00a0%",
    },
    "en": {
        "caption": "Comparison, factor by factor",
        "accepted": "Answer recorded.",
        "too_long": "the limit is 2000",
        "total": "Total: 100%",
    },
}


def readout(page: Page, factor: str):
    return page.locator(f".wb-slider-{factor} .widget-readout")


def expect_readouts(page: Page, values: list[int]) -> None:
    """Wait until the four readouts show ``values`` (the kernel rebalances, the browser catches up)."""
    assert sum(values) == 100
    for factor, value in zip(FACTORS, values, strict=True):
        expect(readout(page, factor)).to_have_text(str(value))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_guess_compare_and_reflect_with_the_keyboard(page: Page, server: str, lang: str):
    texts = TEXTS[lang]
    open_route(page, server, ROUTES[lang][1])
    assert_clean_render(page)
    expect_readouts(page, [25, 25, 25, 25])

    # Move the first slider with the arrow keys: the three others make room.
    handle = page.locator(".wb-slider-extratherapeutic .noUi-handle")
    handle.focus()
    for _ in range(15):
        handle.press("ArrowRight")
    expect_readouts(page, [40, 20, 20, 20])
    expect(page.locator(".wb-total")).to_have_text(texts["total"])

    # Tab reaches the next slider; moving it keeps the sum.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.wb-slider')?.className || ''")
    assert "wb-slider-expectancy" in focused
    page.keyboard.press("ArrowLeft")
    expect_readouts(page, [41, 19, 20, 20])  # 81 shared 40:20:20, largest remainder to the first

    # Reveal with Enter: a plotly chart, the table, the caveat.
    page.locator(".wb-reveal").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".wb-chart .js-plotly-plot")).to_be_visible()
    expect(page.locator(".wb-chart .js-plotly-plot .bars")).to_have_count(2)
    expect(page.locator(".wb-summary caption")).to_have_text(texts["caption"])
    expect(page.locator(".wb-summary .wb-caveat")).to_be_visible()

    # The reflection box takes text, counts it and accepts it.
    box = page.locator(".wb-reflection textarea")
    box.focus()
    page.keyboard.type("Je demanderai ce qui va déjà mieux.")
    expect(page.locator(".wb-counter")).to_contain_text("35 / 2000")
    page.locator(".wb-reflection .wb-submit").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".wb-reflection .wb-message .wb-ok")).to_have_text(texts["accepted"])

    # Over the limit: a clear message in the page's language, and the text stays where it was typed.
    long_text = "x" * 2001
    box.fill(long_text)
    expect(page.locator(".wb-reflection .wb-message .wb-problem")).to_contain_text(texts["too_long"])
    page.locator(".wb-reflection .wb-submit").click()
    expect(page.locator(".wb-reflection .wb-message .wb-problem")).to_contain_text(texts["too_long"])
    assert box.input_value() == long_text


def test_typed_readout_out_of_bounds_is_brought_back(page: Page, server: str):
    open_route(page, server, ROUTES["fr"][1])
    field = readout(page, "technique")
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("250")
    page.keyboard.press("Enter")
    expect_readouts(page, [0, 0, 100, 0])


def test_typed_markup_is_shown_as_text_never_as_html(page: Page, server: str):
    open_route(page, server, ROUTES["en"][1])
    box = page.locator(".wb-reflection textarea")
    box.fill("<img src=x onerror=\"document.title='pwned'\"> <b>bold</b>")
    page.locator(".wb-reflection .wb-submit").click()
    expect(page.locator(".wb-reflection .wb-message .wb-ok")).to_be_visible()
    expect(page.locator("#rendered_cells img[src='x']")).to_have_count(0)
    assert page.title() != "pwned"
