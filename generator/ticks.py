"""Nice ticks for value axes, one algorithm for every chart storypack draws (pure: no plotting library).

A step is a mantissa from a short ladder (1, 2, 5; or 1, 2, 2.5, 5) times a power of ten. To split
a range into at most `bins` intervals, the step is the smallest on the ladder at least the range
over `bins`; when that leaves fewer than `least` ticks in the range, the next smaller steps are
tried in turn (the idea of matplotlib's MaxNLocator). Ticks are whole multiples of the step, placed
one of two ways: "inside" the range, each worked out as a decimal (k times the mantissa, divided by
a power of ten: 3 x 0.1 gives 0.3), or "covering" it, from the multiple at or below its low end to
the one at or above its high end, in the floating point a chart picture's axes have always had
(the ticks MaxNLocator gives). The deck's pictures cover their range, its native charts only take
the step, the meeting pages' KPI charts place ticks inside.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

ONE_TWO_FIVE: tuple[float, ...] = (1.0, 2.0, 5.0)
"""The usual ladder of mantissas: steps of 1, 2 and 5 times a power of ten."""
SLACK = 1e-9
"""A multiple of the step less than this many steps outside a range counts as inside it."""
OFFSET_FROM = 100
"""Covering ticks are worked out from a power of ten near the range when it lies this many widths from zero."""
EDGE_TOLERANCE = 1e-10
"""A covering end this close (in steps) to a multiple of the step counts as on it."""

Placement = Literal["inside", "covering"]


@dataclass(frozen=True)
class Step:
    """A tick step: `mantissa` (from the ladder, 1 to 10) times ten to the `exponent`."""

    mantissa: float
    exponent: int

    def times(self, count: float) -> float:
        """Return `count` steps as a decimal: divided, not multiplied, by a power of ten (3 x 0.1 is 0.3)."""
        power: int = 10 ** abs(self.exponent)
        return count * self.mantissa * power if self.exponent >= 0 else count * self.mantissa / power

    @property
    def size(self) -> float:
        """Return the step as a decimal."""
        return self.times(1)

    @property
    def decimals(self) -> int:
        """Return the decimals a multiple of the step needs: 0.25 needs two, 0.5 one, 20 none."""
        return max(0, -self.exponent + (0 if self.mantissa == int(self.mantissa) else 1))

    def scaled(self, decade: int) -> float:
        """Return the step in floating point: 0.1, 1 or 10 times the mantissa (as it is a power of ten below, at or
        above `decade`), times 10.0**decade."""
        shift = self.exponent - decade
        factor = 0.1 * self.mantissa if shift < 0 else 10 * self.mantissa if shift > 0 else self.mantissa
        return factor * 10.0**decade


@dataclass(frozen=True)
class Ticks:
    """The ticks found for a range, and the step between them (None when no step was allowed)."""

    values: tuple[float, ...]
    step: Step | None


def decade(value: float) -> int:
    """Return the power of ten of a positive value: 2 for 250, -1 for 0.25."""
    return math.floor(math.log10(value))


def ladder(exponent: int, mantissas: Sequence[float] = ONE_TWO_FIVE) -> list[Step]:
    """Return the candidate steps around 10**exponent, smallest first.

    Every mantissa a power of ten below and at the exponent, then the first two a power above: a
    step of at least a tenth and less than ten times 10**exponent is always among them.
    """
    return ([Step(m, e) for e in (exponent - 1, exponent) for m in mantissas]
            + [Step(m, exponent + 1) for m in mantissas[:2]])


def nice_step(raw: float, mantissas: Sequence[float] = ONE_TWO_FIVE, slack: float = 0.0) -> float:
    """Return the smallest step on the ladder that is at least `raw` (less `slack` of it), in floating point."""
    exponent = decade(raw)
    steps = ladder(exponent, mantissas)
    return steps[_first_at_least(steps, raw * (1 - slack), lambda s: s.scaled(exponent))].scaled(exponent)


def first_multiple(value: float, step: float) -> int:
    """Return k of the first multiple k * step at or above `value` (to SLACK steps)."""
    return math.ceil(value / step - SLACK)


def last_multiple(value: float, step: float) -> int:
    """Return k of the last multiple k * step at or below `value` (to SLACK steps)."""
    return math.floor(value / step + SLACK)


def nice_ticks(low: float, high: float, bins: int, mantissas: Sequence[float] = ONE_TWO_FIVE, *, least: int = 2,
               allowed: Callable[[Step], bool] | None = None, placement: Placement = "inside") -> Ticks:
    """Return ticks over low..high at the smallest allowed step on the ladder giving at most `bins` intervals.

    When a step leaves fewer than `least` ticks within the range, smaller ones are tried; the ticks of
    the last one tried are returned even if they are fewer. "inside" ticks are the multiples within
    the range (to SLACK steps); "covering" ones reach one multiple beyond either end unless an end is
    on a multiple, and the range is first widened a little if it is (nearly) empty.
    """
    offset = 0.0
    if placement == "covering":
        low, high = _nonsingular(low, high)
        middle, width = (high + low) / 2, abs(high - low)
        if abs(middle) / width >= OFFSET_FROM:  # multiples of a small step far from zero lose precision
            offset = math.copysign(10.0 ** decade(abs(middle)), middle)
        exponent = decade(width / bins)
        low, high = low - offset, high - offset
        raw = (high - low) / bins
    else:
        raw = (high - low) / bins
        exponent = decade(raw)

    def size(step: Step) -> float:
        """Return the step as the placement computes with it: scaled to the range's decade when covering."""
        return step.scaled(exponent) if placement == "covering" else step.size

    steps = [s for s in ladder(exponent, mantissas) if allowed is None or allowed(s)]
    values: tuple[float, ...] = ()
    for step in reversed(steps[:_first_at_least(steps, raw, size) + 1]):
        if placement == "covering":
            placed = _covering(low, high, size(step), offset)
            inside = sum(1 for v in placed if low <= v <= high)
            values = tuple(v + offset for v in placed)
        else:
            first, last = first_multiple(low, step.size), last_multiple(high, step.size)
            values = tuple(step.times(k) for k in range(first, last + 1))
            inside = len(values)
        if inside >= least:
            return Ticks(values, step)
    return Ticks(values, steps[0] if steps else None)


