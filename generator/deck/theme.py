"""The look of the deck: colours, fonts and geometry, built in or taken from a PowerPoint template."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pptx.dml.color import RGBColor

from generator.deck.contrast import contrast, from_hex, luminance, mix, readable, readable_fill, rgb
from generator.deck.template import ThemeInfo


@dataclass(frozen=True)
class Theme:
    """Colours, fonts and geometry (inches) every slide builder uses."""

    font: str = "Calibri"
    heading_font: str = "Calibri"
    navy: RGBColor = rgb(0x1F, 0x3A, 0x5F)
    """Dark primary: titles, panels with white text."""
    teal: RGBColor = rgb(0x2A, 0x9D, 0x8F)
    """Accent: rules, proactive roles, quote marks."""
    amber: RGBColor = rgb(0xE9, 0xA2, 0x3B)
    slate: RGBColor = rgb(0x8A, 0x99, 0xAD)
    light: RGBColor = rgb(0xC9, 0xD6, 0xE3)
    pale: RGBColor = rgb(0xF2, 0xF5, 0xF8)
    """Panel background."""
    white: RGBColor = rgb(0xFF, 0xFF, 0xFF)
    """The slide background."""
    on_primary: RGBColor = rgb(0xFF, 0xFF, 0xFF)
    """Text on `navy` panels."""
    heading: RGBColor = rgb(0x1F, 0x3A, 0x5F)
    """Emphasised text on the background and on panels: headings, captions, figures."""
    text: RGBColor = rgb(0x1F, 0x29, 0x33)
    muted: RGBColor = rgb(0x5B, 0x6B, 0x7D)
    met: RGBColor = rgb(0x2E, 0x8B, 0x57)
    missed: RGBColor = rgb(0xC0, 0x39, 0x2B)
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

    @property
    def dark(self) -> bool:
        """Whether the slide background is dark."""
        return luminance(self.white) < 0.35

    @property
    def accent_fill(self) -> RGBColor:
        """The accent as a box fill under `on_primary` text (proactive roles): darkened until the text is readable."""
        return readable_fill(self.teal, self.on_primary)

    def on(self, color: RGBColor, *fills: RGBColor, ratio: float = 4.5) -> RGBColor:
        """Return `color` as text on `fills` (default: the background and panels), changed as little as it takes
        to be readable there."""
        return readable(color, fills or (self.white, self.pale), ratio)

    @property
    def chart_background(self) -> str:
        """The background of chart pictures: the slide's, or white cards on a dark slide."""
        return "#FFFFFF" if self.dark else f"#{self.white}"

    @property
    def chart_text(self) -> str:
        """The text colour of chart pictures, readable on `chart_background`."""
        return "#2B3440" if self.dark else f"#{self.text}"

    @property
    def chart_colors(self) -> tuple[str, ...]:
        """The chart series colours as #RRGGBB: primary, accent, second accent, neutral, light."""
        light = mix(self.teal, from_hex(self.chart_background[1:]), 0.7)
        return tuple(f"#{c}" for c in (self.navy, self.teal, self.amber, self.slate, light))


DEFAULT = Theme()


def theme_from_template(info: ThemeInfo, width: float, height: float) -> Theme:
    """Return a theme whose colours and fonts are the template's, sized to its slides.

    Where the template's own colours would make text hard to read, storypack's text takes the nearest colour that
    is readable (at least 4.5:1 against the background and panels).
    """
    c = {name: from_hex(value) for name, value in info.colors.items()}
    background = from_hex(info.background)
    template_text = from_hex(info.text)
    text = readable(template_text, [background])
    pale = mix(text, background, 0.93)
    text = readable(text, [background, pale])
    white = rgb(0xFF, 0xFF, 0xFF)
    candidates = [c[k] for k in ("dk2", "accent1") if k in c]
    dark = min(candidates, key=luminance) if candidates else DEFAULT.navy
    if contrast(dark, white) < 4.5:
        dark = mix(dark, rgb(0, 0, 0), 0.35)
    dark = readable(dark, [white])
    accent = c.get("accent1", DEFAULT.teal)
    if accent == dark:
        accent = c.get("accent2", DEFAULT.teal)
    scale = height / DEFAULT.height
    heading = dark if contrast(dark, background) >= 4.5 and contrast(dark, pale) >= 4.5 else text
    met, missed = DEFAULT.met, DEFAULT.missed
    if luminance(background) < 0.35:
        met, missed = mix(met, white, 0.45), mix(missed, white, 0.45)
    return replace(
        DEFAULT, font=info.minor_font, heading_font=info.major_font, navy=dark, teal=accent,
        amber=c.get("accent2", DEFAULT.amber), slate=c.get("accent3", DEFAULT.slate), light=mix(accent, background, 0.7),
        pale=pale, white=background, on_primary=white, text=text, heading=heading,
        met=readable(met, [background, pale], 3.0), missed=readable(missed, [background, pale], 3.0),
        muted=readable(mix(text, background, 0.3), [background, pale]),
        width=width, height=height, margin=0.6 * min(1.0, width / DEFAULT.width),
        body_top=1.75 * scale, footer_top=height - 0.5 * scale,
    )
