"""Free-text answers: limits, invisible characters, nothing lost."""

import pytest

from widgets.text import answer_limit, check_text, clean


def test_default_limit_comes_from_assets():
    assert answer_limit() == 2000


def test_a_normal_answer_is_accepted_unchanged():
    check = check_text("Je commencerai par demander ce qui va déjà un peu mieux.")
    assert check.ok
    assert check.text == "Je commencerai par demander ce qui va déjà un peu mieux."
    assert not check.removed_controls


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\n", "\x00\x07"])
def test_empty_or_blank_is_refused(raw):
    check = check_text(raw)
    assert check.problem == "empty"
    assert not check.ok


def test_exactly_at_the_limit_is_accepted_one_more_is_not():
    assert check_text("a" * 50, limit=50).ok
    over = check_text("a" * 53, limit=50)
    assert over.problem == "too_long"
    assert (over.count, over.excess) == (53, 3)


def test_control_and_bidi_characters_are_removed_but_newlines_and_emoji_kept():
    text, removed = clean("ligne 1\r\nligne 2\x00\x1b[31m\u202eevil\u2066 👨‍👩‍👧 ok\tfin")
    assert removed
    assert text == "ligne 1\nligne 2[31mevil 👨‍👩‍👧 ok\tfin"


def test_text_is_normalised_to_nfc_before_counting():
    decomposed = "e\u0301" * 10  # "é" typed as e + combining accent
    check = check_text(decomposed, limit=10)
    assert check.ok
    assert check.text == "é" * 10
    assert check.count == 10


def test_markup_is_kept_as_plain_text():
    check = check_text("<script>alert(1)</script> & <b>gras</b>")
    assert check.ok
    assert check.text == "<script>alert(1)</script> & <b>gras</b>"


def test_non_string_input_is_treated_as_empty():
    assert check_text(None).problem == "empty"  # type: ignore[arg-type]
