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
from dataclasses import dataclass, field
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

from generator import formatting as fmt
from generator.charts import ChartSpec, ChartTheme, Panel, Series, Side, TargetLine, YAxis
from generator.figures import format_figure

WORKBOOK_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
"""Creation time written into every embedded workbook, so that its bytes depend on the data only."""
PANEL_GAP_IN = 0.15
"""Space between the charts of a spec with several panels."""
AXIS_IDS = {"left": (10_001, 10_002), "right": (10_003, 10_004)}
"""(category axis, value axis) ids of the primary and the secondary axis pair."""
EMU_PER_PT = 12_700

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
    lift_in: float = 0.0
    """Move the label up by this many inches from its position (callouts above stacked bars)."""


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


@dataclass(frozen=True)
class _Scale:
    """A value axis: limits, tick step, and the range in which tick labels are shown."""

    low: float
    high: float
    step: float
    shown: tuple[float, float]
    number_format: str


@dataclass(frozen=True)
class _Box:
    """A chart's place on the slide and what takes room around its plot (inches)."""

    left: float
    top: float
    width: float
    height: float
    legend: bool
    title: str

    @property
    def plot_height(self) -> float:
        """Return the estimated height of the plot area: less legend, title and category labels."""
        return self.height - 0.35 - (0.3 if self.legend else 0.0) - (0.3 if self.title else 0.0)


# --- public API -------------------------------------------------------------------------------------


def add_native_chart(slide: Any, spec: ChartSpec, left_in: float, top_in: float, width_in: float,
                     height_in: float, palette: NativePalette, alt_text: str, name: str) -> list[Any]:
    """Add the spec as native chart(s) in the box and return the graphic frame(s), one per panel."""
    count = len(spec.panels)
    width = (width_in - PANEL_GAP_IN * (count - 1)) / count
    frames = []
    for i, panel in enumerate(spec.panels):
        box = _Box(left_in + i * (width + PANEL_GAP_IN), top_in, width, height_in,
                   legend=count == 1, title=panel.title if count > 1 else "")
        frame = _add_panel_chart(slide, spec, panel, box, palette)
        cnv_pr = frame._element.nvGraphicFramePr.cNvPr
        cnv_pr.set("name", name if count == 1 else f"{name} {i + 1}")
        cnv_pr.set("descr", alt_text if count == 1 else f"{alt_text} (panel {i + 1} of {count}: {panel.title})")
        frames.append(frame)
    return frames


def _add_panel_chart(slide: Any, spec: ChartSpec, panel: Panel, box: _Box, palette: NativePalette) -> Any:
    """Add one panel as a chart and return its graphic frame."""
    scales = {side: _scale(panel, side, axis, box.plot_height)
              for side, axis in (("left", panel.y), ("right", panel.y2)) if axis is not None}
    columns = _columns(spec, panel, palette, scales, box)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE, Inches(box.left), Inches(box.top), Inches(box.width),
                                   Inches(box.height), _chart_data(spec.x_labels, columns))
    chart = frame.chart
    chart.font.name = palette.font
    chart.font.size = Pt(palette.tick_size)
    chart.font.color.rgb = RGBColor.from_string(_hex(palette.text))
    space = chart._chartSpace
    _rebuild_plot_area(space, columns, scales, spec.x_labels, box, palette)
    _finish_chart(space, box, palette)
    _normalise_axis_ids(space)
    return frame


# --- columns: the spec's series and targets, with their labels ----------------------------------


def _columns(spec: ChartSpec, panel: Panel, palette: NativePalette, scales: dict[Side, _Scale],
             box: _Box) -> list[_Column]:
    """Return the panel's series then its targets (same label and axis merged) as chart columns."""
    units = {"left": panel.y, "right": panel.y2 or panel.y}
    two_sides = panel.y2 is not None and any(s.axis == "left" for s in panel.series)
    columns = [_series_column(s, units[_side(s.axis, scales)], palette, two_sides, scales)
               for s in panel.series]
    columns += _target_columns(panel, len(spec.x_labels), palette, scales, direct=bool(box.title))
    _add_event_labels(panel, columns, palette)
    _add_annotation_labels(panel, columns, palette, scales)
    return columns


def _side(axis: Side, scales: dict[Side, _Scale]) -> Side:
    """Return the axis a series is plotted on: the right one only when the panel has one."""
    return "right" if axis == "right" and "right" in scales else "left"


