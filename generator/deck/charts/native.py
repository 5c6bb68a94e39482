"""Native, editable PowerPoint charts drawn from the same `ChartSpec` as the chart pictures.

python-pptx writes one chart type per chart, so a chart is first added from ALL of a panel's
columns (spec series, then target lines) -- which makes the embedded workbook hold every column --
and its plot area is then rebuilt from the generated series data (`c:tx`, `c:cat`, `c:val`): bars
and stacked bars go into `c:barChart` groups, lines and targets into `c:lineChart` groups, and
series on the right axis into groups of their own on a secondary pair of axes. Every element is
written in the order of the ISO/IEC 29500 chart schema and every axis id is a non-negative int.

A spec with several panels becomes one chart per panel, side by side within the box.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Inches, Pt
from xlsxwriter import Workbook

from generator.deck.charts.theme import ChartTheme
from generator.story import formatting as fmt
from generator.story.charts import ChartSpec, Panel, Series, Side, TargetLine, YAxis
from generator.story.figures import format_figure

WORKBOOK_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
"""Creation time written into every embedded workbook, so that its bytes depend on the data only."""
PANEL_GAP_IN = 0.15
"""Space between the charts of a spec with several panels."""
AXIS_IDS = {"left": (10_001, 10_002), "right": (10_003, 10_004)}
"""(category axis, value axis) ids of the primary and the secondary axis pair."""
EMU_PER_PT = 12_700
SHORT_CHART_IN = 3.0
"""Charts lower than this label their target lines on the plot rather than in the legend."""

ColumnKind = Literal["line", "bar", "stacked", "target"]
LabelPosition = Literal["t", "b", "r", "outEnd", "inEnd", "ctr"]


# --- palette ----------------------------------------------------------------------------------------


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
        return _hex(self.series[index % len(self.series)])


def _hex(colour: str) -> str:
    """Return 'RRGGBB' (upper case) for '#rrggbb' or 'rrggbb'."""
    value = colour.lstrip("#").upper()
    RGBColor.from_string(value)  # raises on anything that is not six hex digits
    return value


# --- what goes into one chart -------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
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
class _Column:
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
    labels: list[_Label] = field(default_factory=list)
    in_legend: bool = True


@dataclass(frozen=True)
class _Scale:
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
class _Box:
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


# --- public API -------------------------------------------------------------------------------------


def add_native_chart(slide: Any, spec: ChartSpec, left_in: float, top_in: float, width_in: float,
                     height_in: float, palette: NativePalette, alt_text: str, name: str) -> list[Any]:
    """Add the spec as native chart(s) in the box and return the graphic frame(s), one per panel."""
    count = len(spec.panels)
    width = (width_in - PANEL_GAP_IN * (count - 1)) / count
    frames = []
    for i, panel in enumerate(spec.panels):
        sides: tuple[Side, ...] = ("left", "right") if panel.y2 is not None else ("left",)
        box = _Box(left_in + i * (width + PANEL_GAP_IN), top_in, width, height_in, sides, len(spec.x_labels),
                   legend=count == 1, title=panel.title if count > 1 else "", tick_size=palette.tick_size)
        frame = _add_panel_chart(slide, spec, panel, box, palette)
        cnv_pr = frame._element.nvGraphicFramePr.cNvPr
        cnv_pr.set("name", name if count == 1 else f"{name} {i + 1}")
        cnv_pr.set("descr", alt_text if count == 1 else f"{alt_text} (panel {i + 1} of {count}: {panel.title})")
        frames.append(frame)
    return frames


def _add_panel_chart(slide: Any, spec: ChartSpec, panel: Panel, box: _Box, palette: NativePalette) -> Any:
    """Add one panel as a chart and return its graphic frame."""
    columns = _columns(spec, panel, palette, box)
    if box.legend:
        names = [c.name for c in columns if c.in_legend]
        box = replace(box, legend_height=_legend_height(names, box.width, palette))
    axes: tuple[tuple[Side, YAxis | None], ...] = (("left", panel.y), ("right", panel.y2))
    scales = {side: _scale(panel, side, axis, box.plot_height, palette, _label_tops(columns, side))
              for side, axis in axes if axis is not None}
    _lift_labels_over_targets(columns, scales, box, palette)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE, Inches(box.left), Inches(box.top), Inches(box.width),
                                   Inches(box.height), _chart_data(spec.x_labels, columns))
    chart = frame.chart
    chart.font.name = palette.font
    chart.font.size = Pt(palette.tick_size)
    chart.font.color.rgb = RGBColor.from_string(_hex(palette.text))
    space = chart._chartSpace
    _rebuild_plot_area(space, columns, scales, box, palette)
    _finish_chart(space, columns, box, palette)
    _normalise_axis_ids(space)
    return frame


def _legend_height(names: list[str], width: float, palette: NativePalette) -> float:
    """Return the estimated height of a legend at the top: entries in columns as wide as the widest."""
    if not names:
        return 0.0
    widest = max(len(name) for name in names) * palette.legend_size * 0.5 / 72 + 0.5
    per_row = max(1, math.floor((width - 0.2) / widest))
    rows = math.ceil(len(names) / per_row)
    return rows * palette.legend_size * 1.3 / 72 + 0.1


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Return the estimated width (inches) of a one-line label."""
    return len(text) * size * (0.56 if bold else 0.52) / 72


