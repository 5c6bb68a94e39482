"""The chart pictures' canvas (generator/deck/charts/canvas.py) remembers text but draws the pixels matplotlib draws,
and the PNG writer (picture._png) stores exactly the pixels it is given."""

from __future__ import annotations

import contextlib
import random
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from generator.deck.charts import canvas, picture, prepared
from generator.deck.charts.faces import only_these_fonts
from generator.deck.charts.theme import ChartTheme
from generator.deck.fontset import read_face
from generator.fonts import NO_FONTS, FontSet
from generator.story.charts import ChartSpec
from tests.support.fonts import corporate_font

TEXTS = ["Nov", "Dec", "Jan 27", "1,250", "€3.40", "87.5%", "Level-1 resolution (%)", "ERP 7.2 release +30.6%",
         "Below target", "Tickets\nper month", "≤ 5 → 7", "Ärger über Öl", ""]
"""Months, figures, a caption, two lines, glyphs Carlito lacks (set in the fallback font), an empty text."""


def drawn_texts(seed: int, remembered: bool) -> tuple[bytes, list[Any]]:
    """Return the pixels of a figure full of texts at random places, sizes, weights, slants and angles, and each
    text's box; drawn on the charts' canvas with text remembered, or on matplotlib's own without."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rng = random.Random(seed)
    with (matplotlib.rc_context(picture._rc(ChartTheme(), NO_FONTS)), only_these_fonts(NO_FONTS),
          canvas.text_caches(NO_FONTS) if remembered else contextlib.nullcontext()):
        figure = Figure(figsize=(6.0, 4.0), dpi=150)
        agg = (canvas.canvas_type() if remembered else FigureCanvasAgg)(figure)
        for _ in range(90):
            figure.text(rng.random(), rng.random(), rng.choice(TEXTS), fontsize=rng.choice([9, 10.5, 11, 12, 14.5]),
                        fontweight=rng.choice(["normal", "bold"]), fontstyle=rng.choice(["normal", "italic"]),
                        rotation=rng.choice([0, 0, 0, 90, 30]), ha=rng.choice(["left", "center", "right"]),
                        va=rng.choice(["baseline", "top", "center"]), color=rng.choice(["#1F3A5F", "#C0392B"]))
        agg.draw()
        renderer = agg.get_renderer()
        boxes = [text.get_window_extent(renderer).bounds for text in figure.texts]
        return bytes(agg.buffer_rgba()), boxes


def test_remembered_text_draws_the_pixels_matplotlib_draws() -> None:
    for seed in (1, 2, 1):  # the second figure reuses much of the first one's text, the third all of it
        assert drawn_texts(seed, remembered=True) == drawn_texts(seed, remembered=False), seed


def test_text_remembered_in_other_fonts_is_forgotten(tmp_path: Path, specs: dict[str, ChartSpec]) -> None:
    own = FontSet(tuple(read_face(corporate_font(tmp_path / name, family="Carlito", bold=bold), f"brand/{name}")
                        for name, bold in (("Regular.ttf", False), ("Bold.ttf", True))))
    spec, theme = specs["volume"], ChartTheme()
    prepared.forget_all()
    expected = picture.draw_chart(spec, 6.0, 2.7, theme, NO_FONTS)
    assert picture.draw_chart(spec, 6.0, 2.7, theme, own) != expected, "a deck's own 'Carlito' is narrower"
    assert picture.draw_chart(spec, 6.0, 2.7, theme, NO_FONTS) == expected
    assert canvas._FONTS[1] is not None and canvas._FONTS[1][0] == NO_FONTS.key()


def test_the_caches_start_again_when_full(monkeypatch: pytest.MonkeyPatch, specs: dict[str, ChartSpec]) -> None:
    spec, theme = specs["sla"], ChartTheme()
    expected = picture.draw_chart(spec, 6.0, 2.7, theme)
    monkeypatch.setattr(canvas, "LIMIT", 5)
    assert picture.draw_chart(spec, 6.0, 2.7, theme) == expected
    assert picture.draw_chart(spec, 6.0, 2.7, theme) == expected
    assert all(len(cache) < 1000 for cache in canvas._CACHES)


def chunks(png: bytes) -> dict[bytes, bytes]:
    """Return the chunks of a PNG file by type."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + data)
        found[kind] = data
        at += 12 + length
    return found


@pytest.mark.parametrize("channels", [3, 4])
def test_png_rows_are_stored_unfiltered_at_the_level_set(channels: int) -> None:
    from PIL import Image

    rgba = np.random.default_rng(channels).integers(0, 256, (37, 53, 4), dtype=np.uint8)
    pixels = rgba[:, :, :channels]  # as the canvas gives them: a view of its RGBA buffer
    png = picture._png(pixels)
    rows = b"".join(b"\x00" + row.tobytes() for row in np.ascontiguousarray(pixels))
    assert chunks(png)[b"IDAT"] == zlib.compress(rows, picture.PNG_LEVEL)
    import io

    image = Image.open(io.BytesIO(png))
    assert image.mode == ("RGB" if channels == 3 else "RGBA")
    assert np.array_equal(np.asarray(image), pixels)
