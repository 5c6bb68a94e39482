"""The Agg canvas chart pictures are drawn on: matplotlib's, remembering what text costs from one picture to the next.

Matplotlib looks a text's font up, measures it, shapes it into glyphs and renders every glyph again
for each figure, and the charts of a deck share most of their texts (months, ticks, legend entries,
digits). Within `text_caches(fonts)` (the fonts a picture is drawn with), the renderer remembers:
the font files a font's properties name, a text's size, a font's line metrics, a text's glyphs and
their positions (its layout), and a glyph's image at each fraction of a pixel it is drawn at. Each
is kept under all that decides it (font files, size, dpi, hinting, the text), so the pixels are those
matplotlib draws without them (tests/test_chart_canvas.py compares). matplotlib is imported only to draw.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, cast

from generator.fonts import FontSet

LIMIT = 50_000
"""Entries a cache may hold before it starts again (a long watch session draws many decks)."""
FONT_SETTINGS = ("font.family", "font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace",
                 "font.enable_last_resort", "text.hinting", "text.hinting_factor", "text.kerning_factor")
"""The matplotlib settings that decide which font files a text is set in and how its glyphs are shaped."""

_FONTS: list[Any] = [None, None]
"""The fonts and font settings in force (`text_caches`), None outside; and those the caches hold texts of."""
_FILES: dict[tuple[Any, ...], Any] = {}
_SIZES: dict[tuple[Any, ...], tuple[float, float, float]] = {}
_METRICS: dict[tuple[Any, ...], tuple[float, float, float]] = {}
_LAYOUTS: dict[tuple[Any, ...], list[Any]] = {}
_GLYPHS: dict[tuple[Any, ...], tuple[Any, int, int]] = {}
_FACES: dict[int, Any] = {}
"""Remembering fronts of matplotlib's FT2Font objects, by id (each holds its font, so the id is not reused)."""
_CACHES = (_FILES, _SIZES, _METRICS, _LAYOUTS, _GLYPHS, _FACES)


@contextlib.contextmanager
def text_caches(fonts: FontSet) -> Iterator[None]:
    """Within the block (inside the picture's rc settings and `only_these_fonts(fonts)`), text is remembered.

    What was remembered with other fonts or font settings is forgotten first.
    """
    from matplotlib import rcParams

    settings: Any = rcParams
    state = (fonts.key(), tuple(_setting(settings[name]) for name in FONT_SETTINGS))
    if _FONTS[1] != state or any(len(cache) >= LIMIT for cache in _CACHES):
        for cache in _CACHES:
            cache.clear()
    _FONTS[:] = [state, state]
    try:
        yield
    finally:
        _FONTS[0] = None


def _setting(value: Any) -> Any:
    """Return an rc setting in a form that can be compared and hashed (lists as tuples)."""
    return tuple(value) if isinstance(value, list) else value


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    """Store `value` under `key` while the caches are in force; return it."""
    if _FONTS[0] is not None:
        cache[key] = value
    return value


def _font_key(prop: Any) -> tuple[Any, ...]:
    """Return what of a FontProperties decides its font files and size (with the settings `text_caches` holds)."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


def font_files(prop: Any) -> Any:
    """Return the font files matplotlib sets `prop` in (its `_find_fonts_by_props`), remembered within `text_caches`."""
    from matplotlib.font_manager import fontManager

    key = _font_key(prop)
    found = _FILES.get(key) if _FONTS[0] is not None else None
    if found is None:
        found = _remember(_FILES, key, fontManager._find_fonts_by_props(prop))
    return found


@lru_cache(maxsize=1)
def canvas_type() -> Any:
    """Return an Agg canvas class whose renderers remember texts' sizes, layouts and glyph images (see the module)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.font_manager import get_font

    class Renderer(RendererAgg):
        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
            measure: Any = super().get_text_width_height_descent  # untyped in matplotlib
            if ismath or _FONTS[0] is None:
                found: tuple[float, float, float] = measure(s, prop, ismath)
                return found
            key = (s, _font_key(prop), self.dpi)
            size = _SIZES.get(key)
            if size is None:
                size = _remember(_SIZES, key, measure(s, prop, ismath))
            return size

        def _prepare_font(self, prop: Any) -> Any:
            if _FONTS[0] is None:
                prepare: Any = super()._prepare_font  # untyped in matplotlib
                return prepare(prop)
            return _Prepared(_face(get_font(font_files(prop))), prop.get_size_in_points(), self.dpi)

        def _get_font_height_metrics(self, prop: Any) -> tuple[float | None, float | None, float | None]:
            """Return a font's ascent, descent and line gap in pixels as `Text._get_layout` reads them, remembered
            (outside `text_caches`: None, and matplotlib reads them itself)."""
            if _FONTS[0] is None:
                return None, None, None
            key = (_font_key(prop), self.dpi)
            found = _METRICS.get(key)
            if found is None:
                line = _line_metrics(get_font(font_files(prop)), prop.get_size_in_points(), self.dpi)
                if line is None:
                    return None, None, None
                found = _remember(_METRICS, key, line)
            return found

    class Canvas(FigureCanvasAgg):
        def get_renderer(self) -> Any:
            key = (*self.get_width_height(physical=True), self.figure.dpi)
            if getattr(self, "_renderer_key", None) != key:
                self.renderer = cast(Any, Renderer)(*key)  # its constructor is untyped in matplotlib
                self._renderer_key = key
            return self.renderer

    return Canvas


