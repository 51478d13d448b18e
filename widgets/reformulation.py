"""Chapter 02's core: is a response to a problem statement oriented towards the person's resources?

``assess(text, lang)`` reads a response with the ``reformulation`` rubric (``assets/rubrics/``; criteria from
``../shared/DOMAIN.md``): strengths — acknowledges the person's experience, names what is wanted instead,
presupposes resources or exceptions, puts the problem in the past or in progress, asks an open question —
and faults — problem-amplifying questions (why, how long, how bad), advice or orders (also as a question),
labels or blame, dismissing or cheerleading. The statements to practise on come from the bank
``assets/content/statements.<lang>.json``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from widgets import rubric
from widgets._assets import load_json, settings
from widgets.i18n import check_lang
from widgets.rubric import Feedback

RUBRIC = "reformulation"
#: Each situation's answer is saved under ``reformulate.<statement id>`` (the same id in every language).
ANSWER_PREFIX = "reformulate."


def answer_id(statement_id: str) -> str:
    return f"{ANSWER_PREFIX}{statement_id}"


def goal() -> int:
    """How many situations answered make the exercise finished."""
    return settings()["reformulation_goal"]


def assess(text: str, lang: str = "fr") -> Feedback:
    """Feedback on one response: ``.score`` (0–1), ``.solution_focused`` and ``.criteria`` (id, met, message,
    evidence). Never raises on what a person may type."""
    return rubric.assess(text, RUBRIC, lang)


@dataclass(frozen=True)
class Statement:
    """A problem statement to answer, with example resource-oriented answers."""

    id: str
    context: str
    speaker: str
    text: str
    exemplars: tuple[str, ...]


def _bank(lang: str) -> dict:
    return load_json(f"content/statements.{check_lang(lang)}.json")


def statements(lang: str = "fr", context: str | None = None) -> list[Statement]:
    """The bank's statements in ``lang``, in order; only those of ``context`` if given."""
    return [
        Statement(entry["id"], entry["context"], entry["speaker"], entry["text"], tuple(entry["exemplars"]))
        for entry in _bank(lang)["statements"]
        if context is None or entry["context"] == context
    ]


def contexts(lang: str = "fr") -> dict[str, str]:
    """Context id → its name in ``lang``, in the bank's order."""
    return dict(_bank(lang)["contexts"])


def statement(statement_id: str, lang: str = "fr") -> Statement:
    for entry in statements(lang):
        if entry.id == statement_id:
            return entry
    raise KeyError(f"no statement {statement_id!r} in the {lang} bank")


def next_statement(current: str, lang: str = "fr", context: str | None = None) -> Statement:
    """The statement after ``current`` (within ``context`` if given), wrapping round."""
    pool = statements(lang, context)
    ids = [entry.id for entry in pool]
    if current not in ids:
        return pool[0]
    return pool[(ids.index(current) + 1) % len(pool)]


def random_statement(
    current: str | None, lang: str = "fr", context: str | None = None, rng: random.Random | None = None
) -> Statement:
    """Another statement at random (never ``current`` when there is a choice)."""
    pool = [entry for entry in statements(lang, context) if entry.id != current] or statements(lang, context)
    return (rng or random.Random()).choice(pool)  # noqa: S311 (picking an exercise, not a secret)
