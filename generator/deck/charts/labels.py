"""The movable labels on a chart picture's plot, settled where they cover no other text and no line.

Event flags keep within the panel's cell, values over side-by-side bars shrink to LABEL_MIN_SIZE and
then stagger, target labels take the free end and side of their line, and a line point's value goes
above the point unless a text or a target line is in the way. Boxes are in pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.deck.charts.axes import twins
from generator.deck.charts.theme import ChartTheme
from generator.deck.charts.titles import title_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes


LABEL_MIN_SIZE = 9.0
"""Font size (points) the values over side-by-side bars shrink to before they are staggered."""


def settle_labels(ax: Axes, flags: tuple[float, float], x_labels: Callable[[], list[Any]], renderer: Any,
                  theme: ChartTheme) -> None:
    """Move the panel's movable labels to where they cover no other text and no line.

    Event flags keep between `flags`, the left and right ends of the panel's cell (pixels), bar values
    shrink or stagger to stay apart, target labels take the free end and side of their line, and the
    value of a line's point goes above it unless a text or target line is in the way. `x_labels()`
    gives the boxes of the category labels (pixels).
    """
    texts = [t for each in [ax, *twins(ax)] for t in each.texts if t.get_text()]
    _fit_bar_labels([t for t in texts if t.get_gid() == "bar-value"], renderer, theme)
    events = {t: _clamp(t, *flags, renderer) for t in texts if t.get_gid() == "event"}
    movable = [t for t in texts if t.get_gid() in ("target-label", "line-value")]
    if not movable:
        return
    boxes = {t: events[t] if t in events else _text_box(t, renderer) for t in texts}
    plot = ax.get_window_extent(renderer)
    fixed = [_text_box(t, renderer) for t in (title_of(ax),) if t is not None] + x_labels()
    lines = [line for each in [ax, *twins(ax)] for line in each.lines]
    points = {gid: line_points([line for line in lines if line.get_gid() == gid]) for gid in ("series", "target")}
    for text in sorted(movable, key=lambda t: t.get_gid() != "target-label"):  # target labels first
        spots = _target_spots(text) if text.get_gid() == "target-label" else _value_spots()
        obstacles = points["series" if text.get_gid() == "target-label" else "target"]
        others = fixed + [box for other, box in boxes.items() if other is not text]
        boxes[text] = _settle(text, spots, others, obstacles, plot, renderer)


def x_label_boxes(ax: Axes, widths: list[float], line_in: float, dpi: float) -> list[Any]:
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


def line_points(lines: list[Any]) -> Any:
    """Return points along the lines, in pixels, close enough together that a label cannot slip between them."""
    import numpy as np

    parts = [np.empty((0, 2))]
    for line in lines:
        xy = line.get_transform().transform(line.get_xydata())
        for start, end in zip(xy, xy[1:]):
            parts.append(start + np.linspace(0.0, 1.0, 12)[:, None] * (end - start))
        parts.append(xy)
    return np.vstack(parts)