def _label_height(palette: NativePalette) -> float:
    """Return the estimated height (inches) of a one-line data label with its padding."""
    return palette.label_size * 1.25 / 72 + 0.06


# --- columns: the spec's series and targets, with their labels ----------------------------------


def _columns(spec: ChartSpec, panel: Panel, palette: NativePalette, box: _Box) -> list[_Column]:
    """Return the panel's series then its targets (same label and axis merged) as chart columns."""
    units = {"left": panel.y, "right": panel.y2 or panel.y}
    two_sides = panel.y2 is not None and any(s.axis == "left" for s in panel.series)
    columns = [_series_column(s, units[_side(s.axis, box)], palette, two_sides, box) for s in panel.series]
    columns += _target_columns(panel, palette, box)
    _add_event_labels(panel, columns, palette)
    _add_annotation_labels(panel, columns, palette, box)
    return columns


def _side(axis: Side, box: _Box) -> Side:
    """Return the axis a series is plotted on: the right one only when the panel has one."""
    return "right" if axis == "right" and "right" in box.sides else "left"


def _series_column(s: Series, unit: YAxis, palette: NativePalette, two_sides: bool, box: _Box) -> _Column:
    """Return a spec series as a column, with status colours and value labels."""
    side = _side(s.axis, box)
    colour = palette.colour(s.colour)
    status = list(s.status) + [""] * (len(s.values) - len(s.status))
    labelled = [] if s.value_labels == "none" else \
        list(range(len(s.values))) if s.value_labels == "all" else [len(s.values) - 1]
    tones = {"met": _hex(palette.met), "missed": _hex(palette.missed)}
    if s.kind == "line":  # the labelled points take the colour of their status, like their labels
        points = {i: tones[status[i]] for i in labelled if status[i]}
    else:  # missed bars are highlighted
        points = {i: tones["missed"] for i, st in enumerate(status) if st == "missed"}
    labels = []
    for i in labelled:
        if s.kind == "line":
            tone, bold = tones.get(status[i], colour), True
        else:
            tone, bold = (tones["missed"], True) if status[i] == "missed" else (_hex(palette.text), False)
        position: LabelPosition = "t" if s.kind == "line" else "inEnd" if s.kind == "stacked" else "outEnd"
        labels.append(_Label(i, position, tone, number_format=value_format(s.values[i], unit), bold=bold))
    name = f"{s.name} (right axis)" if two_sides and side == "right" else s.name
    return _Column(name, tuple(s.values), s.kind, side, colour, value_format(max(s.values), unit),
                   point_colours=points, labels=labels)


def _target_columns(panel: Panel, palette: NativePalette, box: _Box) -> list[_Column]:
    """Return the panel's targets as dashed-line columns; targets sharing label and axis become one.

    A full-width target has its value at every x; one over listed x positions only there (None
    elsewhere), drawn as a dash marker per position. A chart without legend labels its lines directly.
    """
    merged: dict[tuple[str, Side], list[TargetLine]] = {}
    for target in panel.targets:
        merged.setdefault((target.label, _side(target.axis, box)), []).append(target)
    columns = []
    for (label, side), targets in merged.items():
        values: list[float | None] = [None] * box.count
        for target in targets:
            for x in target.at or range(box.count):
                values[x] = target.value
        per_point = any(t.at for t in targets)
        unit = panel.y2 if side == "right" and panel.y2 is not None else panel.y
        direct = box.direct_targets and not per_point
        labels = [_direct_target_label(panel, targets[0], side, box, palette)] if direct else []
        columns.append(_Column(label, tuple(values), "target", side, _hex(palette.target),
                               value_format(targets[0].value, unit), per_point=per_point, labels=labels,
                               in_legend=not direct))
    return columns


def _direct_target_label(panel: Panel, target: TargetLine, side: Side, box: _Box,
                         palette: NativePalette) -> _Label:
    """Return the target's name written over its line at the left, away from the first points (or stacks)."""
    own = [s for s in panel.series if s.axis == side]
    stacks = [sum(column) for column in zip(*(s.values[:3] for s in own if s.kind == "stacked"))]
    start = [v for s in own if s.kind != "stacked" for v in s.values[:3]] + stacks
    above = not start or sum(start) / len(start) < target.value
    width = _text_width(target.label, palette.label_size)
    # Centred on the first point, the label would reach into the tick labels: move it right.
    shift = max(0.0, width / 2 - box.category_width / 2 + 0.05)
    return _Label(0, "t" if above else "b", _hex(palette.target), text=target.label, shift_in=(shift, 0.0),
                  boxed=True)


