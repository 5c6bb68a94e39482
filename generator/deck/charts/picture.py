"""Chart pictures: a `ChartSpec` drawn by matplotlib as PNG, kept in the chart cache."""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import struct
import zlib
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.cache import drawing_versions, store, touch
from generator.deck.charts.theme import ChartTheme
from generator.story.charts import (
    Annotation,
    ChartSpec,
    Event,
    Panel,
    Series,
    Side,
    Status,
    TargetLine,
    YAxis,
)
from generator.story.figures import format_figure

DPI = 150
"""Dots per inch of the chart pictures: a 13.33 in wide slide shown 1920 pixels wide has 144 to the inch."""
PNG_LEVEL = 3
"""zlib compression level of the PNG files: with unfiltered rows, smaller and faster than Pillow's level 6."""
CACHE_FORMAT = 1
"""Bumped when the drawing changes in a way the cache key does not see."""

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as MplFigure


# --- drawing ----------------------------------------------------------------------------------------


def draw_chart(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme | None = None) -> bytes:
    """Return the chart as PNG bytes at DPI dots per inch, drawn at exactly width_in x height_in inches.

    Inside `chart_cache(folder)`, a chart drawn before with the same spec, size, theme and drawing code
    is read from the cache instead of being drawn again (the same bytes either way).
    """
    theme = theme or ChartTheme()
    folder = _CACHE[-1] if _CACHE else None
    if folder is None:
        return _draw_png(spec, width_in, height_in, theme)
    path = folder / f"{cache_key(spec, width_in, height_in, theme)}.png"
    try:
        found = path.read_bytes()
    except OSError:
        pass
    else:
        touch(path)
        return found
    png = _draw_png(spec, width_in, height_in, theme)
    store(path, png)
    return png


_CACHE: list[Path | None] = []
"""The chart cache folders in force (innermost last); None disables a cache set further out."""


@contextlib.contextmanager
def chart_cache(folder: Path | None) -> Iterator[None]:
    """Within the block, read charts from and store them in `folder` (None: draw every chart)."""
    if os.environ.get("STORYPACK_CHART_CACHE", "").lower() in ("0", "off", "no", "false"):
        folder = None
    _CACHE.append(folder)
    try:
        yield
    finally:
        _CACHE.pop()


