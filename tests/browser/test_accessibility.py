"""Accessibility: axe-core on every page, in both languages, with no serious or critical violation.

axe-core (Deque's engine, the one behind Lighthouse's and Chrome's audits) comes bundled with
``axe-playwright-python``: nothing is fetched from the network. It is run on what a person meets: each
chapter of the app as it opens and again once its exercise shows its feedback; the facilitator's sign-in page
(also with its error), workshop list, dashboard (each debrief view of a room with answers) and projector
(the count alone, then each view revealed). A test fails listing every serious or critical violation: rule,
impact, the elements' selectors and axe's one-line help — so reintroducing one (an unlabelled field, a pale
grey, a page without its language) fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LAPTOP, start_workshop
from tests.browser.pages import ROUTES, open_route
from tests.browser.test_phone import READY
from tests.browser.test_room import PASSWORD, _clean, _context, _seed, _watched

pytestmark = pytest.mark.browser

AXE = Axe()
SEVERE = ("serious", "critical")
#: Moderate rules held to zero as well, once fixed: two navigation landmarks with the same name.
ALSO = ("landmark-unique",)
#: Every debrief view of the dashboard: the option's prefix in the "shown" list, and what shows it is drawn.
VIEWS = {
    "guess_the_factors": ".fa-shares circle",
    "reformulate:": ".fa-wall .fa-card",
    "first_call:": ".fa-phrase",
    "scaling_chart:": ".fa-scales polyline",
    "relationship_vignettes:": ".fa-choices",
    "synthesis": ".fa-confidence circle",
}


def severe_violations(page: Page) -> list[str]:
    """Each serious or critical violation axe-core finds in the page (and those of ``ALSO``), one line per
    element."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in SEVERE or violation["id"] in ALSO:
            what = f"{violation['id']} ({violation['impact']})"
            found += [
                f"{what}: {' '.join(map(str, node['target']))} — {violation['help']}"
                for node in violation["nodes"]
            ]
    return found


def assert_accessible(page: Page, where: str) -> None:
    found = severe_violations(page)
    heading = f"{where}: {len(found)} serious or critical accessibility problems:"
    assert not found, "\n".join([heading, *found])


# The app: each chapter as it opens, then with its exercise answered and its feedback shown. ----------------

TEXTS = {
    "fr": {
        "reflection": "Je demanderai dès le premier appel ce qui va déjà un peu mieux.",
        "reformulation": "Pourquoi ça ne marche pas ? Qu’est-ce qui va déjà un peu mieux ?",
        "pre_session": "Depuis votre appel, qu’est-ce qui a déjà un peu changé ?",
        "follow_up": "Qu’est-ce qui fait que c’est 3 et pas 0 ? À quoi saurez-vous que vous êtes à 4 ?",
        "checkin": "Merci de m’avoir répondu franchement. Qu’est-ce qui rendrait notre séance plus utile ?",
    },
    "en": {
        "reflection": "From the first call, I will ask what is already going a little better.",
        "reformulation": "Why isn't it working? What's already going a little better?",
        "pre_session": "Since you called, what has already changed, even a little?",
        "follow_up": "What makes it a 3 and not a 0? How will you know you're at 4?",
        "checkin": "Thank you for your honest answer. What would make our session more useful for you?",
    },
}


def answer(page: Page, number: str, lang: str) -> None:
    """Take the chapter's exercise to its feedback (clicks and typing; the keyboard has its own tests)."""
    texts = TEXTS[lang]
    if number == "00":
        page.locator(".wb-my-work .wb-prepare").click()
        expect(page.locator(".wb-my-work .wb-downloads a").first).to_be_visible()
    elif number == "01":
        page.locator(".wb-reveal").click()
        expect(page.locator(".wb-summary table")).to_be_visible()
        page.locator(".wb-reflection textarea").first.fill(texts["reflection"])
        page.locator(".wb-reflection .wb-submit").first.click()
        expect(page.locator(".wb-reflection .wb-message .wb-ok").first).to_be_visible()
    elif number == "02":
        exercise = page.locator(".wb-reformulate")
        exercise.locator("textarea").fill(texts["reformulation"])
        expect(exercise.locator(".wb-criterion").first).to_be_visible()
        exercise.locator(".wb-show-exemplars").click()
        expect(exercise.locator(".wb-exemplars li").first).to_be_visible()
    elif number == "03":
        exercise = page.locator(".wb-first-call")
        exercise.locator(".wb-phrase").nth(0).click()
        exercise.locator(".wb-check").click()
        expect(exercise.locator(".wb-call-results .wb-result").first).to_be_visible()
        question = page.locator(".wb-pre-session")
        question.locator("textarea").fill(texts["pre_session"])
        expect(question.locator(".wb-verdict-yes")).to_be_visible()
    elif number == "04":
        exercise = page.locator(".wb-scaling")
        exercise.locator(".wb-value-input input").fill("6")
        exercise.locator(".wb-value-input input").press("Enter")
        expect(exercise.locator('.wb-points-table tr[data-session="1"]')).to_contain_text("6")
        follow_up = page.locator(".wb-scaling-followup")
        follow_up.locator("textarea").fill(texts["follow_up"])
        expect(follow_up.locator(".wb-verdict-yes")).to_be_visible()
    elif number == "05":
        exercise = page.locator(".wb-checkin")
        exercise.locator(".wb-score-heard input").fill("12")
        exercise.locator(".wb-score-heard input").press("Enter")
        expect(exercise.locator(".wb-checkin-message .wb-problem")).to_be_visible()
        exercise.locator(".wb-checkin-response textarea").fill(texts["checkin"])
        expect(exercise.locator(".wb-checkin-response .wb-verdict-yes")).to_be_visible()
    elif number == "06":
        from widgets import relationships

        vignette = relationships.vignettes(lang)[0]
        exercise = page.locator(".wb-relationships")
        exercise.locator(".wb-relationship-choice input").first.check()
        expect(exercise.locator(".wb-choice-feedback p").first).to_be_visible()
        exercise.locator("textarea").fill(vignette.exemplars[0])
        expect(exercise.locator(".wb-verdict-yes")).to_be_visible()
        page.locator(".wb-synthesis .wb-confidence-start select").select_option("4")
        expect(page.locator(".wb-synthesis svg.wb-confidence")).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("number", ["00", "01", "02", "03", "04", "05", "06"])
