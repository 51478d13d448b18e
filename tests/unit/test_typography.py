"""French typography in every French text a person reads: a no-break space (narrow U+202F, or U+00A0)
before ; : ! ? » and after «.

Scanned, by glob so that new chapters and banks are covered as they appear: the Markdown cells of
workbooks/fr/*.ipynb (code cells, inline code, URLs, times such as 10:30 and English titles marked
``<span lang="en">`` aside), every string of the French catalog (but the CSV header), every string value
of assets/content/*.fr.json, and what the rubrics show (labels, messages, verdicts, notices) — not their
patterns, which match what people type, nor the valence word lists.
"""

import json
import re
from collections.abc import Iterator

import pytest

from widgets._assets import ASSETS, WORKBOOKS

NO_BREAK = "\u202f\u00a0"
BEFORE = ";:!?»"

#: A mark that needs a no-break space before it and has none (« ?! » and « !! » stay together).
MISSING_BEFORE = re.compile(rf"(?<![{NO_BREAK}])[;:»]|(?<![{NO_BREAK}?!])[?!]")
MISSING_AFTER = re.compile(rf"«(?![{NO_BREAK}])")

#: Not prose: code, addresses and clock times keep their own characters.
NOT_PROSE = [
    re.compile(r'<span\s+lang="en">.*?</span>', re.DOTALL),  # English titles in the sources lines
    re.compile(r"```.*?```", re.DOTALL),  # fenced code
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"<[a-zA-Z/!][^<>]*>"),  # HTML tags (their attributes)
    re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s)\]>]*"),  # URLs
    re.compile(r"\b\d{1,2}:\d{2}\b"),  # times, 10:30
    re.compile(r"&[a-z]+;|&#\d+;"),  # HTML entities
]

#: Keys whose strings are not prose a person reads: identifiers, patterns matched against what people type,
#: notes for developers.
MACHINE_KEYS = {
    "$comment",
    "$schema",
    "id",
    "lang",
    "kind",
    "key",
    "speaker",
    "rubric",
    "orientation",
    "include",
    "patterns",
    "re",
    "unless",
    "unless_in",
    "unless_met",
    "in",
    "points",
    "valence",
    "slug",
}

#: Catalog strings that are data rather than prose: the CSV header's separators are semicolons.
CATALOG_DATA = {"facilitator.csv_columns"}


def _prose(text: str) -> str:
    for pattern in NOT_PROSE:
        text = pattern.sub(lambda match: " " * len(match.group()), text)
    return text


def faults(text: str) -> list[str]:
    """Snippets around every mark that lacks its no-break space."""
    prose = _prose(text)
    found = []
    for pattern in (MISSING_BEFORE, MISSING_AFTER):
        for match in pattern.finditer(prose):
            start, end = max(match.start() - 25, 0), match.end() + 15
            found.append(text[start:end].replace("\n", "⏎"))
    return found


def _strings(document, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(document, dict):
        for key, value in document.items():
            if key not in MACHINE_KEYS:
                yield from _strings(value, f"{path}.{key}" if path else key)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _strings(value, f"{path}[{index}]")
    elif isinstance(document, str):
        yield path, document


def _json(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def french_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every French text a person reads."""
    for path in sorted((WORKBOOKS / "fr").glob("*.ipynb")):
        for index, cell in enumerate(_json(path)["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"workbooks/fr/{path.name}, cell {index}", "".join(cell["source"])
    for where, text in _strings(_json(ASSETS / "i18n" / "fr.json")):
        if where not in CATALOG_DATA:
            yield f"assets/i18n/fr.json: {where}", text
    for path in sorted((ASSETS / "content").glob("*.fr.json")):
        for where, text in _strings(_json(path)):
            yield f"assets/content/{path.name}: {where}", text
    for path in sorted((ASSETS / "rubrics").glob("*.fr.json")):
        if path.name.startswith("valence."):
            continue  # word lists matched against what people type, not messages
        for where, text in _strings(_json(path)):
            yield f"assets/rubrics/{path.name}: {where}", text


def test_every_french_text_has_its_no_break_spaces():
    problems = [f"{where}: …{snippet}…" for where, text in french_texts() for snippet in faults(text)]
    assert not problems, (
        f"{len(problems)} marks without a no-break space: put U+202F (or U+00A0) before ; : ! ? » and "
        "after «, in place of the plain space\n" + "\n".join(problems)
    )


def test_the_scan_reaches_every_kind_of_text():
    where = [place for place, _ in french_texts()]
    assert any(place.startswith("workbooks/fr/00-") for place in where)
    assert any(place.startswith("assets/i18n/fr.json") for place in where)
    assert any(place.startswith("assets/content/first_calls.fr.json") for place in where)
    assert any(place.startswith("assets/rubrics/reformulation.fr.json: criteria") for place in where)
    assert not any(".patterns" in place or place.endswith(".re") for place in where)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Qu’est-ce qui a changé ?", 1),
        ("Qu’est-ce qui a changé\u202f?", 0),
        ("Qu’est-ce qui a changé\u00a0?", 0),
        ("« Bonjour »", 2),
        ("«\u202fBonjour\u202f»", 0),
        ("«\u202fEt quoi d’autre\u202f?\u202f»", 0),
        ("Voilà ; ensuite : rien !", 3),
        ("Ouvrez `http://127.0.0.1:8866/` à 10:30, ou http://exemple.org:80/a?b=c", 0),
        ('<span class="a:b">Total\u202f:</span>', 0),
        ("{speaker}\u202f: «\u202f{text}\u202f»", 0),
        ("Vraiment\u202f?!", 0),
        ("«\u202fEt quoi d’autre\u202f?»", 1),  # « ? » needs its space too
        ("coupée «\nen fin de ligne\u202f»", 1),  # Markdown turns the line break into a plain space
        ('«\u202f<span lang="en">The client is the expert: a not-knowing approach</span>\u202f»', 0),
    ],
)
def test_the_check_itself(text, bad):
    assert len(faults(text)) == bad
