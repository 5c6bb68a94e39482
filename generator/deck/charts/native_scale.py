"""The value axes of a native chart and its number formats: as the pictures show them, in Excel's terms.

An axis takes the spec's limits (its top raised to make room for labels above points), a nice step
(`generator.ticks`, a tick at most every third of an inch over the data) and a number format whose
conditions hide the tick labels outside the span of the data (`generator.story.charts.data_span`).
"""

from __future__ import annotations

import math

from generator.deck.charts.native_model import NativePalette, Scale, label_height
from generator.story import formatting as fmt
from generator.story.charts import Panel, Side, YAxis, axis_values, data_span
from generator.story.figures import format_figure
from generator.ticks import first_multiple, last_multiple, nice_step


def _currency(code: str) -> str:
    """Return the number-format prefix of a currency: '"€"' or '"CHF "'."""
    symbol = fmt.CURRENCY_SYMBOLS.get(code)
    return f'"{symbol}"' if symbol else f'"{code} "'


def value_format(value: float, axis: YAxis) -> str:
    """Return the Excel number format showing `value` as the slides write it in the axis's unit."""
    text = format_figure(value, axis.unit, axis.currency)
    decimals = _decimals(text)
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if axis.unit == "pct":
        return number.replace("#,##", "") + '"%"'
    if axis.unit == "money":
        scale = ',,"M"' if abs(value) >= 1_000_000 else ',"k"' if abs(value) >= 10_000 else ""
        return _currency(axis.currency) + number + scale
    if axis.unit == "change":
        return f'+{number}"%";-{number}"%";0"%"'
    if axis.unit == "points":
        return f'+{number}" pts";-{number}" pts";0" pts"'
    if axis.unit in ("ratio", "score"):
        return number.replace("#,##", "")
    return number


def _decimals(text: str) -> int:
    """Return how many digits follow the decimal point in a formatted figure ('€25.51' -> 2, '92%' -> 0)."""
    digits = text.split(".", 1)[1] if "." in text else ""
    return len(digits) - len(digits.lstrip("0123456789"))


def _tick_format(axis: YAxis, step: float, top: float) -> str:
    """Return the number format of an axis's tick labels: as many decimals as the step needs."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if step >= 1 and step != int(step):
        decimals = 1
    if axis.unit == "money" and abs(top) >= 10_000:
        scaled = step / (1_000_000 if abs(top) >= 1_000_000 else 1_000)
        decimals = 0 if scaled >= 1 and scaled == int(scaled) else 1
        suffix = ',,"M"' if abs(top) >= 1_000_000 else ',"k"'
        return _currency(axis.currency) + "#,##0" + ("." + "0" * decimals if decimals else "") + suffix
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if axis.unit == "pct":
        return number.replace("#,##", "") + '"%"'
    if axis.unit == "money":
        return _currency(axis.currency) + number
    if axis.unit in ("ratio", "score"):
        return number.replace("#,##", "")
    if axis.unit == "change":
        return f'+{number}"%";-{number}"%";0"%"'
    if axis.unit == "points":
        return f'+{number}" pts";-{number}" pts";0" pts"'
    return number


def xml_number(value: float) -> str:
    """Return a number as written in XML and number-format conditions: short, no trailing zeros."""
    return f"{value:.10g}"


def value_scale(panel: Panel, side: Side, axis: YAxis, plot_height: float, palette: NativePalette,
                label_tops: list[float]) -> Scale:
    """Return the value axis of one side, like the picture's: the spec's limits (the top raised when a
    label above a point would not fit under it), the bottom on a tick, a tick at most every third of an
    inch over the data, and tick labels only where the side has data."""
    values = axis_values(panel, side) or [0.0, 1.0]
    low, high = axis.limits or (min(0.0, min(values)), max(values) * 1.1)
    room = min(0.45, label_height(palette) / plot_height)  # share of the height a label above needs
    for top in label_tops:
        if (high - top) / (high - low) < room:
            high = (top - room * low) / (1 - room)
    data_low, data_high = data_span(panel, side, values, low)
    share = (data_high - data_low) / (high - low) if high > low else 1.0
    ticks = max(2, math.floor(plot_height * share / 0.32))  # a tick every third of an inch at most
    step = round(nice_step((data_high - data_low) / ticks if data_high > data_low else 1.0, slack=1e-9), 12)
    bottom = last_multiple(low, step) * step
    shown = (first_multiple(data_low - step * 0.5, step) * step, last_multiple(data_high + step * 0.3, step) * step)
    number = _tick_format(axis, step, high)
    if ";" not in number:  # conditions hide the tick labels below and above the data
        hidden = ([f'[<{xml_number(shown[0] - step / 2)}]""'] if shown[0] > bottom + step / 2 else []) + \
                 ([f'[>{xml_number(shown[1] + step / 2)}]""'] if shown[1] < high - step / 2 else [])
        number = ";".join(hidden + [number])
    return Scale(bottom, high, step, shown, number)
