"""The app: one kernel hosts every chapter, the route picks which one is shown."""

import ipywidgets as w
import pytest

from widgets import _chapters
from widgets.app import WorkbookApp


def texts(widget) -> str:
    """All HTML shown inside ``widget``, depth first."""
    if isinstance(widget, w.HTML):
        return widget.value
    return "".join(texts(child) for child in getattr(widget, "children", ()))


def test_starts_on_the_french_home_page():
    app = WorkbookApp()
    assert app.router.route == "fr/00-accueil"
    assert app.router.lang == "fr"
    assert "Co-construire l’alliance thérapeutique" in texts(app.body)
    assert 'href="#fr/01-pourquoi-l-alliance"' in texts(app.body)  # the path cards are in-app links
    assert 'aria-current="page"><span class="wb-num">00' in app.header.value


def test_route_change_from_the_browser_shows_the_chapter_in_its_language():
    app = WorkbookApp()
    app.router.route = "en/01-why-the-alliance"  # what router.js sends on hashchange
    assert app.router.lang == "en"
    assert app.router.title.startswith("Why the alliance matters")
    assert "Four sources of change" in texts(app.body)
    assert "wb-factors" in app.body.children[0].children[2]._dom_classes
    assert 'class="wb-lang" href="#fr/01-pourquoi-l-alliance"' in app.header.value
    assert "wb-previous" in app.pager.value


def test_views_are_kept_so_coming_back_finds_them_as_left():
    app = WorkbookApp("fr/01-pourquoi-l-alliance")
    factors_view = app.body.children[0].children[2]
    factors_view.sliders["relationship"].value = 60
    app.router.route = "fr/00-accueil"
    app.router.route = "fr/01-pourquoi-l-alliance"
    assert app.body.children[0].children[2] is factors_view
    assert factors_view.sliders["relationship"].value == 60


@pytest.mark.parametrize(
    ("route", "message", "lang"),
    [
        ("fr/99-rien", "Cette page n’existe pas.", "fr"),
        ("en/nothing", "This page does not exist.", "en"),
        ("../../etc/passwd", "Cette page n’existe pas.", "fr"),
        ("<script>", "Cette page n’existe pas.", "fr"),
    ],
)
def test_unknown_route_says_so_in_its_language(route, message, lang):
    app = WorkbookApp()
    app.router.route = route
    assert message in texts(app.body)
    assert app.router.lang == lang
    assert "<script>" not in texts(app.body) + app.header.value


def test_parse_exercise_accepts_only_the_one_call_shape():
    exercise = _chapters.parse_exercise(
        'from widgets import exercises\nexercises.reflection(question="01_practice", lang="fr")', "cell"
    )
    assert exercise == _chapters.Exercise("reflection", {"question": "01_practice", "lang": "fr"})
    for source in (
        "import os\nos.system('rm -rf /')",
        'from widgets import exercises\nexercises.reflection("01_practice")',
        "from widgets import exercises\nexercises.reflection(question=input())",
        "from widgets import exercises\nprint(1)",
        "from widgets import exercises\nexercises.reflection(",
    ):
        with pytest.raises(ValueError, match="cell"):
            _chapters.parse_exercise(source, "cell")


def test_links_between_chapter_notebooks_become_routes():
    html = _chapters._markdown_to_html(
        "[next](01-pourquoi-l-alliance.ipynb) and [web](https://example.org)", "fr"
    )
    assert 'href="#fr/01-pourquoi-l-alliance"' in html
    assert 'href="https://example.org"' in html


def test_an_exercise_that_fails_to_build_leaves_the_rest_of_the_chapter(monkeypatch, caplog):
    from widgets import exercises

    real_build = exercises.build

    def build(name, lang, **options):
        if name == "guess_the_factors":
            raise RuntimeError("broken on purpose")
        return real_build(name, lang, **options)

    monkeypatch.setattr(exercises, "build", build)
    app = WorkbookApp("en/01-why-the-alliance")
    shown = texts(app.body)
    assert "This exercise could not be shown" in shown
    assert "Four sources of change" in shown  # the chapter's text is there
    assert any("wb-reflection" in child._dom_classes for child in app.body.children[0].children)
    assert "broken on purpose" in caplog.text  # the facilitator's log says what broke

    monkeypatch.setattr(exercises, "build", real_build)
    app.show("en/00-welcome")
    app.show("en/01-why-the-alliance")  # tried afresh on the way back
    assert "could not be shown" not in texts(app.body)