def cache_key(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme) -> str:
    """Return the hash that names a drawn chart: its spec, size, theme, dpi, drawing code, libraries and fonts."""
    from generator.fonts import installed_fonts

    text = repr((CACHE_FORMAT, spec, width_in, height_in, theme, DPI, PNG_LEVEL, zlib.ZLIB_RUNTIME_VERSION,
                 _drawing_versions(), installed_fonts()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _drawing_versions() -> tuple[str, ...]:
    """Return what, besides the spec, decides a chart's pixels: this code and matplotlib's version."""
    import sys

    from generator.story import figures, formatting

    return drawing_versions((sys.modules[__name__], figures, formatting), ("matplotlib",))


def _draw_png(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme) -> bytes:
    """Draw the chart and return it as PNG bytes."""
    import numpy as np
    from matplotlib.colors import to_rgba

    canvas: Any = _drawn_figure(spec, width_in, height_in, theme).canvas
    pixels = np.asarray(canvas.buffer_rgba())
    if to_rgba(theme.background)[3] == 1.0:  # opaque: no alpha channel to store
        pixels = pixels[:, :, :3]
    return _png(pixels)


def _drawn_figure(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme) -> MplFigure:
    """Return the chart drawn on an Agg canvas of width_in x height_in inches."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure

    with matplotlib.rc_context(_rc(theme)):
        fig = MplFigure(figsize=(width_in, height_in), dpi=DPI)
        canvas = _canvas_type()(fig)
        axes = list(fig.subplots(1, len(spec.panels), squeeze=False)[0])  # `_place` decides where each plot goes
        legend: dict[str, Artist] = {}
        for ax, panel in zip(axes, spec.panels):
            _draw_panel(ax, panel, spec.x_labels, theme, legend, direct=len(spec.panels) > 1)
        top = 1.0
        if len(spec.panels) == 1:  # several panels name their series in their titles and label targets directly
            top = _draw_legend(fig, legend, (width_in, height_in))
        _place(fig, axes, spec, theme, top)
        canvas.draw()
    return fig


def _png(pixels: Any) -> bytes:
    """Return the RGB or RGBA pixels (height x width x channels, 8 bits) as a PNG file of DPI dots per inch.

    Rows are stored unfiltered: a chart's flat areas then compress about as well as with Pillow's adaptive
    filters at level 6, in less than half the time.
    """
    import numpy as np

    height, width, channels = pixels.shape
    rows = np.zeros((height, 1 + width * channels), np.uint8)  # each row starts with its filter type, 0: none
    rows[:, 1:] = pixels.reshape(height, width * channels)
    per_metre = round(DPI / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, {3: 2, 4: 6}[channels], 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_LEVEL)),
        chunk(b"IEND", b""),
    ))


_TEXT_SIZES: dict[tuple[Any, ...], tuple[float, float, float]] = {}
"""Measured (width, height, descent) of texts, shared by every chart a process draws."""


@lru_cache(maxsize=1)
def _canvas_type() -> Any:
    """Return an Agg canvas class whose renderers remember the size of every text they measure.

    Matplotlib measures a text again for every new renderer (one per figure), and FreeType's hinted
    layout costs tens of microseconds a letter; the charts of a deck share most of their texts
    (months, ticks, legend entries). A size depends only on what `_text_key` holds.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    class Renderer(RendererAgg):
        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
            if ismath:
                return super().get_text_width_height_descent(s, prop, ismath)
            key = _text_key(s, prop, self.dpi)
            size = _TEXT_SIZES.get(key)
            if size is None:
                if len(_TEXT_SIZES) >= 20_000:
                    _TEXT_SIZES.clear()
                size = _TEXT_SIZES[key] = super().get_text_width_height_descent(s, prop, ismath)
            return size

    class Canvas(FigureCanvasAgg):
        def get_renderer(self) -> Any:
            key = (*self.get_width_height(physical=True), self.figure.dpi)
            if getattr(self, "_renderer_key", None) != key:
                self.renderer = Renderer(*key)
                self._renderer_key = key
            return self.renderer

    return Canvas


def _text_key(s: str, prop: Any, dpi: float) -> tuple[Any, ...]:
    """Return what decides the size of a (non-math) text: the text, its font, the dpi and the text settings."""
    from matplotlib import font_manager, rcParams

    font = (font_manager.findfont(prop), tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
            prop.get_weight(), prop.get_stretch(), prop.get_size_in_points())
    settings = tuple(rcParams[name] for name in ("text.hinting", "text.hinting_factor", "text.kerning_factor"))
    return (s, font, dpi, settings)


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


def _place(fig: MplFigure, axes: list[Axes], spec: ChartSpec, theme: ChartTheme, top: float) -> None:
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
    widths = _label_widths(spec.x_labels, renderer, theme)
    margins = _first_margins(axes, spec, grid, (width_in, top * height_in), widths, renderer, theme)
    extra = [(0.0, 0.0, 0.0, 0.0)] * len(axes)
    for _ in range(PASSES):
        wanted = [(m[0] + e[0], m[1] + e[1], m[2] + e[2], m[3] + e[3]) for m, e in zip(margins, extra)]
        cells, plots = _layout(wanted, grid, width_in, top * height_in)
        _set_titles(axes, spec.panels, [cell[2] - PAD_IN - plot[0] for cell, plot in zip(cells, plots)], renderer,
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
        _set_x_ticks(ax, spec.x_labels, widths, guess)
    _set_titles(axes, spec.panels, [guess] * len(axes), renderer, theme)
    margins = [_margins(ax, panel, renderer, theme) for ax, panel in zip(axes, spec.panels)]
    _, plots = _layout(margins, grid, *room)  # the heights as they will be, unless a callout sticks out
    line_in = _line_height(renderer, theme.tick_size)
    for ax, panel, plot in zip(axes, spec.panels, plots):
        _set_y_ticks(ax, panel, plot[3] - plot[1], line_in)
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
    for each in [ax, *_twins(ax)]:
        each.set_position(position)
    _set_y_ticks(ax, panel, plot[3] - plot[1], line_in)
    _set_x_ticks(ax, x_labels, widths, plot[2] - plot[0])
    _settle_labels(ax, cell, lambda: _x_label_boxes(ax, widths, line_in, renderer.dpi), renderer, theme)


def _twins(ax: Axes) -> list[Axes]:
    """Return the other axes sharing the plot area of `ax` (its right value axis)."""
    return [other for other in ax.get_shared_x_axes().get_siblings(ax) if other is not ax]


def _line_height(renderer: Any, points: float) -> float:
    """Return the height in inches of a line of text at `points`, as matplotlib measures 'lp'."""
    from matplotlib.font_manager import FontProperties

    _, height, _ = renderer.get_text_width_height_descent("lp", FontProperties(size=points), ismath=False)
    return float(height) / renderer.dpi


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
    left = max((size(t, tick)[0] for t in _tick_labels(ax, panel.y)), default=0.0)
    left += rcParams["ytick.major.pad"] / 72 if left else 0.0
    if panel.y.label:
        left += size("lp", theme.label_size)[1] + rcParams["axes.labelpad"] / 72
    right = 0.0
    twin = _twins(ax)
    if twin and panel.y2 is not None:
        right = max((size(t, tick)[0] for t in _tick_labels(twin[0], panel.y2)), default=0.0)
        right += rcParams["ytick.major.pad"] / 72 if right else 0.0
        if panel.y2.label:
            right += size("lp", theme.label_size)[1] + rcParams["axes.labelpad"] / 72
    below = line + rcParams["xtick.major.pad"] / 72
    above = 0.0
    title = _title(ax)
    if title is not None:
        above = Text.get_window_extent(title, renderer).height / dpi + _title_pad(panel) / 72
    elif panel.events:
        above = size("lp", theme.label_size, style="italic")[1] + 3 / 72
    return left, right, above, below


def _tick_labels(ax: Axes, axis: YAxis) -> list[str]:
    """Return the tick labels shown on a value axis."""
    low, high = ax.get_ylim()
    return [_tick(v, axis) for v in ax.get_yticks() if min(low, high) - 1e-9 <= v <= max(low, high) + 1e-9]


def _spill(ax: Axes, renderer: Any, dpi: float, cell: Box) -> tuple[float, float, float, float]:
    """Return how far (inches) the callouts and labels on the plot of `ax` stick out of its panel's cell.

    Positive values stick out to the left, right, top and bottom.
    """
    spill = [0.0, 0.0, 0.0, 0.0]
    for each in [ax, *_twins(ax)]:
        for text in each.texts:
            box = text.get_window_extent(renderer)
            if box.width <= 1 and box.height <= 1:  # not drawn: its point is outside the plot
                continue
            x0, x1, y0, y1 = box.x0 / dpi, box.x1 / dpi, box.y0 / dpi, box.y1 / dpi
            spill = [max(spill[0], cell[0] + PAD_IN - x0), max(spill[1], x1 - (cell[2] - PAD_IN)),
                     max(spill[2], y1 - (cell[3] - PAD_IN)), max(spill[3], cell[1] + PAD_IN - y0)]
    return spill[0], spill[1], spill[2], spill[3]


# --- fitting ticks, titles and labels to the plot's size ----------------------------------------------


TICK_SPACING_IN = 0.32
"""Preferred distance between value ticks: a tick every third of an inch at most."""
TICK_GAP_LINES = 1.6
"""Least distance between value tick labels, in lines of their font."""
X_LABEL_GAP_IN = 0.1
"""Least space between two category labels, in inches."""
X_END_ROOM = 0.6
"""Room on the category axis before the first category and after the last, in categories."""
TITLE_MIN_SIZE = 9.0
"""Font size (points) a panel title shrinks to before it is wrapped onto two lines."""
LABEL_MIN_SIZE = 9.0
"""Font size (points) the values over side-by-side bars shrink to before they are staggered."""


def _set_y_ticks(ax: Axes, panel: Panel, plot_h: float, line_in: float) -> None:
    """Set the ticks of the panel's value axes for a plot plot_h inches high."""
    _set_value_ticks(ax, panel, "left", plot_h, line_in)
    twin = _twins(ax)
    if twin and panel.y2 is not None:
        _set_value_ticks(twin[0], panel, "right", plot_h, line_in)


def _set_value_ticks(ax: Axes, panel: Panel, side: Side, plot_h: float, line_in: float) -> None:
    """Set the ticks of one value axis: only where it has data, and far enough apart to read."""
    low, high = ax.get_ylim()
    span = _data_span(panel, side, low)
    if span is None:
        return
    ticks = _value_ticks((low, high), span, max(plot_h, 0.01), line_in)
    if list(ax.get_yticks()) != ticks:
        ax.set_yticks(ticks)
        ax.set_ylim(low, high)  # as they were: ticks may widen the limits


def _data_span(panel: Panel, side: Side, low: float) -> tuple[float, float] | None:
    """Return the lowest and highest value the panel shows on one side (bars reach down to `low`)."""
    own = [s for s in panel.series if s.axis == side]
    stacked = [s.values for s in own if s.kind == "stacked"]
    values = [v for s in own for v in s.values] + [sum(column) for column in zip(*stacked)]
    values += [t.value for t in panel.targets if t.axis == side]
    if not values:
        return None
    return (low if any(s.kind != "line" for s in own) else min(values)), max(values)


def _value_ticks(limits: tuple[float, float], span: tuple[float, float], plot_h: float, line_in: float) -> list[float]:
    """Return nicely spaced ticks over the data `span` of an axis drawn plot_h inches high.

    About one every TICK_SPACING_IN, never closer than TICK_GAP_LINES lines of line_in inches; where
    not even two fit, only the highest.
    """
    from matplotlib.ticker import MaxNLocator

    (low, high), (data_low, data_high) = limits, span
    share = (data_high - data_low) / (high - low) if high > low else 1.0
    least = TICK_GAP_LINES * line_in * (high - low) / plot_h  # in data units
    densest: list[float] = []
    for bins in range(max(2, math.floor(plot_h * share / TICK_SPACING_IN)), 0, -1):
        locator = MaxNLocator(nbins=bins, steps=[1, 2, 5, 10], min_n_ticks=2 if bins > 1 else 1)
        ticks = locator.tick_values(data_low, data_high)
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
        shown = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9
                 and data_low - step * 0.5 <= t <= data_high + step * 0.3]
        if step >= least and (len(shown) > 1 or not densest):
            return shown
        densest = densest or shown
    return densest[-1:]


def _label_widths(labels: tuple[str, ...], renderer: Any, theme: ChartTheme) -> list[float]:
    """Return the width in inches of each category label."""
    from matplotlib.font_manager import FontProperties

    font = FontProperties(size=theme.tick_size)
    return [renderer.get_text_width_height_descent(label, font, ismath=False)[0] / renderer.dpi for label in labels]


def _set_x_ticks(ax: Axes, labels: tuple[str, ...], widths: list[float], plot_w: float) -> None:
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


def _title(ax: Axes) -> Any:
    """Return the title over the plot of `ax`, or None."""
    title = ax._left_title  # type: ignore[attr-defined]  # where `set_title(loc="left")` writes
    return title if title.get_text() else None


def _title_pad(panel: Panel) -> float:
    """Return the space (points) between the plot and its title, above the events' flags if any."""
    return 8 if not panel.events else 22


def _set_titles(axes: list[Axes], panels: tuple[Panel, ...], widths: list[float], renderer: Any,
                theme: ChartTheme) -> None:
    """Write the panels' titles over their plots in one font size, each fitted to its width in inches."""
    from matplotlib.font_manager import FontProperties

    def measure(text: str, points: float) -> float:
        font = FontProperties(size=points, weight="bold")
        return float(renderer.get_text_width_height_descent(text, font, ismath=False)[0]) / renderer.dpi

    titled = [(ax, panel, width) for ax, panel, width in zip(axes, panels, widths) if panel.title]
    fitted = _fit_titles([panel.title for _, panel, _ in titled], [width for *_, width in titled], measure,
                         theme.label_size)
    for (ax, panel, _), (text, points) in zip(titled, fitted):
        title = _title(ax)
        if title is None or title.get_text() != text or title.get_fontsize() != points:
            ax.set_title(text, loc="left", pad=_title_pad(panel), fontsize=points)


def _fit_titles(titles: list[str], widths: list[float], measure: Callable[[str, float], float],
                largest: float) -> list[tuple[str, float]]:
    """Return the titles with their line breaks and their one font size, each fitting its width.

    Each title goes on one line at a size down to TITLE_MIN_SIZE, else the longer ones on two, else
    all are wrapped at that size. `measure(text, points)` gives the width of a line in inches.
    """
    if not titles:
        return []
    smallest = min(TITLE_MIN_SIZE, largest)
    singles = [_fitting_size([title], width, measure, largest, smallest) for title, width in zip(titles, widths)]
    if all(singles):
        return [(title, min(s for s in singles if s)) for title in titles]
    splits = [_split(title, measure, largest) for title in titles]
    doubles = [max(single or 0.0, _fitting_size(lines, width, measure, largest, smallest) or 0.0)
               for single, lines, width in zip(singles, splits, widths)]
    if all(doubles):
        points = min(doubles)
        return [(title if measure(title, points) <= width else "\n".join(lines), points)
                for title, lines, width in zip(titles, splits, widths)]
    return [("\n".join(_wrap(title.split(), width, measure, smallest)), smallest)
            for title, width in zip(titles, widths)]


def _split(title: str, measure: Callable[[str, float], float], points: float) -> list[str]:
    """Return the title as the two lines of most even width (one line if it is one word)."""
    words = title.split()
    splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    return min(splits, key=lambda lines: max(measure(line, points) for line in lines), default=[title])


def _fitting_size(lines: list[str], width_in: float, measure: Callable[[str, float], float], largest: float,
                  smallest: float) -> float | None:
    """Return the largest size, in half points from `largest` down to `smallest`, at which every line fits."""
    widest = max(measure(line, largest) for line in lines)
    if widest <= width_in:
        return largest
    points = min(largest - 0.5, math.floor(largest * width_in / widest * 2) / 2)  # widths grow about with the size
    while points >= smallest:
        if max(measure(line, points) for line in lines) <= width_in:
            return points
        points -= 0.5
    return None


def _wrap(words: list[str], width_in: float, measure: Callable[[str, float], float], points: float) -> list[str]:
    """Return the words in lines that fit width_in where they can, each line holding one word at least."""
    lines: list[str] = []
    for word in words:
        if lines and measure(f"{lines[-1]} {word}", points) <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _settle_labels(ax: Axes, cell: Box, x_labels: Callable[[], list[Any]], renderer: Any, theme: ChartTheme) -> None:
    """Move the panel's movable labels to where they cover no other text and no line.

    Event flags keep inside the panel's cell, bar values shrink or stagger to stay apart, target labels
    take the free end and side of their line, and the value of a line's point goes above it unless a
    text or target line is in the way. `x_labels()` gives the boxes of the category labels (pixels).
    """
    texts = [t for each in [ax, *_twins(ax)] for t in each.texts if t.get_text()]
    _fit_bar_labels([t for t in texts if t.get_gid() == "bar-value"], renderer, theme)
    dpi = renderer.dpi
    events = {t: _clamp(t, (cell[0] + PAD_IN) * dpi, (cell[2] - PAD_IN) * dpi, renderer)
              for t in texts if t.get_gid() == "event"}
    movable = [t for t in texts if t.get_gid() in ("target-label", "line-value")]
    if not movable:
        return
    boxes = {t: events[t] if t in events else _text_box(t, renderer) for t in texts}
    plot = ax.get_window_extent(renderer)
    fixed = [_text_box(t, renderer) for t in (_title(ax),) if t is not None] + x_labels()
    lines = [line for each in [ax, *_twins(ax)] for line in each.lines]
    points = {gid: _line_points([line for line in lines if line.get_gid() == gid]) for gid in ("series", "target")}
    for text in sorted(movable, key=lambda t: t.get_gid() != "target-label"):  # target labels first
        spots = _target_spots(text) if text.get_gid() == "target-label" else _value_spots()
        obstacles = points["series" if text.get_gid() == "target-label" else "target"]
        others = fixed + [box for other, box in boxes.items() if other is not text]
        boxes[text] = _settle(text, spots, others, obstacles, plot, renderer)


def _x_label_boxes(ax: Axes, widths: list[float], line_in: float, dpi: float) -> list[Any]:
    """Return where the category labels under the plot of `ax` are, in pixels, from their top down one line.

    `widths` holds the width in inches of each category label.
    """
    from matplotlib import rcParams
    from matplotlib.transforms import Bbox

    top = ax.bbox.y0 - rcParams["xtick.major.pad"] * dpi / 72
    boxes = []
    for tick in ax.get_xticks():
        middle, half = ax.transData.transform((tick, 0.0))[0], widths[round(tick)] * dpi / 2
        boxes.append(Bbox([[middle - half, top - line_in * dpi], [middle + half, top]]))
    return boxes


Spot = tuple[float, tuple[float, float], str, str]
"""Where a movable label goes: its x in its kind of coordinates, its offset in points, and its alignment."""


def _target_spots(text: Any) -> list[Spot]:
    """Return where a target's label can go: at the left end on its first side, then the other, then the right end."""
    first = "bottom" if text.xyann[1] > 0 else "top"
    other = "top" if first == "bottom" else "bottom"
    return [(x, (dx, 4 if side == "bottom" else -4), ha, side)
            for x, dx, ha in ((0.0, 2, "left"), (1.0, -2, "right")) for side in (first, other)]


def _value_spots() -> list[Spot]:
    """Return where a point's value can go: above the point, else below it (x stays the point's)."""
    return [(math.nan, (0, 7), "center", "bottom"), (math.nan, (0, -7), "center", "top")]


def _settle(text: Any, spots: list[Spot], boxes: list[Any], points: Any, plot: Any, renderer: Any) -> Any:
    """Put `text` at the first of `spots` that covers the fewest texts (their `boxes`) and line points; return its box.

    The text keeps within the width of the `plot` (pixels).
    """
    best: tuple[float, Spot] | None = None
    for spot in spots:
        _put(text, spot)
        box = _clamp(text, plot.x0, plot.x1, renderer)
        room = box.padded(3)  # a line is drawn thick
        inside = ((points[:, 0] >= room.x0) & (points[:, 0] <= room.x1)
                  & (points[:, 1] >= room.y0) & (points[:, 1] <= room.y1)).sum() if len(points) else 0
        score = 100 * sum(box.padded(1).overlaps(b) for b in boxes) + int(inside)
        if score == 0:
            return box
        if best is None or score < best[0]:
            best = (score, spot)
    assert best is not None
    _put(text, best[1])
    return _clamp(text, plot.x0, plot.x1, renderer)


def _put(text: Any, spot: Spot) -> None:
    """Move an annotation to `spot`."""
    x, offset, ha, va = spot
    if not math.isnan(x):
        text.xy = (x, text.xy[1])
    text.xyann = offset
    text.set_horizontalalignment(ha)
    text.set_verticalalignment(va)


def _clamp(text: Any, left: float, right: float, renderer: Any) -> Any:
    """Shift an annotation sideways to keep its text between left and right (pixels) if it can; return its box."""
    box = _text_box(text, renderer)
    shift = max(0.0, left - box.x0) if box.x0 < left else min(0.0, right - box.x1)
    if shift:
        text.xyann = (text.xyann[0] + shift * 72 / renderer.dpi, text.xyann[1])
        box = box.translated(shift, 0)
    return box


def _fit_bar_labels(labels: list[Any], renderer: Any, theme: ChartTheme) -> None:
    """Shrink the values over bars down to LABEL_MIN_SIZE to keep them apart, then raise any that still touch."""
    if len(labels) < 2:
        return
    ordered = sorted(labels, key=lambda label: float(label.xy[0]))
    for label in ordered:
        label.set_fontsize(theme.label_size)
        label.xyann = (0, 3)
    boxes = [_text_box(label, renderer) for label in ordered]
    if not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:])):
        return
    centres = [(box.x0 + box.x1) / 2 for box in boxes]
    room = min(b - a for a, b in zip(centres, centres[1:])) - 3 * renderer.dpi / 72
    points = max(LABEL_MIN_SIZE, math.floor(theme.label_size * room / max(box.width for box in boxes) * 2) / 2)
    for label in ordered:
        label.set_fontsize(min(points, theme.label_size))
    for before, label in zip(ordered, ordered[1:]):
        low, high = _text_box(before, renderer), _text_box(label, renderer)
        if low.overlaps(high):
            label.xyann = (0, label.xyann[1] + (low.y1 - high.y0 + 1) * 72 / renderer.dpi)