def _anchor(columns: list[_Column], side: Side | None = None) -> _Column | None:
    """Return the first line column (on `side` when given), else the last bar column, else None."""
    own = [c for c in columns if c.kind != "target" and (side is None or c.axis == side)]
    lines = [c for c in own if c.kind == "line"]
    return lines[0] if lines else own[-1] if own else None


def _add_event_labels(panel: Panel, columns: list[_Column], palette: NativePalette) -> None:
    """Name each event on the point of the panel's first line at its x: below a dip, above a peak."""
    column = _anchor(columns)
    if column is None:
        return
    for event in panel.events:
        if column.kind == "line":
            values = [v for v in column.values if v is not None]
            here = column.values[event.x] or 0.0
            around = [v for v in column.values[max(0, event.x - 1):event.x + 2] if v is not None]
            dip = here <= min(around) and here < max(values)
            position: LabelPosition = "b" if dip else "t"
        else:
            position = "inEnd"
        _replace_label(column, _Label(event.x, position, _hex(palette.annotation), text=event.label, italic=True))


def _add_annotation_labels(panel: Panel, columns: list[_Column], palette: NativePalette, box: _Box) -> None:
    """Write each callout as a bold label on the point it points at: a line point or the top of a stack.

    On a stack the label goes beside the top, towards the side with more room, as in the picture.
    """
    for note in panel.annotations:
        side = _side(note.axis, box)
        own = [c for c in columns if c.axis == side and c.kind != "target"]
        stacked = [c for c in own if c.kind == "stacked"]
        column = next((c for c in own if c.kind != "stacked" and _close(c.values[note.x], note.y)), None)
        if column is None and stacked and _close(sum(c.values[note.x] or 0.0 for c in stacked), note.y):
            column = stacked[-1]
        column = column or _anchor(columns, side)
        if column is None:
            continue
        positions: dict[str, LabelPosition] = {"line": "t", "bar": "outEnd", "stacked": "inEnd"}
        position = positions.get(column.kind, "t")
        shift = (0.0, 0.0)
        if column.kind == "stacked":
            to_right = note.x < box.count / 2
            across = _text_width(note.text, palette.label_size, bold=True) / 2 + box.category_width * 0.4
            shift = (across if to_right else -across, _label_height(palette) * 0.9)
        _replace_label(column, _Label(note.x, position, _hex(palette.annotation), text=note.text, bold=True,
                                      shift_in=shift, leader=shift != (0.0, 0.0)))


def _close(value: float | None, other: float) -> bool:
    """Return whether a point's value is the callout's y (to float precision)."""
    return value is not None and abs(value - other) <= 1e-6 * max(1.0, abs(other))


def _replace_label(column: _Column, label: _Label) -> None:
    """Put the label on its point, in place of any label already there."""
    column.labels[:] = sorted([lb for lb in column.labels if lb.index != label.index] + [label],
                              key=lambda lb: lb.index)


def _label_tops(columns: list[_Column], side: Side) -> list[float]:
    """Return the top of every point on `side` that has a label above it (stacks: the stack's top)."""
    stacked = [c for c in columns if c.axis == side and c.kind == "stacked"]
    tops = []
    for column in columns:
        if column.axis != side:
            continue
        for label in column.labels:
            if not label.above:
                continue
            if column.kind == "stacked":
                tops.append(sum(c.values[label.index] or 0.0 for c in stacked))
            elif column.values[label.index] is not None:
                tops.append(float(column.values[label.index] or 0.0))
    return tops


def _lift_labels_over_targets(columns: list[_Column], scales: dict[Side, _Scale], box: _Box,
                              palette: NativePalette) -> None:
    """Move value labels above a bar up over a target line or dash crossing them, as the picture does."""
    height = _label_height(palette)
    for column in columns:
        if column.kind != "bar":
            continue
        scale = scales[column.axis]
        inches = box.plot_height / (scale.high - scale.low)
        targets = [c for c in columns if c.kind == "target" and c.axis == column.axis]
        for n, label in enumerate(column.labels):
            value = column.values[label.index]
            crossing = [t.values[label.index] for t in targets if t.values[label.index] is not None]
            if value is None or label.position != "outEnd":
                continue
            gaps = [((t or 0.0) - value) * inches for t in crossing]
            gaps = [g for g in gaps if -0.05 <= g <= height + 0.05]
            if gaps:
                column.labels[n] = replace(label, shift_in=(0.0, max(gaps) + 0.07))


