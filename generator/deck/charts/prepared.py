"""Prepared figures: a chart picture's figure, canvas, plots and right-hand axes, kept by a process and reused.

Making a matplotlib figure with its plots, axes, spines and ticks costs more than drawing many a
chart on it, and the pictures of a deck (and of the next deck a worker draws) come in a few layouts.
`prepared_figure` returns the figure for a spec's layout (its panels, which have a right-hand axis),
size, theme and fonts: made the first time, afterwards the one made then, put back as it was made
(`_Pristine.restore`): every artist drawn on it removed, and the limits, autoscaling, margins, tick
locators and formatters, titles, axis labels, positions and stacking order a drawing changes reset.
The ticks, spines and axis machinery stay (whether tick labels count in the layout is set again before
each draw, `unplaced_empty_labels`). A figure whose drawing failed is dropped (`discard`).
`tests/test_chart_reuse.py` checks that a reused figure draws the bytes a new one draws, in any order.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from generator.deck.charts.theme import ChartTheme
from generator.fonts import FontSet
from generator.story.charts import ChartSpec

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as MplFigure

KEEP = 8
"""Prepared figures a process keeps (the least recently used goes first): a deck's pictures use four or five."""


@dataclass
class Prepared:
    """A figure ready to draw a chart on: its plots in panel order and each one's right-hand axes (or None)."""

    key: tuple[Any, ...]
    figure: MplFigure
    axes: list[Axes]
    rights: list[Axes | None]
    pristine: list[_Pristine]


_KEPT: OrderedDict[tuple[Any, ...], Prepared] = OrderedDict()


def layout_key(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme,
               fonts: FontSet) -> tuple[Any, ...]:
    """Return what a prepared figure is made for: the panels and which have a right-hand axis, size, theme, fonts."""
    return (tuple(panel.y2 is not None for panel in spec.panels), width_in, height_in, theme, fonts.key())


def prepared_figure(spec: ChartSpec, width_in: float, height_in: float, dpi: float, theme: ChartTheme,
                    fonts: FontSet, canvas_type: Any) -> Prepared:
    """Return a figure of the spec's layout as if new: kept from an earlier chart and reset, or made now.

    Call within the picture's rc settings and fonts: a new figure takes its styles from them.
    """
    key = (*layout_key(spec, width_in, height_in, theme, fonts), dpi)
    found = _KEPT.pop(key, None)
    if found is None:
        found = _prepare(key, spec, (width_in, height_in), dpi, canvas_type)
    else:
        for pristine in found.pristine:
            pristine.restore()
        _restore_figure(found.figure)
    _KEPT[key] = found
    while len(_KEPT) > KEEP:
        _KEPT.popitem(last=False)
    return found


def unplaced_empty_labels(prepared: Prepared) -> None:
    """Skip what matplotlib computes at every draw to place an axis label that has no text (an empty label is not
    drawn): its place from the tick labels' boxes, and those boxes (call once the chart is laid out, before it is
    drawn). The boxes are otherwise used only to place the offset text, which these charts' formatters leave empty."""
    for ax in prepared.figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            placed = bool(axis.label.get_text())
            if not placed:
                cast(Any, axis)._autolabelpos = False  # what `set_label_coords` sets, without moving the label
            for tick in axis.majorTicks:
                tick.label1.set_in_layout(placed)
                tick.label2.set_in_layout(placed)


def discard(prepared: Prepared) -> None:
    """Forget a prepared figure (its drawing failed half way: it is made again next time)."""
    if _KEPT.get(prepared.key) is prepared:
        del _KEPT[prepared.key]


def forget_all() -> None:
    """Forget every prepared figure: the next chart of each layout is drawn on a new one."""
    _KEPT.clear()


def _prepare(key: tuple[Any, ...], spec: ChartSpec, size: tuple[float, float], dpi: float,
             canvas_type: Any) -> Prepared:
    """Make the figure, its canvas, one plot per panel and a right-hand axes where a panel has one."""
    from matplotlib.figure import Figure as MplFigure

    figure = MplFigure(figsize=size, dpi=dpi)
    canvas_type(figure)
    axes = list(figure.subplots(1, len(spec.panels), squeeze=False)[0])  # `place` decides where each plot goes
    rights = [ax.twinx() if panel.y2 is not None else None for ax, panel in zip(axes, spec.panels)]
    every = [*axes, *(right for right in rights if right is not None)]
    return Prepared(key, figure, axes, rights, [_Pristine(ax) for ax in every])


