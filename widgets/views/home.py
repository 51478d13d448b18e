"""The home page's path of chapters (static HTML: no widget, no kernel round-trip when clicked)."""

from __future__ import annotations

from html import escape

from widgets.i18n import catalog


def chapter_path_html(lang: str) -> str:
    t = catalog(lang)
    items = []
    for chapter in t.chapters()[1:]:
        label = t("home.open_chapter", number=chapter.number, title=chapter.title)
        items.append(
            # target="_self": JupyterLab's output renderer opens links without a target in a new tab, and
            # every new tab would start one more kernel.
            f'<li><a class="wb-path-link" href="{escape(chapter.slug)}.ipynb" target="_self" '
            f'aria-label="{escape(label)}">'
            f'<span class="wb-path-title">{escape(t("home.chapter_word"))} {escape(chapter.number)} — '
            f"{escape(chapter.title)}</span>"
            f'<span class="wb-path-summary">{escape(chapter.summary)}</span></a></li>'
        )
    return (
        f'<section class="wb-home-path"><h2>{escape(t("home.path_heading"))}</h2>'
        f'<ol class="wb-path">{"".join(items)}</ol></section>'
    )