# --- number formats ---------------------------------------------------------------------------------


def _currency(code: str) -> str:
    """Return the number-format prefix of a currency: '"€"' or '"CHF "'."""
    symbol = fmt.CURRENCY_SYMBOLS.get(code)
    return f'"{symbol}"' if symbol else f'"{code} "'


def value_format(value: float, axis: YAxis) -> str:
    """Return the Excel number format showing `value` as the slides write it in the axis's unit."""
    text = format_figure(value, axis.unit, axis.currency)
    decimals = _decimals(text)
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if axis.unit == "pct":
        return number.replace("#,##", "") + '"%"'
    if axis.unit == "money":
        scale = ',,"M"' if abs(value) >= 1_000_000 else ',"k"' if abs(value) >= 10_000 else ""
        return _currency(axis.currency) + number + scale
    if axis.unit == "change":
        return f'+{number}"%";-{number}"%";0"%"'
    if axis.unit == "points":
        return f'+{number}" pts";-{number}" pts";0" pts"'
    if axis.unit in ("ratio", "score"):
        return number.replace("#,##", "")
    return number


def _decimals(text: str) -> int:
    """Return how many digits follow the decimal point in a formatted figure ('€25.51' -> 2, '92%' -> 0)."""
    digits = text.split(".", 1)[1] if "." in text else ""
    return len(digits) - len(digits.lstrip("0123456789"))