def _restore_figure(figure: MplFigure) -> None:
    """Remove what was drawn on the figure itself (the legend)."""
    for artists in (figure.artists, figure.lines, figure.patches, figure.texts, figure.images, figure.legends):
        for artist in list(artists):
            artist.remove()


class _Pristine:
    """What a drawing changes of one axes, as it was when the axes was made; `restore` puts it back."""

    def __init__(self, ax: Axes) -> None:
        from matplotlib import rcParams

        self.ax = ax
        self.view = ax._viewLim.get_points().copy()  # type: ignore[attr-defined]
        self.auto = (ax.get_autoscalex_on(), ax.get_autoscaley_on())
        self.margins = (ax._xmargin, ax._ymargin, ax._tight, ax.use_sticky_edges)  # type: ignore[attr-defined]
        self.zorder = ax.get_zorder()
        self.patch = ax.patch.get_visible()
        self.position = (ax.get_position(original=True).frozen(), ax.get_position(original=False).frozen())
        self.in_layout = ax.get_in_layout()
        self.title_pad = float(rcParams["axes.titlepad"])  # as a new axes has it
        self.titles = [(title, title.get_position(), title.get_fontproperties().copy())
                       for title in (ax.title, ax._left_title, ax._right_title)]  # type: ignore[attr-defined]
        self.labels = [(axis, axis.label.get_position(), cast(Any, axis)._autolabelpos)
                       for axis in (ax.xaxis, ax.yaxis)]
        self.tickers = [(axis, axis.get_major_locator(), axis.get_major_formatter(), axis.get_minor_locator(),
                         axis.get_minor_formatter()) for axis in (ax.xaxis, ax.yaxis)]
        """Each axis's default tick locators and formatters, as made (a drawing replaces those it uses)."""

    def restore(self) -> None:
        """Put the axes back as it was made: nothing drawn on it, limits, ticks, titles and labels as new."""
        from matplotlib.transforms import Bbox

        ax = self.ax
        for child in list(ax._children):  # type: ignore[attr-defined]
            child.remove()
        ax.containers.clear()
        ax.set_prop_cycle(None)
        ax.dataLim = Bbox.null()
        ax.ignore_existing_data_limits = True
        ax._viewLim.set_points(self.view.copy())  # type: ignore[attr-defined]
        ax._stale_viewlims = dict.fromkeys(ax._stale_viewlims, False)  # type: ignore[attr-defined]
        ax.set_autoscalex_on(self.auto[0])
        ax.set_autoscaley_on(self.auto[1])
        ax._xmargin, ax._ymargin, ax._tight, ax.use_sticky_edges = self.margins  # type: ignore[attr-defined]
        for axis, major, major_format, minor, minor_format in self.tickers:
            if not (axis.isDefault_majloc and axis.isDefault_majfmt and axis.isDefault_minloc
                    and axis.isDefault_minfmt):
                axis.set_major_locator(major)
                axis.set_major_formatter(major_format)
                axis.set_minor_locator(minor)
                axis.set_minor_formatter(minor_format)
                axis.isDefault_majloc = axis.isDefault_majfmt = axis.isDefault_minloc = axis.isDefault_minfmt = True
        ax.set_zorder(self.zorder)
        ax.patch.set_visible(self.patch)
        ax._set_position(self.position[0], which="original")  # type: ignore[attr-defined]
        ax._set_position(self.position[1], which="active")  # type: ignore[attr-defined]
        ax.set_in_layout(self.in_layout)
        ax._set_title_offset_trans(self.title_pad)  # type: ignore[attr-defined]
        for title, position, font in self.titles:
            title.set_text("")
            title.set_position(position)
            title.set_fontproperties(font.copy())
        for axis, position, placed in self.labels:
            axis.label.set_text("")
            axis.label.set_position(position)
            cast(Any, axis)._autolabelpos = placed
        ax.xaxis.isDefault_label = ax.yaxis.isDefault_label = True