def _series_column(s: Series, unit: YAxis, palette: NativePalette, two_sides: bool,
                   scales: dict[Side, _Scale]) -> _Column:
    """Return a spec series as a column, with status colours and value labels."""
    side = _side(s.axis, scales)
    colour = palette.colour(s.colour)
    status = list(s.status) + [""] * (len(s.values) - len(s.status))
    shown = range(len(s.values)) if s.value_labels == "all" else [len(s.values) - 1]
    labelled = list(shown) if s.value_labels != "none" else []
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


def _target_columns(panel: Panel, count: int, palette: NativePalette, scales: dict[Side, _Scale],
                    direct: bool) -> list[_Column]:
    """Return the panel's targets as dashed-line columns; targets sharing label and axis become one.

    A full-width target has its value at every x; one over listed x positions only there (None
    elsewhere), drawn as a dash marker per position. With `direct`, the line is labelled on the plot.
    """
    merged: dict[tuple[str, Side], list[TargetLine]] = {}
    for target in panel.targets:
        merged.setdefault((target.label, _side(target.axis, scales)), []).append(target)
    columns = []
    for (label, side), targets in merged.items():
        values: list[float | None] = [None] * count
        for target in targets:
            for x in target.at or range(count):
                values[x] = target.value
        per_point = any(t.at for t in targets)
        unit = panel.y2 if side == "right" and panel.y2 is not None else panel.y
        labels = []
        if direct and not per_point:
            labels.append(_direct_target_label(panel, targets[0], side, count, palette))
        columns.append(_Column(label, tuple(values), "target", side, _hex(palette.target),
                               value_format(targets[0].value, unit), per_point=per_point, labels=labels))
    return columns


def _direct_target_label(panel: Panel, target: TargetLine, side: Side, count: int,
                         palette: NativePalette) -> _Label:
    """Return the target's name written over its line near the left, away from the first points."""
    start = [v for s in panel.series if s.axis == side for v in s.values[:3]]
    above = not start or sum(start) / len(start) < target.value
    return _Label(min(2, count - 1), "t" if above else "b", _hex(palette.target), text=target.label)


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


def _add_annotation_labels(panel: Panel, columns: list[_Column], palette: NativePalette,
                           scales: dict[Side, _Scale]) -> None:
    """Write each callout as a bold label on the point it points at: a line point or the top of a stack."""
    for note in panel.annotations:
        side = _side(note.axis, scales)
        own = [c for c in columns if c.axis == side and c.kind != "target"]
        stacked = [c for c in own if c.kind == "stacked"]
        column = next((c for c in own if c.kind != "stacked" and _close(c.values[note.x], note.y)), None)
        if column is None and stacked and _close(sum(c.values[note.x] or 0.0 for c in stacked), note.y):
            column = stacked[-1]
        column = column or _anchor(columns, side)
        if column is None:
            continue
        position: LabelPosition = {"line": "t", "bar": "outEnd", "stacked": "inEnd"}.get(column.kind, "t")
        lift = 0.3 if column.kind == "stacked" else 0.0  # from inside the top of the stack to above it
        _replace_label(column, _Label(note.x, position, _hex(palette.annotation), text=note.text, bold=True,
                                      lift_in=lift))


def _close(value: float | None, other: float) -> bool:
    return value is not None and abs(value - other) <= 1e-6 * max(1.0, abs(other))


def _replace_label(column: _Column, label: _Label) -> None:
    """Put the label on its point, in place of any label already there."""
    column.labels[:] = [lb for lb in column.labels if lb.index != label.index] + [label]
    column.labels.sort(key=lambda lb: lb.index)


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