def test_each_chapter_has_no_serious_accessibility_problem(page: Page, server: str, lang: str, number: str):
    route = next(route for route in ROUTES[lang] if route.split("/")[1].startswith(number))
    open_route(page, server, route)
    expect(page.locator(f".wb-chapter {READY[number]}").first).to_be_visible()
    assert_accessible(page, f"{route}, as it opens")
    answer(page, number, lang)
    assert_accessible(page, f"{route}, answered, with its feedback")


# The facilitator's pages, on a workshop server with a room that has answers. -------------------------------


@pytest.fixture(scope="module")
def workshop_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("a11y-workshop-data")


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, workshop_data) -> Iterator[str]:
    yield from start_workshop(tmp_path_factory, workshop_data, 1, PASSWORD)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_sign_in_page_has_no_serious_accessibility_problem(browser: Browser, workshop: str, lang: str):
    context = _context(browser, LAPTOP)
    page = _watched(context)
    page.goto(f"{workshop}/facilitator/login?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, f"sign-in ({lang})")
    page.fill("#fa-password", "not the password")
    page.click("button[type=submit]")
    expect(page.locator(".fa-problem")).to_be_visible()
    assert_accessible(page, f"sign-in ({lang}), wrong password")
    page.watch.errors.clear()  # type: ignore[attr-defined]  # the browser logs the refused sign-in (403)
    _clean(page)
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_dashboard_and_projector_have_no_serious_accessibility_problem(
    browser: Browser, workshop: str, workshop_data: Path, lang: str
):
    code = _seed(workshop_data, lang)
    context = _context(browser, LAPTOP)
    page = _watched(context)
    page.goto(f"{workshop}/facilitator/login?lang={lang}")
    page.fill("#fa-password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".fa-rooms")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, f"workshops ({lang})")

    page.goto(f"{workshop}/facilitator/room/{code}")
    expect(page.locator(".fa-qr svg")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, f"dashboard ({lang}), nothing chosen")
    projector = _watched(context)
    projector.goto(f"{workshop}/facilitator/room/{code}/projector")
    for prefix, drawn in VIEWS.items():
        option = page.locator(f'.fa-shown option[value^="{prefix}"]').first
        page.select_option(".fa-shown", option.get_attribute("value"))
        expect(page.locator(f"#fa-debrief {drawn}").first).to_be_visible()
        assert_accessible(page, f"dashboard ({lang}), {prefix}")
        # Every chart says in words what it draws: an image, named, its figures in <desc>.
        for chart in page.locator("#fa-debrief svg.fa-chart").all():
            assert chart.get_attribute("role") == "img"
            assert chart.evaluate("el => el.querySelector('desc')?.textContent.trim() || ''"), prefix
        if page.locator(".fa-reveal").get_attribute("data-revealed") == "false":
            expect(projector.locator(".fa-big-number")).to_have_text("6")
            assert_accessible(projector, f"projector ({lang}), the count only")
            page.locator(".fa-reveal").click()
        expect(projector.locator(f"#fa-debrief {drawn}").first).to_be_visible()
        assert_accessible(projector, f"projector ({lang}), {prefix}")
    for each in (page, projector):
        _clean(each)
    context.close()


def test_the_check_fails_on_a_reintroduced_violation(page: Page, server: str):
    """The audit is not blind: a field that loses its label and a grey on grey are reported by rule."""
    open_route(page, server, ROUTES["en"][2])
    expect(page.locator(".wb-reformulate textarea")).to_be_visible()
    page.evaluate(
        """() => {
            const box = document.querySelector(".wb-reformulate textarea");
            for (const label of box.labels) label.remove();
            box.removeAttribute("aria-label");
            box.removeAttribute("aria-labelledby");
            box.removeAttribute("title");
            box.removeAttribute("placeholder");
            document.querySelector(".wb-md p").style.color = "#bbb";
        }"""
    )
    found = "\n".join(severe_violations(page))
    assert "label (critical)" in found
    assert "color-contrast (serious)" in found