def _line_metrics(font: Any, points: float, dpi: float) -> tuple[float, float, float] | None:
    """Return (ascent, descent, line gap) in pixels from the font's OS/2 table, else its hhea table, as
    matplotlib's `Text._get_layout` computes them; None when the font has neither."""
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * points * dpi / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None


def _face(font: Any) -> _Face:
    """Return the remembering front of an FT2Font."""
    found = _FACES.get(id(font))
    if found is None:
        found = _remember(_FACES, id(font), _Face(font))
    return cast(_Face, found)


class _Face:
    """An FT2Font as the Agg renderer draws glyphs with it: size and transform are noted, a glyph's image remembered.

    An image depends on the glyph, size, dpi, the transform's matrix and where the glyph falls within a
    pixel; a whole-pixel shift moves it unchanged.
    """

    __slots__ = ("font", "size", "matrix", "delta")

    def __init__(self, font: Any) -> None:
        self.font = font
        self.size: tuple[float, float] = (0.0, 0.0)
        self.matrix: Any = None
        self.delta: Any = None

    def set_size(self, points: float, dpi: float) -> None:
        self.size = (points, dpi)

    def _set_transform(self, matrix: Any, delta: Any) -> None:
        self.matrix, self.delta = matrix, delta

    def _render_glyph(self, index: int, flags: Any, mode: Any) -> Any:
        from matplotlib.ft2font import RenderMode

        dx, dy = self.delta  # whole numbers, in 64ths of a pixel
        key = (id(self.font), self.size, index, self.matrix.tobytes(), dx & 63, dy & 63, flags, mode)
        found = _GLYPHS.get(key)
        if found is None:
            self.font.set_size(*self.size)
            self.font._set_transform(self.matrix, self.delta)
            bitmap = self.font._render_glyph(index, flags, mode)
            if mode != RenderMode.NORMAL:  # a monochrome image is scaled in place by the renderer: never kept
                return bitmap
            found = _remember(_GLYPHS, key, (bitmap.buffer.copy(), bitmap.left - (dx >> 6), bitmap.top - (dy >> 6)))
        buffer, left, top = found
        return _Bitmap(buffer, left + (dx >> 6), top + (dy >> 6))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.font, name)


class _Bitmap:
    """A glyph's image and where its top left corner goes, as FT2Font's `_render_glyph` returns them."""

    __slots__ = ("buffer", "left", "top")

    def __init__(self, buffer: Any, left: int, top: int) -> None:
        self.buffer, self.left, self.top = buffer, left, top


class _Glyph:
    """One glyph of a remembered layout, as FT2Font's `_layout` returns it (its font a remembering front)."""

    __slots__ = ("ft_object", "glyph_index", "x", "y")

    def __init__(self, ft_object: _Face, glyph_index: int, x: float, y: float) -> None:
        self.ft_object, self.glyph_index, self.x, self.y = ft_object, glyph_index, x, y


class _Prepared:
    """A font as `RendererAgg._prepare_font` returns it, set to a size: its layouts remembered, the rest matplotlib's.

    The font is cleared and sized only when something else of it is used (measuring a text).
    """

    __slots__ = ("face", "points", "dpi", "ready")

    def __init__(self, face: _Face, points: float, dpi: float) -> None:
        self.face, self.points, self.dpi, self.ready = face, points, dpi, False

    def _layout(self, text: str, flags: Any, features: Any = None, language: Any = None) -> list[Any]:
        key = (id(self.face.font), self.points, self.dpi, text, flags, features, language)
        found = _LAYOUTS.get(key)
        if found is None:
            items = self._font()._layout(text, flags=flags, features=features, language=language)
            found = _remember(_LAYOUTS, key, [_Glyph(_face(item.ft_object), item.glyph_index, item.x, item.y)
                                              for item in items])
        return found

    def _font(self) -> Any:
        font = self.face.font
        if not self.ready:
            font.clear()
            font.set_size(self.points, self.dpi)
            self.ready = True
        return font

    def __getattr__(self, name: str) -> Any:
        return getattr(self._font(), name)
