"""Chapter 05's core: the workbook's own end-of-session check-in, session after session, and its alerts.

Pure logic, no widgets. A simulated client answers four items (0–10 each) at the end of every session; the
participant may adjust any answer. :func:`alerts` applies the rules of ``assets/content/checkin.json`` — an
item or the total below its cut-off, an item or the total down from the previous session by the set number
of points — and for each session with an alert the participant writes what they would say at the next one
(read by the ``checkin_response`` rubric). The check-in is a training tool, not a validated measure: its
wording and cut-offs are the workbook's own (SRS, ORS and WAI-SR are licensed and cited only as background).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from widgets._assets import load_json
from widgets.i18n import check_lang

SCORE_MIN = 0
SCORE_MAX = 10
ANSWER_PREFIX = "checkin."  # checkin.<client> holds the scores; checkin.<client>.s<N> a response
RUBRIC = "checkin_response"

Rule = Literal["item_low", "total_low", "item_drop", "total_drop"]
RULES: tuple[Rule, ...] = ("total_low", "total_drop", "item_low", "item_drop")


class ScoreError(ValueError):
    """A score the check-in refuses; ``code`` says why (``not_a_number`` or ``off_scale``)."""

    def __init__(self, code: Literal["not_a_number", "off_scale"], value: Any = "") -> None:
        super().__init__(code)
        self.code = code
        self.value = value


def score(raw: Any) -> int:
    """A check-in answer: a whole number from 0 to 10 (``"7"``, ``7``, ``" 7 "``, ``7.0``)."""
    if isinstance(raw, bool) or raw is None:
        raise ScoreError("not_a_number", raw)
    try:
        number = float(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise ScoreError("not_a_number", raw) from None
    if not math.isfinite(number) or number != int(number):
        raise ScoreError("not_a_number", raw)
    if not SCORE_MIN <= number <= SCORE_MAX:
        raise ScoreError("off_scale", raw)
    return int(number)


@dataclass(frozen=True)
class Rules:
    """The alert rules: below ``item_cutoff`` / ``total_cutoff``, or down by ``item_drop`` / ``total_drop``
    points or more from the previous session."""

    item_cutoff: int
    total_cutoff: int
    item_drop: int
    total_drop: int


@cache
def rules() -> Rules:
    data = load_json("content/checkin.json")
    return Rules(data["item_cutoff"], data["total_cutoff"], data["item_drop"], data["total_drop"])


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    short: str


@dataclass(frozen=True)
class Client:
    """A simulated client: who they are, and what they answered at the end of each session."""

    id: str
    title: str
    context: str
    scores: tuple[dict[str, int], ...]
    notes: tuple[str, ...]
    exemplars: tuple[str, ...]


def _content(lang: str) -> dict[str, Any]:
    return load_json(f"content/checkin.{check_lang(lang)}.json")


@cache
def items(lang: str = "fr") -> tuple[Item, ...]:
    """The four items, in order (the same ids in every language)."""
    return tuple(Item(entry["id"], entry["label"], entry["short"]) for entry in _content(lang)["items"])


def item_ids() -> tuple[str, ...]:
    return tuple(item.id for item in items("fr"))


@cache
def clients(lang: str = "fr") -> tuple[Client, ...]:
    return tuple(
        Client(
            entry["id"],
            entry["title"],
            entry["context"],
            tuple(
                {key: int(value) for key, value in session["scores"].items()} for session in entry["sessions"]
            ),
            tuple(session["note"] for session in entry["sessions"]),
            tuple(entry["exemplars"]),
        )
        for entry in _content(lang)["clients"]
    )


def client(client_id: str, lang: str = "fr") -> Client:
    for entry in clients(lang):
        if entry.id == client_id:
            return entry
    raise KeyError(client_id)


def total(scores: dict[str, int]) -> int:
    return sum(scores[key] for key in item_ids())


def maximum_total() -> int:
    return SCORE_MAX * len(item_ids())


@dataclass(frozen=True)
class Alert:
    """One rule a session breaks. ``item`` is ``None`` for the total; ``previous`` is the previous session's
    value (for a drop); ``limit`` the cut-off or the drop that fired it."""

    session: int
    rule: Rule
    item: str | None
    value: int
    limit: int
    previous: int | None = None

    @property
    def drop(self) -> int:
        return 0 if self.previous is None else self.previous - self.value


def alerts(
    scores: list[dict[str, int]] | tuple[dict[str, int], ...], given: Rules | None = None
) -> list[Alert]:
    """Every alert of a series of check-ins (session 1 first), session by session, the total's first."""
    limits = given or rules()
    found: list[Alert] = []
    previous: dict[str, int] | None = None
    for number, current in enumerate(scores, start=1):
        now = total(current)
        if now < limits.total_cutoff:
            found.append(Alert(number, "total_low", None, now, limits.total_cutoff))
        if previous is not None and total(previous) - now >= limits.total_drop:
            found.append(Alert(number, "total_drop", None, now, limits.total_drop, total(previous)))
        for key in item_ids():
            if current[key] < limits.item_cutoff:
                found.append(Alert(number, "item_low", key, current[key], limits.item_cutoff))
            if previous is not None and previous[key] - current[key] >= limits.item_drop:
                found.append(Alert(number, "item_drop", key, current[key], limits.item_drop, previous[key]))
        previous = current
    return found