def _text_box(text: Any, renderer: Any) -> Any:
    """Return the box of a text in pixels; of an annotation, where its offset now puts it, without its arrow."""
    from matplotlib.text import Text

    if hasattr(text, "update_positions"):
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


def _line_points(lines: list[Any]) -> Any:
    """Return points along the lines, in pixels, close enough together that a label cannot slip between them."""
    import numpy as np

    parts = [np.empty((0, 2))]
    for line in lines:
        xy = line.get_transform().transform(line.get_xydata())
        for start, end in zip(xy, xy[1:]):
            parts.append(start + np.linspace(0.0, 1.0, 12)[:, None] * (end - start))
        parts.append(xy)
    return np.vstack(parts)


@lru_cache(maxsize=None)
def _font(candidates: tuple[str, ...]) -> str:
    """Return the first of the font families matplotlib finds, else its default family."""
    from matplotlib import font_manager

    for name in candidates:
        try:
            font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            continue
        return name
    return "DejaVu Sans"


def _rc(theme: ChartTheme) -> dict[Any, Any]:
    """Return the matplotlib settings of the theme."""
    return {
        "font.family": _font(theme.fonts), "font.size": theme.label_size,
        "text.color": theme.text, "axes.labelcolor": theme.text, "axes.edgecolor": theme.grid,
        "axes.labelsize": theme.label_size, "axes.titlesize": theme.label_size, "axes.titleweight": "bold",
        "axes.titlecolor": theme.text, "axes.facecolor": theme.background,
        "axes.spines.top": False, "axes.spines.right": False, "axes.spines.left": False,
        "xtick.color": theme.text, "ytick.color": theme.text,
        "xtick.labelsize": theme.tick_size, "ytick.labelsize": theme.tick_size,
        "xtick.major.size": 0, "ytick.major.size": 0, "xtick.major.pad": 4, "ytick.major.pad": 3,
        "xtick.bottom": False, "ytick.left": False,  # no tick marks (they are 0 long): fewer artists to draw
        "legend.fontsize": theme.label_size, "legend.frameon": False,
        "figure.facecolor": theme.background, "savefig.facecolor": theme.background,
        "lines.solid_capstyle": "round",
    }


