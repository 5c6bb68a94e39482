"""Placing a chart picture's plots: the margins their labels need, where each panel's plot goes, and fitting.

`place` measures the tick labels and titles with the renderer's font metrics (no trial draw), sets
out the panels side by side or, two in a narrow tall picture, stacked, and fits each plot's ticks,
titles and movable labels to its size; as that can change the margins, and a callout sticking out of
its panel's cell widens its margin, it repeats until the margins hold. Sizes are in inches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generator.deck.charts.axes import (
    label_widths,
    set_x_ticks,
    set_y_ticks,
    tick_labels,
    twins,
)
from generator.deck.charts.labels import settle_labels, x_label_boxes
from generator.deck.charts.theme import ChartTheme
from generator.deck.charts.titles import set_titles, title_of, title_pad
from generator.story.charts import ChartSpec, Panel

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as MplFigure


PAD_IN = 0.04
"""Space kept free around the plots' labels at the edges of the picture, in inches."""
GAP = 0.06
"""Space between side-by-side panels, as a share of the picture's width."""
ROW_GAP_IN = 0.12
"""Space between stacked panels, in inches."""
STACK_BELOW_WIDTH_IN = 6.0
STACK_FROM_HEIGHT_IN = 3.2
"""Two panels are stacked, not side by side, in a picture narrower than the first and at least the second high."""
PASSES = 5
"""Most layouts settle in one or two passes; a bound keeps an unsettled one from looping."""
Box = tuple[float, float, float, float]
"""(left, bottom, right, top) in inches from the picture's lower left corner."""


def _grid(count: int, width_in: float, height_in: float) -> tuple[int, int]:
    """Return the rows and columns of the panels: side by side, or two stacked in a narrow, tall picture."""
    if count == 2 and width_in < STACK_BELOW_WIDTH_IN and height_in >= STACK_FROM_HEIGHT_IN:
        return 2, 1
    return 1, count


