"""The titles over the panels of a chart picture: one font size for all, shrunk and then wrapped to fit.

A title that does not fit its plot's width shrinks in half points down to TITLE_MIN_SIZE; then the
longer titles go on two lines of even width, and failing that all are wrapped at that size.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.deck.charts.theme import ChartTheme
from generator.story.charts import Panel

if TYPE_CHECKING:
    from matplotlib.axes import Axes


TITLE_MIN_SIZE = 9.0
"""Font size (points) a panel title shrinks to before it is wrapped onto two lines."""


def title_of(ax: Axes) -> Any:
    """Return the title over the plot of `ax`, or None."""
    title = ax._left_title  # type: ignore[attr-defined]  # where `set_title(loc="left")` writes
    return title if title.get_text() else None


def title_pad(panel: Panel) -> float:
    """Return the space (points) between the plot and its title, above the events' flags if any."""
    return 8 if not panel.events else 22


def set_titles(axes: list[Axes], panels: tuple[Panel, ...], widths: list[float], renderer: Any,
               theme: ChartTheme) -> None:
    """Write the panels' titles over their plots in one font size, each fitted to its width in inches."""
    from matplotlib.font_manager import FontProperties

    dpi: float = renderer.dpi

    def measure(text: str, points: float) -> float:
        font = FontProperties(size=points, weight="bold")
        return float(renderer.get_text_width_height_descent(text, font, ismath=False)[0]) / dpi

    titled = [(ax, panel, width) for ax, panel, width in zip(axes, panels, widths) if panel.title]
    fitted = fit_titles([panel.title for _, panel, _ in titled], [width for *_, width in titled], measure,
                        theme.label_size)
    for (ax, panel, _), (text, points) in zip(titled, fitted):
        title = title_of(ax)
        if title is None or title.get_text() != text or title.get_fontsize() != points:
            ax.set_title(text, loc="left", pad=title_pad(panel), fontsize=points)


def fit_titles(titles: list[str], widths: list[float], measure: Callable[[str, float], float],
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
