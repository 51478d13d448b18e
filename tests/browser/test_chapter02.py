"""Chapter 02 end to end: answer a situation, watch the criteria change, reveal the examples, reload."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ROUTES, assert_clean_render, open_route, wait_rendered, wait_route

pytestmark = pytest.mark.browser

TEXTS = {
    "fr": {
        "problem": "Pourquoi pensez-vous que ça ne marche pas ?",
        "resources": "C’est lourd. Qu’est-ce qui va déjà un peu mieux, ces jours-ci ?",
        "hide": "Masquer les exemples",
        "context": "Deuil",
        "grief_position": "Situation 1 sur 4",
    },
    "en": {
        "problem": "Why do you think it isn't working?",
        "resources": "That's a lot. What's already going a little better these days?",
        "hide": "Hide the examples",
        "context": "Grief",
        "grief_position": "Situation 1 of 4",
    },
}


def criterion(page: Page, criterion_id: str):
    return page.locator(f'.wb-reformulate .wb-criterion[data-criterion="{criterion_id}"]')


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_respond_see_feedback_reveal_examples_and_find_it_again(page: Page, server: str, lang: str):
    texts = TEXTS[lang]
    route = ROUTES[lang][2]
    open_route(page, server, route)
    assert_clean_render(page)
    exercise = page.locator(".wb-reformulate")
    expect(exercise.locator(".wb-statement blockquote")).not_to_be_empty()
    response = exercise.locator("textarea.widget-textarea, .wb-response textarea")

    # A problem-amplifying question: the "why" line turns red and names the word.
    response.fill(texts["problem"])
    expect(criterion(page, "problem_amplifying")).to_have_attribute("data-met", "true")
    why = texts["problem"].split()[0]
    expect(criterion(page, "problem_amplifying").locator(".wb-evidence")).to_contain_text(why)
    expect(exercise.locator(".wb-verdict-no")).to_be_visible()
    expect(exercise.locator("mark.wb-mark-fault")).to_have_count(1)

    # Rewritten towards resources: the criteria update as the person writes.
    response.fill(texts["resources"])
    expect(criterion(page, "problem_amplifying")).to_have_attribute("data-met", "false")
    expect(criterion(page, "resources")).to_have_attribute("data-met", "true")
    expect(criterion(page, "acknowledges")).to_have_attribute("data-met", "true")
    expect(exercise.locator(".wb-verdict-yes")).to_be_visible()
    expect(exercise.locator(".wb-save-state .wb-saved")).to_be_visible()

    # The examples, on demand, with the keyboard.
    examples = exercise.locator(".wb-exemplars")
    expect(examples).to_be_hidden()
    exercise.locator(".wb-show-exemplars").focus()
    page.keyboard.press("Enter")
    expect(examples).to_be_visible()
    expect(examples.locator("li").first).not_to_be_empty()
    expect(exercise.locator(".wb-show-exemplars")).to_have_text(texts["hide"])

    # Choosing a context moves to its first situation.
    exercise.locator(".wb-context select").select_option(label=texts["context"])
    expect(exercise.locator(".wb-position")).to_have_text(texts["grief_position"])
    expect(response).to_have_value("")

    # A reload opens the situation last worked on (the grief one is untouched): go back to the first.
    page.reload()
    wait_rendered(page)
    wait_route(page, route)
    exercise = page.locator(".wb-reformulate")
    expect(exercise.locator("textarea")).to_have_value(texts["resources"])
    expect(criterion(page, "resources")).to_have_attribute("data-met", "true")


def test_typed_markup_stays_text_in_the_feedback(page: Page, server: str):
    open_route(page, server, ROUTES["fr"][2])
    textarea = page.locator(".wb-reformulate textarea")
    textarea.fill('<img src=x onerror="window.__pwned=1"><b>Qu’aimeriez-vous à la place ?</b>')
    expect(page.locator(".wb-reformulate .wb-verdict-yes")).to_be_visible()
    expect(page.locator(".wb-reformulate .wb-highlighted")).to_contain_text("<img src=x")
    expect(page.locator(".wb-reformulate .wb-feedback img")).to_have_count(0)
    assert page.evaluate("window.__pwned") is None