def _draw_panel(ax: Axes, panel: Panel, x_labels: tuple[str, ...], theme: ChartTheme,
                legend: dict[str, Artist], direct: bool) -> None:
    """Draw one panel's series, targets, events and callouts on `ax`, adding their legend entries.

    With `direct`, target lines are labelled on the plot instead of in the legend.
    """
    right = ax.twinx() if panel.y2 is not None else None
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
    _format_y(ax, panel.y, "left", theme)
    if right is not None and panel.y2 is not None:
        _format_y(right, panel.y2, "right", theme)
    _format_x(ax, len(x_labels))


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


def _format_y(ax: Axes, axis: YAxis, side: Side, theme: ChartTheme) -> None:
    """Set the limits, grid and tick format of a value axis; `_place` sets its ticks once the plot's height is known."""
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
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v, axis)))
    if axis.label:
        ax.set_ylabel(axis.label)


def _tick(value: float, axis: YAxis) -> str:
    """Return a tick label as the slides write the unit, without trailing zero cents."""
    text = format_figure(value, axis.unit, axis.currency)
    if axis.unit == "money" and text.endswith(".00"):
        text = text[:-3]
    return text


def _format_x(ax: Axes, count: int) -> None:
    """Set the limits of the category axis; `_place` chooses its labels once the plot's width is known."""
    ax.set_xlim(-X_END_ROOM, count - 1 + X_END_ROOM)
    ax.spines["bottom"].set_color("#B8C2CE")


