"""What a chart picture's panel shows, drawn with matplotlib: series, bars, targets, events and callouts.

Bars are drawn before lines so lines are never hidden; bars and line points carry their values, in
red where a target was missed; target lines are dashed, events shade their month and are flagged
above the plot, callouts point at their point from the side with more room. Each series and target
adds its legend entry. Movable labels carry a gid that `labels` settles them by.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.deck.charts.axes import format_x, format_y
from generator.deck.charts.theme import ChartTheme
from generator.story.charts import (
    Annotation,
    Event,
    Panel,
    Series,
    Side,
    Status,
    TargetLine,
    YAxis,
)
from generator.story.figures import format_figure

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes


def draw_panel(ax: Axes, right: Axes | None, panel: Panel, x_labels: tuple[str, ...], theme: ChartTheme,
               legend: dict[str, Artist], direct: bool) -> None:
    """Draw one panel's series, targets, events and callouts on `ax` and `right` (its twin with the right-hand value
    axis, made with the figure, where the panel has one), adding their legend entries.

    With `direct`, target lines are labelled on the plot instead of in the legend.
    """
    if right is not None:
        # The line on the left axis stays in front of the light bars on the right one.
        ax.set_zorder(right.get_zorder() + 1)
        ax.patch.set_visible(False)
        ax.tick_params(axis="y", left=False)  # `twinx` turned the tick marks on again
        right.tick_params(axis="y", right=False)
    on: dict[Side, Axes] = {"left": ax, "right": right or ax}
    two_sides = right is not None and any(s.axis == "left" for s in panel.series)
    _draw_series(on, panel, theme, legend, two_sides)
    for target in panel.targets:
        _draw_target(on[target.axis], target, theme, legend)
        if direct and not target.at:
            start = [v for s in panel.series if s.axis == target.axis for v in s.values[:3]]
            _label_target(on[target.axis], target, above=not start or sum(start) / len(start) < target.value,
                          theme=theme)
    for event in panel.events:
        _draw_event(right or ax, event, theme)
    for note in panel.annotations:
        _draw_annotation(on[note.axis], note, len(x_labels), theme)
    format_y(ax, panel.y, "left", theme)
    if right is not None and panel.y2 is not None:
        format_y(right, panel.y2, "right", theme)
    format_x(ax, len(x_labels))


def _draw_series(on: dict[Side, Axes], panel: Panel, theme: ChartTheme, legend: dict[str, Artist],
                 two_sides: bool) -> None:
    """Draw the panel's bars first, then its lines, so lines are never hidden."""
    series = panel.series
    units: dict[Side, YAxis] = {"left": panel.y, "right": panel.y2 or panel.y}
    grouped = {side: [s for s in series if s.kind == "bar" and s.axis == side] for side in on}
    for s in series:  # legend entries in the order of the spec, whatever the drawing order
        legend.setdefault(_legend_name(s, two_sides), _patch(theme.background))
    stacks: dict[Side, list[float]] = {}
    for s in sorted(series, key=lambda s: s.kind == "line"):
        ax, colour = on[s.axis], theme.series[s.colour % len(theme.series)]
        xs = list(range(len(s.values)))
        name = _legend_name(s, two_sides)
        if s.kind == "line":
            (handle,) = ax.plot(xs, s.values, color=colour, lw=2.6, marker="o", ms=4.5, zorder=5, gid="series")
            legend[name] = handle
            _label_line(ax, units[s.axis], s, colour, theme)
            continue
        if s.kind == "stacked":
            bottom = stacks.setdefault(s.axis, [0.0] * len(s.values))
            width, offset = 0.68, 0.0
        else:
            bottom = [0.0] * len(s.values)
            group = grouped[s.axis]
            width = 0.8 / len(group) * (0.92 if len(group) > 1 else 0.8)
            offset = (group.index(s) - (len(group) - 1) / 2) * 0.8 / len(group)
        fills = [theme.missed if status == "missed" else colour for status in _padded_status(s)]
        tops = _bars(ax, [x + offset for x in xs], s.values, width, bottom, fills, theme.background,
                     fixed=units[s.axis].limits is not None)
        legend[name] = _patch(colour)
        if "missed" in s.status:
            legend.setdefault("Below target", _patch(theme.missed))
        if s.value_labels != "none":
            targets = [t for t in panel.targets if t.axis == s.axis]
            _label_bars(ax, units[s.axis], tops, s, targets, theme)
        if s.kind == "stacked":
            stacks[s.axis] = [b + v for b, v in zip(bottom, s.values)]


