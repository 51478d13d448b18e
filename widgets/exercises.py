"""One call per exercise: what the workbook's notebooks call.

Each public function displays its exercise, for a notebook run in Voila, JupyterLab or nbval. It returns
``None``: a returned widget would be displayed a second time as the cell's value. The app (``widgets.app``),
which hosts every chapter in one kernel, builds the same exercises through :func:`build` instead of running
the notebooks' code. Each exercise is described once, in ``widgets.registry``; imports happen inside the
builders, so a kernel pays only for the exercises it shows.
"""

from __future__ import annotations

from typing import Any

from widgets.i18n import check_lang


def build(name: str, lang: str, **options: Any):
    """The widget of exercise ``name`` in ``lang``; ``options`` are the exercise's own (e.g. ``question``)."""
    from widgets import registry

    return registry.kind(name).build(check_lang(lang), **options)


_identity_shown = False


def _display(name: str, lang: str, **options: Any) -> None:
    """Display an exercise in a notebook page, and once per kernel the widget that tells it who is there."""
    from IPython.display import display

    global _identity_shown
    if not _identity_shown:
        from widgets import _wire
        from widgets.views.saving import identity_widget

        _wire.install()  # a connecting page gets its widgets' states at half the cost
        display(identity_widget())
        _identity_shown = True
    display(build(name, lang, **options))


def chapter_path(lang: str = "fr") -> None:
    """Home page: the chapters as a path of cards linking to each one."""
    _display("chapter_path", lang)


def guess_the_factors(lang: str = "fr") -> None:
    """Chapter 01: share 100 % between Lambert's four sources of change, then compare."""
    _display("guess_the_factors", lang)


def reformulate(lang: str = "fr") -> None:
    """Chapter 02: answer problem statements with resource-oriented responses, with rubric feedback."""
    _display("reformulate", lang)


def first_call(lang: str = "fr") -> None:
    """Chapter 03: mark, in a first phone call, the phrases that show change has already started."""
    _display("first_call", lang)


def pre_session_question(lang: str = "fr") -> None:
    """Chapter 03: write the question about what has changed since the appointment was made."""
    _display("pre_session_question", lang)


def scaling_chart(lang: str = "fr") -> None:
    """Chapter 04: draw a client's scale across sessions, with notes and the good-enough line."""
    _display("scaling_chart", lang)


def scaling_followup(lang: str = "fr") -> None:
    """Chapter 04: write the follow-up questions to a client's scaling answer."""
    _display("scaling_followup", lang)


def alliance_checkin(lang: str = "fr") -> None:
    """Chapter 05: a client's end-of-session check-ins, their charts and alerts, and what to say next."""
    _display("alliance_checkin", lang)


def relationship_vignettes(lang: str = "fr") -> None:
    """Chapter 06: read the relationship in a vignette (visitor, complainant, customer), then answer."""
    _display("relationship_vignettes", lang)


def session_message(lang: str = "fr") -> None:
    """Chapter 06: write the end-of-session message (compliments, bridge, suggestion)."""
    _display("session_message", lang)


def synthesis(lang: str = "fr") -> None:
    """Chapter 06: your confidence at the start and now, your next first contact, your portfolio."""
    _display("synthesis", lang)


def join_room(lang: str = "fr") -> None:
    """Home page: join the workshop room whose code the facilitator gives, to send answers to it."""
    _display("join_room", lang)


def my_work(lang: str = "fr") -> None:
    """Home page: your code, coming back with a code, your portfolio, deleting your answers."""
    _display("my_work", lang)


def reflection(question: str, lang: str = "fr") -> None:
    """A free-text reflection; ``question`` names an entry under ``reflection`` in the string catalogs."""
    _display("reflection", lang, question=question)
