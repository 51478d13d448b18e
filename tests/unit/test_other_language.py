"""Passages in the other language carry their own ``lang`` (WCAG 3.1.2): a screen reader then reads an English
title in a French chapter with English sounds, and the other way round. Checked on the sources' titles that
every chapter of one language cites in the other."""

import json
import re

import pytest

from widgets._assets import ROOT

#: Titles cited in the other language, as the notebooks write them (spaces may break across lines).
CITED = {
    "fr": ["The death of resistance", "*Family Process*", "*Interviewing for Solutions*", "*Psychotherapy*",
           "*Clues", "The generalizability of the psychoanalytic concept"],
    "en": ["Co-construire une alliance", "*L’approche orientée vers les solutions"],
}  # fmt: skip
OTHER = {"fr": "en", "en": "fr"}


def sources(path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_titles_in_the_other_language_are_marked(lang):
    found = 0
    for path in sorted((ROOT / "workbooks" / lang).glob("0*.ipynb")):
        text = sources(path)
        for title in CITED[lang]:
            pattern = r"[\s\u202f\u00a0]+".join(map(re.escape, title.split(" ")))
            for match in re.finditer(pattern, text):
                found += 1
                opened = text.rfind(f'<span lang="{OTHER[lang]}">', 0, match.start())
                closed = text.rfind("</span>", 0, match.start())
                assert opened > closed, f'{path.name}: «{title}» is not inside <span lang="{OTHER[lang]}">'
    assert found >= 6
