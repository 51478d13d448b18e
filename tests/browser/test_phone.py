"""The workbook on a phone: every chapter fits the screen, and every exercise is done by touch.

Phones are how many participants open the facilitator's link. At 320, 390 and 430 px wide, in both
languages, no chapter may run past the right edge (``pages.cut_off``: boxes and each line of text, checked
against the screen and against any box that would cut them off). Then, at 390 × 844 and at 320 px with
touch, each chapter's exercise is taken through to its feedback by tapping and typing, and checked again
with the feedback shown (chapter 01's feedback once ran past a 320 px screen). With
``WORKBOOK_SCREENSHOTS=<folder>`` (``make screenshots``) each page at 390 px is saved there whole, as a
person would scroll through it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.browser.pages import (
    ROUTES,
    app_url,
    assert_clean_render,
    chart_position,
    cut_off,
    open_route,
    wait_route,
)

pytestmark = pytest.mark.browser

#: What shows that a chapter's exercises are drawn (the app draws a chapter's widgets after its route).
READY = {
    "00": ".wb-path-link",
    "01": ".wb-factors .noUi-handle",
    "02": ".wb-reformulate textarea",
    "03": ".wb-first-call .wb-phrase",
    "04": ".wb-scaling .js-plotly-plot .main-svg",
    "05": ".wb-checkin .js-plotly-plot .main-svg",
    "06": ".wb-relationships textarea",
}
TEXTS = {
    "fr": {
        "accepted": "Réponse prise en compte.",
        "reflection": "Je demanderai dès le premier appel ce qui va déjà un peu mieux.",
        "reformulation": "C’est lourd. Qu’est-ce qui va déjà un peu mieux, ces jours-ci ?",
        "pre_session": "Depuis votre appel, qu’est-ce qui a déjà un peu changé ?",
        "follow_up": "Qu’est-ce qui fait que c’est 3 et pas 0 ? À quoi saurez-vous que vous êtes à 4 ?",
        "checkin": "Merci de m’avoir répondu franchement. Qu’est-ce qui rendrait notre séance plus utile "
        "pour vous ?",
        "portfolio": "Télécharger",
    },
    "en": {
        "accepted": "Answer recorded.",
        "reflection": "From the first call, I will ask what is already going a little better.",
        "reformulation": "That's a lot. What's already going a little better these days?",
        "pre_session": "Since you called, what has already changed, even a little?",
        "follow_up": "What makes it a 3 and not a 0? How will you know you're at 4?",
        "checkin": "Thank you for your honest answer. What would make our session more useful for you?",
        "portfolio": "Download",
    },
}


def show_chapter(page: Page, route: str) -> None:
    """Move the app to ``route`` as a link would, and wait for its exercises to be drawn."""
    page.evaluate("route => { window.location.hash = route; }", route)
    wait_route(page, route)
    expect(page.locator(f".wb-chapter {READY[route.split('/')[1][:2]]}").first).to_be_visible()
    expect(page.locator(".wb-exercise-failed")).to_have_count(0)


def assert_fits(page: Page, where: str) -> None:
    problems = cut_off(page)
    assert not problems, f"{where}: cut off at {page.viewport_size['width']} px:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [320, 390, 430])
def test_no_chapter_runs_off_a_phone_screen(phone: Page, server: str, lang: str, width: int):
    phone.set_viewport_size({"width": width, "height": 800})
    phone.goto(app_url(server, ROUTES[lang][0]))
    for route in ROUTES[lang]:
        show_chapter(phone, route)
        assert_fits(phone, route)
    # The chapter list is one row that scrolls sideways; the current chapter is brought into view.
    current = phone.locator('.wb-chapters a[aria-current="page"]')
    expect(current).to_be_in_viewport()


def keep_screenshot(page: Page, name: str) -> None:
    """The whole page, as long as it scrolls, into ``WORKBOOK_SCREENSHOTS`` (when set; at 390 px only)."""
    folder = os.environ.get("WORKBOOK_SCREENSHOTS")
    if not folder or page.viewport_size["width"] != PHONE["viewport"]["width"]:
        return
    size = page.viewport_size
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    expect(page.locator(".wb-app-body")).to_be_visible()
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=Path(folder) / f"phone-{name.replace('/', '-')}.png", scale="css")
    page.set_viewport_size(size)


def type_by_touch(page: Page, field, text: str) -> None:
    field.scroll_into_view_if_needed()
    field.tap()
    expect(field).to_be_focused()
    page.keyboard.type(text)


def home(page: Page, lang: str) -> None:
    """Prepare the portfolio, then open chapter 01 from its card."""
    work = page.locator(".wb-my-work")
    work.locator(".wb-prepare").tap()
    expect(work.locator(".wb-downloads a").first).to_contain_text(TEXTS[lang]["portfolio"])
    keep_screenshot(page, ROUTES[lang][0])
    assert_fits(page, "home, portfolio prepared")
    page.locator(".wb-path-link").first.tap()
    wait_route(page, ROUTES[lang][1])


def chapter01(page: Page, lang: str) -> None:
    """Tap a slider's track (the others make room), reveal Lambert's estimates, write a reflection."""
    track = page.locator(".wb-slider-extratherapeutic .noUi-target")
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
    expect(page.locator(".wb-slider-extratherapeutic .widget-readout")).not_to_have_text("25")
    expect(page.locator(".wb-total")).to_contain_text("100")
    page.locator(".wb-reveal").tap()
    chart = page.locator(".wb-factors .js-plotly-plot")
    expect(chart.locator(".bars")).to_have_count(2)
    expect(chart.locator(".modebar-btn")).to_have_count(1)  # the PNG download; nothing sent to plotly's cloud
    assert_chart_fits(page, chart)
    type_by_touch(page, page.locator(".wb-reflection textarea").first, TEXTS[lang]["reflection"])
    page.locator(".wb-reflection .wb-submit").first.tap()
    expect(page.locator(".wb-reflection .wb-message .wb-ok").first).to_have_text(TEXTS[lang]["accepted"])


def chapter02(page: Page, lang: str) -> None:
    """Answer a situation: the feedback follows; show the example answers."""
    exercise = page.locator(".wb-reformulate")
    type_by_touch(page, exercise.locator("textarea"), TEXTS[lang]["reformulation"])
    expect(exercise.locator(".wb-verdict-yes")).to_be_visible()
    expect(exercise.locator(".wb-criterion").first).to_be_visible()
    exercise.locator(".wb-show-exemplars").tap()
    expect(exercise.locator(".wb-exemplars li").first).to_be_visible()


def chapter03(page: Page, lang: str) -> None:
    """Mark two phrases of a first call and check them; write the pre-session question."""
    exercise = page.locator(".wb-first-call")
    phrases = exercise.locator(".wb-phrase")
    for index in (0, 1):
        phrases.nth(index).scroll_into_view_if_needed()
        phrases.nth(index).tap()
        expect(phrases.nth(index)).to_have_attribute("aria-checked", "true")
    exercise.locator(".wb-check").tap()
    expect(exercise.locator(".wb-call-results .wb-result").first).to_be_visible()
    question = page.locator(".wb-pre-session")
    type_by_touch(page, question.locator("textarea"), TEXTS[lang]["pre_session"])
    expect(question.locator(".wb-verdict-yes")).to_be_visible()


def chapter04(page: Page, lang: str) -> None:
    """Tap the chart to place a point; write the follow-up question."""
    exercise = page.locator(".wb-scaling")
    chart = exercise.locator(".js-plotly-plot")
    chart.scroll_into_view_if_needed()
    assert_chart_fits(page, chart)
    x, y = chart_position(page, 3, 6)
    page.touchscreen.tap(x, y)
    expect(exercise.locator('.wb-points-table tr[data-session="3"]')).to_contain_text("6")
    expect(chart.locator(".scatterlayer .trace").nth(1).locator(".point")).to_have_count(1)
    follow_up = page.locator(".wb-scaling-followup")
    type_by_touch(page, follow_up.locator("textarea"), TEXTS[lang]["follow_up"])
    expect(follow_up.locator(".wb-verdict-yes")).to_be_visible()


def chapter05(page: Page, lang: str) -> None:
    """The check-in's chart fits; answer the flagged session: the feedback follows."""
    exercise = page.locator(".wb-checkin")
    chart = exercise.locator(".js-plotly-plot")
    chart.scroll_into_view_if_needed()
    assert_chart_fits(page, chart)
    expect(exercise.locator(".wb-alert-list li").first).to_be_visible()
    type_by_touch(page, exercise.locator(".wb-checkin-response textarea"), TEXTS[lang]["checkin"])
    expect(exercise.locator(".wb-checkin-response .wb-verdict-yes")).to_be_visible()


