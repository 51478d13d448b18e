"""One call per exercise: what the workbook's notebooks call.

Each public function displays its exercise, for a notebook run in Voila, JupyterLab or nbval. It returns
``None``: a returned widget would be displayed a second time as the cell's value. The app (``widgets.app``),
which hosts every chapter in one kernel, builds the same exercises through :func:`build` instead of running
the notebooks' code. Imports happen inside the builders, so a kernel pays only for the exercises it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from widgets.i18n import check_lang


def _chapter_path(lang: str, link: Callable[[Any], str] | None = None):
    from ipywidgets import HTML

    from widgets.views.home import chapter_path_html

    html = chapter_path_html(lang, link)
    return HTML(f'<div class="jp-RenderedHTMLCommon wb-md">{html}</div>').add_class("wb-home")


def _guess_the_factors(lang: str):
    from widgets.views.factors import FactorsExercise

    return FactorsExercise(lang)


def _reflection(lang: str, question: str):
    from widgets.views.text_answer import TextAnswer

    return TextAnswer(f"reflection.{question}", lang)


BUILDERS: dict[str, Callable[..., Any]] = {
    "chapter_path": _chapter_path,
    "guess_the_factors": _guess_the_factors,
    "reflection": _reflection,
}


def build(name: str, lang: str, **options: Any):
    """The widget of exercise ``name`` in ``lang``; ``options`` are the exercise's own (e.g. ``question``)."""
    if name not in BUILDERS:
        raise KeyError(f"unknown exercise {name!r}; known: {sorted(BUILDERS)}")
    return BUILDERS[name](check_lang(lang), **options)


def _display(name: str, lang: str, **options: Any) -> None:
    from IPython.display import display

    display(build(name, lang, **options))


def chapter_path(lang: str = "fr") -> None:
    """Home page: the chapters as a path of cards linking to each one."""
    _display("chapter_path", lang)


def guess_the_factors(lang: str = "fr") -> None:
    """Chapter 01: share 100 % between Lambert's four sources of change, then compare."""
    _display("guess_the_factors", lang)


def reflection(question: str, lang: str = "fr") -> None:
    """A free-text reflection; ``question`` names an entry under ``reflection`` in the string catalogs."""
    _display("reflection", lang, question=question)