def _scale(panel: Panel, side: Side, axis: YAxis, plot_height: float) -> _Scale:
    """Return the value axis of one side: the spec's limits, the bottom on a tick, ticks about every
    third of an inch over the data, and tick labels only where the side has data (like the picture)."""
    own = [s for s in panel.series if s.axis == side]
    stacked = [s.values for s in own if s.kind == "stacked"]
    values = [v for s in own for v in s.values] + [sum(column) for column in zip(*stacked)]
    values += [t.value for t in panel.targets if t.axis == side]
    values = values or [0.0, 1.0]
    low, high = axis.limits or (min(0.0, min(values)), max(values) * 1.1)
    data_low = low if any(s.kind != "line" for s in own) else min(values)
    data_high = max(values)
    share = (data_high - data_low) / (high - low) if high > low else 1.0
    ticks = max(2, math.floor(max(plot_height, 0.5) * share / 0.32))
    step = _nice_step((data_high - data_low) / ticks if data_high > data_low else 1.0)
    bottom = math.floor(low / step + 1e-9) * step
    shown = (math.ceil((data_low - step * 0.5) / step - 1e-9) * step,
             math.floor((data_high + step * 0.3) / step + 1e-9) * step)
    number = _tick_format(axis, step, high)
    if (shown[0] > bottom + step / 2 or shown[1] < high - step / 2) and ";" not in number:
        number = f'[<{_num(shown[0] - step / 2)}]"";[>{_num(shown[1] + step / 2)}]"";{number}'
    return _Scale(bottom, high, step, shown, number)


def _nice_step(raw: float) -> float:
    """Return the smallest of 1, 2, 2.5, 5 times a power of ten that is at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= raw * (1 - 1e-9):
            return round(factor * power, 12)
    return 10 * power


# --- chart data and workbook ------------------------------------------------------------------------


class _FixedTimeWorkbookWriter(CategoryWorkbookWriter):  # type: ignore[misc]
    """python-pptx's workbook writer with a fixed creation time, so the xlsx bytes depend on the data only."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        """Yield a workbook and its sheet; the workbook's core properties carry `WORKBOOK_TIME`."""
        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": WORKBOOK_TIME})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):  # type: ignore[misc]
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
           rotation: bool = True) -> Any:
    """Append a `c:txPr` for labels of the size and colour; `rotation=False` keeps them horizontal."""
    tx_pr = _el(parent, "c:txPr")
    body = _el(tx_pr, "a:bodyPr")
    if not rotation:
        body.set("rot", "0")
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


def _rebuild_plot_area(space: Any, columns: list[_Column], scales: dict[Side, _Scale], x_labels: tuple[str, ...],
                       box: _Box, palette: NativePalette) -> None:
    """Replace python-pptx's single line group by bar and line groups on primary and secondary axes."""
    plot_area = space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    generated = plot_area.findall(f"{qn('c:lineChart')}/{qn('c:ser')}")
    data = {i: [ser.find(qn(tag)) for tag in ("c:tx", "c:cat", "c:val")] for i, ser in enumerate(generated)}
    for child in list(plot_area):
        plot_area.remove(child)
    _el(plot_area, "c:layout")
    sides = [side for side in ("left", "right") if any(c.axis == side for c in columns)]
    for side in sides:
        bars = [i for i, c in enumerate(columns) if c.axis == side and c.kind in ("bar", "stacked")]
        if bars:
            _bar_group(plot_area, columns, bars, data, side, box, palette, len(x_labels))
    for side in sides:
        lines = [i for i, c in enumerate(columns) if c.axis == side and c.kind in ("line", "target")]
        if lines:
            _line_group(plot_area, columns, lines, data, side, box, palette, len(x_labels))
    for side in sides:
        _category_axis(plot_area, side, x_labels, box, palette)
        _value_axis(plot_area, side, scales[side], palette)
    _sp_pr(plot_area, None, None)


def _bar_group(plot_area: Any, columns: list[_Column], indexes: list[int], data: dict[int, list[Any]],
               side: Side, box: _Box, palette: NativePalette, count: int) -> None:
    """Append a `c:barChart` of the columns: stacked when any is stacked, else side by side."""
    stacked = any(columns[i].kind == "stacked" for i in indexes)
    group = _el(plot_area, "c:barChart")
    _el(group, "c:barDir", "col")
    _el(group, "c:grouping", "stacked" if stacked else "clustered")
    _el(group, "c:varyColors", "0")
    for i in indexes:
        _bar_series(group, i, columns[i], data[i], box, palette, count)
    _el(group, "c:gapWidth", "47" if stacked or len(indexes) == 1 else "40")
    _el(group, "c:overlap", "100" if stacked else "-6")
    for axis_id in AXIS_IDS[side]:
        _el(group, "c:axId", str(axis_id))