def chapter06(page: Page, lang: str) -> None:
    """Tap a relationship, read its feedback, answer the vignette; choose a confidence level."""
    from widgets import relationships

    vignette = relationships.vignettes(lang)[0]
    right = relationships.relationship(vignette.relationship, lang)
    exercise = page.locator(".wb-relationships")
    exercise.locator(".wb-relationship-choice").get_by_label(right.label, exact=True).tap()
    expect(exercise.locator(".wb-choice-feedback .wb-met")).to_be_visible()
    type_by_touch(page, exercise.locator("textarea"), vignette.exemplars[0])
    expect(exercise.locator(".wb-verdict-yes")).to_be_visible()
    page.locator(".wb-synthesis .wb-confidence-start select").select_option("4")
    expect(page.locator(".wb-synthesis svg.wb-confidence")).to_contain_text("4/10")


def assert_chart_fits(page: Page, chart) -> None:
    """The chart is laid out for its box (not plotly.js's default 700 px) and its box for the screen."""
    plot, box = chart.evaluate("el => [el._fullLayout.width, el.parentElement.getBoundingClientRect().width]")
    assert abs(plot - box) <= 2, f"chart drawn {plot} px wide in a box of {box} px"
    assert box <= page.viewport_size["width"]


FLOWS: dict[str, Callable[[Page, str], None]] = {
    "00": home,
    "01": chapter01,
    "02": chapter02,
    "03": chapter03,
    "04": chapter04,
    "05": chapter05,
    "06": chapter06,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("number", sorted(FLOWS))
@pytest.mark.parametrize("width", [390, 320])
def test_each_exercise_by_touch_through_to_its_feedback(
    phone: Page, server: str, width: int, lang: str, number: str
):
    route = next(route for route in ROUTES[lang] if route.split("/")[1].startswith(number))
    phone.set_viewport_size({"width": width, "height": 844})
    open_route(phone, server, route)
    assert_clean_render(phone)
    expect(phone.locator(f".wb-chapter {READY[number]}").first).to_be_visible()
    FLOWS[number](phone, lang)
    if number != "00":  # the home page's flow ends on chapter 01, after its own checks
        assert_fits(phone, f"{route}, with its feedback")
        keep_screenshot(phone, route)
