"""Participant codes: random, checkable, forgiving of how people type them."""

import pytest

from widgets import identity


def test_new_codes_are_well_formed_and_distinct():
    codes = {identity.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code) == 11
        assert code[5] == "-"
        assert identity.is_code(code)


def test_typing_is_forgiven():
    code = identity.new_code()
    messy = f"  {code.lower().replace('-', ' ')} "
    assert identity.normalize(messy) == code
    assert identity.normalize(code.replace("1", "l").replace("0", "o")) == code


@pytest.mark.parametrize(
    "typed", ["", "ABC", "ABCDE-FGHJK-MNPQR", "ÀBCDE-FGHJK", "UUUUU-UUUUU", "x" * 500, None]
)
def test_malformed_codes_are_refused(typed):
    with pytest.raises(identity.CodeError):
        identity.normalize(typed)  # type: ignore[arg-type]


def test_every_single_mistyped_symbol_fails_the_check():
    symbols = identity.new_code().replace("-", "")
    for position in range(len(symbols)):
        for replacement in identity.ALPHABET:
            if replacement == symbols[position]:
                continue
            typo = symbols[:position] + replacement + symbols[position + 1 :]
            with pytest.raises(identity.CodeError):
                identity.normalize(typo)