LEGEND = {"handlelength": 1.6, "handleheight": 0.9, "handletextpad": 0.5, "columnspacing": 1.2, "borderpad": 0.1}
"""Spacing of the legend in multiples of its font size, named as matplotlib's legend options."""


def _draw_legend(fig: MplFigure, entries: dict[str, Artist], size: tuple[float, float]) -> float:
    """Put the legend above the plots, its entries flowing left to right onto as many rows as they need.

    Return the height (a share of the picture's) left below it for the plots.
    """
    if not entries:
        return 1.0
    width_in, height_in = size
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    pad = 0.04 / height_in
    top = 1.0 - pad
    for row in _legend_rows(list(entries), renderer, fig.dpi, width_in - 0.08):
        corner = fig.transFigure.transform((0.04 / width_in, top))
        height = _legend_row(fig, [(name, entries[name]) for name in row], corner, renderer)
        top -= height / fig.dpi / height_in
    return top - pad


def _legend_row(fig: MplFigure, row: list[tuple[str, Artist]], corner: Any, renderer: Any) -> float:
    """Draw one row of legend entries, a handle then its name each, hanging from `corner` (pixels).

    The entries sit where `fig.legend(handles, names, ncols=len(row), loc="upper left", borderaxespad=0,
    bbox_to_anchor=corner, **LEGEND)` puts them, without its layout boxes, which cost more than the
    entries. Return the height of the row in pixels.
    """
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import Affine2D

    font = FontProperties(size=rcParams["legend.fontsize"])
    em, scale = font.get_size_in_points(), renderer.points_to_pixels(1.0)
    descent = 0.35 * em * (LEGEND["handleheight"] - 0.7)  # of the handle below the text's baseline, as matplotlib
    handle_width, handle_height = LEGEND["handlelength"] * em, LEGEND["handleheight"] * em - descent
    names = [_legend_name_text(fig, name, font, renderer) for name, _ in row]
    above = max([(handle_height - descent) * scale] + [up for _, _, up, _ in names])
    below = max([descent * scale] + [down for _, _, _, down in names])
    pad = LEGEND["borderpad"] * em * scale
    x, baseline = corner[0] + pad, corner[1] - pad - above
    for (_, handle), (text, width, _, _) in zip(row, names):
        for artist in _legend_handle(handle, handle_width, handle_height, descent):
            artist.set_transform(Affine2D().scale(scale).translate(x, baseline))
            fig.add_artist(artist)
        text.set_position((x + (handle_width + LEGEND["handletextpad"] * em) * scale, baseline))
        x += (handle_width + LEGEND["handletextpad"] * em) * scale + width + LEGEND["columnspacing"] * em * scale
    return above + below + 2 * pad


