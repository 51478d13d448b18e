"""Navigation: which chapter a page shows, its neighbours, its twin in the other language, and the HTML of
the header and pager built from that.

Pure Python (no ipywidgets): the Voila server process uses it through the Jinja filter declared in
``voila.json`` for per-page serving, and the workbook's app (``widgets.app``) uses it in the kernel, with
links that are in-page routes (``#fr/01-…``) instead of page URLs. One renderer, two kinds of links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from widgets.i18n import Chapter, catalog, languages

Link = Callable[[Chapter], str]
APP_NOTEBOOK = "app.ipynb"


@cache
def _index() -> dict[str, Chapter]:
    """Every chapter of every language, keyed by route (``fr/01-slug``: slugs are unique across languages)."""
    return {chapter.route: chapter for lang in languages() for chapter in catalog(lang).chapters()}


def chapter_for(route: str) -> Chapter | None:
    """The chapter at ``route`` (``"fr/01-pourquoi-l-alliance"``), or ``None``."""
    return _index().get(route)


def chapter_named(name: str) -> Chapter | None:
    """The chapter whose notebook is called ``name`` (without extension), in whichever language."""
    return next((chapter for chapter in _index().values() if chapter.slug == name), None)


def home(lang: str | None = None) -> Chapter:
    """A language's home page; the primary language's by default."""
    return catalog(lang or languages()[0]).chapters()[0]


def home_path(lang: str | None = None) -> str:
    """Path (under ``workbooks/``) of a language's home page."""
    return home(lang).path


def render_link(base_url: str) -> Link:
    """Links to Voila's per-page URLs."""
    return lambda chapter: f"{base_url}voila/render/{chapter.path}"


def route_link(chapter: Chapter) -> str:
    """Links that change the app's route without loading a page."""
    return f"#{chapter.route}"


@dataclass(frozen=True)
class Page:
    """What the header and pager of one page show."""

    lang: str
    title: str
    current: Chapter | None
    chapters: list[Chapter]
    previous: Chapter | None
    next: Chapter | None
    twin: Chapter

    @property
    def strings(self):
        return catalog(self.lang)


def page_for(current: Chapter | None) -> Page:
    """The navigation of ``current`` (``None``: a page that is no chapter, shown in the primary language)."""
    lang = current.lang if current else languages()[0]
    strings = catalog(lang)
    chapters = strings.chapters()
    position = chapters.index(current) if current else None
    other_lang = next(code for code in languages() if code != lang)
    twins = {chapter.number: chapter for chapter in catalog(other_lang).chapters()}
    twin = (twins.get(current.number) if current else None) or home(other_lang)
    site = strings("site.title")
    return Page(
        lang=lang,
        title=f"{current.title} — {site}" if current else site,
        current=current,
        chapters=chapters,
        previous=chapters[position - 1] if position else None,
        next=chapters[position + 1] if position is not None and position + 1 < len(chapters) else None,
        twin=twin,
    )


def header_html(page: Page, link: Link) -> str:
    """The header: brand, chapter list (current one marked), language switch. Everything escaped."""
    t = page.strings
    items = "".join(
        f'<li><a href="{escape(link(chapter))}"'
        + (' aria-current="page"' if chapter == page.current else "")
        + f'><span class="wb-num">{escape(chapter.number)}</span> {escape(chapter.title)}</a></li>'
        for chapter in page.chapters
    )
    other = page.twin.lang
    return (
        '<header class="wb-header"><div class="wb-header-inner">'
        f'<a class="wb-brand" href="{escape(link(page.chapters[0]))}">'
        f'<span class="wb-brand-title">{escape(t("site.title"))}</span>'
        f'<span class="wb-brand-tagline">{escape(t("site.tagline"))}</span></a>'
        f'<nav class="wb-chapters" aria-label="{escape(t("site.nav_label"))}"><ol>{items}</ol></nav>'
        f'<a class="wb-lang" href="{escape(link(page.twin))}" hreflang="{other}" lang="{other}" '
        f'title="{escape(t("site.switch_language_hint"))}">{escape(t("site.switch_language"))}</a>'
        "</div></header>"
    )


def pager_html(page: Page, link: Link) -> str:
    """Previous / next links at the foot of a chapter."""
    t = page.strings
    parts = []
    if page.previous:
        parts.append(
            f'<a class="wb-previous" rel="prev" href="{escape(link(page.previous))}">'
            f'<span class="wb-pager-label">← {escape(t("site.previous"))}</span> '
            f"{escape(page.previous.title)}</a>"
        )
    if page.next:
        parts.append(
            f'<a class="wb-next" rel="next" href="{escape(link(page.next))}">'
            f'<span class="wb-pager-label">{escape(t("site.next"))} →</span> {escape(page.next.title)}</a>'
        )
    return f'<nav class="wb-pager" aria-label="{escape(t("site.pager_label"))}">{"".join(parts)}</nav>'


def template_context(resources: dict[str, Any]) -> dict[str, Any]:
    """Jinja filter ``workbook_page``: what the Voila template needs for the notebook being rendered.

    ``resources`` is what Voila hands its templates: ``metadata.name`` is the notebook's file name without
    extension and ``base_url`` the server's prefix. The app notebook draws its own header in the kernel, so
    it gets none here.
    """
    base_url = resources.get("base_url") or "/"
    name = resources.get("metadata", {}).get("name", "")
    current = chapter_named(name)
    page = page_for(current)
    link = render_link(base_url)
    is_app = f"{name}.ipynb" == APP_NOTEBOOK
    return {
        "lang": page.lang,
        "title": page.title,
        "body_class": "wb-app-page" if is_app else "",
        "header": "" if is_app else header_html(page, link),
        "pager": "" if is_app else pager_html(page, link),
        "skip_to_content": page.strings("site.skip_to_content"),
        "loading": page.strings("site.loading"),
    }
