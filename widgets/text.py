"""Checking free-text answers before they are accepted: length limit and invisible characters.

A participant's text is data: it is never executed, and anything that shows it back escapes it first. This
module decides whether a text can be accepted and what to tell the person; the view keeps what they typed in
the box either way, so nothing is lost.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from widgets._assets import settings

# Bidirectional overrides and isolates can make a text display differently from what it says.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEPT_CONTROLS = frozenset("\n\t")

Problem = Literal["empty", "too_long"]


def answer_limit() -> int:
    """Maximum length of a free-text answer, in characters."""
    return settings()["text_answer_limit"]


@dataclass(frozen=True)
class TextCheck:
    """The verdict on one text: the cleaned text, whether it can be accepted, and why not."""

    text: str
    count: int
    limit: int
    problem: Problem | None
    removed_controls: bool

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def excess(self) -> int:
        return max(0, self.count - self.limit)


def clean(raw: str) -> tuple[str, bool]:
    """Normalise to NFC, turn CRLF into LF and drop control characters. Returns (text, removed_any)."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    kept = "".join(
        char
        for char in text
        if char in _KEPT_CONTROLS or (unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS)
    )
    return kept, kept != text


def check_text(raw: str, limit: int | None = None) -> TextCheck:
    """Decide whether ``raw`` can be accepted as an answer."""
    limit = answer_limit() if limit is None else limit
    text, removed = clean(raw if isinstance(raw, str) else "")
    count = len(text)
    problem: Problem | None = None
    if not text.strip():
        problem = "empty"
    elif count > limit:
        problem = "too_long"
    return TextCheck(text, count, limit, problem, removed)
