"""The keyboard alone: Tab, arrows, Space, Enter and typing take the exercises the other tests do not already
cover by keyboard (chapter 01's sliders, chapter 03's phrases and chapter 04's chart fields are done in their
own files) through to their feedback — chapter 05's answers and response, chapter 06's choice (arrow keys
within the group), answer and synthesis lists, and joining a workshop then sending an answer to it. Each
step moves by Tab from the one before (``tab_to`` fails if Tab does not reach the next control soon), and the
keyboard's focus is visible: a ring drawn round what it is on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LAPTOP, start_workshop
from tests.browser.pages import ROUTES, open_route, wait_identified, wait_rendered, wait_route
from tests.browser.test_room import PASSWORD, _clean, _context, _watched
from widgets import checkin, relationships

pytestmark = pytest.mark.browser

CHECKIN = {"fr": "fr/05-demander-un-retour", "en": "en/05-asking-for-feedback"}
COOPERATION = {"fr": "fr/06-cooperer-et-faire-le-point", "en": "en/06-cooperating-and-your-synthesis"}
RESPONSE = {
    "fr": "Merci de m’avoir répondu franchement. Qu’est-ce qui rendrait notre séance plus utile pour vous ?",
    "en": "Thank you for your honest answer. What would make our session more useful for you?",
}
NEXT_TIME = {
    "fr": "Je demanderai ce qui a déjà changé depuis l’appel.",
    "en": "I will ask what has already changed since the call.",
}


def focused(page: Page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page: Page, selector: str, most: int = 12, key: str = "Tab") -> None:
    """Press Tab until the focus is on ``selector``: it must come within ``most`` presses."""
    for _ in range(most):
        page.keyboard.press(key)
        if focused(page, selector):
            return
    where = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 160)")
    pytest.fail(f"{most} × {key} did not reach {selector}; the focus is on {where}")


def assert_focus_ring(page: Page) -> None:
    """What the keyboard is on has a visible ring: a solid outline at least 2 px wide, not transparent."""
    style = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor];
        }"""
    )
    outline, width, color = style
    assert outline == "solid", style
    assert width >= 2, style
    red, green, blue = (int(value) for value in re.findall(r"\d+", color)[:3])
    assert ratio((red, green, blue), (255, 255, 255)) >= 3, f"{color}: too pale on the page (WCAG 1.4.11)"


