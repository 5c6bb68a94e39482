"""Small KPI charts as SVG, drawn with matplotlib, the same bytes for the same numbers.

As with the deck's charts (`generator.charts`), no pyplot and no automatic layout: a `Figure` on an
SVG canvas, its plot placed from the known picture size and the measured widths of its labels,
and drawn once, when saved.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from generator.meetings.formatting import month
from generator.meetings.report import KpiReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LINE = "#1f4e79"
TARGET = "#8a5a00"
MET, MISSED = "#1d6b3a", "#a4262c"

SIZE = (3.4, 1.7)
"""Width and height of a chart, in inches."""
FONT_PT, TARGET_FONT_PT = 8.0, 7.0
"""Sizes of the tick labels and of the target's label, in points."""
TICK_PT = 3.5 + 3.5
"""Length of a tick mark plus the gap to its label, in points (matplotlib's defaults)."""
TARGET_GAP_PT = 3.0
"""Gap between the right end of the target line and its label, in points."""
PAD_PT = 2.4
"""Space kept free around the labels at the edges of the picture, in points."""
X_MARGIN = 0.3
"""Room left and right of the first and last month on the x axis, in months..."""
X_MARGIN_PT = 6.0
"""...and at least this many points, so that the big dot on the last month is never cut off."""


def kpi_chart(report: KpiReport) -> bytes:
    """Return an SVG line chart of one KPI since the last review, with its target as a dashed line."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with rc_context(_STYLE):
        fig = Figure(figsize=SIZE)
        FigureCanvasSVG(fig)
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        _draw(ax, report)
        _place(ax, report)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": report.kpi.name})
    return buffer.getvalue()


MAX_LABELS = 7
"""Most month labels a small chart shows; with more months, every n-th is labelled (the latest always)."""


def month_labels(months: tuple[str, ...]) -> list[str]:
    """Return the x labels: 'Sep' per month, or every n-th month when there are many ('Sep 26' across years)."""
    years = len(months) > MAX_LABELS and len({m[:4] for m in months}) > 1
    step = -(-len(months) // (MAX_LABELS // 2 if years else MAX_LABELS))
    return [(f"{month(m).split()[0]} {m[2:4]}" if years else month(m).split()[0])
            if (len(months) - 1 - i) % step == 0 else "" for i, m in enumerate(months)]


_STYLE: dict[Any, Any] = {
    "svg.hashsalt": "storypack",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": FONT_PT,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
    "xtick.major.size": 3.5,
    "xtick.major.pad": 3.5,
    "ytick.major.size": 3.5,
    "ytick.major.pad": 3.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#6b6b6b",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}


def _draw(ax: Axes, report: KpiReport) -> None:
    """Draw the series, its last point (green when the target is met, red when not) and the target."""
    from matplotlib.ticker import FormatStrFormatter, MaxNLocator

    kpi = report.kpi
    xs = list(range(len(report.values)))
    dots = len(xs) <= 3 * MAX_LABELS  # a long series reads better as a plain line
    ax.plot(xs, report.values, color=LINE, linewidth=1.6, marker="o" if dots else None, markersize=3.5)
    ax.plot(xs[-1:], report.values[-1:], color=MET if report.met else MISSED, marker="o", markersize=7,
            linestyle="none")
    ax.axhline(kpi.target, color=TARGET, linewidth=1, linestyle=(0, (4, 3)))
    ax.annotate("target", xy=(1, kpi.target), xycoords=("axes fraction", "data"), xytext=(TARGET_GAP_PT, 0),
                textcoords="offset points", va="center", color=TARGET, fontsize=TARGET_FONT_PT)
    labels = month_labels(report.months)
    # Tick marks only under the labelled months (a short one under each other dot), not a comb under a long line.
    ax.set_xticks([x for x, label in zip(xs, labels) if label], [label for label in labels if label])
    ax.set_xticks([x for x, label in zip(xs, labels) if not label] if dots else [], minor=True)
    low, high = min(*report.values, kpi.target), max(*report.values, kpi.target)
    margin = (high - low) * 0.15 or 1
    ax.set_ylim(low - margin, high + margin)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FormatStrFormatter(f"%.{min(kpi.decimals, 1)}f"))
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)


def _place(ax: Axes, report: KpiReport) -> None:
    """Position the plot so that its tick labels and the target's label fit inside the picture.

    The margins come from the picture's size and the widths and heights of the labels, measured with
    the font metrics the SVG renderer uses (no trial draw, no automatic layout).
    """
    width_in, height_in = SIZE
    line_pt = _text_size("lp", FONT_PT)[1]  # matplotlib's height of a line of text
    low, high = ax.get_ylim()
    ticks = [v for v in ax.yaxis.get_majorticklocs() if low - 1e-9 <= v <= high + 1e-9]
    y_labels = ax.yaxis.get_major_formatter().format_ticks(ticks)
    y_labels_pt = max((_text_size(label, FONT_PT)[0] for label in y_labels), default=0.0)
    left_pt = PAD_PT + y_labels_pt + TICK_PT
    right_pt = PAD_PT + TARGET_GAP_PT + _text_size("target", TARGET_FONT_PT)[0]
    below_pt = PAD_PT + TICK_PT + line_pt
    above_pt = PAD_PT + line_pt / 2  # the top tick label may be centred on the top edge
    # A month label wider than the room beside the first or last month sticks out of the plot.
    count = len(report.values)
    halves = [(i, _text_size(label, FONT_PT)[0] / 2) for i, label in enumerate(month_labels(report.months)) if label]
    for _ in range(2):  # again, as a wider margin leaves each month less room
        room, month_pt = _x_room(count, width_in * 72 - left_pt - right_pt)
        for i, half in halves:
            left_pt = max(left_pt, PAD_PT + half - (i + room) * month_pt)
            right_pt = max(right_pt, PAD_PT + half - (count - 1 - i + room) * month_pt)
    room, _ = _x_room(count, width_in * 72 - left_pt - right_pt)
    ax.set_xlim(-room, count - 1 + room)
    ax.set_position((left_pt / 72 / width_in, below_pt / 72 / height_in,
                     1 - (left_pt + right_pt) / 72 / width_in, 1 - (above_pt + below_pt) / 72 / height_in))


def _x_room(count: int, plot_pt: float) -> tuple[float, float]:
    """Return the room beside the first and last of `count` months, in months, and the width of a month in points."""
    room = max(X_MARGIN, X_MARGIN_PT * (count - 1) / max(plot_pt - 2 * X_MARGIN_PT, 1.0))
    return room, plot_pt / (count - 1 + 2 * room)


@lru_cache(maxsize=1024)
def _text_size(text: str, points: float) -> tuple[float, float]:
    """Return the width and height in points of a line of text in the charts' font, as the SVG renderer measures it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(family=_STYLE["font.family"], size=points)
    w, h, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return float(w), float(h)
