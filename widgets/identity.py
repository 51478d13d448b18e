"""Pseudonymous participants: a short code instead of a name.

Each browser keeps its participant code in ``localStorage`` (``assets/js/identity.js``), so a reload, a
chapter change or a server restart finds the same person without asking anything, and it works offline.
The code is also shown to the person: typed on another device, it brings their answers there. No name or
e-mail is ever asked for.

A code is 9 random Crockford base-32 symbols (45 bits) and a check symbol, written ``XXXXX-XXXXX``. The check
symbol catches a mistyped code before it is looked up.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_READS_AS = {"I": "1", "L": "1", "O": "0"}
RANDOM_SYMBOLS = 9


class CodeError(ValueError):
    """A typed code that cannot be one of ours. ``reason`` is ``"malformed"``."""

    reason = "malformed"


def check_symbol(symbols: str) -> str:
    # Odd weights are invertible modulo 32, so any single mistyped symbol changes the check symbol.
    total = sum((2 * index + 1) * ALPHABET.index(symbol) for index, symbol in enumerate(symbols))
    return ALPHABET[total % len(ALPHABET)]


def _format(symbols: str) -> str:
    return f"{symbols[:5]}-{symbols[5:]}"


def new_code() -> str:
    """A fresh participant code."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return _format(symbols + check_symbol(symbols))


def normalize(typed: str) -> str:
    """The canonical form of a typed code (case, spaces, dashes and look-alike letters forgiven).

    Raises :class:`CodeError` when it cannot be a code (wrong length, foreign symbols, failed check).
    """
    if not isinstance(typed, str) or len(typed) > 64:
        raise CodeError("malformed")
    symbols = "".join(_READS_AS.get(char, char) for char in typed.upper() if char not in " -_\t\n")
    if len(symbols) != RANDOM_SYMBOLS + 1 or any(char not in ALPHABET for char in symbols):
        raise CodeError("malformed")
    if check_symbol(symbols[:-1]) != symbols[-1]:
        raise CodeError("malformed")
    return _format(symbols)


def is_code(value: str) -> bool:
    try:
        return normalize(value) == value
    except CodeError:
        return False
