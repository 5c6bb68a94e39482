"""Nice ticks: one algorithm, covering a range as matplotlib's MaxNLocator does or placed inside it as decimals."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ticks import (
    ONE_TWO_FIVE,
    Step,
    Ticks,
    first_multiple,
    ladder,
    last_multiple,
    nice_step,
    nice_ticks,
)

QUARTERS = (1.0, 2.0, 2.5, 5.0)
ENDS = st.one_of(st.floats(-1e9, 1e9), st.integers(-1000, 1000).map(float),
                 st.tuples(st.integers(-999, 999), st.integers(-6, 6)).map(lambda p: p[0] * 10.0 ** p[1]))


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(low=ENDS, high=ENDS, bins=st.integers(1, 9), quarters=st.booleans())
def test_covering_ticks_are_maxnlocators_to_the_bit(low: float, high: float, bins: int, quarters: bool) -> None:
    """The chart pictures' ticks are exactly what matplotlib's locator gave them, far from zero and near it too."""
    from matplotlib.ticker import MaxNLocator

    steps = [1, 2, 2.5, 5, 10] if quarters else [1, 2, 5, 10]
    least = 2 if bins > 1 else 1
    theirs = [float(t) for t in MaxNLocator(nbins=bins, steps=steps, min_n_ticks=least).tick_values(low, high)]
    ours = nice_ticks(low, high, bins, QUARTERS if quarters else ONE_TWO_FIVE, least=least, placement="covering")
    assert [t.hex() for t in ours.values] == [t.hex() for t in theirs]


@pytest.mark.parametrize(("low", "high"), [(1000.0, 1000.5), (-2e6, -2e6 + 3), (5.0, 5.0), (0.0, 0.0), (3.0, -1.0)])
def test_covering_ticks_handle_offsets_and_empty_ranges_as_matplotlib(low: float, high: float) -> None:
    from matplotlib.ticker import MaxNLocator

    theirs = [float(t) for t in MaxNLocator(nbins=4, steps=[1, 2, 5, 10]).tick_values(low, high)]
    assert list(nice_ticks(low, high, 4, placement="covering").values) == theirs


def test_inside_ticks_are_the_decimals_they_read_as() -> None:
    found = nice_ticks(0.0, 1.0, 4, QUARTERS)
    assert found.values == (0.0, 0.25, 0.5, 0.75, 1.0) and found.step == Step(2.5, -1)
    assert nice_ticks(0.25, 0.95, 8).values == (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # not 0.30000000000000004
    assert Step(1.0, -1).times(3) == 0.3 and Step(5.0, 2).size == 500


def test_inside_ticks_fall_back_to_smaller_steps_and_keep_to_the_allowed_ones() -> None:
    # A step of 2, then of 1, leaves a single tick within 1.1..2.9; 0.5 leaves three.
    assert nice_ticks(1.1, 2.9, 1, least=1) == Ticks((2.0,), Step(2.0, 0))
    assert nice_ticks(1.1, 2.9, 1, least=2) == Ticks((1.5, 2.0, 2.5), Step(5.0, -1))
    # Steps needing more decimals than allowed are skipped; none left, no ticks.
    assert nice_ticks(0.0, 0.004, 4, allowed=lambda s: s.decimals <= 0) == Ticks((), None)
    assert nice_ticks(0.0, 0.004, 4, allowed=lambda s: s.decimals <= 3).values == (0.0, 0.001, 0.002, 0.003, 0.004)


@pytest.mark.parametrize(("raw", "step"), [(0.3, 0.5), (1.0, 1.0), (1.0000000001, 1.0), (1.01, 2.0), (7.0, 10.0),
                                           (0.012, 0.02), (420.0, 500.0)])
def test_nice_step_is_the_smallest_on_the_ladder_at_least_the_raw_step(raw: float, step: float) -> None:
    assert round(nice_step(raw, slack=1e-9), 12) == step


def test_the_ladder_spans_a_decade_below_to_twenty_times_the_exponent() -> None:
    sizes = [s.scaled(0) for s in ladder(0)]
    assert sizes == [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
    assert [s.size for s in ladder(-1, QUARTERS)] == [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0]
    assert [s.decimals for s in ladder(-1, QUARTERS)][:4] == [2, 2, 3, 2]


def test_multiples_within_a_range_allow_for_rounding() -> None:
    assert (first_multiple(0.30000000000000004, 0.1), last_multiple(0.7 - 1e-12, 0.1)) == (3, 7)
    assert (first_multiple(-0.5, 0.2), last_multiple(-0.5, 0.2)) == (-2, -3)
    assert math.floor(1.0 / 0.1) == 10 == last_multiple(1.0, 0.1)
