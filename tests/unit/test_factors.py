"""The linked-slider logic of chapter 01: four whole shares that always sum to 100."""

import random

import pytest

from widgets import factors


def test_starting_shares_are_even_and_sum_to_100():
    shares = factors.starting_shares()
    assert list(shares) == list(factors.factor_ids())
    assert shares == dict.fromkeys(factors.factor_ids(), 25)


def test_others_keep_their_proportions():
    shares = {"extratherapeutic": 40, "expectancy": 20, "technique": 20, "relationship": 20}
    result = factors.rebalance(shares, "relationship", 60)
    assert result == {"extratherapeutic": 20, "expectancy": 10, "technique": 10, "relationship": 60}


def test_all_others_zero_splits_the_rest_evenly():
    shares = {"extratherapeutic": 100, "expectancy": 0, "technique": 0, "relationship": 0}
    result = factors.rebalance(shares, "extratherapeutic", 70)
    assert result == {"extratherapeutic": 70, "expectancy": 10, "technique": 10, "relationship": 10}


def test_rounding_remainder_goes_to_largest_fractions_deterministically():
    shares = factors.starting_shares()
    result = factors.rebalance(shares, "technique", 0)
    assert sum(result.values()) == 100
    assert sorted(result[key] for key in ("extratherapeutic", "expectancy", "relationship")) == [33, 33, 34]
    assert result == factors.rebalance(shares, "technique", 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-5, 0), (-0.4, 0), (0, 0), (50.6, 51), (100, 100), (250, 100), (1e9, 100)],
)
def test_value_is_clamped_to_bounds(value, expected):
    result = factors.rebalance(factors.starting_shares(), "expectancy", value)
    assert result["expectancy"] == expected
    assert sum(result.values()) == 100
    assert all(0 <= share <= 100 for share in result.values())


def test_random_moves_always_keep_the_invariants():
    generator = random.Random(20261123)
    shares = factors.starting_shares()
    for _ in range(5000):
        key = generator.choice(factors.factor_ids())
        value = generator.uniform(-20, 120)
        shares = factors.rebalance(shares, key, value)
        assert sum(shares.values()) == 100
        assert all(isinstance(share, int) and 0 <= share <= 100 for share in shares.values())
        assert shares[key] == factors.clamp(value)
        assert list(shares) == list(factors.factor_ids())


def test_unknown_factor_is_refused():
    with pytest.raises(KeyError, match="unknown factor"):
        factors.rebalance(factors.starting_shares(), "luck", 10)


def test_lambert_estimates_from_assets():
    assert factors.lambert() == {
        "extratherapeutic": 40,
        "relationship": 30,
        "expectancy": 15,
        "technique": 15,
    }
    assert "Asay" in factors.lambert_source()


def test_compare_and_biggest_gap():
    guess = {"extratherapeutic": 10, "expectancy": 20, "technique": 40, "relationship": 30}
    gaps = factors.compare(guess)
    assert [gap.factor for gap in gaps] == list(factors.factor_ids())
    assert [gap.difference for gap in gaps] == [-30, 5, 25, 0]
    assert factors.biggest_gap(gaps).factor == "extratherapeutic"