def sessions_with_alerts(found: list[Alert]) -> dict[int, list[Alert]]:
    grouped: dict[int, list[Alert]] = {}
    for alert in found:
        grouped.setdefault(alert.session, []).append(alert)
    return grouped


@dataclass(frozen=True)
class Series:
    """A client's check-ins as the participant has them now (the case's own until they adjust one)."""

    scores: tuple[dict[str, int], ...]

    @classmethod
    def of(cls, case: Client) -> Series:
        return cls(tuple(dict(session) for session in case.scores))

    def set(self, session: int, item: str, raw: Any) -> Series:
        """The series with one answer changed (``ScoreError`` if ``raw`` is not 0–10)."""
        if item not in item_ids() or not 1 <= session <= len(self.scores):
            raise KeyError((session, item))
        value = score(raw)
        changed = list(self.scores)
        changed[session - 1] = {**changed[session - 1], item: value}
        return Series(tuple(changed))

    def to_json(self) -> dict[str, Any]:
        return {"scores": [dict(session) for session in self.scores]}

    @classmethod
    def from_json(cls, data: Any, case: Client) -> Series:
        """The saved series, or the case's own where what was saved does not fit (a damaged or older answer
        never breaks the page)."""
        base = cls.of(case)
        saved = data.get("scores") if isinstance(data, dict) else None
        if not isinstance(saved, list) or len(saved) != len(base.scores):
            return base
        series = base
        for number, session in enumerate(saved, start=1):
            if not isinstance(session, dict):
                continue
            for key in item_ids():
                with contextlib.suppress(ScoreError, KeyError):
                    series = series.set(number, key, session.get(key))
        return series


def scores_id(client_id: str) -> str:
    return f"{ANSWER_PREFIX}{client_id}"


def response_id(client_id: str, session: int) -> str:
    return f"{ANSWER_PREFIX}{client_id}.s{session}"


def answer_order() -> list[str]:
    """Every answer id of the exercise, in the order a portfolio lists them: each client's scores, then
    the responses session by session."""
    order: list[str] = []
    for case in clients("fr"):
        order.append(case.id)
        order += [f"{case.id}.s{number}" for number in range(1, len(case.scores) + 1)]
    return order


def parse_item(item: str) -> tuple[str, int | None]:
    """``client-1`` → (``client-1``, None); ``client-1.s4`` → (``client-1``, 4)."""
    client_id, _, session = item.partition(".s")
    return client_id, int(session) if session.isdigit() else None
