"""The header each served page gets: chapters, neighbours, the twin page in the other language."""

from widgets._nav import home_path, page_context


def resources(name: str, base_url: str = "/") -> dict:
    return {"base_url": base_url, "metadata": {"name": name}}


def test_home_is_the_french_home_page():
    assert home_path() == "fr/00-accueil.ipynb"
    assert home_path("en") == "en/00-welcome.ipynb"


def test_french_chapter_01():
    page = page_context(resources("01-pourquoi-l-alliance"))
    assert page["lang"] == "fr"
    assert page["previous"]["url"] == "/voila/render/fr/00-accueil.ipynb"
    assert page["other_lang"] == "en"
    assert page["other_url"] == "/voila/render/en/01-why-the-alliance.ipynb"
    assert [chapter["current"] for chapter in page["chapters"]] == [False, True]
    assert page["title"].startswith("Pourquoi l’alliance compte")
    assert page["strings"]["switch_language"] == "English"


def test_english_home_links_to_next_and_to_french_home():
    page = page_context(resources("00-welcome", base_url="/workshop/"))
    assert page["lang"] == "en"
    assert page["previous"] is None
    assert page["next"]["url"] == "/workshop/voila/render/en/01-why-the-alliance.ipynb"
    assert page["other_url"] == "/workshop/voila/render/fr/00-accueil.ipynb"


def test_last_chapter_has_no_next():
    page = page_context(resources("01-why-the-alliance"))
    assert page["next"] is None


def test_unknown_notebook_gets_the_primary_language_and_no_current_chapter():
    page = page_context(resources("scratch"))
    assert page["lang"] == "fr"
    assert not any(chapter["current"] for chapter in page["chapters"])
    assert page["previous"] is None
    assert page["next"] is None
