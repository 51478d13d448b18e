"""Core of chapter 01's "guess, then compare" exercise: four shares that always sum to 100.

Pure logic, no widgets: :func:`rebalance` is what the linked sliders call whenever one of them moves, and
:func:`compare` is what the reveal shows. Lambert's figures come from ``assets/content/lambert.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

from widgets._assets import load_json

TOTAL = 100


def factor_ids() -> tuple[str, ...]:
    """The four factors, in the order the exercise shows them."""
    return ("extratherapeutic", "expectancy", "technique", "relationship")


def lambert() -> dict[str, int]:
    """Lambert's estimates (percent), keyed by factor id."""
    data = load_json("content/lambert.json")
    return {entry["id"]: entry["percent"] for entry in data["factors"]}


def lambert_source() -> str:
    return load_json("content/lambert.json")["source"]


def close_threshold() -> int:
    """A difference up to this many points counts as "close"."""
    return load_json("content/lambert.json")["close_threshold"]


def starting_shares() -> dict[str, int]:
    """An even split: the neutral starting point of the exercise."""
    ids = factor_ids()
    return dict(zip(ids, _split(TOTAL, [1] * len(ids)), strict=True))


def clamp(value: float) -> int:
    """``value`` as a whole percentage within 0..100."""
    return max(0, min(TOTAL, round(value)))


def rebalance(shares: dict[str, int], changed: str, value: float) -> dict[str, int]:
    """Set ``changed`` to ``value`` (clamped to 0..100) and scale the others so the total is 100.

    The other shares keep their proportions to one another; when they are all zero, the remainder is split
    evenly. Rounding uses the largest-remainder method, so the result is whole numbers that sum to exactly
    100 and repeated calls with the same input give the same output.
    """
    if changed not in shares:
        raise KeyError(f"unknown factor {changed!r}")
    new = clamp(value)
    others = [key for key in shares if key != changed]
    weights = [max(0, shares[key]) for key in others]
    if sum(weights) == 0:
        weights = [1] * len(others)
    result = dict(zip(others, _split(TOTAL - new, weights), strict=True))
    result[changed] = new
    return {key: result[key] for key in shares}


def _split(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder, ties by position)."""
    weight_sum = sum(weights)
    exact = [total * weight / weight_sum for weight in weights]
    parts = [int(share) for share in exact]
    shortfall = total - sum(parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))
    for index in by_remainder[:shortfall]:
        parts[index] += 1
    return parts


@dataclass(frozen=True)
class Gap:
    """How far a participant's share for one factor is from Lambert's."""

    factor: str
    guess: int
    reference: int

    @property
    def difference(self) -> int:
        return self.guess - self.reference


def compare(guess: dict[str, int], reference: dict[str, int] | None = None) -> list[Gap]:
    """One :class:`Gap` per factor, in exercise order."""
    reference = lambert() if reference is None else reference
    return [Gap(key, guess[key], reference[key]) for key in factor_ids()]


def biggest_gap(gaps: list[Gap]) -> Gap:
    """The factor with the largest absolute difference (the first one on a tie)."""
    return max(gaps, key=lambda gap: abs(gap.difference))
