"""Chapters 05 and 06 end to end: a client's check-ins drawn with their alerts, an answer changed, a response
read by its rubric; a vignette classified and answered; the synthesis chosen from its lists."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ROUTES, assert_clean_render, open_route, wait_rendered, wait_route
from widgets import checkin, relationships

pytestmark = pytest.mark.browser

CHECKIN = {"fr": "fr/05-demander-un-retour", "en": "en/05-asking-for-feedback"}
COOPERATION = {"fr": "fr/06-cooperer-et-faire-le-point", "en": "en/06-cooperating-and-your-synthesis"}
TEXTS = {
    "fr": {
        "session": "Séance",
        "off_scale": "hors de l’échelle",
        "response": "Merci pour votre réponse franche la dernière fois. Qu’est-ce que je pourrais faire "
        "autrement aujourd’hui pour que notre travail vous soit plus utile ?",
        "confidence": "aujourd’hui\u202f: 6 sur 10",
    },
    "en": {
        "session": "Session",
        "off_scale": "off the scale",
        "response": "Thank you for being honest with me last time. What could I do differently today so "
        "that our work is more useful to you?",
        "confidence": "today: 6 out of 10",
    },
}


def test_routes_are_in_the_shared_list():
    assert CHECKIN["fr"] in ROUTES["fr"]
    assert CHECKIN["en"] in ROUTES["en"]
    assert COOPERATION["fr"] in ROUTES["fr"]
    assert COOPERATION["en"] in ROUTES["en"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_check_in_chart_shows_its_alerts_and_a_response_gets_feedback(page: Page, server: str, lang: str):
    open_route(page, server, CHECKIN[lang])
    assert_clean_render(page)
    exercise = page.locator(".wb-checkin")
    case = checkin.clients(lang)[0]
    flagged = sorted({alert.session for alert in checkin.alerts(case.scores) if alert.item is None})
    plot = exercise.locator(".js-plotly-plot")
    expect(plot).to_be_visible()
    # the line has a point per session; the alerts of the total are drawn as triangles over it
    expect(plot.locator(".scatterlayer .trace").nth(0).locator(".point")).to_have_count(len(case.scores))
    expect(plot.locator(".scatterlayer .trace").nth(1).locator(".point")).to_have_count(len(flagged))
    expect(plot.locator(".shapelayer path")).to_have_count(1)  # the cut-off
    alerts = exercise.locator(".wb-alert-list li")
    expect(alerts.first).to_contain_text(TEXTS[lang]["session"])

    # An answer changed with the keyboard: a bad one is refused in words, a low one raises an alert.
    exercise.locator(".wb-checkin-session select").select_option(label=f"{TEXTS[lang]['session']} 1")
    field = exercise.locator(".wb-score-heard input")
    field.fill("12")
    field.press("Enter")
    expect(exercise.locator(".wb-checkin-message")).to_contain_text(TEXTS[lang]["off_scale"])
    expect(field).to_have_value("12")
    field.fill("3")
    field.press("Enter")
    expect(exercise.locator('.wb-alert-list li[data-session="1"]')).to_be_visible()
    expect(exercise.locator('.wb-checkin-scores tr[data-session="1"] td.wb-flagged').first).to_contain_text(
        "3"
    )

    # The response to the alert of the session picked, read by its rubric as it is typed.
    exercise.locator(".wb-alert-picker select").select_option(label=f"{TEXTS[lang]['session']} 1")
    box = exercise.locator(".wb-checkin-response textarea")
    box.fill(TEXTS[lang]["response"])
    expect(exercise.locator(".wb-checkin-response .wb-verdict-yes")).to_be_visible()
    expect(exercise.locator(".wb-checkin-response .wb-save-state .wb-saved")).to_be_visible()

    page.reload()
    wait_rendered(page)
    wait_route(page, CHECKIN[lang])
    again = page.locator(".wb-checkin")
    expect(again.locator('.wb-alert-list li[data-session="1"]')).to_be_visible()  # the changed answer
    expect(again.locator(".wb-checkin-response textarea")).to_have_value(TEXTS[lang]["response"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_classify_a_vignette_answer_it_and_set_the_synthesis(page: Page, server: str, lang: str):
    open_route(page, server, COOPERATION[lang])
    assert_clean_render(page)
    vignette = relationships.vignettes(lang)[0]
    right = relationships.relationship(vignette.relationship, lang)
    wrong = next(entry for entry in relationships.relationships(lang) if entry.id != right.id)
    exercise = page.locator(".wb-relationships")
    choice = exercise.locator(".wb-relationship-choice")
    choice.get_by_label(wrong.label, exact=True).check()
    expect(exercise.locator(".wb-choice-feedback .wb-unmet")).to_contain_text(right.label)
    choice.get_by_label(right.label, exact=True).check()
    expect(exercise.locator(".wb-choice-feedback .wb-met")).to_be_visible()
    box = exercise.locator("textarea")
    box.fill(vignette.exemplars[0])
    expect(exercise.locator(".wb-verdict-yes")).to_be_visible()
    expect(exercise.locator(".wb-save-state .wb-saved")).to_be_visible()

    # The synthesis: a level chosen from the list, drawn at once with its value in words.
    synthesis = page.locator(".wb-synthesis")
    synthesis.locator(".wb-confidence-now select").select_option("6")
    expect(synthesis.locator("svg.wb-confidence")).to_have_attribute(
        "aria-label", re.compile(re.escape(TEXTS[lang]["confidence"]))
    )

    page.reload()
    wait_rendered(page)
    wait_route(page, COOPERATION[lang])
    again = page.locator(".wb-relationships")
    expect(again.locator(".wb-choice-feedback .wb-met")).to_be_visible()
    expect(again.locator("textarea")).to_have_value(vignette.exemplars[0])
