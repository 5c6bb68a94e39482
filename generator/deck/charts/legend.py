"""The legend of a one-panel chart picture: above the plots, entries flowing left to right onto rows.

Entries are placed as matplotlib's legend would place them, handle then name, but added to the
figure directly: the legend's own layout boxes cost more than the entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure as MplFigure


LEGEND = {"handlelength": 1.6, "handleheight": 0.9, "handletextpad": 0.5, "columnspacing": 1.2, "borderpad": 0.1}
"""Spacing of the legend in multiples of its font size, named as matplotlib's legend options."""


def draw_legend(fig: MplFigure, entries: dict[str, Artist], size: tuple[float, float]) -> float:
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
    height: float = above + below + 2 * pad
    return height


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
