"""The home page's path of chapters (static HTML: no widget logic, no kernel round-trip when clicked)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from widgets.i18n import Chapter, catalog


def notebook_link(chapter: Chapter) -> str:
    """A link relative to the home notebook, for Voila's per-page serving and JupyterLab."""
    return f"{chapter.slug}.ipynb"


def chapter_path_html(
    lang: str, link: Callable[[Chapter], str] | None = None, status: dict[str, str] | None = None
) -> str:
    """Cards linking to each chapter, marked "started" or "finished" from ``status`` (number → state)."""
    link = link or notebook_link
    status = status or {}
    t = catalog(lang)
    items = []
    for chapter in t.chapters()[1:]:
        label = t("home.open_chapter", number=chapter.number, title=chapter.title)
        state = status.get(chapter.number)
        badge = (
            f' <span class="wb-status wb-status-{state}">{escape(t(f"my_work.status_{state}"))}</span>'
            if state
            else ""
        )
        items.append(
            # target="_self": JupyterLab's output renderer opens links without a target in a new tab, and
            # every new tab would start one more kernel.
            f'<li><a class="wb-path-link" href="{escape(link(chapter))}" target="_self" '
            f'aria-label="{escape(label)}">'
            f'<span class="wb-path-title">{escape(t("home.chapter_word"))} {escape(chapter.number)} — '
            f"{escape(chapter.title)}{badge}</span>"
            f'<span class="wb-path-summary">{escape(chapter.summary)}</span></a></li>'
        )
    return (
        f'<section class="wb-home-path"><h2>{escape(t("home.path_heading"))}</h2>'
        f'<ol class="wb-path">{"".join(items)}</ol></section>'
    )
