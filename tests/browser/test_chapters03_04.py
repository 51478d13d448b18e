"""Chapters 03 and 04 end to end: mark a first call and check it; draw a scale by clicking and by keyboard."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import (
    ROUTES,
    assert_clean_render,
    chart_position,
    open_route,
    wait_rendered,
    wait_route,
)

pytestmark = pytest.mark.browser

FIRST_CALL = {"fr": "fr/03-le-changement-a-commence", "en": "en/03-change-has-started"}
SCALING = {"fr": "fr/04-les-questions-d-echelle", "en": "en/04-scaling-questions"}
TEXTS = {
    "fr": {
        "found": "Trouvé",
        "off_scale": "hors de l’échelle",
        "half": "7,5",
        "hover": "Séance 5\u202f: 7,5",
        "question": "Depuis votre appel, qu’est-ce qui a déjà un peu changé ?",
    },
    "en": {
        "found": "Found",
        "off_scale": "off the scale",
        "half": "7.5",
        "hover": "Session 5: 7.5",
        "question": "Since you called, what has already changed, even a little?",
    },
}


def test_routes_are_in_the_shared_list():
    assert FIRST_CALL["fr"] in ROUTES["fr"]
    assert SCALING["en"] in ROUTES["en"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_mark_a_first_call_with_mouse_and_keyboard_then_check(page: Page, server: str, lang: str):
    open_route(page, server, FIRST_CALL[lang])
    assert_clean_render(page)
    exercise = page.locator(".wb-first-call")
    phrases = exercise.locator(".wb-phrase")
    expect(phrases.first).to_be_visible()
    first = phrases.nth(0)
    first.click()
    expect(first).to_have_attribute("aria-checked", "true")
    first.press("Tab")
    second = phrases.nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("Space")
    expect(second).to_have_attribute("aria-checked", "true")
    exercise.locator(".wb-check").click()
    panel = exercise.locator(".wb-call-results")
    expect(panel.locator(".wb-result").first).to_be_visible()
    marked_states = [phrases.nth(0).get_attribute("class"), phrases.nth(1).get_attribute("class")]
    expect(
        page.locator(".wb-first-call .wb-phrase.wb-missed, .wb-first-call .wb-phrase.wb-found").first
    ).to_be_visible()
    assert any("wb-extra" in state or "wb-found" in state for state in marked_states)
    expect(exercise.locator(".wb-save-state .wb-saved")).to_be_visible()

    # Exercise B on the same page: the question is read by its rubric as it is typed.
    question = page.locator(".wb-pre-session textarea")
    question.fill(TEXTS[lang]["question"])
    expect(
        page.locator('.wb-pre-session .wb-criterion[data-criterion="asks_about_change"]')
    ).to_have_attribute("data-met", "true")
    expect(page.locator(".wb-pre-session .wb-verdict-yes")).to_be_visible()
    expect(page.locator(".wb-pre-session .wb-save-state .wb-saved")).to_be_visible()

    page.reload()
    wait_rendered(page)
    wait_route(page, FIRST_CALL[lang])
    again = page.locator(".wb-first-call .wb-phrase")
    expect(again.nth(0)).to_have_attribute("aria-checked", "true")
    expect(again.nth(1)).to_have_attribute("aria-checked", "true")
    expect(page.locator(".wb-first-call .wb-call-results .wb-result").first).to_be_visible()
    expect(page.locator(".wb-pre-session textarea")).to_have_value(TEXTS[lang]["question"])

    # Opening another call to mark it opens it for the question too (empty: nothing written for it yet).
    calls = page.locator(".wb-first-call .wb-call-picker select")
    calls.select_option(index=2)
    expect(page.locator(".wb-pre-session .wb-item-picker select")).to_have_value(calls.input_value())
    expect(page.locator(".wb-pre-session textarea")).to_have_value("")


def click_on_chart(page: Page, session: int, value: float) -> None:
    """Click where a session and a value meet, as a person would."""
    page.mouse.click(*chart_position(page, session, value))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_draw_a_scale_by_clicking_and_with_the_keyboard(page: Page, server: str, lang: str):
    open_route(page, server, SCALING[lang])
    assert_clean_render(page)
    exercise = page.locator(".wb-scaling")
    expect(exercise.locator(".js-plotly-plot .main-svg").first).to_be_visible()

    click_on_chart(page, 3, 6)
    row = exercise.locator('.wb-points-table tr[data-session="3"]')
    expect(row).to_contain_text("6")
    expect(exercise.locator(".js-plotly-plot .scatterlayer .trace").nth(1).locator(".point")).to_have_count(1)
    expect(exercise.locator(".wb-save-state .wb-saved")).to_be_visible()

    # The same with the keyboard: a value off the scale is refused, a good one placed.
    exercise.locator(".wb-session-picker select").select_option(index=4)  # session 5
    value = exercise.locator(".wb-value-input input")
    expect(value).to_have_value("")  # the kernel has shown session 5 (empty) before we type into it
    value.fill("12")
    value.press("Enter")
    expect(exercise.locator(".wb-message")).to_contain_text(TEXTS[lang]["off_scale"])
    value.fill(TEXTS[lang]["half"])  # a half point, written as the page's language writes it
    value.press("Enter")
    expect(exercise.locator('.wb-points-table tr[data-session="5"]')).to_contain_text(TEXTS[lang]["half"])
    expect(exercise.locator(".wb-message")).to_be_empty()
    note = exercise.locator(".wb-note-not-zero input")
    note.fill("<b>Il est venu</b>")
    note.press("Enter")
    expect(exercise.locator('.wb-points-table tr[data-session="5"]')).to_contain_text("<b>Il est venu</b>")
    exercise.locator(".wb-good-enough select").select_option(label="6")

    # The notes show when the pointer rests on the point (escaped: the typed tags are shown, not applied).
    page.mouse.move(*chart_position(page, 5, 7.5))
    hover = exercise.locator(".js-plotly-plot .hoverlayer")
    expect(hover).to_contain_text("<b>Il est venu</b>")
    expect(hover).to_contain_text(TEXTS[lang]["hover"])
    expect(exercise.locator(".js-plotly-plot .shapelayer path")).to_have_count(1)

    # The chart downloads as a PNG, made in the browser.
    with page.expect_download() as download:
        exercise.locator('.modebar-btn[data-title*="png" i]').click()
    assert download.value.suggested_filename.endswith(".png")

    page.reload()
    wait_rendered(page)
    wait_route(page, SCALING[lang])
    expect(page.locator('.wb-scaling .wb-points-table tr[data-session="3"]')).to_contain_text("6")
    expect(page.locator('.wb-scaling .wb-points-table tr[data-session="5"]')).to_contain_text("Il est venu")
    expect(
        page.locator(".wb-scaling .js-plotly-plot .scatterlayer .trace").nth(1).locator(".point")
    ).to_have_count(2)


def test_follow_up_questions_get_their_feedback(page: Page, server: str):
    open_route(page, server, SCALING["en"])
    box = page.locator(".wb-scaling-followup textarea")
    box.fill("Why not higher?")
    expect(
        page.locator('.wb-scaling-followup .wb-criterion[data-criterion="why_not_higher"]')
    ).to_have_attribute("data-met", "true")
    box.fill("What makes it a 3 and not a 0? How will you know you're at 4?")
    expect(page.locator(".wb-scaling-followup .wb-verdict-yes")).to_be_visible()
