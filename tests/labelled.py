"""The labelled answers in ``tests/data/``: one reader for the agreement tests and for ``make bench-rubric``.

Each set is a JSON file of answers a person labelled as resource-oriented or not (``solution_focused`` in
chapter 02's sets, ``expected`` in the others'), written blind to the rules; see docs/feedback.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from widgets import rubric

DATA = Path(__file__).resolve().parent / "data"
FOLDERS = {
    "reformulation": "reformulations",
    "pre_session": "pre_session",
    "scaling_followup": "scaling_followup",
    "cooperation": "cooperation",
    "session_message": "session_message",
    "checkin_response": "checkin_response",
}
AGREEMENT = 0.90  # each set, in tests; docs/feedback.md gives the first-measured figures on unseen sets


@dataclass(frozen=True)
class LabelledSet:
    rubric: str
    path: Path
    lang: str
    items: tuple[dict, ...]

    @property
    def name(self) -> str:
        return f"{self.rubric}/{self.path.name}"

    @staticmethod
    def label(item: dict) -> bool:
        return item["solution_focused"] if "solution_focused" in item else item["expected"]

    def disagreements(self) -> list[str]:
        """The answers the rubric reads otherwise than their label, ready to print."""
        return [
            f"{'yes' if self.label(item) else 'no'} ({item['kind']}): {item['response']}"
            for item in self.items
            if rubric.assess(item["response"], self.rubric, self.lang).solution_focused != self.label(item)
        ]


def sets(name: str | None = None, lang: str | None = None) -> list[LabelledSet]:
    """Every labelled set (of one rubric, in one language, if given), in a stable order."""
    found = []
    for rubric_name, folder in FOLDERS.items():
        if name not in (None, rubric_name):
            continue
        for path in sorted((DATA / folder).glob("set-*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if lang in (None, data["lang"]):
                found.append(LabelledSet(rubric_name, path, data["lang"], tuple(data["items"])))
    return found


def assert_agreement(labelled: LabelledSet) -> None:
    wrong = labelled.disagreements()
    agreement = 1 - len(wrong) / len(labelled.items)
    print(f"{labelled.name}: {agreement:.1%} agreement on {len(labelled.items)} answers")
    assert agreement >= AGREEMENT, "\n".join(wrong)