def _bars(ax: Axes, xs: list[float], heights: tuple[float, ...], width: float, bottoms: list[float],
          fills: list[str], edge: str, fixed: bool) -> list[tuple[float, float]]:
    """Draw bars centred on xs and return the middle of each bar's top edge.

    With `fixed` (the value axis has set limits), the bars are one collection, added without updating
    the data limits: a patch per bar, as `ax.bar` makes, costs most of a stacked chart's drawing.
    """
    if not fixed:
        bars = ax.bar(xs, heights, width, bottom=bottoms, color=fills, edgecolor=edge, linewidth=0.6, zorder=2)
        return [(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height()) for bar in bars]
    from matplotlib.collections import PolyCollection

    corners = [(x - width / 2, x - width / 2 + width, bottom, bottom + height)
               for x, height, bottom in zip(xs, heights, bottoms)]
    outlines = [[(left, low), (right, low), (right, high), (left, high)] for left, right, low, high in corners]
    ax.add_collection(PolyCollection(outlines, facecolors=fills, edgecolors=edge, linewidths=0.6, zorder=2),
                      autolim=False)
    return [(left + width / 2, high) for left, _, _, high in corners]


def _legend_name(s: Series, two_sides: bool) -> str:
    """Return the series name, saying which axis it reads on when a panel has two."""
    return f"{s.name} (right axis)" if two_sides and s.axis == "right" else s.name


def _padded_status(s: Series) -> list[Status]:
    return list(s.status) + [""] * (len(s.values) - len(s.status))


def _patch(colour: str) -> Artist:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor="none")


def _label_line(ax: Axes, axis: YAxis, s: Series, colour: str, theme: ChartTheme) -> None:
    """Write the value of the last (or every) point above it, in green or red when it has a target."""
    if s.value_labels == "none":
        return
    points = range(len(s.values)) if s.value_labels == "all" else [len(s.values) - 1]
    status = _padded_status(s)
    for i in points:
        tone = {"met": theme.met, "missed": theme.missed, "": colour}[status[i]]
        ax.plot([i], [s.values[i]], "o", color=tone, ms=7.5, zorder=6)
        ax.annotate(format_figure(s.values[i], axis.unit, axis.currency), (i, s.values[i]), xytext=(0, 7),
                    textcoords="offset points", ha="center", va="bottom", color=tone, fontweight="bold",
                    fontsize=theme.label_size, zorder=7, gid="line-value")


def _label_bars(ax: Axes, axis: YAxis, tops: list[tuple[float, float]], s: Series, targets: list[TargetLine],
                theme: ChartTheme) -> None:
    """Write bar values above the bars, and above a target line crossing the label; missed values in red.

    `tops` holds the middle of each bar's top edge.
    """
    status = _padded_status(s)
    indexes = range(len(s.values)) if s.value_labels == "all" else [len(s.values) - 1]
    for i in indexes:
        middle, top = tops[i]
        top = max([top] + [t.value for t in targets if (not t.at or i in t.at) and t.value >= top])
        missed = status[i] == "missed"
        ax.annotate(format_figure(s.values[i], axis.unit, axis.currency),
                    (middle, top), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=theme.label_size, color=theme.missed if missed else theme.text,
                    fontweight="bold" if missed else "normal", zorder=7, gid="bar-value")


def _draw_target(ax: Axes, target: TargetLine, theme: ChartTheme, legend: dict[str, Artist]) -> None:
    """Draw a dashed target line over the whole panel or over each of its x positions."""
    style: dict[str, Any] = {"color": theme.target, "lw": 1.8, "ls": (0, (4, 2.5)), "zorder": 4, "gid": "target"}
    if target.at:
        for x in target.at:
            (handle,) = ax.plot([x - 0.46, x + 0.46], [target.value] * 2, **style)
    else:
        handle = ax.axhline(target.value, **style)
    legend.setdefault(target.label, handle)


def _label_target(ax: Axes, target: TargetLine, above: bool, theme: ChartTheme) -> None:
    """Write the target's label at the left end of its line, on the side away from the first points."""
    ax.annotate(target.label, (0.0, target.value), xycoords=("axes fraction", "data"),
                xytext=(2, 4 if above else -4), textcoords="offset points", ha="left",
                va="bottom" if above else "top", color=theme.target, fontsize=theme.label_size, zorder=7,
                gid="target-label")


def _draw_event(ax: Axes, event: Event, theme: ChartTheme) -> None:
    """Shade the event's month and flag it above the plot."""
    ax.axvspan(event.x - 0.45, event.x + 0.45, color=theme.event, zorder=0, lw=0)
    ax.annotate(event.label, (event.x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                textcoords="offset points", ha="center", va="bottom", fontsize=theme.label_size,
                color=theme.annotation, fontstyle="italic", gid="event")


def _draw_annotation(ax: Axes, note: Annotation, count: int, theme: ChartTheme) -> None:
    """Draw a callout with a short leader line, to the side of the point with more room."""
    to_right = note.x < count / 2
    ax.plot([note.x], [note.y], "o", ms=8, mfc="none", mec=theme.annotation, mew=1.8, zorder=6)
    ax.annotate(note.text, (note.x, note.y), xytext=(16 if to_right else -16, 8), textcoords="offset points",
                ha="left" if to_right else "right", va="center", fontsize=theme.label_size,
                fontweight="bold", color=theme.annotation, zorder=7,
                arrowprops={"arrowstyle": "-", "color": theme.annotation, "lw": 1.2, "shrinkA": 2, "shrinkB": 5})
