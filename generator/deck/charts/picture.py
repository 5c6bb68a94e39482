"""Chart pictures: a `ChartSpec` drawn by matplotlib as PNG, kept in the chart cache.

`draw_chart` draws a spec at a size on an Agg canvas (`artists` draws the panels, `legend` the legend,
`layout` places the plots) and writes the pixels as PNG itself. The figure is one a process keeps per
layout and resets between charts (`prepared`), and text sizes, layouts and glyph images are remembered
from chart to chart (`canvas`): the bytes are those of a new figure. Inside `chart_cache(folder)` a
picture drawn before is read back by its `cache_key` instead: the spec, size, theme, the source of
every module of the drawing code (`drawing_modules`), matplotlib's version and the font files (the
bundled ones' and the deck's own). Text is drawn with exactly those files (`faces`), whatever fonts are
installed or in matplotlib's cache. matplotlib is imported only to draw.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import struct
import zlib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from generator.cache import drawing_versions, store, touch
from generator.deck.charts.artists import draw_panel
from generator.deck.charts.canvas import canvas_type, text_caches
from generator.deck.charts.faces import chart_face, only_these_fonts
from generator.deck.charts.layout import place
from generator.deck.charts.legend import draw_legend
from generator.deck.charts.prepared import discard, prepared_figure, unplaced_empty_labels
from generator.deck.charts.theme import ChartTheme
from generator.fonts import FontSet, bundled_digest, current
from generator.story.charts import ChartSpec

DPI = 150
"""Dots per inch of the chart pictures: a 13.33 in wide slide shown 1920 pixels wide has 144 to the inch."""
PNG_LEVEL = 3
"""zlib compression level of the PNG files: with unfiltered rows, smaller and faster than Pillow's level 6."""
CACHE_FORMAT = 1
"""Bumped when the drawing changes in a way the cache key does not see."""


if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure as MplFigure


def draw_chart(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme | None = None,
               fonts: FontSet | None = None) -> bytes:
    """Return the chart as PNG bytes at DPI dots per inch, drawn at exactly width_in x height_in inches.

    `fonts` are the deck's own (default: those in force, `generator.fonts.using`). Inside
    `chart_cache(folder)`, a chart drawn before with the same spec, size, theme, fonts and drawing code
    is read from the cache instead of being drawn again (the same bytes either way).
    """
    theme = theme or ChartTheme()
    fonts = current() if fonts is None else fonts
    folder = _CACHE[-1] if _CACHE else None
    if folder is None:
        return _draw_png(spec, width_in, height_in, theme, fonts)
    path = folder / f"{cache_key(spec, width_in, height_in, theme, fonts)}.png"
    try:
        found = path.read_bytes()
    except OSError:
        pass
    else:
        touch(path)
        return found
    png = _draw_png(spec, width_in, height_in, theme, fonts)
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


def cache_key(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme,
              fonts: FontSet | None = None) -> str:
    """Return the hash that names a drawn chart: its spec, size, theme, dpi, drawing code, libraries and fonts
    (the bundled font files' bytes and the deck's own fonts' families, styles and bytes)."""
    fonts = current() if fonts is None else fonts
    text = repr((CACHE_FORMAT, spec, width_in, height_in, theme, DPI, PNG_LEVEL, zlib.ZLIB_RUNTIME_VERSION,
                 _drawing_versions(), bundled_digest(), fonts.key()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


SHARED_DRAWING_CODE = ("generator.ticks", "generator.fonts", "generator.story.charts", "generator.story.figures",
                       "generator.story.formatting")
"""The modules outside this folder whose code decides a picture's pixels (tests check none is missing)."""
NATIVE_PREFIX = "native"
"""Modules of this folder named so write native charts: they decide no pixel of a picture."""


def drawing_modules() -> tuple[ModuleType, ...]:
    """Return the modules whose code decides a picture's pixels: every module in this folder but the native
    charts', and SHARED_DRAWING_CODE (a module added to the folder is in without being named)."""
    folder = Path(__file__).parent
    names = [__package__ if path.stem == "__init__" else f"{__package__}.{path.stem}"
             for path in sorted(folder.glob("*.py")) if not path.stem.startswith(NATIVE_PREFIX)]
    return tuple(importlib.import_module(name) for name in [*names, *SHARED_DRAWING_CODE])


@lru_cache(maxsize=1)
def _drawing_versions() -> tuple[str, ...]:
    """Return what, besides the spec, decides a chart's pixels: the drawing code and matplotlib's version."""
    return drawing_versions(drawing_modules(), ("matplotlib",))


def _draw_png(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme, fonts: FontSet) -> bytes:
    """Draw the chart and return it as PNG bytes."""
    import numpy as np
    from matplotlib.colors import to_rgba

    canvas: Any = _drawn_figure(spec, width_in, height_in, theme, fonts).canvas
    pixels = np.asarray(canvas.buffer_rgba())
    if to_rgba(theme.background)[3] == 1.0:  # opaque: no alpha channel to store
        pixels = pixels[:, :, :3]
    return _png(pixels)


def _drawn_figure(spec: ChartSpec, width_in: float, height_in: float, theme: ChartTheme,
                  fonts: FontSet | None = None) -> MplFigure:
    """Return the chart drawn on an Agg canvas of width_in x height_in inches, its text in `fonts` or bundled ones.

    The figure is a prepared one of the spec's layout (`prepared`), new or reset: it stays the chart's
    only until the next chart of that layout is drawn.
    """
    import matplotlib

    matplotlib.use("Agg")

    fonts = current() if fonts is None else fonts
    with matplotlib.rc_context(_rc(theme, fonts)), only_these_fonts(fonts), text_caches(fonts):
        drawing = prepared_figure(spec, width_in, height_in, DPI, theme, fonts, canvas_type())
        try:
            fig = drawing.figure
            legend: dict[str, Artist] = {}
            for ax, right, panel in zip(drawing.axes, drawing.rights, spec.panels):
                draw_panel(ax, right, panel, spec.x_labels, theme, legend, direct=len(spec.panels) > 1)
            top = 1.0
            if len(spec.panels) == 1:  # several panels name their series in their titles and label targets directly
                top = draw_legend(fig, legend, (width_in, height_in))
            place(fig, drawing.axes, spec, theme, top)
            unplaced_empty_labels(drawing)
            fig.canvas.draw()
        except BaseException:
            discard(drawing)
            raise
    return fig


def _png(pixels: Any) -> bytes:
    """Return the RGB or RGBA pixels (height x width x channels, 8 bits) as a PNG file of DPI dots per inch.

    Rows are stored unfiltered: a chart's flat areas then compress about as well as with Pillow's adaptive
    filters at level 6, in less than half the time.
    """
    import numpy as np

    height, width, channels = pixels.shape
    rows = np.empty((height, 1 + width * channels), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type, 0: none
    row_pixels = rows[:, 1:].reshape(height, width, channels)
    for channel in range(channels):  # a channel at a time: long inner loops, several times faster than pixel by pixel
        row_pixels[:, :, channel] = pixels[:, :, channel]
    per_metre = round(DPI / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, {3: 2, 4: 6}[channels], 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        chunk(b"IDAT", zlib.compress(rows, PNG_LEVEL)),  # type: ignore[arg-type]  # numpy arrays are buffers
        chunk(b"IEND", b""),
    ))


def _rc(theme: ChartTheme, fonts: FontSet | None = None) -> dict[Any, Any]:
    """Return the matplotlib settings of the theme (`fonts`: the deck's own, default those in force)."""
    return {
        "font.family": chart_face(theme.fonts, current() if fonts is None else fonts), "font.size": theme.label_size,
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
