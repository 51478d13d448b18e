"""Chapter 04's core: a client's scale drawn across sessions, with a good-enough line and notes per point.

Pure logic, no widgets. A :class:`ScaleChart` is immutable: every change returns a new chart, or raises
:class:`ScaleError` whose ``code`` names what is wrong (the view turns it into a message in the page's
language). Values are on 0–10 in half points; sessions are numbered 1 to ``MAX_SESSIONS``; each point may
carry two notes, "what makes it N and not 0" and "a sign of N+1". The case vignettes come from
``assets/content/scaling.<lang>.json``.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from widgets._assets import load_json
from widgets.i18n import check_lang
from widgets.text import clean

SCALE_MIN = 0.0
SCALE_MAX = 10.0
MAX_SESSIONS = 10
NOTE_LIMIT = 200
NOTE_FIELDS = ("not_zero", "next_sign")
ANSWER_PREFIX = "scaling."
FOLLOWUP_PREFIX = "scaling_followup."
TOPIC = "scaling_case"  # exercises C and D open the same case together (Session.focus)
FOLLOWUP_RUBRIC = "scaling_followup"

ErrorCode = Literal[
    "not_a_number", "off_scale", "session_range", "too_many_sessions", "note_too_long", "no_point"
]
NoteField = Literal["not_zero", "next_sign"]


class ScaleError(ValueError):
    """A change the chart refuses; ``code`` says why, ``details`` what the message needs."""

    def __init__(self, code: ErrorCode, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def _value(raw: Any) -> float:
    """A scale value: a number within 0–10, rounded to the nearest half point."""
    if isinstance(raw, bool):
        raise ScaleError("not_a_number")
    try:
        number = float(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise ScaleError("not_a_number") from None
    if not math.isfinite(number):
        raise ScaleError("not_a_number")
    if not SCALE_MIN <= number <= SCALE_MAX:
        raise ScaleError("off_scale", value=raw, low=int(SCALE_MIN), high=int(SCALE_MAX))
    return round(number * 2) / 2


def _session(raw: Any) -> int:
    """A session number from 1 to ``MAX_SESSIONS``."""
    if isinstance(raw, bool):
        raise ScaleError("session_range", high=MAX_SESSIONS)
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise ScaleError("session_range", high=MAX_SESSIONS) from None
    if not math.isfinite(number) or number != int(number) or number < 1:
        raise ScaleError("session_range", high=MAX_SESSIONS)
    if number > MAX_SESSIONS:
        raise ScaleError("too_many_sessions", high=MAX_SESSIONS)
    return int(number)


@dataclass(frozen=True)
class ScaleChart:
    """Points (session → value), notes per point, and the good-enough level (or ``None``)."""

    points: dict[int, float] = field(default_factory=dict)
    notes: dict[int, dict[str, str]] = field(default_factory=dict)
    good_enough: float | None = None

    def place(self, session: Any, value: Any) -> ScaleChart:
        """Put (or move) the point of ``session`` at ``value``."""
        number, level = _session(session), _value(value)
        return replace(self, points={**self.points, number: level})

    def remove(self, session: Any) -> ScaleChart:
        number = _session(session)
        points = {key: value for key, value in self.points.items() if key != number}
        notes = {key: value for key, value in self.notes.items() if key != number}
        return replace(self, points=points, notes=notes)

    def note(self, session: Any, which: NoteField, text: str) -> ScaleChart:
        """Set one of the two notes of a point (an empty text clears it)."""
        number = _session(session)
        if number not in self.points:
            raise ScaleError("no_point", session=number)
        if which not in NOTE_FIELDS:
            raise ValueError(f"unknown note {which!r}")
        cleaned, _ = clean(text if isinstance(text, str) else "")
        cleaned = " ".join(cleaned.split())
        if len(cleaned) > NOTE_LIMIT:
            raise ScaleError("note_too_long", count=len(cleaned), limit=NOTE_LIMIT)
        notes = {**self.notes.get(number, {}), which: cleaned}
        notes = {key: value for key, value in notes.items() if value}
        return replace(self, notes={**self.notes, number: notes})

    def set_good_enough(self, value: Any) -> ScaleChart:
        """Set the good-enough level (``None`` or ``""`` removes it)."""
        if value is None or value == "":
            return replace(self, good_enough=None)
        return replace(self, good_enough=_value(value))

    @property
    def sessions(self) -> list[int]:
        return sorted(self.points)

    def to_json(self) -> dict[str, Any]:
        return {
            "points": {str(key): self.points[key] for key in self.sessions},
            "notes": {str(key): value for key, value in sorted(self.notes.items()) if value},
            "good_enough": self.good_enough,
        }

    @classmethod
    def from_json(cls, data: Any) -> ScaleChart:
        """A chart from saved JSON; whatever cannot be read (a value off the scale, an 11th session, a note
        too long) is left out rather than refused, so one bad entry never hides the rest."""
        chart = cls()
        if not isinstance(data, dict):
            return chart
        points = data.get("points") if isinstance(data.get("points"), dict) else {}
        for key, value in list(points.items())[: MAX_SESSIONS * 2]:
            try:
                chart = chart.place(int(key), value)
            except (ScaleError, ValueError):
                continue
        notes = data.get("notes") if isinstance(data.get("notes"), dict) else {}
        for key, fields in notes.items():
            if not isinstance(fields, dict):
                continue
            for which in NOTE_FIELDS:
                try:
                    chart = chart.note(int(key), which, fields.get(which, ""))
                except (ScaleError, ValueError):
                    continue
        with contextlib.suppress(ScaleError):
            chart = chart.set_good_enough(data.get("good_enough"))
        return chart


@dataclass(frozen=True)
class Vignette:
    """A case: what 0 and 10 stand for, the sessions as told, the client's answer for exercise D."""

    id: str
    title: str
    context: str
    zero: str
    ten: str
    story: tuple[str, ...]
    numbers: tuple[int, ...]
    good_enough: int
    client_answer: str
    followup_exemplars: tuple[str, ...]


def vignettes(lang: str = "fr") -> list[Vignette]:
    data = load_json(f"content/scaling.{check_lang(lang)}.json")
    return [
        Vignette(
            id=entry["id"],
            title=entry["title"],
            context=entry["context"],
            zero=entry["zero"],
            ten=entry["ten"],
            story=tuple(entry["story"]),
            numbers=tuple(entry["numbers"]),
            good_enough=entry["good_enough"],
            client_answer=entry["client_answer"],
            followup_exemplars=tuple(entry["followup_exemplars"]),
        )
        for entry in data["vignettes"]
    ]


def vignette(vignette_id: str, lang: str = "fr") -> Vignette:
    for entry in vignettes(lang):
        if entry.id == vignette_id:
            return entry
    raise KeyError(f"no vignette {vignette_id!r} in {lang}")


def answer_id(vignette_id: str) -> str:
    return f"{ANSWER_PREFIX}{vignette_id}"


def is_complete(chart: ScaleChart) -> bool:
    """Drawn enough to count as done: three points and a good-enough line."""
    return len(chart.points) >= 3 and chart.good_enough is not None
