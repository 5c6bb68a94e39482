"""Small KPI charts as SVG, drawn with matplotlib, the same bytes for the same numbers."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from generator.meetings.formatting import month
from generator.meetings.report import KpiReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LINE = "#1f4e79"
TARGET = "#8a5a00"
MET, MISSED = "#1d6b3a", "#a4262c"


def kpi_chart(report: KpiReport) -> bytes:
    """Return an SVG line chart of one KPI since the last review, with its target as a dashed line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(3.4, 1.7))
        try:
            _draw(ax, report)
            fig.tight_layout(pad=0.3)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": report.kpi.name})
        finally:
            plt.close(fig)
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
    "font.size": 8,
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
    ax.annotate("target", xy=(1, kpi.target), xycoords=("axes fraction", "data"), xytext=(3, 0),
                textcoords="offset points", va="center", color=TARGET, fontsize=7)
    ax.set_xticks(xs, month_labels(report.months))
    low, high = min(*report.values, kpi.target), max(*report.values, kpi.target)
    margin = (high - low) * 0.15 or 1
    ax.set_ylim(low - margin, high + margin)
    ax.set_xlim(-0.3, len(xs) - 0.7)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FormatStrFormatter(f"%.{min(kpi.decimals, 1)}f"))
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)