def _legend_name_text(fig: MplFigure, name: str, font: Any, renderer: Any) -> tuple[Any, float, float, float]:
    """Add a legend entry's name to the figure; return it with its width and its extent above and below its baseline.

    As in matplotlib's legend, a name reaches at least as high as 'lp' does.
    """
    from matplotlib.text import Text
    from matplotlib.transforms import IdentityTransform

    text = Text(0, 0, name, fontproperties=font, verticalalignment="baseline", horizontalalignment="left",
                transform=IdentityTransform(), zorder=5)
    fig.add_artist(text)
    box = text.get_window_extent(renderer)
    _, lp_height, lp_descent = renderer.get_text_width_height_descent("lp", font, ismath=False)
    return text, box.width, max(lp_height - lp_descent, box.y1), -box.y0


def _legend_handle(original: Artist, width: float, height: float, descent: float) -> list[Artist]:
    """Return the legend's picture of a series, in points from its baseline: a box, or its line with one marker."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    handle: Artist
    if isinstance(original, Line2D):
        handle = Line2D([0.0, width / 2, width], [(height - descent) / 2] * 3, markevery=[1])
    else:
        handle = Rectangle((0.0, -descent), width, height)
    handle.update_from(original)
    handle.set_clip_box(None)
    handle.set_clip_path(None)
    handle.set_zorder(5)
    return [handle]


def _legend_rows(names: list[str], renderer: Any, dpi: float, width_in: float) -> list[list[str]]:
    """Return the legend entries split into rows that each fit the width, in order."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    size = float(rcParams["legend.fontsize"]) * dpi / 72
    font = FontProperties(size=rcParams["legend.fontsize"])
    spacing = size * (LEGEND["handlelength"] + LEGEND["handletextpad"] + LEGEND["columnspacing"])
    rows: list[list[str]] = [[]]
    used = 0.0
    for name in names:
        text = renderer.get_text_width_height_descent(name, font, ismath=False)[0]
        width = (text + spacing) / dpi
        if rows[-1] and used + width - LEGEND["columnspacing"] * size / dpi > width_in:
            rows.append([])
            used = 0.0
        rows[-1].append(name)
        used += width
    return rows
