"""Chapter 03's core: a first phone call in which to spot the signs that change has already started.

Pure logic, no widgets. The calls come from ``assets/content/first_calls.<lang>.json``: turns of the helper
and the person, the person's turns cut into phrases, some of them markers — resources, an exception, support
from people around, change already under way — each with a one-line explanation. :func:`score` compares
what a participant marked with that key: found, missed, extra.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from widgets._assets import load_json
from widgets.i18n import check_lang

MARKS_PREFIX = "first_call."
QUESTION_PREFIX = "pre_session."
TOPIC = "first_call"  # exercises A and B open the same call together (Session.focus)
QUESTION_RUBRIC = "pre_session"


@dataclass(frozen=True)
class Phrase:
    """One phrase of a call. Only the person's phrases can be marked; ``key`` is ``None`` for the others."""

    id: str
    speaker: str
    text: str
    key: str | None
    why: str

    @property
    def markable(self) -> bool:
        return self.speaker == "client"


@dataclass(frozen=True)
class Call:
    id: str
    title: str
    context: str
    turns: tuple[tuple[Phrase, ...], ...]
    question_exemplars: tuple[str, ...]

    @property
    def phrases(self) -> list[Phrase]:
        return [phrase for turn in self.turns for phrase in turn]

    @property
    def markers(self) -> list[Phrase]:
        return [phrase for phrase in self.phrases if phrase.key is not None]


def _data(lang: str) -> dict:
    return load_json(f"content/first_calls.{check_lang(lang)}.json")


def categories(lang: str = "fr") -> dict[str, str]:
    """Marker kind → its name in ``lang``."""
    return dict(_data(lang)["categories"])


def calls(lang: str = "fr") -> list[Call]:
    result = []
    for entry in _data(lang)["calls"]:
        turns = tuple(
            tuple(
                Phrase(
                    f"{turn_index}-{index}", turn["speaker"], segment["text"], segment["key"], segment["why"]
                )
                for index, segment in enumerate(turn["segments"])
            )
            for turn_index, turn in enumerate(entry["turns"])
        )
        result.append(
            Call(entry["id"], entry["title"], entry["context"], turns, tuple(entry["question_exemplars"]))
        )
    return result


def call(call_id: str, lang: str = "fr") -> Call:
    for entry in calls(lang):
        if entry.id == call_id:
            return entry
    raise KeyError(f"no call {call_id!r} in {lang}")


@dataclass(frozen=True)
class Score:
    """What a participant's marks make of one call, each list in the order of the call."""

    found: tuple[Phrase, ...]
    missed: tuple[Phrase, ...]
    extra: tuple[Phrase, ...]

    @property
    def total(self) -> int:
        return len(self.found) + len(self.missed)

    def state(self, phrase_id: str) -> str | None:
        """``"found"``, ``"missed"``, ``"extra"`` or ``None`` (not a marker, not marked)."""
        for name in ("found", "missed", "extra"):
            if any(phrase.id == phrase_id for phrase in getattr(self, name)):
                return name
        return None


def score(conversation: Call, marked: Iterable[str]) -> Score:
    """Compare ``marked`` (phrase ids) with the key; ids that are not the person's phrases are ignored."""
    chosen = {phrase_id for phrase_id in marked if isinstance(phrase_id, str)}
    phrases = [phrase for phrase in conversation.phrases if phrase.markable]
    return Score(
        found=tuple(phrase for phrase in phrases if phrase.key and phrase.id in chosen),
        missed=tuple(phrase for phrase in phrases if phrase.key and phrase.id not in chosen),
        extra=tuple(phrase for phrase in phrases if not phrase.key and phrase.id in chosen),
    )


def valid_marks(conversation: Call, marked: Iterable[str]) -> list[str]:
    """``marked`` reduced to the call's own markable phrases, in the call's order (what is saved)."""
    chosen = {phrase_id for phrase_id in marked if isinstance(phrase_id, str)}
    return [phrase.id for phrase in conversation.phrases if phrase.markable and phrase.id in chosen]
