"""Navigation: chapters, neighbours, the twin page in the other language, and the header/pager HTML."""

from widgets._nav import (
    chapter_for,
    header_html,
    home_path,
    page_for,
    pager_html,
    render_link,
    route_link,
    template_context,
)
from widgets.i18n import catalog


def test_home_is_the_french_home_page():
    assert home_path() == "fr/00-accueil.ipynb"
    assert home_path("en") == "en/00-welcome.ipynb"


def test_french_chapter_01():
    page = page_for(chapter_for("fr/01-pourquoi-l-alliance"))
    assert page.lang == "fr"
    assert page.previous.route == "fr/00-accueil"
    assert page.next.route == "fr/02-croire-aux-ressources"
    assert page.twin.route == "en/01-why-the-alliance"
    assert page.title.startswith("Pourquoi l’alliance compte")


def test_english_home_has_a_next_and_a_french_twin():
    page = page_for(chapter_for("en/00-welcome"))
    assert page.previous is None
    assert page.next.route == "en/01-why-the-alliance"
    assert page.twin.route == "fr/00-accueil"


def test_unknown_route_is_none_and_its_page_is_in_the_primary_language():
    assert chapter_for("fr/99-nothing") is None
    assert chapter_for("../../etc/passwd") is None
    page = page_for(None)
    assert page.lang == "fr"
    assert page.previous is None
    assert page.next is None


def test_header_marks_the_current_chapter_and_links_by_route_or_url():
    page = page_for(chapter_for("en/01-why-the-alliance"))
    in_app = header_html(page, route_link)
    assert '<a href="#en/01-why-the-alliance" aria-current="page">' in in_app
    assert 'class="wb-lang" href="#fr/01-pourquoi-l-alliance" hreflang="fr"' in in_app
    per_page = header_html(page, render_link("/room/"))
    assert 'href="/room/voila/render/en/00-welcome.ipynb"' in per_page


def test_pager_has_previous_only_on_the_last_chapter():
    *_, before_last, last = catalog("fr").chapters()
    pager = pager_html(page_for(last), route_link)
    assert f'class="wb-previous" rel="prev" href="#{before_last.route}"' in pager
    assert "wb-next" not in pager


def test_template_context_for_a_chapter_and_for_the_app():
    chapter = template_context({"base_url": "/", "metadata": {"name": "01-why-the-alliance"}})
    assert chapter["lang"] == "en"
    assert "wb-chapters" in chapter["header"]
    assert "{index}" in chapter["loading"]
    app = template_context({"base_url": "/", "metadata": {"name": "app"}})
    assert app["header"] == app["pager"] == ""
