"""What goes into one native chart: its palette, columns, data labels, value scales and box, and size estimates.

A column is one series of the chart and one column of its workbook: a spec series, or a target
line (merged per label and axis). Sizes of the plot, labels and legend are estimated from font
sizes and text lengths (PowerPoint lays the chart out itself), in inches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from pptx.dml.color import RGBColor

from generator.deck.charts.theme import ChartTheme
from generator.story.charts import Side

SHORT_CHART_IN = 3.0
"""Charts lower than this label their target lines on the plot rather than in the legend."""
ColumnKind = Literal["line", "bar", "stacked", "target"]
LabelPosition = Literal["t", "b", "r", "outEnd", "inEnd", "ctr"]


@dataclass(frozen=True)
class NativePalette:
    """Colours (hex 'RRGGBB' or '#RRGGBB'), font and sizes (points) of the native charts."""

    series: tuple[str, ...] = ChartTheme.series
    """Indexed by `Series.colour`: navy, teal, amber, slate, light by default."""
    target: str = ChartTheme.target
    met: str = ChartTheme.met
    missed: str = ChartTheme.missed
    text: str = ChartTheme.text
    annotation: str = ChartTheme.annotation
    """Callouts and event labels."""
    grid: str = ChartTheme.grid
    axis_line: str = "#B8C2CE"
    background: str = ChartTheme.background
    """Outline between stacked bars."""
    font: str = "Calibri"
    tick_size: float = 11.0
    legend_size: float = 12.0
    label_size: float = 11.0
    """Data labels: values, callouts, events and direct target labels."""
    title_size: float = 12.0
    """Panel titles of a chart with several panels."""

    @classmethod
    def from_chart_theme(cls, theme: ChartTheme, font: str = "Calibri") -> NativePalette:
        """Return a palette with the colours and sizes of the picture charts' theme."""
        return cls(series=theme.series, target=theme.target, met=theme.met, missed=theme.missed,
                   text=theme.text, annotation=theme.annotation, grid=theme.grid,
                   background=theme.background, font=font, tick_size=theme.tick_size,
                   legend_size=theme.label_size)

    def colour(self, index: int) -> str:
        """Return the series colour of a palette index, as RRGGBB."""
        return hex_colour(self.series[index % len(self.series)])


def hex_colour(colour: str) -> str:
    """Return 'RRGGBB' (upper case) for '#rrggbb' or 'rrggbb'."""
    value = colour.lstrip("#").upper()
    cast(Any, RGBColor).from_string(value)  # raises on anything that is not six hex digits
    return value


@dataclass(frozen=True)
class Label:
    """A data label on one point: the value in `number_format`, or a fixed `text`."""

    index: int
    position: LabelPosition
    colour: str
    text: str = ""
    number_format: str = ""
    bold: bool = False
    italic: bool = False
    shift_in: tuple[float, float] = (0.0, 0.0)
    """Move the label right and up by these inches from its position (callouts, labels over targets)."""
    boxed: bool = False
    """On a background-coloured box, to stay readable over bars."""
    leader: bool = False
    """Draw a leader line from the point to the moved label."""

    @property
    def above(self) -> bool:
        """Whether the label sits above its point and so needs room above the highest point."""
        return self.position in ("t", "outEnd") or self.shift_in[1] > 0


@dataclass(frozen=True)
class Column:
    """One column of the workbook and one series of the chart."""

    name: str
    values: tuple[float | None, ...]
    kind: ColumnKind
    axis: Side
    colour: str
    number_format: str
    per_point: bool = False
    """A target over some x positions only: a dash marker per position instead of a line."""
    point_colours: dict[int, str] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    in_legend: bool = True


@dataclass(frozen=True)
class Scale:
    """A value axis: limits, tick step, the range in which tick labels are shown and their format."""

    low: float
    high: float
    step: float
    shown: tuple[float, float]
    number_format: str

    @property
    def hides_low_ticks(self) -> bool:
        """Whether the lower part of the axis has no tick labels (its series keep to the upper part)."""
        return self.number_format.startswith("[<")


@dataclass(frozen=True)
class Box:
    """A chart's place on the slide and what takes room around its plot (inches)."""

    left: float
    top: float
    width: float
    height: float
    sides: tuple[Side, ...]
    count: int
    """Number of categories."""
    legend: bool
    title: str
    tick_size: float
    legend_height: float = 0.0

    @property
    def direct_targets(self) -> bool:
        """Whether full-width targets are labelled on the plot instead of in the legend.

        So they are without legend, and in short charts, where a legend row costs too much height.
        """
        return not self.legend or self.height < SHORT_CHART_IN

    @property
    def title_height(self) -> float:
        """Return the estimated height of the panel title: one or two lines."""
        if not self.title:
            return 0.0
        lines = 1 if len(self.title) * self.tick_size * 0.58 / 72 < self.width - 0.3 else 2
        return 0.12 + lines * 0.24

    @property
    def skip(self) -> int:
        """Return 1 when every category label fits its slot, else 2 (every other label)."""
        return 1 if self.category_width >= 3 * self.tick_size * 0.55 / 72 + 0.08 else 2

    @property
    def plot_width(self) -> float:
        """Return the estimated width of the plot area: less the value axes' tick labels."""
        return self.width - 0.25 - 0.6 * len(self.sides)

    @property
    def plot_height(self) -> float:
        """Return the estimated height of the plot area: less legend, title and category labels."""
        labels = 0.35 if self.skip == 1 else 0.55  # rotated when they do not fit
        return max(0.5, self.height - 0.15 - labels - self.legend_height - self.title_height)

    @property
    def category_width(self) -> float:
        """Return the estimated width of one category in the plot."""
        return self.plot_width / max(self.count, 1)


def legend_height(names: list[str], width: float, palette: NativePalette) -> float:
    """Return the estimated height of a legend at the top: entries in columns as wide as the widest."""
    if not names:
        return 0.0
    widest = max(len(name) for name in names) * palette.legend_size * 0.5 / 72 + 0.5
    per_row = max(1, math.floor((width - 0.2) / widest))
    rows = math.ceil(len(names) / per_row)
    return rows * palette.legend_size * 1.3 / 72 + 0.1


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Return the estimated width (inches) of a one-line label."""
    return len(text) * size * (0.56 if bold else 0.52) / 72


def label_height(palette: NativePalette) -> float:
    """Return the estimated height (inches) of a one-line data label with its padding."""
    return palette.label_size * 1.25 / 72 + 0.06
