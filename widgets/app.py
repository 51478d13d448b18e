"""The workbook as one app: one kernel per participant hosts every chapter.

Voila starts one kernel per page view. Loading a page per chapter means that when a facilitator says "next
chapter", thirty kernels start at once on the facilitator's laptop (measured in ``benchmarks/``). The app is
one notebook (``workbooks/app.ipynb``) served from a pool of pre-heated kernels; moving between chapters
changes a route (``#fr/01-…``) and the kernel swaps the chapter's widgets in — no page load, no new kernel.
Chapter views are kept for the life of the kernel, so going back finds them as they were left.
"""

from __future__ import annotations

import logging

import anywidget
import ipywidgets as w
import traitlets

from widgets import _chapters, exercises
from widgets._assets import ASSETS
from widgets._nav import chapter_for, header_html, home, page_for, pager_html, route_link
from widgets.i18n import catalog, languages
from widgets.views._html import message

log = logging.getLogger(__name__)


class Router(anywidget.AnyWidget):
    """Keeps ``route`` in step with the page's URL fragment (see ``assets/js/router.js``)."""

    _esm = ASSETS / "js" / "router.js"
    route = traitlets.Unicode("", help="Current chapter, as `lang/NN-slug`.").tag(sync=True)
    lang = traitlets.Unicode("fr", help="Language of the current chapter, for <html lang>.").tag(sync=True)
    title = traitlets.Unicode("", help="Title of the browser tab.").tag(sync=True)


def _markdown(html: str) -> w.HTML:
    return w.HTML(f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown wb-md">{html}</div>')


class WorkbookApp(w.VBox):
    """Header, current chapter and pager; the chapter follows ``router.route``."""

    def __init__(self, route: str | None = None) -> None:
        self.router = Router()
        self.header = w.HTML().add_class("wb-app-header")
        self.body = w.VBox().add_class("wb-app-body")
        self.pager = w.HTML().add_class("wb-app-pager")
        self._views: dict[str, w.Widget] = {}
        from widgets.views.saving import identity_widget

        super().__init__([self.router, identity_widget(), self.header, self.body, self.pager])
        self.add_class("wb-app")
        self.router.observe(lambda change: self.show(change["new"]), names="route")
        self.show(route or home().route)

    def _chapter_view(self, route: str) -> w.Widget:
        if route in self._views:
            return self._views[route]
        chapter = chapter_for(route)
        assert chapter is not None  # callers check
        failed = False
        children: list[w.Widget] = []
        for block in _chapters.blocks(chapter):
            if isinstance(block, _chapters.Markdown):
                children.append(_markdown(block.html))
                continue
            try:
                children.append(exercises.build(block.name, chapter.lang, **_app_options(block)))
            except Exception:  # one broken exercise must not leave the person before a blank page
                log.exception("exercise %s of %s could not be built", block.name, route)
                failed = True
                text = catalog(chapter.lang)("site.exercise_failed")
                children.append(w.HTML(message(text, ok=False)).add_class("wb-exercise-failed"))
        view = w.VBox(children).add_class("wb-chapter")
        if not failed:  # kept for coming back; a failed one is tried afresh next time
            self._views[route] = view
        return view

    def show(self, route: str) -> None:
        """Show the chapter at ``route``; an unknown route gets a message and a link home, in its language."""
        chapter = chapter_for(route)
        page = page_for(chapter)
        if chapter is None:
            prefix = route.split("/", 1)[0]
            lang = prefix if prefix in languages() else languages()[0]
            t = catalog(lang)
            page = page_for(home(lang))
            content: w.Widget = w.HTML(
                _chapters.not_found_html(t("site.not_found"), t("site.back_home"), home(lang).route)
            )
        else:
            content = self._chapter_view(route)
        with self.hold_sync():
            self.body.children = (content,)
            self.header.value = header_html(page, route_link)
            self.pager.value = pager_html(page, route_link) if chapter else ""
        with self.router.hold_sync():
            self.router.lang = page.lang
            self.router.title = page.title
            if self.router.route != route:
                self.router.route = route


def _app_options(block: _chapters.Exercise) -> dict:
    """The exercise's options without ``lang`` (the app passes the chapter's language itself)."""
    options = dict(block.options)
    options.pop("lang", None)
    if block.name == "chapter_path":
        options["link"] = route_link
    return options


def run(route: str | None = None) -> None:
    """Display the app (what ``workbooks/app.ipynb`` calls)."""
    from IPython.display import display

    from widgets import _wire

    _wire.install()  # a connecting page gets its widgets' states at half the cost
    display(WorkbookApp(route))