def _bar_series(group: Any, index: int, column: _Column, data: list[Any], box: _Box, palette: NativePalette,
                count: int) -> None:
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
                side: Side, box: _Box, palette: NativePalette, count: int) -> None:
    """Append a `c:lineChart` of the line and target columns."""
    group = _el(plot_area, "c:lineChart")
    _el(group, "c:grouping", "standard")
    _el(group, "c:varyColors", "0")
    for i in indexes:
        _line_series(group, i, columns[i], data[i], box, palette, count)
    _el(group, "c:marker", "1")
    for axis_id in AXIS_IDS[side]:
        _el(group, "c:axId", str(axis_id))


def _line_series(group: Any, index: int, column: _Column, data: list[Any], box: _Box, palette: NativePalette,
                 count: int) -> None:
    """Append a `c:ser` line: a solid line with dots, a dashed target, or dash markers for per-x targets."""
    ser = _series_head(group, index, data[0])
    if column.kind == "target":
        if column.per_point:
            _sp_pr(ser, None, None)
            marker = _el(ser, "c:marker")
            _el(marker, "c:symbol", "dash")
            _el(marker, "c:size", str(_dash_size(box, count)))
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


def _dash_size(box: _Box, count: int) -> int:
    """Return the dash-marker size (points, 2-72) spanning about the bars of one category."""
    plot_width_pt = (box.width - 0.8) * 72
    return max(2, min(72, round(plot_width_pt / max(count, 1) * 0.55)))


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


def _data_label(parent: Any, label: _Label, box: _Box, palette: NativePalette) -> None:
    """Append a `c:dLbl`: fixed text (rich) or the point's value in a number format, at its position."""
    dlbl = _el(parent, "c:dLbl")
    _el(dlbl, "c:idx", str(label.index))
    if label.lift_in:
        manual = _el(_el(dlbl, "c:layout"), "c:manualLayout")
        _el(manual, "c:x", "0")
        _el(manual, "c:y", _num(round(-label.lift_in / box.height, 4)))
    if label.text:
        _rich(_el(dlbl, "c:tx"), label.text, palette.label_size, label.colour, palette.font, label.bold, label.italic)
    else:
        _el(dlbl, "c:numFmt", formatCode=label.number_format, sourceLinked="0")
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


def _category_axis(plot_area: Any, side: Side, x_labels: tuple[str, ...], box: _Box,
                   palette: NativePalette) -> None:
    """Append a `c:catAx`: the visible month axis at the bottom, or the hidden one of the secondary pair."""
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
        _tx_pr(axis, palette.tick_size, _hex(palette.text), palette.font, rotation=False)
    _el(axis, "c:crossAx", str(val_id))
    _el(axis, "c:crosses", "autoZero")
    _el(axis, "c:auto", "1")
    _el(axis, "c:lblAlgn", "ctr")
    _el(axis, "c:lblOffset", "100")
    if side == "left":
        _el(axis, "c:tickLblSkip", str(_label_skip(x_labels, box, palette)))
    _el(axis, "c:noMultiLvlLbl", "0")


def _label_skip(x_labels: tuple[str, ...], box: _Box, palette: NativePalette) -> int:
    """Return 1 when every category label fits its slot, else 2 (every other label)."""
    widest = max((len(label) for label in x_labels), default=1) * palette.tick_size * 0.55 / 72
    plot_width = box.width - 1.3
    return 1 if plot_width / max(len(x_labels), 1) >= widest + 0.08 else 2


def _value_axis(plot_area: Any, side: Side, scale: _Scale, palette: NativePalette) -> None:
    """Append a `c:valAx`: left with light gridlines, or right crossing at the maximum, no axis line."""
    cat_id, val_id = AXIS_IDS[side]
    axis = _el(plot_area, "c:valAx")
    _el(axis, "c:axId", str(val_id))
    scaling = _el(axis, "c:scaling")
    _el(scaling, "c:orientation", "minMax")
    _el(scaling, "c:max", _num(scale.high))
    _el(scaling, "c:min", _num(scale.low))
    _el(axis, "c:delete", "0")
    _el(axis, "c:axPos", "l" if side == "left" else "r")
    if side == "left":
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


def _finish_chart(space: Any, box: _Box, palette: NativePalette) -> None:
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
        plot_area.addnext(_legend(palette))
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


def _legend(palette: NativePalette) -> Any:
    """Return a `c:legend` at the top of the chart, in the legend size."""
    legend = OxmlElement("c:legend")
    _el(legend, "c:legendPos", "t")
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
