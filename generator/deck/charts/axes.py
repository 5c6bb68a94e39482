"""The value and category axes of a chart picture: their limits, formats and ticks, fitted to the plot's size.

Value ticks are nice ticks (`generator.ticks`, covering the data as matplotlib's MaxNLocator would)
over the span of the data only (`generator.story.charts.data_span`), about one every TICK_SPACING_IN
and never closer than TICK_GAP_LINES lines; category labels are thinned to every n-th (always the
latest) where they do not all fit, and the category axis widens to keep the end labels inside.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from generator.deck.charts.theme import ChartTheme
from generator.story.charts import Panel, Side, YAxis, axis_values, data_span
from generator.story.figures import format_figure
from generator.ticks import nice_ticks

if TYPE_CHECKING:
    from matplotlib.axes import Axes


TICK_SPACING_IN = 0.32
"""Preferred distance between value ticks: a tick every third of an inch at most."""
TICK_GAP_LINES = 1.6
"""Least distance between value tick labels, in lines of their font."""
X_LABEL_GAP_IN = 0.1
"""Least space between two category labels, in inches."""
X_END_ROOM = 0.6
"""Room on the category axis before the first category and after the last, in categories."""


def format_y(ax: Axes, axis: YAxis, side: Side, theme: ChartTheme) -> None:
    """Set the limits, grid and tick format of a value axis; `place` sets its ticks once the plot's height is known."""
    from matplotlib.ticker import FuncFormatter

    if side == "left":  # before the ticks are made: new ticks take the grid style, old ones are restyled one by one
        ax.grid(axis="y", color=theme.grid, lw=0.9, zorder=0)
        ax.set_axisbelow(True)
    else:
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.spines["bottom"].set_visible(True)
    if axis.limits is not None:
        ax.set_ylim(*axis.limits)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_text(v, axis)))
    if axis.label:
        ax.set_ylabel(axis.label)


def tick_text(value: float, axis: YAxis) -> str:
    """Return a tick label as the slides write the unit, without trailing zero cents."""
    text = format_figure(value, axis.unit, axis.currency)
    if axis.unit == "money" and text.endswith(".00"):
        text = text[:-3]
    return text


def format_x(ax: Axes, count: int) -> None:
    """Set the limits of the category axis; `place` chooses its labels once the plot's width is known."""
    ax.set_xlim(-X_END_ROOM, count - 1 + X_END_ROOM)
    ax.spines["bottom"].set_color("#B8C2CE")


def twins(ax: Axes) -> list[Axes]:
    """Return the other axes sharing the plot area of `ax` (its right value axis)."""
    return [other for other in ax.get_shared_x_axes().get_siblings(ax) if other is not ax]


def tick_labels(ax: Axes, axis: YAxis) -> list[str]:
    """Return the tick labels shown on a value axis."""
    low, high = ax.get_ylim()
    return [tick_text(v, axis) for v in ax.get_yticks() if min(low, high) - 1e-9 <= v <= max(low, high) + 1e-9]


def set_y_ticks(ax: Axes, panel: Panel, plot_h: float, line_in: float) -> None:
    """Set the ticks of the panel's value axes for a plot plot_h inches high."""
    _set_value_ticks(ax, panel, "left", plot_h, line_in)
    twin = twins(ax)
    if twin and panel.y2 is not None:
        _set_value_ticks(twin[0], panel, "right", plot_h, line_in)


def _set_value_ticks(ax: Axes, panel: Panel, side: Side, plot_h: float, line_in: float) -> None:
    """Set the ticks of one value axis: only where it has data, and far enough apart to read."""
    low, high = ax.get_ylim()
    values = axis_values(panel, side)
    if not values:
        return
    ticks = _value_ticks((low, high), data_span(panel, side, values, low), max(plot_h, 0.01), line_in)
    if list(ax.get_yticks()) != ticks:
        ax.set_yticks(ticks)
        ax.set_ylim(low, high)  # as they were: ticks may widen the limits


def _value_ticks(limits: tuple[float, float], span: tuple[float, float], plot_h: float, line_in: float) -> list[float]:
    """Return nicely spaced ticks over the data `span` of an axis drawn plot_h inches high.

    About one every TICK_SPACING_IN, never closer than TICK_GAP_LINES lines of line_in inches; where
    not even two fit, only the highest.
    """
    (low, high), (data_low, data_high) = limits, span
    share = (data_high - data_low) / (high - low) if high > low else 1.0
    least = TICK_GAP_LINES * line_in * (high - low) / plot_h  # in data units
    densest: list[float] = []
    for bins in range(max(2, math.floor(plot_h * share / TICK_SPACING_IN)), 0, -1):
        ticks = nice_ticks(data_low, data_high, bins, least=2 if bins > 1 else 1, placement="covering").values
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
        shown = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9
                 and data_low - step * 0.5 <= t <= data_high + step * 0.3]
        if step >= least and (len(shown) > 1 or not densest):
            return shown
        densest = densest or shown
    return densest[-1:]


def label_widths(labels: tuple[str, ...], renderer: Any, theme: ChartTheme) -> list[float]:
    """Return the width in inches of each category label."""
    from matplotlib.font_manager import FontProperties

    font = FontProperties(size=theme.tick_size)
    return [renderer.get_text_width_height_descent(label, font, ismath=False)[0] / renderer.dpi for label in labels]


def set_x_ticks(ax: Axes, labels: tuple[str, ...], widths: list[float], plot_w: float) -> None:
    """Label the categories of a plot plot_w inches wide: every one when they fit, else every n-th (always the latest).

    `widths` holds the width of each label in inches.
    """
    count, plot_w = len(labels), max(plot_w, 0.01)
    pitch = plot_w / (count - 1 + 2 * X_END_ROOM)
    step = max(1, math.ceil((max(widths, default=0.0) + X_LABEL_GAP_IN) / pitch - 1e-9))
    shown = [i for i in range(count) if (count - 1 - i) % step == 0]  # no tick at all where no label
    if list(ax.get_xticks()) != shown:
        ax.set_xticks(shown, [labels[i] for i in shown])
    limits = _x_limits(shown, [widths[i] for i in shown], count, plot_w)
    if ax.get_xlim() != limits:
        ax.set_xlim(*limits)


def _x_limits(shown: list[int], widths: list[float], count: int, plot_w: float) -> tuple[float, float]:
    """Return the limits of the category axis: X_END_ROOM beyond the ends, or what the end labels need to fit.

    `widths` holds the widths in inches of the `shown` labels.
    """
    before = after = X_END_ROOM
    if not shown:
        return -before, count - 1 + after
    for _ in range(6):  # the room needed grows with the room given, less each time
        per_unit = plot_w / (count - 1 + before + after)
        before = max(X_END_ROOM, widths[0] / 2 / per_unit - shown[0])
        after = max(X_END_ROOM, widths[-1] / 2 / per_unit - (count - 1 - shown[-1]))
    return -before, count - 1 + after
