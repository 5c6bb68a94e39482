"""The colours and fonts charts are drawn in, as picture or as editable chart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartTheme:
    """Colours and font of the charts; the defaults match the deck."""

    series: tuple[str, ...] = ("#1F3A5F", "#2A9D8F", "#E9A23B", "#8A99AD", "#C9D6E3")
    """navy, teal, amber, slate, light."""
    target: str = "#C0392B"
    missed: str = "#C0392B"
    met: str = "#2E8B57"
    annotation: str = "#1F3A5F"
    event: str = "#F4E3C3"
    """Shading of an event's month."""
    text: str = "#2B3440"
    grid: str = "#E1E6EC"
    background: str = "#FFFFFF"
    fonts: tuple[str, ...] = ("Carlito", "DejaVu Sans")
    """The first with a font file (the deck's own or bundled, `generator.fonts.font_file`) is used; Carlito has the
    metrics of the deck's Calibri."""
    tick_size: float = 11.0
    label_size: float = 12.0
