"""Navigation of a served page: which chapter it is, its neighbours, its twin in the other language.

Used by the Voila template (``assets/voila/templates/alliance``) through the ``workbook_page`` Jinja filter
declared in ``voila.json``, so the header is rendered on the server, before any kernel runs, and works with
pre-heated kernels. Pure Python: runs inside the Voila server process.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from widgets.i18n import Chapter, catalog, languages


@cache
def _index() -> dict[str, Chapter]:
    """Every chapter of every language, keyed by its notebook name (slugs are unique across languages)."""
    return {chapter.slug: chapter for lang in languages() for chapter in catalog(lang).chapters()}


def home_path(lang: str | None = None) -> str:
    """Path (under ``workbooks/``) of a language's home page; the primary language by default."""
    return catalog(lang or languages()[0]).chapters()[0].path


def render_url(base_url: str, chapter: Chapter) -> str:
    return f"{base_url}voila/render/{chapter.path}"


def page_context(resources: dict[str, Any]) -> dict[str, Any]:
    """Everything the template's header needs for the notebook being rendered.

    ``resources`` is what Voila hands its templates: ``metadata.name`` is the notebook's file name without
    extension and ``base_url`` the server's prefix. A notebook unknown to the catalogs (a fixture, a scratch
    notebook) gets the primary language and no chapter highlighted.
    """
    base_url = resources.get("base_url") or "/"
    name = resources.get("metadata", {}).get("name", "")
    current = _index().get(name)
    lang = current.lang if current else languages()[0]
    strings = catalog(lang)
    chapters = strings.chapters()
    numbers = [chapter.number for chapter in chapters]
    position = numbers.index(current.number) if current else None

    def link(chapter: Chapter) -> dict[str, str]:
        return {
            "number": chapter.number,
            "title": chapter.title,
            "url": render_url(base_url, chapter),
            "current": bool(current and chapter.number == current.number),
        }

    other_lang = next(code for code in languages() if code != lang)
    twins = {chapter.number: chapter for chapter in catalog(other_lang).chapters()}
    twin = twins.get(current.number) if current else None
    twin = twin or catalog(other_lang).chapters()[0]
    return {
        "lang": lang,
        "title": f"{current.title} — {strings('site.title')}" if current else strings("site.title"),
        "site_title": strings("site.title"),
        "tagline": strings("site.tagline"),
        "home_url": render_url(base_url, chapters[0]),
        "chapters": [link(chapter) for chapter in chapters],
        "previous": link(chapters[position - 1]) if position else None,
        "next": (
            link(chapters[position + 1]) if position is not None and position + 1 < len(chapters) else None
        ),
        "other_lang": other_lang,
        "other_url": render_url(base_url, twin),
        "strings": {
            key: strings(f"site.{key}")
            for key in (
                "nav_label",
                "previous",
                "next",
                "switch_language",
                "switch_language_hint",
                "skip_to_content",
                "chapter_word",
                "loading",
            )
        },
    }
