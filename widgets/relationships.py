"""Chapter 06's core: the relationships the approach distinguishes, the vignettes to classify and answer, the
end-of-session message vignettes, and the participant's synthesis.

Pure logic, no widgets. Visitor, complainant and customer describe the relationship between a practitioner
and a person about a goal at one moment (Berg 1989; De Jong & Berg), not the person. The texts come from
``assets/content/relationships.<lang>.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from widgets._assets import load_json
from widgets.i18n import check_lang

VIGNETTE_PREFIX = "relationship."
MESSAGE_PREFIX = "session_message."
SYNTHESIS_ID = "synthesis"
COOPERATION_RUBRIC = "cooperation"
MESSAGE_RUBRIC = "session_message"
CONFIDENCE_MIN = 0
CONFIDENCE_MAX = 10


@dataclass(frozen=True)
class Relationship:
    id: str
    label: str
    description: str
    cooperate: str


@dataclass(frozen=True)
class Vignette:
    id: str
    title: str
    situation: str
    relationship: str
    why: str
    exemplars: tuple[str, ...]


@dataclass(frozen=True)
class MessageVignette:
    id: str
    title: str
    summary: str
    exemplars: tuple[str, ...]


def _content(lang: str) -> dict[str, Any]:
    return load_json(f"content/relationships.{check_lang(lang)}.json")


@cache
def relationships(lang: str = "fr") -> tuple[Relationship, ...]:
    return tuple(
        Relationship(entry["id"], entry["label"], entry["description"], entry["cooperate"])
        for entry in _content(lang)["relationships"]
    )


def _by_id(entries: tuple[Any, ...], wanted: str) -> Any:
    """The entry whose ``id`` is ``wanted`` (``KeyError`` otherwise)."""
    found = next((entry for entry in entries if entry.id == wanted), None)
    if found is None:
        raise KeyError(wanted)
    return found


def relationship(relationship_id: str, lang: str = "fr") -> Relationship:
    return _by_id(relationships(lang), relationship_id)


@cache
def vignettes(lang: str = "fr") -> tuple[Vignette, ...]:
    return tuple(
        Vignette(entry["id"], entry["title"], entry["situation"], entry["relationship"], entry["why"],
                 tuple(entry["exemplars"]))
        for entry in _content(lang)["vignettes"]
    )  # fmt: skip


def vignette(vignette_id: str, lang: str = "fr") -> Vignette:
    return _by_id(vignettes(lang), vignette_id)


@cache
def message_vignettes(lang: str = "fr") -> tuple[MessageVignette, ...]:
    return tuple(
        MessageVignette(entry["id"], entry["title"], entry["summary"], tuple(entry["exemplars"]))
        for entry in _content(lang)["message_vignettes"]
    )


def message_vignette(vignette_id: str, lang: str = "fr") -> MessageVignette:
    return _by_id(message_vignettes(lang), vignette_id)


@dataclass(frozen=True)
class Classification:
    """What the participant chose for a vignette, and whether it is the reading the vignette gives."""

    choice: str
    correct: bool


def classify(vignette_id: str, choice: Any) -> Classification:
    """Check a choice (``ValueError`` for one that is not a relationship the approach distinguishes)."""
    known = {entry.id for entry in relationships("fr")}
    if not isinstance(choice, str) or choice not in known:
        raise ValueError(f"unknown relationship {choice!r}; expected one of {sorted(known)}")
    return Classification(choice, vignette(vignette_id).relationship == choice)


def confidence(raw: Any) -> int:
    """A confidence level: a whole number from 0 to 10 (``ValueError`` otherwise)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != int(raw):
        raise ValueError(f"not a whole number: {raw!r}")
    if not CONFIDENCE_MIN <= raw <= CONFIDENCE_MAX:
        raise ValueError(f"out of 0–10: {raw!r}")
    return int(raw)
