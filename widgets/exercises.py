"""One call per exercise: what the workbook's notebooks call. Each function builds its view and displays it.

The functions return ``None``: a returned widget would be displayed a second time as the cell's value.
Imports happen inside the functions, so a page pays only for the exercises it shows.
"""

from __future__ import annotations

from widgets.i18n import check_lang


def _display(obj: object) -> None:
    from IPython.display import display

    display(obj)


def chapter_path(lang: str = "fr") -> None:
    """Home page: the chapters as a path of cards linking to each one."""
    from IPython.display import HTML

    from widgets.views.home import chapter_path_html

    _display(HTML(chapter_path_html(check_lang(lang))))


def guess_the_factors(lang: str = "fr") -> None:
    """Chapter 01: share 100 % between Lambert's four sources of change, then compare."""
    from widgets.views.factors import FactorsExercise

    _display(FactorsExercise(check_lang(lang)))


def reflection(question: str, lang: str = "fr") -> None:
    """A free-text reflection; ``question`` names an entry under ``reflection`` in the string catalogs."""
    from widgets.views.text_answer import TextAnswer

    _display(TextAnswer(f"reflection.{question}", check_lang(lang)))
