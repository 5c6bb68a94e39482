"""Chart pictures: a `ChartSpec` drawn by matplotlib as PNG, kept in the chart cache.

`draw_chart` draws a spec at a size on an Agg canvas (`artists` draws the panels, `legend` the legend,
`layout` places the plots) and writes the pixels as PNG itself; inside `chart_cache(folder)` a
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
from typing import TYPE_CHECKING, Any, cast

from generator.cache import drawing_versions, store, touch
from generator.deck.charts.artists import draw_panel
from generator.deck.charts.faces import chart_face, only_these_fonts
from generator.deck.charts.layout import place
from generator.deck.charts.legend import draw_legend
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
    """Return the chart drawn on an Agg canvas of width_in x height_in inches, its text in `fonts` or bundled ones."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure

    fonts = current() if fonts is None else fonts
    if _TEXT_SIZES_FONTS != [fonts.key()]:  # sizes measured in another deck's own fonts
        _TEXT_SIZES.clear()
        _TEXT_SIZES_FONTS[:] = [fonts.key()]
    with matplotlib.rc_context(_rc(theme, fonts)), only_these_fonts(fonts):
        fig = MplFigure(figsize=(width_in, height_in), dpi=DPI)
        canvas = _canvas_type()(fig)
        axes = list(fig.subplots(1, len(spec.panels), squeeze=False)[0])  # `place` decides where each plot goes
        legend: dict[str, Artist] = {}
        for ax, panel in zip(axes, spec.panels):
            draw_panel(ax, panel, spec.x_labels, theme, legend, direct=len(spec.panels) > 1)
        top = 1.0
        if len(spec.panels) == 1:  # several panels name their series in their titles and label targets directly
            top = draw_legend(fig, legend, (width_in, height_in))
        place(fig, axes, spec, theme, top)
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
_TEXT_SIZES_FONTS: list[tuple[Any, ...]] = [()]
"""The deck's own fonts (`FontSet.key`) the sizes were measured with."""


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
            measure = super().get_text_width_height_descent  # untyped in matplotlib
            if ismath:
                found: tuple[float, float, float] = cast(Any, measure)(s, prop, ismath)
                return found
            key = _text_key(s, prop, self.dpi)
            size = _TEXT_SIZES.get(key)
            if size is None:
                if len(_TEXT_SIZES) >= 20_000:
                    _TEXT_SIZES.clear()
                size = _TEXT_SIZES[key] = cast(Any, measure)(s, prop, ismath)
            return size

    class Canvas(FigureCanvasAgg):
        def get_renderer(self) -> Any:
            key = (*self.get_width_height(physical=True), self.figure.dpi)
            if getattr(self, "_renderer_key", None) != key:
                self.renderer = cast(Any, Renderer)(*key)  # its constructor is untyped in matplotlib
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