def _first_at_least(steps: list[Step], raw: float, size: Callable[[Step], float]) -> int:
    """Return the index of the first step at least `raw` in size, else of the last."""
    return next((i for i, step in enumerate(steps) if size(step) >= raw), len(steps) - 1)


def _covering(low: float, high: float, step: float, offset: float) -> list[float]:
    """Return the multiples of `step` from the one at or below `low` to the one at or above `high`.

    They are counted from the multiple `base` at or below `low` (a floor division) and worked out as
    k * step + base. An end within EDGE_TOLERANCE steps of a multiple (more when a large `offset` was
    taken off the range, which costs precision) is taken to be on it.
    """
    base = (low // step) * step
    tolerance = EDGE_TOLERANCE
    if offset:
        tolerance = min(0.4999, max(EDGE_TOLERANCE, 10 ** (math.log10(abs(offset) / step) - 12)))
    count, rest = divmod(low - base, step)
    first = count + 1 if abs(rest / step - 1) < tolerance else count
    count, rest = divmod(high - base, step)
    last = count if abs(rest / step) < tolerance else count + 1
    return [k * step + base for k in range(int(first), int(last) + 1)]


def _nonsingular(low: float, high: float) -> tuple[float, float]:
    """Return the range in increasing order, widened a little where it is empty or too narrow for floats."""
    expander, tiny = 1e-13, 1e-14
    if not (math.isfinite(low) and math.isfinite(high)):
        return -expander, expander
    low, high = float(min(low, high)), float(max(low, high))
    largest = max(abs(low), abs(high))
    if largest < (1e6 / tiny) * sys.float_info.min:
        return -expander, expander
    if high - low <= largest * tiny:
        return low - expander * abs(low), high + expander * abs(high)
    return low, high
