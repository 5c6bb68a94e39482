"""Fit text into boxes with real font metrics: the largest size that fits, never below a readable minimum.

Text is measured with the font file `generator.fonts.font_file` finds among the deck's own fonts
(design.fonts: a `FontSet` given, else those in force) and the fonts storypack brings: the deck font's,
or a metric-compatible face's (Carlito for Calibri); where there is neither, DejaVu Sans, which is
wider, so the fit errs on the safe side.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from PIL import ImageFont

from generator.fonts import FontSet, font_file

LINE_SPACING = 1.22
"""Line height as a multiple of the font size (Calibri/Carlito ascent plus descent)."""
SAFETY = 1.03
"""Measured widths are stretched by this much, for rendering differences between clients."""


@dataclass(frozen=True)
class Para:
    """A paragraph to fit: its text, size relative to the box's size, weight, and space above (in lines)."""

    text: str
    scale: float = 1.0
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0


@dataclass(frozen=True)
class Fit:
    """The result of fitting: the size chosen and the height the text takes at that size."""

    size: float
    height_in: float


class DoesNotFit(Exception):
    """The text is too long for its box even at the minimum size."""

    def __init__(self, overflow_in: float, excess_chars: int) -> None:
        self.overflow_in = overflow_in
        self.excess_chars = excess_chars
        super().__init__(f"{overflow_in:.2f} in too tall (about {excess_chars} characters too long)")


@functools.lru_cache(maxsize=None)
def _font(path: str, digest: str) -> ImageFont.FreeTypeFont:
    """Return the font file at 100 points (`digest`: a content font's hash, so that an edited file is read again)."""
    return ImageFont.truetype(path, 100)


def text_width_pt(text: str, size: float, family: str, bold: bool = False, italic: bool = False,
                  fonts: FontSet | None = None) -> float:
    """Return the width of `text` at `size` points, in points (`fonts`: the deck's own, default those in force)."""
    found = font_file(family, bold, italic, fonts)
    return _width_at_100(text, str(found.path), found.digest) * size / 100 * SAFETY


@functools.lru_cache(maxsize=65536)
def _width_at_100(text: str, path: str, digest: str) -> float:
    """Return the width of `text` set at 100 points in the font file (widths scale linearly with size)."""
    return float(_font(path, digest).getlength(text))


def wrap(text: str, width_pt: float, size: float, family: str, bold: bool = False, italic: bool = False,
         fonts: FontSet | None = None) -> list[str]:
    """Return `text` broken into lines no wider than `width_pt` (a word too long for a line gets its own)."""
    lines: list[str] = []
    for hard_line in text.split("\n"):
        current = ""
        for word in hard_line.split():
            candidate = f"{current} {word}" if current else word
            if current and text_width_pt(candidate, size, family, bold, italic, fonts) > width_pt:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def text_height_in(paras: list[Para], width_in: float, size: float, family: str,
                   fonts: FontSet | None = None) -> float:
    """Return the height in inches that `paras` take at base `size` when wrapped to `width_in`."""
    total_pt = 0.0
    for i, para in enumerate(paras):
        pt = size * para.scale
        lines = wrap(para.text, width_in * 72, pt, family, para.bold, para.italic, fonts)
        total_pt += len(lines) * pt * LINE_SPACING
        if i:
            total_pt += para.space_before * pt
    return total_pt / 72


def fit(paras: list[Para], width_in: float, height_in: float, max_size: float, min_size: float,
        family: str = "Calibri", fonts: FontSet | None = None) -> Fit:
    """Return the largest size from `max_size` down to `min_size` (half points) at which `paras` fit the box."""
    size = max_size
    while size >= min_size:
        height = text_height_in(paras, width_in, size, family, fonts)
        if height <= height_in:
            return Fit(size, height)
        size -= 0.5
    height = text_height_in(paras, width_in, min_size, family, fonts)
    overflow = height - height_in
    chars = sum(len(p.text) for p in paras)
    excess = max(1, math.ceil(chars * overflow / height)) if height else chars
    raise DoesNotFit(overflow, excess)
