"""The built-in look of the deck: 16:9, one font, a navy/teal palette, fixed margins."""

from __future__ import annotations

from dataclasses import dataclass

from pptx.dml.color import RGBColor


@dataclass(frozen=True)
class Theme:
    """Colours, font and geometry (inches) every slide builder uses."""

    font: str = "Calibri"
    navy: RGBColor = RGBColor(0x1F, 0x3A, 0x5F)
    teal: RGBColor = RGBColor(0x2A, 0x9D, 0x8F)
    amber: RGBColor = RGBColor(0xE9, 0xA2, 0x3B)
    slate: RGBColor = RGBColor(0x8A, 0x99, 0xAD)
    light: RGBColor = RGBColor(0xC9, 0xD6, 0xE3)
    pale: RGBColor = RGBColor(0xF2, 0xF5, 0xF8)
    white: RGBColor = RGBColor(0xFF, 0xFF, 0xFF)
    text: RGBColor = RGBColor(0x1F, 0x29, 0x33)
    muted: RGBColor = RGBColor(0x5B, 0x6B, 0x7D)
    met: RGBColor = RGBColor(0x2E, 0x8B, 0x57)
    missed: RGBColor = RGBColor(0xC0, 0x39, 0x2B)
    width: float = 13.333
    height: float = 7.5
    margin: float = 0.6
    body_top: float = 1.75
    footer_top: float = 7.0

    @property
    def body_width(self) -> float:
        """Width between the side margins."""
        return self.width - 2 * self.margin

    @property
    def body_height(self) -> float:
        """Height between the title block and the footer."""
        return self.footer_top - 0.15 - self.body_top


DEFAULT = Theme()
