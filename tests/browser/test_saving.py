"""Participants keep their work: reload, server restart, another participant, portfolio, delete."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PageWatch, start_server
from tests.browser.pages import open_route, wait_identified, wait_rendered, wait_route

pytestmark = pytest.mark.browser

TEXT = "Dès le premier appel, je demanderai ce qui va déjà un peu mieux."


def type_reflection(page: Page, text: str) -> None:
    page.locator(".wb-reflection textarea").fill(text)
    expect(page.locator(".wb-reflection .wb-saved")).to_be_visible()  # autosaved within about a second


def test_an_answer_survives_a_reload_and_stays_private(page: Page, server: str, browser: Browser):
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    type_reflection(page, TEXT)
    page.reload()
    wait_rendered(page)
    expect(page.locator(".wb-reflection textarea")).to_have_value(TEXT)

    other = browser.new_context()
    stranger = other.new_page()
    PageWatch(stranger)
    open_route(stranger, server, "fr/01-pourquoi-l-alliance")
    expect(stranger.locator(".wb-reflection .wb-counter")).to_contain_text("0 / 2000")
    expect(stranger.locator(".wb-reflection textarea")).to_have_value("")
    other.close()


def test_an_answer_typed_just_before_a_reload_is_kept(page: Page, server: str):
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    wait_identified(page)  # a brand-new browser gets its code in a round trip; typed before, see below
    box = page.locator(".wb-reflection textarea")
    box.fill(TEXT)
    # The kernel has the text and its autosave is waiting for a quiet second: leave now.
    expect(page.locator(".wb-reflection .wb-saving")).to_have_text("Enregistrement…")
    page.reload()
    wait_rendered(page)
    expect(box).to_have_value(TEXT)


def test_the_home_page_shows_progress_and_the_code(page: Page, server: str):
    open_route(page, server, "en/01-why-the-alliance")
    type_reflection(page, "Notice what is already there.")
    page.locator(".wb-chapters a", has_text="Welcome").click()
    wait_route(page, "en/00-welcome")
    expect(page.locator(".wb-path-link .wb-status-started")).to_have_text("started")
    expect(page.locator(".wb-my-work .wb-code")).to_contain_text("Your code:")


def test_portfolio_downloads_hold_every_answer_and_delete_removes_them(
    page: Page, server: str, browser: Browser, tmp_path
):
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    type_reflection(page, "<i>pas en italique</i> & merci")
    page.locator(".wb-reflection .wb-submit").click()
    expect(page.locator(".wb-reflection .wb-message .wb-ok")).to_be_visible()
    page.locator(".wb-reveal").click()
    expect(page.locator(".wb-factors .wb-saved")).to_be_visible()
    page.locator(".wb-chapters a", has_text="Accueil").click()
    wait_route(page, "fr/00-accueil")
    expect(page.locator(".wb-path-link .wb-status-finished")).to_have_text("terminé")
    page.locator(".wb-prepare").click()
    with page.expect_download() as html_download:
        page.locator(".wb-download-html").click()
    download = html_download.value
    assert download.suggested_filename.startswith("portfolio-")
    assert download.suggested_filename.endswith(".html")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    viewer = browser.new_page()
    viewer.goto(path.as_uri())
    expect(viewer.locator("html")).to_have_attribute("lang", "fr")
    expect(viewer.locator("blockquote", has_text="pas en italique")).to_have_text(
        "<i>pas en italique</i> & merci"
    )
    expect(viewer.locator("blockquote i")).to_have_count(0)
    expect(viewer.locator("body")).to_contain_text("Facteurs extérieurs à la thérapie")
    viewer.close()
    with page.expect_download() as md_download:
        page.locator(".wb-download-md").click()
    assert "> <i>pas en italique</i> & merci" in md_download.value.path().read_text(encoding="utf-8")

    page.locator(".wb-delete").click()
    page.locator(".wb-delete-yes").click()
    expect(page.locator(".wb-delete-message")).to_contain_text("supprimé")
    page.reload()
    wait_rendered(page)
    expect(page.locator(".wb-path-link .wb-status-finished")).to_have_count(0)


def test_a_code_brings_answers_to_another_device(page: Page, server: str, browser: Browser):
    open_route(page, server, "fr/01-pourquoi-l-alliance")
    type_reflection(page, "Écrit sur l’ordinateur de la salle.")
    page.locator(".wb-chapters a", has_text="Accueil").click()
    wait_route(page, "fr/00-accueil")
    code = page.locator(".wb-my-work .wb-code").inner_text().split(":")[-1].strip()

    other = browser.new_context()
    phone = other.new_page()
    PageWatch(phone)
    open_route(phone, server, "fr/00-accueil")
    phone.locator(".wb-code-input input").fill("1234-5678")
    phone.locator(".wb-use-code").click()
    expect(phone.locator(".wb-code-message")).to_contain_text("bonne forme")
    phone.locator(".wb-code-input input").fill(code.lower())
    phone.locator(".wb-use-code").click()
    expect(phone.locator(".wb-code-message")).to_contain_text("de retour")
    phone.locator(".wb-path-link").first.click()
    wait_route(phone, "fr/01-pourquoi-l-alliance")
    expect(phone.locator(".wb-reflection textarea")).to_have_value("Écrit sur l’ordinateur de la salle.")
    other.close()


def test_answers_survive_a_server_restart(browser: Browser, tmp_path_factory):
    data = tmp_path_factory.mktemp("restart-data")
    context = browser.new_context()
    page = context.new_page()
    PageWatch(page)
    first = start_server(tmp_path_factory, "--room", "1", data_dir=data)
    server = next(first)
    open_route(page, server, "en/01-why-the-alliance")
    type_reflection(page, "Kept across a restart.")
    page.goto("about:blank")
    first.close()  # stops the server
    # Same address as before (the browser keeps the participant's code per address), same data folder.
    port = int(server.rsplit(":", 1)[1])
    second = start_server(tmp_path_factory, "--room", "1", data_dir=data, port=port)
    server = next(second)
    open_route(page, server, "en/01-why-the-alliance")
    expect(page.locator(".wb-reflection textarea")).to_have_value("Kept across a restart.")
    second.close()
    context.close()