def place(fig: MplFigure, axes: list[Axes], spec: ChartSpec, theme: ChartTheme, top: float) -> None:
    """Position the plots so that their tick labels, titles and callouts fit inside the picture.

    The margins come from the sizes of the tick labels and titles, measured with the renderer's font
    metrics (no trial draw). The value ticks, titles, category labels and movable labels are then
    fitted to the plots' sizes, which can change the margins, and a callout that still sticks out of
    its panel's cell widens that margin: both repeat until the margins hold.
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    grid = _grid(len(axes), width_in, height_in)
    line_in = _line_height(renderer, theme.tick_size)
    widths = label_widths(spec.x_labels, renderer, theme)
    margins = _first_margins(axes, spec, grid, (width_in, top * height_in), widths, renderer, theme)
    extra = [(0.0, 0.0, 0.0, 0.0)] * len(axes)
    for _ in range(PASSES):
        wanted = [(m[0] + e[0], m[1] + e[1], m[2] + e[2], m[3] + e[3]) for m, e in zip(margins, extra)]
        cells, plots = _layout(wanted, grid, width_in, top * height_in)
        set_titles(axes, spec.panels, [cell[2] - PAD_IN - plot[0] for cell, plot in zip(cells, plots)], renderer,
                   theme)
        for ax, panel, cell, plot in zip(axes, spec.panels, cells, plots):
            _fit_panel(ax, panel, spec.x_labels, widths, cell, plot, renderer, theme, line_in)
        spill = [_spill(ax, renderer, fig.dpi, cell) for ax, cell in zip(axes, cells)]
        now = [_margins(ax, panel, renderer, theme) for ax, panel in zip(axes, spec.panels)]
        if _same(now, margins) and all(s <= 0.005 for sides in spill for s in sides):
            return
        margins = now
        extra = [(e[0] + max(s[0], 0.0), e[1] + max(s[1], 0.0), e[2] + max(s[2], 0.0), e[3] + max(s[3], 0.0))
                 for e, s in zip(extra, spill)]


def _first_margins(axes: list[Axes], spec: ChartSpec, grid: tuple[int, int], room: tuple[float, float],
                   widths: list[float], renderer: Any, theme: ChartTheme) -> list[tuple[float, float, float, float]]:
    """Return the panels' margins with labels, titles and ticks fitted to a first guess of the plots' size.

    `room` is the width and height (inches) the plots share with their labels; `widths` holds the
    width in inches of each category label.
    """
    guess = room[0] / grid[1] - 0.5  # the plots' width until it is known
    for ax in axes:
        set_x_ticks(ax, spec.x_labels, widths, guess)
    set_titles(axes, spec.panels, [guess] * len(axes), renderer, theme)
    margins = [_margins(ax, panel, renderer, theme) for ax, panel in zip(axes, spec.panels)]
    _, plots = _layout(margins, grid, *room)  # the heights as they will be, unless a callout sticks out
    line_in = _line_height(renderer, theme.tick_size)
    for ax, panel, plot in zip(axes, spec.panels, plots):
        set_y_ticks(ax, panel, plot[3] - plot[1], line_in)
    return [_margins(ax, panel, renderer, theme) for ax, panel in zip(axes, spec.panels)]


def _same(margins: Sequence[tuple[float, ...]], others: Sequence[tuple[float, ...]]) -> bool:
    """Return whether two sets of margins are the same but for rounding."""
    return all(abs(a - b) < 1e-6 for ours, theirs in zip(margins, others) for a, b in zip(ours, theirs))


def _layout(margins: list[tuple[float, float, float, float]], grid: tuple[int, int], width_in: float,
            height_in: float) -> tuple[list[Box], list[Box]]:
    """Return each panel's cell and plot, given the room (left, right, above, below) its labels need.

    Panels fill the grid row by row within width_in x height_in inches; the plots of a column share
    their left and right edges, those of a row their top and bottom, and all have the same size.
    """
    rows, cols = grid
    left = [max(m[0] for m in margins[c::cols]) for c in range(cols)]
    right = [max(m[1] for m in margins[c::cols]) for c in range(cols)]
    above = [max(m[2] for m in margins[r * cols:(r + 1) * cols]) for r in range(rows)]
    below = [max(m[3] for m in margins[r * cols:(r + 1) * cols]) for r in range(rows)]
    gap = GAP * width_in
    plot_w = max(0.05, (width_in - gap * (cols - 1) - sum(2 * PAD_IN + a + b for a, b in zip(left, right))) / cols)
    plot_h = max(0.05, (height_in - ROW_GAP_IN * (rows - 1) - sum(2 * PAD_IN + a + b for a, b in zip(above, below)))
                 / rows)
    xs = [sum(2 * PAD_IN + left[k] + plot_w + right[k] + gap for k in range(c)) for c in range(cols)]
    tops = [height_in - sum(2 * PAD_IN + above[k] + plot_h + below[k] + ROW_GAP_IN for k in range(r))
            for r in range(rows)]
    cells, plots = [], []
    for i in range(len(margins)):
        r, c = divmod(i, cols)
        bottom = tops[r] - 2 * PAD_IN - above[r] - plot_h - below[r]
        cells.append((xs[c], bottom, xs[c] + 2 * PAD_IN + left[c] + plot_w + right[c], tops[r]))
        plot_left, plot_bottom = xs[c] + PAD_IN + left[c], bottom + PAD_IN + below[r]
        plots.append((plot_left, plot_bottom, plot_left + plot_w, plot_bottom + plot_h))
    return cells, plots


def _fit_panel(ax: Axes, panel: Panel, x_labels: tuple[str, ...], widths: list[float], cell: Box, plot: Box,
               renderer: Any, theme: ChartTheme, line_in: float) -> None:
    """Put the panel's plot in `plot` and fit its ticks and labels to that size and to its `cell`.

    `widths` holds the width in inches of each category label, `line_in` the height of a line of ticks.
    """
    figure: Any = ax.get_figure()
    width_in, height_in = (float(v) for v in figure.get_size_inches())
    position = (plot[0] / width_in, plot[1] / height_in, (plot[2] - plot[0]) / width_in,
                (plot[3] - plot[1]) / height_in)
    for each in [ax, *twins(ax)]:
        each.set_position(position)
    set_y_ticks(ax, panel, plot[3] - plot[1], line_in)
    set_x_ticks(ax, x_labels, widths, plot[2] - plot[0])
    flags = ((cell[0] + PAD_IN) * renderer.dpi, (cell[2] - PAD_IN) * renderer.dpi)  # event flags keep between
    settle_labels(ax, flags, lambda: x_label_boxes(ax, widths, line_in, renderer.dpi), renderer, theme)


def _line_height(renderer: Any, points: float) -> float:
    """Return the height in inches of a line of text at `points`, as matplotlib measures 'lp'."""
    from matplotlib.font_manager import FontProperties

    _, height, _ = renderer.get_text_width_height_descent("lp", FontProperties(size=points), ismath=False)
    dpi: float = renderer.dpi
    return float(height) / dpi


def _margins(ax: Axes, panel: Panel, renderer: Any, theme: ChartTheme) -> tuple[float, float, float, float]:
    """Return the room (left, right, above, below) in inches that the labels around the plot of `ax` need."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    def size(text: str, points: float, **style: Any) -> tuple[float, float]:
        w, h, _ = renderer.get_text_width_height_descent(text, FontProperties(size=points, **style), ismath=False)
        return w / dpi, h / dpi

    dpi = renderer.dpi
    tick = theme.tick_size
    line = size("lp", tick)[1]  # matplotlib's height of a line of text
    left = max((size(t, tick)[0] for t in tick_labels(ax, panel.y)), default=0.0)
    left += rcParams["ytick.major.pad"] / 72 if left else 0.0
    if panel.y.label:
        left += size("lp", theme.label_size)[1] + rcParams["axes.labelpad"] / 72
    right = 0.0
    twin = twins(ax)
    if twin and panel.y2 is not None:
        right = max((size(t, tick)[0] for t in tick_labels(twin[0], panel.y2)), default=0.0)
        right += rcParams["ytick.major.pad"] / 72 if right else 0.0
        if panel.y2.label:
            right += size("lp", theme.label_size)[1] + rcParams["axes.labelpad"] / 72
    below = line + rcParams["xtick.major.pad"] / 72
    above = 0.0
    title = title_of(ax)
    if title is not None:
        above = Text.get_window_extent(title, renderer).height / dpi + title_pad(panel) / 72
    elif panel.events:
        above = size("lp", theme.label_size, style="italic")[1] + 3 / 72
    return left, right, above, below


def _spill(ax: Axes, renderer: Any, dpi: float, cell: Box) -> tuple[float, float, float, float]:
    """Return how far (inches) the callouts and labels on the plot of `ax` stick out of its panel's cell.

    Positive values stick out to the left, right, top and bottom.
    """
    spill = [0.0, 0.0, 0.0, 0.0]
    for each in [ax, *twins(ax)]:
        for text in each.texts:
            box = text.get_window_extent(renderer)
            if box.width <= 1 and box.height <= 1:  # not drawn: its point is outside the plot
                continue
            x0, x1, y0, y1 = box.x0 / dpi, box.x1 / dpi, box.y0 / dpi, box.y1 / dpi
            spill = [max(spill[0], cell[0] + PAD_IN - x0), max(spill[1], x1 - (cell[2] - PAD_IN)),
                     max(spill[2], y1 - (cell[3] - PAD_IN)), max(spill[3], cell[1] + PAD_IN - y0)]
    return spill[0], spill[1], spill[2], spill[3]
