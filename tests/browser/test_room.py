"""The facilitator's room, for real: a facilitator and two participants in Chromium against `make workshop`'s
server. They join by code and by the join link, send, the dashboard shows both at once; hiding keeps an
answer off the projector, revealing shows the rest; the CSV and the report hold what was sent and no
participant code. A wrong password is refused, a participant's browser cannot reach the dashboard or the
projector, and typed markup is shown as text everywhere — nothing runs.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import LAPTOP, PHONE, PageWatch, start_workshop
from tests.browser.pages import app_url, cut_off, wait_identified, wait_rendered, wait_route

pytestmark = pytest.mark.browser

PASSWORD = "room-test-password"  # noqa: S105 (the test server's own)
INJECTION = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
LIVE_S = 2_000  # the bar: the dashboard shows a send within 2 s


@pytest.fixture(scope="module")
def workshop_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workshop-data")


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, workshop_data) -> Iterator[str]:
    yield from start_workshop(tmp_path_factory, workshop_data, 2, PASSWORD)


def _context(browser: Browser, device: dict) -> BrowserContext:
    return browser.new_context(**device, locale="fr-FR", accept_downloads=True)


def _watched(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.watch = PageWatch(page)  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    return page


def _clean(page: Page) -> None:
    watch = page.watch  # type: ignore[attr-defined]
    assert not watch.foreign, watch.foreign
    assert not watch.errors, watch.errors
    assert page.evaluate("window.__pwned") is None, "typed markup ran"


def sign_in(page: Page, server: str) -> None:
    page.goto(f"{server}/facilitator/")
    page.fill("#fa-password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Vos ateliers")
    # How far the server's pool is, and how many participants it holds (widgets/_pool.py).
    expect(page.locator(".fa-places")).to_contain_text(
        re.compile(r"places prêtes\s?: \d+|\d+ sur \d+ prêtes")
    )


def open_room(page: Page, server: str, title: str) -> str:
    page.fill("#fa-title", title)
    page.select_option("#fa-room-lang", "fr")
    page.click("form.fa-form button[type=submit]")
    expect(page.locator(".fa-join-code")).to_be_visible()
    text = page.locator(".fa-join-code").inner_text()
    code = re.search(r"[0-9A-Z]{5}", text)
    assert code is not None, text
    expect(page.locator(".fa-qr svg")).to_be_visible()
    return code.group()


def answer_and_send(page: Page, server: str, text: str) -> None:
    page.goto(app_url(server, "fr/02-croire-aux-ressources"))
    wait_rendered(page)
    wait_route(page, "fr/02-croire-aux-ressources")
    exercise = page.locator(".wb-reformulate")
    notice = exercise.locator(".wb-room-privacy")
    expect(notice).to_be_visible()  # what the facilitator will see, said before the first send
    exercise.locator("textarea").fill(text)
    expect(exercise.locator(".wb-save-state .wb-saved")).to_be_visible()
    exercise.locator(".wb-send").click()
    expect(exercise.locator(".wb-room-status")).to_contain_text("Envoyé à la salle")
    expect(exercise.locator(".wb-withdraw")).to_be_visible()


def test_a_facilitator_and_two_participants(browser: Browser, workshop: str, tmp_path):
    facilitator_context = _context(browser, LAPTOP)
    facilitator = _watched(facilitator_context)
    sign_in(facilitator, workshop)
    code = open_room(facilitator, workshop, "Atelier <b>alliance</b>")
    expect(facilitator.locator("h1")).to_contain_text("Atelier <b>alliance</b>")  # the title, as text

    # Participant A scans the QR code (the join link); participant B types the code on the home page.
    first_context, second_context = _context(browser, PHONE), _context(browser, LAPTOP)
    first, second = _watched(first_context), _watched(second_context)
    first.goto(f"{workshop}/join/{code}")
    wait_rendered(first)
    wait_identified(first)
    expect(first.locator(".wb-room-joined")).to_contain_text("Atelier <b>alliance</b>")
    second.goto(app_url(workshop, "fr/00-accueil"))
    wait_rendered(second)
    wait_identified(second)
    join = second.locator(".wb-room-join")
    join.locator(".wb-room-code input").fill(code.lower())
    join.locator(".wb-room-name input").fill(INJECTION[:40])
    join.locator(".wb-join").click()
    expect(second.locator(".wb-room-joined")).to_contain_text("Atelier")

    answer_and_send(first, workshop, "Qu’est-ce qui va déjà un peu mieux, ces jours-ci ?")
    assert not cut_off(first), cut_off(first)  # the send bar fits a phone
    answer_and_send(second, workshop, f"Pourquoi ça ne marche pas ? {INJECTION}")

    # The dashboard follows: choose the exercise, both answers are there within the bar.
    shown = facilitator.locator(".fa-shown")
    situation = shown.locator('option[value^="reformulate:"]')
    expect(situation).to_have_count(1)  # the situation both answered, listed as soon as it was sent
    expect(situation).to_contain_text("(2)")
    shown.select_option(situation.get_attribute("value"))
    cards = facilitator.locator(".fa-wall .fa-card")
    expect(cards).to_have_count(2, timeout=LIVE_S)
    expect(cards.filter(has_text="déjà un peu mieux")).to_have_count(1)
    injected = cards.filter(has_text="Pourquoi")
    expect(injected).to_contain_text("<img src=x")  # shown as text, not run
    expect(injected.locator(".fa-verdict-no")).to_be_visible()
    expect(facilitator.locator(".fa-wall img")).to_have_count(0)

    # The projector: only the count until revealed; a hidden answer never reaches it.
    projector = _watched(facilitator_context)
    projector.goto(f"{workshop}/facilitator/room/{code}/projector")
    expect(projector.locator(".fa-big-number")).to_have_text("2")
    expect(projector.locator(".fa-wall")).to_have_count(0)
    injected.locator("button[data-flag=hidden]").click()
    expect(injected).to_have_class(re.compile("fa-hidden"))
    facilitator.locator(".fa-reveal").click()
    expect(projector.locator(".fa-wall .fa-card")).to_have_count(1, timeout=LIVE_S)
    expect(projector.locator(".fa-wall")).to_contain_text("déjà un peu mieux")
    expect(projector.locator(".fa-wall")).not_to_contain_text("Pourquoi")
    expect(projector.locator("button")).to_have_count(0)  # no controls on the projector

    # A third send while the dashboard is open arrives live; withdrawing takes it away.
    first.locator(".wb-reformulate textarea").fill("Qu’est-ce que vous aimeriez voir à la place ?")
    expect(first.locator(".wb-reformulate .wb-save-state .wb-saved")).to_be_visible()
    first.locator(".wb-reformulate .wb-send").click()
    expect(cards.filter(has_text="à la place")).to_have_count(1, timeout=LIVE_S)
    expect(cards).to_have_count(2)  # sending again replaced the first answer

    # Exports: the CSV and the report hold what was sent, never a participant's code.
    codes = [
        page.evaluate("localStorage.getItem('alliance-workbook.participant')") for page in (first, second)
    ]
    with facilitator.expect_download() as download:
        facilitator.locator(".fa-export").click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert len(rows) == 3
    assert any("à la place" in cell for row in rows for cell in row)
    with facilitator.expect_download() as download:
        facilitator.locator(".fa-report").click()
    report = download.value.path().read_text(encoding="utf-8")
    assert "à la place" in report
    assert "Pourquoi" not in report  # hidden answers stay out of the report
    assert "<script" not in report
    for code_seen in codes:
        assert code_seen
        assert code_seen not in exported
        assert code_seen not in report
    report_page = _watched(facilitator_context)
    report_page.set_content(report)
    expect(report_page.locator("h1")).to_contain_text("Rapport")

    for page in (facilitator, projector, first, second, report_page):
        _clean(page)
    for context in (facilitator_context, first_context, second_context):
        context.close()


def test_wrong_or_missing_password_and_participants_are_kept_out(browser: Browser, workshop: str):
    context = _context(browser, LAPTOP)
    page = _watched(context)
    page.goto(f"{workshop}/facilitator/")
    expect(page).to_have_url(re.compile(r"/facilitator/login"))
    page.fill("#fa-password", "not the password")
    page.click("button[type=submit]")
    expect(page.locator(".fa-problem")).to_have_text("Mot de passe incorrect.")
    for path in ("/facilitator/", "/facilitator/room/AAAAA", "/facilitator/room/AAAAA/projector"):
        page.goto(workshop + path)
        expect(page).to_have_url(re.compile(r"/facilitator/login"))
    for path in ("/facilitator/room/AAAAA/live", "/facilitator/room/AAAAA/export.csv"):
        assert page.request.get(workshop + path).status == 403
    response = page.request.post(workshop + "/facilitator/rooms", form={"title": "x"})
    assert response.status == 403  # no XSRF token, no cookie
    page.watch.errors.clear()  # type: ignore[attr-defined]  # the browser logs the refused requests
    context.close()


def test_the_join_link_of_an_unknown_room_leads_home_with_a_message(browser: Browser, workshop: str):
    context = _context(browser, LAPTOP)
    page = _watched(context)
    page.goto(f"{workshop}/join/ZZZZZ")
    wait_rendered(page)
    wait_route(page, "fr/00-accueil")
    expect(page.locator(".wb-room-join .wb-join")).to_be_visible()
    _clean(page)
    context.close()


def _seed(data: Path, lang: str) -> str:
    """A room where every kind of debrief has answers from six participants, as their kernels send them."""
    from widgets import first_call, reformulation, registry, relationships, room, scaling
    from widgets.store import Answer, Store

    store = Store(data)
    randomly = random.Random(7)
    opened = room.open_room(store, "Atelier du mardi" if lang == "fr" else "Tuesday workshop", lang)
    names = ["Léa", "", "Karim", "", "Sam", "Jo"]
    texts = {
        "fr": [
            "Qu’est-ce qui va déjà un peu mieux, ces jours-ci ?",
            "Pourquoi pensez-vous que ça ne marche pas ?",
            "C’est lourd. Comment faites-vous pour tenir ?",
            "Vous devriez en parler à votre chef. Qu’est-ce qui vous aide ?",
            "Qu’aimeriez-vous voir à la place ?",
            "C’est un burn-out, clairement.",
        ],
        "en": [
            "What’s already going a little better these days?",
            "Why do you think it isn’t working?",
            "That’s a lot. How do you keep going?",
            "You should talk to your boss. What helps you?",
            "What would you like to see instead?",
            "That’s clearly burnout.",
        ],
    }[lang]
    statement = reformulation.statements(lang)[0].id
    call = first_call.calls(lang)[0]
    case = scaling.vignettes(lang)[0].id
    vignette = relationships.vignettes(lang)[0]
    markable = [phrase.id for phrase in call.phrases if phrase.markable]
    for number, name in enumerate(names):
        participant = f"SEED-{number}"

        def send(kind, item, value, participant=participant, name=name):
            payload = registry.kind(kind).send(Answer("x", lang, value, True, 0.0), item, lang)
            room.send(store, opened, participant, kind, item, name, payload)

        shares = {
            "extratherapeutic": randomly.choice([10, 25, 40, 50]),
            "expectancy": randomly.choice([10, 20]),
        }
        shares["technique"] = randomly.choice([10, 15, 20])
        shares["relationship"] = 100 - sum(shares.values())
        send("guess_the_factors", None, {"shares": shares})
        send("reformulate", statement, {"text": texts[number]})
        send("first_call", call.id, {"marked": sorted(randomly.sample(markable, k=randomly.randint(2, 5)))})
        level, points = randomly.choice([1, 2, 3]), {}
        for session in range(1, randomly.randint(4, 7)):
            points[str(session)] = max(0, min(10, level))
            level += randomly.choice([-1, 0, 1, 1, 2])
        send(
            "scaling_chart", case, {"points": points, "notes": {}, "good_enough": randomly.choice([6, 7, 8])}
        )
        relationship = randomly.choice([vignette.relationship] * 3 + ["visitor", "customer"])
        send(
            "relationship_vignettes",
            vignette.id,
            {"text": vignette.exemplars[number % 2], "choice": relationship},
        )
        start = randomly.randint(2, 6)
        send("synthesis", None, {"start": start, "now": min(10, start + randomly.randint(0, 3)),
                                 "text": texts[(number + 2) % len(texts)]})  # fmt: skip
    return opened.code


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_debrief_view_in_both_languages(browser: Browser, workshop: str, workshop_data: Path, lang):
    """Each view drawn in the dashboard and on the projector, no console error; with WORKBOOK_SCREENSHOTS
    (make screenshots) each is also saved for docs/."""
    code = _seed(workshop_data, lang)
    folder = os.environ.get("WORKBOOK_SCREENSHOTS")
    context = _context(browser, LAPTOP)
    page = _watched(context)
    sign_in(page, workshop)
    page.goto(f"{workshop}/facilitator/room/{code}")
    projector = _watched(context)
    projector.set_viewport_size({"width": 1600, "height": 900})
    projector.goto(f"{workshop}/facilitator/room/{code}/projector")
    drawn = {"shares": ".fa-shares circle", "wall": ".fa-wall .fa-card", "transcript": ".fa-phrase .fa-marks",
             "scales": ".fa-scales polyline", "relationships": ".fa-choices .fa-choice-bar",
             "confidence": ".fa-confidence circle"}  # fmt: skip
    prefixes = {"guess_the_factors": "shares", "reformulate:": "wall", "first_call:": "transcript",
                "scaling_chart:": "scales", "relationship_vignettes:": "relationships",
                "synthesis": "confidence"}  # fmt: skip
    for prefix, view in prefixes.items():
        css_view = "wall" if view == "relationships" else view
        option = page.locator(f'.fa-shown option[value^="{prefix}"]').first
        page.select_option(".fa-shown", option.get_attribute("value"))
        expect(page.locator(f"#fa-debrief .fa-view-{css_view}")).to_be_visible()
        expect(page.locator(f"#fa-debrief {drawn[view]}").first).to_be_visible()
        expect(projector.locator(".fa-big-number")).to_have_text("6")  # the count only, until revealed
        page.locator(".fa-reveal").click()
        expect(projector.locator(f"#fa-debrief {drawn[view]}").first).to_be_visible()
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(folder) / f"dashboard-{lang}-{view}.png", full_page=True)
            projector.screenshot(path=Path(folder) / f"projector-{lang}-{view}.png")
    for each in (page, projector):
        _clean(each)
    context.close()
