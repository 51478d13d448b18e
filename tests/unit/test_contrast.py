"""The palettes' text colours on their backgrounds reach WCAG AA (4.5:1 for text): the workbook's
(``workbook.css``) and the facilitator's (``room.css``). axe-core checks what a page shows
(``tests/browser/test_accessibility.py``), but it leaves a colour it cannot place on its background
"incomplete" (text over a widget's layers, a status that shows only on an error): here every pair the
stylesheets put text in is computed, shown or not."""

import re

import pytest

from widgets._assets import ASSETS

SHEETS = {
    "wb": ASSETS / "voila" / "templates" / "alliance" / "static" / "workbook.css",
    "fa": ASSETS / "facilitator" / "room.css",
}
#: (text, background) pairs the stylesheets use for words, by variable name without the prefix.
PAIRS = [
    ("ink", "paper"),
    ("ink", "card"),
    ("muted", "paper"),
    ("muted", "card"),
    ("accent", "card"),
    ("accent", "paper"),
    ("accent", "accent-soft"),
    ("warm", "card"),
    ("warm", "paper"),
    ("warm", "warm-soft"),
]


def palette(prefix: str) -> dict[str, str]:
    text = SHEETS[prefix].read_text(encoding="utf-8")
    return dict(re.findall(rf"--{prefix}-([a-z-]+):\s*(#[0-9a-fA-F]{{3,6}})\b", text))


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("prefix", sorted(SHEETS))
def test_text_colours_reach_aa_on_their_backgrounds(prefix):
    colours = palette(prefix)
    weak = [
        f"--{prefix}-{text} on --{prefix}-{background}: {ratio(colours[text], colours[background]):.2f}:1"
        for text, background in PAIRS
        if ratio(colours[text], colours[background]) < 4.5
    ]
    assert not weak, weak


@pytest.mark.parametrize(("prefix", "ring"), [("wb", "focus-ring"), ("fa", "focus")])
def test_the_focus_ring_stands_out_from_the_page(prefix, ring):
    """WCAG 1.4.11: what shows the keyboard's focus reaches 3:1 against what is around it."""
    colours = palette(prefix)
    for background in ("card", "paper"):
        assert ratio(colours[ring], colours[background]) >= 3, (ring, background)


def test_a_pale_pair_is_caught():
    assert ratio("#b3541e", "#fbeee6") < 4.5  # the warm tone this replaced: 4.39:1
    assert round(ratio("#000", "#fff"), 1) == 21.0
