"""Colour contrast as WCAG 2 measures it: luminance, contrast ratio, and text colours that reach a ratio."""

from __future__ import annotations

import colorsys
from collections.abc import Callable, Sequence

from pptx.dml.color import RGBColor

rgb: Callable[[int, int, int], RGBColor] = RGBColor
"""A colour from its red, green and blue (0-255): python-pptx's constructor, typed."""
from_hex: Callable[[str], RGBColor] = RGBColor.from_string
"""A colour from 'RRGGBB', typed."""
BLACK, WHITE = rgb(0, 0, 0), rgb(0xFF, 0xFF, 0xFF)
NORMAL_TEXT, LARGE_TEXT = 4.5, 3.0
"""The least contrast text needs (WCAG 2 AA): normal text, and large text (18 pt, or 14 pt bold)."""


def needed(size_pt: float, bold: bool) -> float:
    """Return the contrast text of `size_pt` points needs: 3:1 from 18 pt (14 pt bold), else 4.5:1."""
    return LARGE_TEXT if size_pt >= 18 or (bold and size_pt >= 14) else NORMAL_TEXT


def luminance(color: Sequence[int]) -> float:
    """Return the relative luminance of an (r, g, b) colour (WCAG)."""
    r, g, b = (_linear(v) for v in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _linear(value: int) -> float:
    """Return an sRGB channel (0-255) as linear light (0-1)."""
    v = value / 255
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


def _gamma(value: float) -> int:
    """Return linear light (0-1) as an sRGB channel (0-255)."""
    v = value * 12.92 if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
    return round(min(1.0, max(0.0, v)) * 255)


def contrast(a: Sequence[int], b: Sequence[int]) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(color: Sequence[int], other: Sequence[int], amount: float) -> RGBColor:
    """Return `color` moved `amount` (0-1) of the way towards `other`."""
    red, green, blue = (round(a + (b - a) * amount) for a, b in zip(color, other))
    return rgb(red, green, blue)


def readable(color: RGBColor, backgrounds: Sequence[RGBColor], ratio: float = NORMAL_TEXT) -> RGBColor:
    """Return `color`, or the least change of it that reaches `ratio` against every one of `backgrounds`.

    The colour is darkened on light backgrounds and lightened on dark ones, in steps of 5%.
    """
    if all(contrast(color, bg) >= ratio for bg in backgrounds):
        return color
    light = sum(luminance(bg) for bg in backgrounds) / len(backgrounds) > 0.18
    target = BLACK if light else WHITE
    for step in range(1, 21):
        candidate = mix(color, target, step / 20)
        if all(contrast(candidate, bg) >= ratio for bg in backgrounds):
            return candidate
    return target


def readable_fill(fill: RGBColor, text: RGBColor, ratio: float = NORMAL_TEXT) -> RGBColor:
    """Return `fill`, or the least change of it (away from `text`) under which `text` reaches `ratio`."""
    if contrast(fill, text) >= ratio:
        return fill
    target = BLACK if luminance(text) > 0.18 else WHITE
    for step in range(1, 21):
        candidate = mix(fill, target, step / 20)
        if contrast(candidate, text) >= ratio:
            return candidate
    return target


def pair_warning(what: str, text: str, background: str, used: RGBColor | None, ratio: float = NORMAL_TEXT,
                 role: str = "its text") -> str | None:
    """Return the warning for template colours `text` on `background` (RRGGBB) below `ratio`, or None."""
    value = contrast(from_hex(text), from_hex(background))
    if value >= ratio or used is None:
        return None
    return (f"template theme: {what} {text} on background {background} has contrast {_ratio(value)}:1 "
            f"(needs {_ratio(ratio)}:1); storypack uses {used} for {role}")


def _ratio(value: float) -> str:
    """Return a ratio as WCAG tools print it: one decimal, rounded down so that 4.49 never reads 4.5."""
    return f"{int(value * 10) / 10:.1f}"


def modified(color: RGBColor, name: str, value: float) -> RGBColor:
    """Return `color` with a DrawingML colour modifier applied (lumMod, lumOff, tint, shade; `value` 0-1).

    Others (alpha, satMod and the like) do not change how readable text is enough to count, and are ignored.
    """
    if name in ("lumMod", "lumOff"):
        hue, light, saturation = colorsys.rgb_to_hls(*(v / 255 for v in color))
        light = min(1.0, max(0.0, light * value if name == "lumMod" else light + value))
        red, green, blue = (round(v * 255) for v in colorsys.hls_to_rgb(hue, light, saturation))
        return rgb(red, green, blue)
    if name in ("tint", "shade"):  # mixed with white or black in linear light, as Office and LibreOffice do
        target = 1.0 if name == "tint" else 0.0
        red, green, blue = (_gamma(_linear(v) * value + target * (1 - value)) for v in color)
        return rgb(red, green, blue)
    return color