def _tick_format(axis: YAxis, step: float, top: float) -> str:
    """Return the number format of an axis's tick labels: as many decimals as the step needs."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if step >= 1 and step != int(step):
        decimals = 1
    if axis.unit == "money" and abs(top) >= 10_000:
        scaled = step / (1_000_000 if abs(top) >= 1_000_000 else 1_000)
        decimals = 0 if scaled >= 1 and scaled == int(scaled) else 1
        suffix = ',,"M"' if abs(top) >= 1_000_000 else ',"k"'
        return _currency(axis.currency) + "#,##0" + ("." + "0" * decimals if decimals else "") + suffix
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if axis.unit == "pct":
        return number.replace("#,##", "") + '"%"'
    if axis.unit == "money":
        return _currency(axis.currency) + number
    if axis.unit in ("ratio", "score"):
        return number.replace("#,##", "")
    if axis.unit == "change":
        return f'+{number}"%";-{number}"%";0"%"'
    if axis.unit == "points":
        return f'+{number}" pts";-{number}" pts";0" pts"'
    return number


def _num(value: float) -> str:
    """Return a number as written in XML and number-format conditions: short, no trailing zeros."""
    return f"{value:.10g}"


# --- value axes -------------------------------------------------------------------------------------


def _scale(panel: Panel, side: Side, axis: YAxis, plot_height: float, palette: NativePalette,
           label_tops: list[float]) -> _Scale:
    """Return the value axis of one side, like the picture's: the spec's limits (the top raised when a
    label above a point would not fit under it), the bottom on a tick, a tick at most every third of an
    inch over the data, and tick labels only where the side has data."""
    own = [s for s in panel.series if s.axis == side]
    stacked = [s.values for s in own if s.kind == "stacked"]
    values = [v for s in own for v in s.values] + [sum(column) for column in zip(*stacked)]
    values += [t.value for t in panel.targets if t.axis == side]
    values = values or [0.0, 1.0]
    low, high = axis.limits or (min(0.0, min(values)), max(values) * 1.1)
    room = min(0.45, _label_height(palette) / plot_height)  # share of the height a label above needs
    for top in label_tops:
        if (high - top) / (high - low) < room:
            high = (top - room * low) / (1 - room)
    data_low = low if any(s.kind != "line" for s in own) else min(values)
    data_high = max(values)
    share = (data_high - data_low) / (high - low) if high > low else 1.0
    ticks = max(2, math.floor(plot_height * share / 0.32))  # a tick every third of an inch at most
    step = _nice_step((data_high - data_low) / ticks if data_high > data_low else 1.0)
    bottom = math.floor(low / step + 1e-9) * step
    shown = (math.ceil((data_low - step * 0.5) / step - 1e-9) * step,
             math.floor((data_high + step * 0.3) / step + 1e-9) * step)
    number = _tick_format(axis, step, high)
    if ";" not in number:  # conditions hide the tick labels below and above the data
        hidden = ([f'[<{_num(shown[0] - step / 2)}]""'] if shown[0] > bottom + step / 2 else []) + \
                 ([f'[>{_num(shown[1] + step / 2)}]""'] if shown[1] < high - step / 2 else [])
        number = ";".join(hidden + [number])
    return _Scale(bottom, high, step, shown, number)


def _nice_step(raw: float) -> float:
    """Return the smallest of 1, 2, 5 times a power of ten that is at least `raw` (the picture's steps)."""
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * power >= raw * (1 - 1e-9):
            return round(factor * power, 12)
    return 10 * power


# --- chart data and workbook ------------------------------------------------------------------------


class _FixedTimeWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's workbook writer with a fixed creation time, so the xlsx bytes depend on the data only."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        """Yield a workbook and its sheet; the workbook's core properties carry `WORKBOOK_TIME`."""
        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": WORKBOOK_TIME})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):
    """Category chart data whose embedded workbook is reproducible."""

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        """Return the writer of the embedded workbook (a new one each time; it holds no state)."""
        return _FixedTimeWorkbookWriter(self)


def _chart_data(x_labels: tuple[str, ...], columns: list[_Column]) -> CategoryChartData:
    """Return the chart data: the x labels as categories and one workbook column per chart column."""
    data = _ChartData()
    data.categories = list(x_labels)
    for column in columns:
        data.add_series(column.name, list(column.values), number_format=column.number_format)
    return data


# --- XML helpers ------------------------------------------------------------------------------------


def _el(parent: Any, tag: str, val: str | None = None, **attrs: str) -> Any:
    """Append and return a child element `tag` (prefixed name), with a `val` and other attributes."""
    child = etree.SubElement(parent, qn(tag))
    if val is not None:
        child.set("val", val)
    for key, value in attrs.items():
        child.set(key, value)
    return child


def _solid(parent: Any, colour: str) -> Any:
    """Append an `a:solidFill` of the colour; return it."""
    fill = _el(parent, "a:solidFill")
    _el(fill, "a:srgbClr", colour)
    return fill


def _line_props(parent: Any, colour: str | None, width_pt: float, dash: str = "") -> Any:
    """Append an `a:ln`: solid colour (or none) of the width, dashed when asked; return it."""
    line = _el(parent, "a:ln", w=str(round(width_pt * EMU_PER_PT)), cap="rnd" if colour and not dash else "flat")
    if colour is None:
        _el(line, "a:noFill")
    else:
        _solid(line, colour)
    if dash:
        _el(line, "a:prstDash", dash)
    _el(line, "a:round")
    return line


def _sp_pr(parent: Any, fill: str | None, line: str | None, width_pt: float = 0.75, dash: str = "") -> Any:
    """Append a `c:spPr` with a fill (or none) and an outline (or none); return it."""
    sp_pr = _el(parent, "c:spPr")
    if fill is None:
        _el(sp_pr, "a:noFill")
    else:
        _solid(sp_pr, fill)
    _line_props(sp_pr, line, width_pt, dash)
    return sp_pr


def _run_props(parent: Any, tag: str, size: float, colour: str, font: str, bold: bool = False,
               italic: bool = False) -> Any:
    """Append text run properties (`a:defRPr` or `a:rPr`) of size, colour, font and weight; return them."""
    props = _el(parent, tag, sz=str(round(size * 100)), b="1" if bold else "0", i="1" if italic else "0")
    if tag == "a:rPr":
        props.set("lang", "en-US")
    _solid(props, colour)
    _el(props, "a:latin", typeface=font)
    _el(props, "a:cs", typeface=font)
    return props


def _tx_pr(parent: Any, size: float, colour: str, font: str, bold: bool = False, italic: bool = False,
           rotation: float | None = None) -> Any:
    """Append a `c:txPr` for labels of the size and colour, turned by `rotation` degrees when given."""
    tx_pr = _el(parent, "c:txPr")
    body = _el(tx_pr, "a:bodyPr")
    if rotation is not None:
        body.set("rot", str(round(rotation * 60_000)))
        body.set("vert", "horz")
    _el(tx_pr, "a:lstStyle")
    paragraph = _el(tx_pr, "a:p")
    _run_props(_el(paragraph, "a:pPr"), "a:defRPr", size, colour, font, bold, italic)
    _el(paragraph, "a:endParaRPr", lang="en-US")
    return tx_pr


def _rich(parent: Any, text: str, size: float, colour: str, font: str, bold: bool = False,
          italic: bool = False) -> Any:
    """Append a `c:rich` text body holding `text` in one run; return it."""
    rich = _el(parent, "c:rich")
    _el(rich, "a:bodyPr", wrap="none")
    _el(rich, "a:lstStyle")
    paragraph = _el(rich, "a:p")
    _run_props(_el(paragraph, "a:pPr"), "a:defRPr", size, colour, font, bold, italic)
    run = _el(paragraph, "a:r")
    _run_props(run, "a:rPr", size, colour, font, bold, italic)
    _el(run, "a:t").text = text
    return rich


# --- plot area --------------------------------------------------------------------------------------


def _rebuild_plot_area(space: Any, columns: list[_Column], scales: dict[Side, _Scale], box: _Box,
                       palette: NativePalette) -> None:
    """Replace python-pptx's single line group by bar and line groups on primary and secondary axes."""
    plot_area = space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    generated = plot_area.findall(f"{qn('c:lineChart')}/{qn('c:ser')}")
    data = {i: [ser.find(qn(tag)) for tag in ("c:tx", "c:cat", "c:val")] for i, ser in enumerate(generated)}
    for child in list(plot_area):
        plot_area.remove(child)
    _el(plot_area, "c:layout")
    sides: list[Side] = [side for side in box.sides if any(c.axis == side for c in columns)]
    for side in sides:
        bars = [i for i, c in enumerate(columns) if c.axis == side and c.kind in ("bar", "stacked")]
        if bars:
            _bar_group(plot_area, columns, bars, data, side, box, palette)
    for side in sides:
        lines = [i for i, c in enumerate(columns) if c.axis == side and c.kind in ("line", "target")]
        if lines:
            _line_group(plot_area, columns, lines, data, side, box, palette)
    for side in sides:
        _category_axis(plot_area, side, box, palette)
        _value_axis(plot_area, side, scales[side], palette)
    _sp_pr(plot_area, None, None)


def _bar_group(plot_area: Any, columns: list[_Column], indexes: list[int], data: dict[int, list[Any]],
               side: Side, box: _Box, palette: NativePalette) -> None:
    """Append a `c:barChart` of the columns: stacked when any is stacked, else side by side."""
    stacked = any(columns[i].kind == "stacked" for i in indexes)
    group = _el(plot_area, "c:barChart")
    _el(group, "c:barDir", "col")
    _el(group, "c:grouping", "stacked" if stacked else "clustered")
    _el(group, "c:varyColors", "0")
    for i in indexes:
        _bar_series(group, i, columns[i], data[i], box, palette)
    _el(group, "c:gapWidth", "47" if stacked or len(indexes) == 1 else "40")
    _el(group, "c:overlap", "100" if stacked else "-6")
    for axis_id in AXIS_IDS[side]:
        _el(group, "c:axId", str(axis_id))


def _bar_series(group: Any, index: int, column: _Column, data: list[Any], box: _Box,
                palette: NativePalette) -> None:
    """Append a `c:ser` of bars: solid fill, a thin outline between stacked bars, status fills, labels."""
    ser = _series_head(group, index, data[0])
    outline = _hex(palette.background) if column.kind == "stacked" else None
    _sp_pr(ser, column.colour, outline, 0.6)
    _el(ser, "c:invertIfNegative", "0")
    for point, colour in sorted(column.point_colours.items()):
        dpt = _el(ser, "c:dPt")
        _el(dpt, "c:idx", str(point))
        _el(dpt, "c:invertIfNegative", "0")
        _el(dpt, "c:bubble3D", "0")
        _sp_pr(dpt, colour, outline, 0.6)
    _data_labels(ser, column, box, palette)
    ser.append(data[1])
    ser.append(data[2])


def _line_group(plot_area: Any, columns: list[_Column], indexes: list[int], data: dict[int, list[Any]],
                side: Side, box: _Box, palette: NativePalette) -> None:
    """Append a `c:lineChart` of the line and target columns."""
    group = _el(plot_area, "c:lineChart")
    _el(group, "c:grouping", "standard")
    _el(group, "c:varyColors", "0")
    for i in indexes:
        _line_series(group, i, columns[i], data[i], box, palette)
    _el(group, "c:marker", "1")
    for axis_id in AXIS_IDS[side]:
        _el(group, "c:axId", str(axis_id))


def _line_series(group: Any, index: int, column: _Column, data: list[Any], box: _Box,
                 palette: NativePalette) -> None:
    """Append a `c:ser` line: a solid line with dots, a dashed target, or dash markers for per-x targets."""
    ser = _series_head(group, index, data[0])
    if column.kind == "target":
        if column.per_point:
            _sp_pr(ser, None, None)
            marker = _el(ser, "c:marker")
            _el(marker, "c:symbol", "dash")
            _el(marker, "c:size", str(_dash_size(box)))
            _sp_pr(marker, column.colour, None)
        else:
            _line_sp_pr(ser, column.colour, 1.75, "dash")
            _el(_el(ser, "c:marker"), "c:symbol", "none")
    else:
        _line_sp_pr(ser, column.colour, 2.25)
        marker = _el(ser, "c:marker")
        _el(marker, "c:symbol", "circle")
        _el(marker, "c:size", "5")
        _sp_pr(marker, column.colour, column.colour, 0.75)
    for point, colour in sorted(column.point_colours.items()):
        dpt = _el(ser, "c:dPt")
        _el(dpt, "c:idx", str(point))
        marker = _el(dpt, "c:marker")
        _el(marker, "c:symbol", "circle")
        _el(marker, "c:size", "8")
        _sp_pr(marker, colour, colour, 0.75)
        _el(dpt, "c:bubble3D", "0")
    _data_labels(ser, column, box, palette)
    ser.append(data[1])
    ser.append(data[2])
    _el(ser, "c:smooth", "0")


def _line_sp_pr(parent: Any, colour: str, width_pt: float, dash: str = "") -> Any:
    """Append the `c:spPr` of a line series: no fill, a line of the colour and width; return it."""
    sp_pr = _el(parent, "c:spPr")
    _line_props(sp_pr, colour, width_pt, dash)
    return sp_pr


def _dash_size(box: _Box) -> int:
    """Return the dash-marker size (points, 2-72): most of a category's width, as the picture's target dashes."""
    return max(2, min(72, round(box.category_width * 72 * 0.45)))


def _series_head(group: Any, index: int, tx: Any) -> Any:
    """Append a `c:ser` with its index, order and name reference; return it."""
    ser = _el(group, "c:ser")
    _el(ser, "c:idx", str(index))
    _el(ser, "c:order", str(index))
    ser.append(tx)
    return ser


def _data_labels(ser: Any, column: _Column, box: _Box, palette: NativePalette) -> None:
    """Append the series' `c:dLbls`: one `c:dLbl` per labelled point, nothing shown elsewhere."""
    if not column.labels:
        return
    labels = _el(ser, "c:dLbls")
    for label in column.labels:
        _data_label(labels, label, box, palette)
    _el(labels, "c:spPr").append(etree.Element(qn("a:noFill")))
    _show(labels, value=False)
    _el(labels, "c:showLeaderLines", "1" if any(label.leader for label in column.labels) else "0")


def _data_label(parent: Any, label: _Label, box: _Box, palette: NativePalette) -> None:
    """Append a `c:dLbl`: fixed text (rich) or the point's value in a number format, at its position."""
    dlbl = _el(parent, "c:dLbl")
    _el(dlbl, "c:idx", str(label.index))
    if label.shift_in != (0.0, 0.0):  # offsets from the label's position, as shares of the chart's size
        manual = _el(_el(dlbl, "c:layout"), "c:manualLayout")
        _el(manual, "c:x", _num(round(label.shift_in[0] / box.width, 4)))
        _el(manual, "c:y", _num(round(-label.shift_in[1] / box.height, 4)))
    if label.text:
        _rich(_el(dlbl, "c:tx"), label.text, palette.label_size, label.colour, palette.font, label.bold, label.italic)
    else:
        _el(dlbl, "c:numFmt", formatCode=label.number_format, sourceLinked="0")
    if label.boxed:
        _solid(_el(dlbl, "c:spPr"), _hex(palette.background))
    else:
        _el(dlbl, "c:spPr").append(etree.Element(qn("a:noFill")))
    if not label.text:
        _tx_pr(dlbl, palette.label_size, label.colour, palette.font, label.bold, label.italic)
    _el(dlbl, "c:dLblPos", label.position)
    _show(dlbl, value=True)


def _show(parent: Any, value: bool) -> None:
    """Append the show* flags of a data label: the value only, or nothing."""
    _el(parent, "c:showLegendKey", "0")
    _el(parent, "c:showVal", "1" if value else "0")
    for flag in ("c:showCatName", "c:showSerName", "c:showPercent", "c:showBubbleSize"):
        _el(parent, flag, "0")


def _category_axis(plot_area: Any, side: Side, box: _Box, palette: NativePalette) -> None:
    """Append a `c:catAx`: the visible category axis at the bottom, or the hidden one of the secondary pair.

    Labels that fit are kept horizontal; otherwise every other one is shown, turned by 45 degrees
    (LibreOffice ignores `c:tickLblSkip` and would otherwise break or crowd them).
    """
    cat_id, val_id = AXIS_IDS[side]
    axis = _el(plot_area, "c:catAx")
    _el(axis, "c:axId", str(cat_id))
    _el(_el(axis, "c:scaling"), "c:orientation", "minMax")
    _el(axis, "c:delete", "1" if side == "right" else "0")
    _el(axis, "c:axPos", "b")
    _el(axis, "c:numFmt", formatCode="General", sourceLinked="1")
    _el(axis, "c:majorTickMark", "none")
    _el(axis, "c:minorTickMark", "none")
    _el(axis, "c:tickLblPos", "low" if side == "left" else "nextTo")
    if side == "left":
        sp_pr = _el(axis, "c:spPr")
        _el(sp_pr, "a:noFill")
        _line_props(sp_pr, _hex(palette.axis_line), 0.75)
        _tx_pr(axis, palette.tick_size, _hex(palette.text), palette.font, rotation=0 if box.skip == 1 else -45)
    _el(axis, "c:crossAx", str(val_id))
    _el(axis, "c:crosses", "autoZero")
    _el(axis, "c:auto", "1")
    _el(axis, "c:lblAlgn", "ctr")
    _el(axis, "c:lblOffset", "100")
    if side == "left":
        _el(axis, "c:tickLblSkip", str(box.skip))
    _el(axis, "c:noMultiLvlLbl", "0")


def _value_axis(plot_area: Any, side: Side, scale: _Scale, palette: NativePalette) -> None:
    """Append a `c:valAx` without axis line: left with light gridlines (unless its lower part has no
    tick labels), or right, crossing its category axis at the maximum."""
    cat_id, val_id = AXIS_IDS[side]
    axis = _el(plot_area, "c:valAx")
    _el(axis, "c:axId", str(val_id))
    scaling = _el(axis, "c:scaling")
    _el(scaling, "c:orientation", "minMax")
    _el(scaling, "c:max", _num(scale.high))
    _el(scaling, "c:min", _num(scale.low))
    _el(axis, "c:delete", "0")
    _el(axis, "c:axPos", "l" if side == "left" else "r")
    if side == "left" and not scale.hides_low_ticks:  # gridlines over the other axis's bars would mislead
        grid = _el(axis, "c:majorGridlines")
        sp_pr = _el(grid, "c:spPr")
        _line_props(sp_pr, _hex(palette.grid), 0.75)
    _el(axis, "c:numFmt", formatCode=scale.number_format, sourceLinked="0")
    _el(axis, "c:majorTickMark", "none")
    _el(axis, "c:minorTickMark", "none")
    _el(axis, "c:tickLblPos", "nextTo")
    sp_pr = _el(axis, "c:spPr")
    _el(sp_pr, "a:noFill")
    _line_props(sp_pr, None, 0.75)
    _tx_pr(axis, palette.tick_size, _hex(palette.text), palette.font)
    _el(axis, "c:crossAx", str(cat_id))
    _el(axis, "c:crosses", "autoZero" if side == "left" else "max")
    _el(axis, "c:crossBetween", "between")
    _el(axis, "c:majorUnit", _num(scale.step))


# --- chart-level settings ---------------------------------------------------------------------------


def _finish_chart(space: Any, columns: list[_Column], box: _Box, palette: NativePalette) -> None:
    """Set square corners, no background or border, the legend at the top, the panel title if any."""
    date1904 = space.find(qn("c:date1904"))
    rounded = OxmlElement("c:roundedCorners")
    rounded.set("val", "0")
    date1904.addnext(rounded)
    chart = space.find(qn("c:chart"))
    for tag in ("c:title", "c:autoTitleDeleted", "c:legend"):
        for old in chart.findall(qn(tag)):
            chart.remove(old)
    plot_area = chart.find(qn("c:plotArea"))
    deleted = OxmlElement("c:autoTitleDeleted")
    deleted.set("val", "0" if box.title else "1")
    plot_area.addprevious(deleted)
    if box.title:
        deleted.addprevious(_title(box.title, palette))
    if box.legend:
        hidden = [i for i, column in enumerate(columns) if not column.in_legend]
        plot_area.addnext(_legend(palette, hidden))
    sp_pr = OxmlElement("c:spPr")
    _el(sp_pr, "a:noFill")
    _line_props(sp_pr, None, 0.75)
    space.find(qn("c:txPr")).addprevious(sp_pr)


def _title(text: str, palette: NativePalette) -> Any:
    """Return a `c:title` with the panel's title in bold, not overlaying the plot."""
    title = OxmlElement("c:title")
    _rich(_el(title, "c:tx"), text, palette.title_size, _hex(palette.text), palette.font, bold=True)
    _el(title, "c:overlay", "0")
    return title


def _legend(palette: NativePalette, hidden: list[int]) -> Any:
    """Return a `c:legend` at the top of the chart, in the legend size, without the `hidden` series."""
    legend = OxmlElement("c:legend")
    _el(legend, "c:legendPos", "t")
    for index in hidden:
        entry = _el(legend, "c:legendEntry")
        _el(entry, "c:idx", str(index))
        _el(entry, "c:delete", "1")
    _el(legend, "c:overlay", "0")
    _tx_pr(legend, palette.legend_size, _hex(palette.text), palette.font)
    return legend


def _normalise_axis_ids(space: Any) -> None:
    """Make every `c:axId` and `c:crossAx` value a non-negative int (the schema's unsignedInt).

    Ids are masked with 0x7FFFFFFF, so a pair of ids that matched before still matches.
    """
    for tag in ("c:axId", "c:crossAx"):
        for element in space.iter(qn(tag)):
            element.set("val", str(int(element.get("val")) & 0x7FFFFFFF))


__all__ = ["NativePalette", "add_native_chart", "value_format"]