def ratio(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    def luminance(rgb: tuple[int, int, int]) -> float:
        linear = [c / 3294.6 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chapter05_answers_and_response_by_keyboard(page: Page, server: str, lang: str):
    open_route(page, server, CHECKIN[lang])
    exercise = page.locator(".wb-checkin")
    expect(exercise.locator(".js-plotly-plot")).to_be_visible()
    case = checkin.clients(lang)[0]
    assert not any(alert.session == 2 for alert in checkin.alerts(case.scores))

    # The session's list: the arrow key picks session 2; Tab goes on to its first answer.
    exercise.locator(".wb-checkin-session select").focus()
    page.keyboard.press("ArrowDown")
    expect(exercise.locator(".wb-score-heard input")).to_have_value(str(case.scores[1]["heard"]))
    tab_to(page, ".wb-score-heard input")
    assert_focus_ring(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(exercise.locator('.wb-alert-list li[data-session="2"]')).to_be_visible()
    tab_to(page, ".wb-score-goals input")  # the next answer of the same session, by Tab

    # The response: the alert's list, then Tab into the answer; the feedback follows the typing.
    exercise.locator(".wb-alert-picker select").focus()
    page.keyboard.press("Home")
    expect(exercise.locator(".wb-item-card")).to_contain_text("2")
    tab_to(page, ".wb-checkin-response textarea")
    page.keyboard.type(RESPONSE[lang])
    expect(exercise.locator(".wb-checkin-response .wb-verdict-yes")).to_be_visible()
    expect(exercise.locator(".wb-checkin-response .wb-save-state .wb-saved")).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chapter06_choice_answer_and_synthesis_by_keyboard(page: Page, server: str, lang: str):
    open_route(page, server, COOPERATION[lang])
    vignette = relationships.vignettes(lang)[0]
    labels = [entry.label for entry in relationships.relationships(lang)]
    right = relationships.relationship(vignette.relationship, lang).label
    exercise = page.locator(".wb-relationships")
    radios = exercise.locator(".wb-relationship-choice input[type=radio]")
    expect(radios).to_have_count(len(labels))

    # One Tab stop for the group; Space chooses, the arrow keys move the choice within it.
    exercise.locator(".wb-item-picker select").focus()
    tab_to(page, ".wb-relationship-choice input[type=radio]")
    assert_focus_ring(page)
    page.keyboard.press("Space")
    expect(radios.nth(0)).to_be_checked()
    expect(exercise.locator(".wb-choice-feedback .wb-feedback-card")).to_be_visible()
    for index in range(1, labels.index(right) + 1):
        page.keyboard.press("ArrowDown")
        expect(radios.nth(index)).to_be_checked()
        expect(radios.nth(index)).to_be_focused()
    expect(exercise.locator(".wb-choice-feedback .wb-met")).to_be_visible()

    # Tab leaves the group for the answer (not the next radio); typing gets the feedback.
    tab_to(page, ".wb-relationships textarea", most=1)
    assert_focus_ring(page)
    page.keyboard.type(vignette.exemplars[0])
    expect(exercise.locator(".wb-verdict-yes")).to_be_visible()

    # The synthesis: two lists by the arrow keys, drawn with their values in words; then the next step.
    synthesis = page.locator(".wb-synthesis")
    synthesis.locator(".wb-confidence-start select").focus()
    for _ in range(4):  # "not chosen", 0, 1, 2, 3
        page.keyboard.press("ArrowDown")
    tab_to(page, ".wb-confidence-now select", most=1)
    assert_focus_ring(page)
    for _ in range(7):
        page.keyboard.press("ArrowDown")
    chart = synthesis.locator("svg.wb-confidence")
    expect(chart).to_contain_text("3/10")
    expect(chart).to_contain_text("6/10")
    tab_to(page, ".wb-synthesis textarea")
    page.keyboard.type(NEXT_TIME[lang])
    expect(synthesis.locator(".wb-save-state .wb-saved")).to_be_visible()


# Joining a workshop from the home page and sending to it, on a workshop server. ----------------------------


@pytest.fixture(scope="module")
def workshop_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("keyboard-workshop-data")


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, workshop_data) -> Iterator[str]:
    yield from start_workshop(tmp_path_factory, workshop_data, 1, PASSWORD)


def test_join_a_workshop_and_send_to_it_by_keyboard(browser: Browser, workshop: str, workshop_data: Path):
    from widgets import room
    from widgets.store import Store

    code = room.open_room(Store(workshop_data), "Atelier clavier", "fr").code
    context = _context(browser, LAPTOP)
    page = _watched(context)
    page.goto(f"{workshop}/voila/render/app.ipynb#{ROUTES['fr'][0]}")
    wait_rendered(page)
    wait_route(page, ROUTES["fr"][0])
    wait_identified(page)

    # The skip link comes first, then the page; Tab reaches the code, the name and the button in order.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert focused(page, ".wb-skip")
    assert_focus_ring(page)
    page.locator(".wb-room-code input").focus()
    page.keyboard.type(code.lower())
    tab_to(page, ".wb-room-name input", most=1)
    assert_focus_ring(page)  # a field too (ipywidgets takes the ring off its fields)
    # At a person's pace: ipywidgets holds back what is typed while an update is on its way, and a click
    # goes at once — typed and clicked within a millisecond, the click would reach the kernel first.
    page.keyboard.type("Alex", delay=60)
    expect(page.locator(".wb-room-name input")).to_have_value("Alex")
    tab_to(page, ".wb-join", most=1)
    assert_focus_ring(page)
    page.keyboard.press("Enter")
    expect(page.locator(".wb-room-joined")).to_contain_text("Atelier clavier")
    expect(page.locator(".wb-room-joined")).to_contain_text("Alex")

    # Chapter 02 by its link in the header (Enter), an answer typed, Tab on to "send to the room".
    page.locator(f'.wb-chapters a[href="#{ROUTES["fr"][2]}"]').focus()
    page.keyboard.press("Enter")
    wait_route(page, ROUTES["fr"][2])
    exercise = page.locator(".wb-reformulate")
    exercise.locator("textarea").focus()
    page.keyboard.type("Qu’est-ce qui va déjà un peu mieux, ces jours-ci ?")
    expect(exercise.locator(".wb-save-state .wb-saved")).to_be_visible()
    tab_to(page, ".wb-reformulate .wb-send")
    assert_focus_ring(page)
    page.keyboard.press("Enter")
    expect(exercise.locator(".wb-room-status")).to_contain_text("Envoyé à la salle")
    posts = Store(workshop_data).posts(code)
    assert [(post["name"], post["exercise"]) for post in posts] == [("Alex", "reformulate")]
    _clean(page)
    context.close()


def test_a_mouse_click_leaves_no_ring_but_the_keyboard_does(page: Page, server: str):
    """:focus-visible: the ring is for the keyboard; a button clicked with the mouse keeps none."""
    open_route(page, server, ROUTES["en"][1])
    reveal = page.locator(".wb-reveal")
    reveal.click()
    assert focused(page, ".wb-reveal")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") in ("none", "")
    page.locator(".wb-reset").focus()
    page.keyboard.press("Shift+Tab")
    assert focused(page, ".wb-reveal")
    assert_focus_ring(page)
