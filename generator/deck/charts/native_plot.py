"""The plot area of a native chart, rebuilt: bar and line groups on primary and secondary axes.

python-pptx's single line group is replaced by a `c:barChart` (stacked or side by side) and a
`c:lineChart` per axis pair, their series keeping the generated name, category and value data, with
status colours, dash markers for targets over some x positions, and data labels; then the axes.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.oxml.ns import qn

from generator.deck.charts.native_model import (
    Box,
    Column,
    Label,
    NativePalette,
    Scale,
    hex_colour,
)
from generator.deck.charts.native_scale import xml_number
from generator.deck.charts.native_xml import (
    add_child,
    line_props,
    rich_text,
    shape_props,
    solid_fill,
    text_props,
)
from generator.story.charts import Side

AXIS_IDS = {"left": (10_001, 10_002), "right": (10_003, 10_004)}
"""(category axis, value axis) ids of the primary and the secondary axis pair."""


def rebuild_plot_area(space: Any, columns: list[Column], scales: dict[Side, Scale], box: Box,
                      palette: NativePalette) -> None:
    """Replace python-pptx's single line group by bar and line groups on primary and secondary axes."""
    plot_area = space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    generated = plot_area.findall(f"{qn('c:lineChart')}/{qn('c:ser')}")
    data = {i: [ser.find(qn(tag)) for tag in ("c:tx", "c:cat", "c:val")] for i, ser in enumerate(generated)}
    for child in list(plot_area):
        plot_area.remove(child)
    add_child(plot_area, "c:layout")
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
    shape_props(plot_area, None, None)


def _bar_group(plot_area: Any, columns: list[Column], indexes: list[int], data: dict[int, list[Any]],
               side: Side, box: Box, palette: NativePalette) -> None:
    """Append a `c:barChart` of the columns: stacked when any is stacked, else side by side."""
    stacked = any(columns[i].kind == "stacked" for i in indexes)
    group = add_child(plot_area, "c:barChart")
    add_child(group, "c:barDir", "col")
    add_child(group, "c:grouping", "stacked" if stacked else "clustered")
    add_child(group, "c:varyColors", "0")
    for i in indexes:
        _bar_series(group, i, columns[i], data[i], box, palette)
    add_child(group, "c:gapWidth", "47" if stacked or len(indexes) == 1 else "40")
    add_child(group, "c:overlap", "100" if stacked else "-6")
    for axis_id in AXIS_IDS[side]:
        add_child(group, "c:axId", str(axis_id))


def _bar_series(group: Any, index: int, column: Column, data: list[Any], box: Box,
                palette: NativePalette) -> None:
    """Append a `c:ser` of bars: solid fill, a thin outline between stacked bars, status fills, labels."""
    ser = _series_head(group, index, data[0])
    outline = hex_colour(palette.background) if column.kind == "stacked" else None
    shape_props(ser, column.colour, outline, 0.6)
    add_child(ser, "c:invertIfNegative", "0")
    for point, colour in sorted(column.point_colours.items()):
        dpt = add_child(ser, "c:dPt")
        add_child(dpt, "c:idx", str(point))
        add_child(dpt, "c:invertIfNegative", "0")
        add_child(dpt, "c:bubble3D", "0")
        shape_props(dpt, colour, outline, 0.6)
    _data_labels(ser, column, box, palette)
    ser.append(data[1])
    ser.append(data[2])


def _line_group(plot_area: Any, columns: list[Column], indexes: list[int], data: dict[int, list[Any]],
                side: Side, box: Box, palette: NativePalette) -> None:
    """Append a `c:lineChart` of the line and target columns."""
    group = add_child(plot_area, "c:lineChart")
    add_child(group, "c:grouping", "standard")
    add_child(group, "c:varyColors", "0")
    for i in indexes:
        _line_series(group, i, columns[i], data[i], box, palette)
    add_child(group, "c:marker", "1")
    for axis_id in AXIS_IDS[side]:
        add_child(group, "c:axId", str(axis_id))


def _line_series(group: Any, index: int, column: Column, data: list[Any], box: Box,
                 palette: NativePalette) -> None:
    """Append a `c:ser` line: a solid line with dots, a dashed target, or dash markers for per-x targets."""
    ser = _series_head(group, index, data[0])
    if column.kind == "target":
        if column.per_point:
            shape_props(ser, None, None)
            marker = add_child(ser, "c:marker")
            add_child(marker, "c:symbol", "dash")
            add_child(marker, "c:size", str(_dash_size(box)))
            shape_props(marker, column.colour, None)
        else:
            _line_sp_pr(ser, column.colour, 1.75, "dash")
            add_child(add_child(ser, "c:marker"), "c:symbol", "none")
    else:
        _line_sp_pr(ser, column.colour, 2.25)
        marker = add_child(ser, "c:marker")
        add_child(marker, "c:symbol", "circle")
        add_child(marker, "c:size", "5")
        shape_props(marker, column.colour, column.colour, 0.75)
    for point, colour in sorted(column.point_colours.items()):
        dpt = add_child(ser, "c:dPt")
        add_child(dpt, "c:idx", str(point))
        marker = add_child(dpt, "c:marker")
        add_child(marker, "c:symbol", "circle")
        add_child(marker, "c:size", "8")
        shape_props(marker, colour, colour, 0.75)
        add_child(dpt, "c:bubble3D", "0")
    _data_labels(ser, column, box, palette)
    ser.append(data[1])
    ser.append(data[2])
    add_child(ser, "c:smooth", "0")


def _line_sp_pr(parent: Any, colour: str, width_pt: float, dash: str = "") -> Any:
    """Append the `c:spPr` of a line series: no fill, a line of the colour and width; return it."""
    sp_pr = add_child(parent, "c:spPr")
    line_props(sp_pr, colour, width_pt, dash)
    return sp_pr


def _dash_size(box: Box) -> int:
    """Return the dash-marker size (points, 2-72): most of a category's width, as the picture's target dashes."""
    return max(2, min(72, round(box.category_width * 72 * 0.45)))


def _series_head(group: Any, index: int, tx: Any) -> Any:
    """Append a `c:ser` with its index, order and name reference; return it."""
    ser = add_child(group, "c:ser")
    add_child(ser, "c:idx", str(index))
    add_child(ser, "c:order", str(index))
    ser.append(tx)
    return ser


def _data_labels(ser: Any, column: Column, box: Box, palette: NativePalette) -> None:
    """Append the series' `c:dLbls`: one `c:dLbl` per labelled point, nothing shown elsewhere."""
    if not column.labels:
        return
    labels = add_child(ser, "c:dLbls")
    for label in column.labels:
        _data_label(labels, label, box, palette)
    add_child(labels, "c:spPr").append(etree.Element(qn("a:noFill")))
    _show(labels, value=False)
    add_child(labels, "c:showLeaderLines", "1" if any(label.leader for label in column.labels) else "0")


def _data_label(parent: Any, label: Label, box: Box, palette: NativePalette) -> None:
    """Append a `c:dLbl`: fixed text (rich) or the point's value in a number format, at its position."""
    dlbl = add_child(parent, "c:dLbl")
    add_child(dlbl, "c:idx", str(label.index))
    if label.shift_in != (0.0, 0.0):  # offsets from the label's position, as shares of the chart's size
        manual = add_child(add_child(dlbl, "c:layout"), "c:manualLayout")
        add_child(manual, "c:x", xml_number(round(label.shift_in[0] / box.width, 4)))
        add_child(manual, "c:y", xml_number(round(-label.shift_in[1] / box.height, 4)))
    if label.text:
        rich_text(add_child(dlbl, "c:tx"), label.text, palette.label_size, label.colour, palette.font, label.bold,
                  label.italic)
    else:
        add_child(dlbl, "c:numFmt", formatCode=label.number_format, sourceLinked="0")
    if label.boxed:
        solid_fill(add_child(dlbl, "c:spPr"), hex_colour(palette.background))
    else:
        add_child(dlbl, "c:spPr").append(etree.Element(qn("a:noFill")))
    if not label.text:
        text_props(dlbl, palette.label_size, label.colour, palette.font, label.bold, label.italic)
    add_child(dlbl, "c:dLblPos", label.position)
    _show(dlbl, value=True)


def _show(parent: Any, value: bool) -> None:
    """Append the show* flags of a data label: the value only, or nothing."""
    add_child(parent, "c:showLegendKey", "0")
    add_child(parent, "c:showVal", "1" if value else "0")
    for flag in ("c:showCatName", "c:showSerName", "c:showPercent", "c:showBubbleSize"):
        add_child(parent, flag, "0")


def _category_axis(plot_area: Any, side: Side, box: Box, palette: NativePalette) -> None:
    """Append a `c:catAx`: the visible category axis at the bottom, or the hidden one of the secondary pair.

    Labels that fit are kept horizontal; otherwise every other one is shown, turned by 45 degrees
    (LibreOffice ignores `c:tickLblSkip` and would otherwise break or crowd them).
    """
    cat_id, val_id = AXIS_IDS[side]
    axis = add_child(plot_area, "c:catAx")
    add_child(axis, "c:axId", str(cat_id))
    add_child(add_child(axis, "c:scaling"), "c:orientation", "minMax")
    add_child(axis, "c:delete", "1" if side == "right" else "0")
    add_child(axis, "c:axPos", "b")
    add_child(axis, "c:numFmt", formatCode="General", sourceLinked="1")
    add_child(axis, "c:majorTickMark", "none")
    add_child(axis, "c:minorTickMark", "none")
    add_child(axis, "c:tickLblPos", "low" if side == "left" else "nextTo")
    if side == "left":
        sp_pr = add_child(axis, "c:spPr")
        add_child(sp_pr, "a:noFill")
        line_props(sp_pr, hex_colour(palette.axis_line), 0.75)
        text_props(axis, palette.tick_size, hex_colour(palette.text), palette.font,
                   rotation=0 if box.skip == 1 else -45)
    add_child(axis, "c:crossAx", str(val_id))
    add_child(axis, "c:crosses", "autoZero")
    add_child(axis, "c:auto", "1")
    add_child(axis, "c:lblAlgn", "ctr")
    add_child(axis, "c:lblOffset", "100")
    if side == "left":
        add_child(axis, "c:tickLblSkip", str(box.skip))
    add_child(axis, "c:noMultiLvlLbl", "0")


def _value_axis(plot_area: Any, side: Side, scale: Scale, palette: NativePalette) -> None:
    """Append a `c:valAx` without axis line: left with light gridlines (unless its lower part has no
    tick labels), or right, crossing its category axis at the maximum."""
    cat_id, val_id = AXIS_IDS[side]
    axis = add_child(plot_area, "c:valAx")
    add_child(axis, "c:axId", str(val_id))
    scaling = add_child(axis, "c:scaling")
    add_child(scaling, "c:orientation", "minMax")
    add_child(scaling, "c:max", xml_number(scale.high))
    add_child(scaling, "c:min", xml_number(scale.low))
    add_child(axis, "c:delete", "0")
    add_child(axis, "c:axPos", "l" if side == "left" else "r")
    if side == "left" and not scale.hides_low_ticks:  # gridlines over the other axis's bars would mislead
        grid = add_child(axis, "c:majorGridlines")
        sp_pr = add_child(grid, "c:spPr")
        line_props(sp_pr, hex_colour(palette.grid), 0.75)
    add_child(axis, "c:numFmt", formatCode=scale.number_format, sourceLinked="0")
    add_child(axis, "c:majorTickMark", "none")
    add_child(axis, "c:minorTickMark", "none")
    add_child(axis, "c:tickLblPos", "nextTo")
    sp_pr = add_child(axis, "c:spPr")
    add_child(sp_pr, "a:noFill")
    line_props(sp_pr, None, 0.75)
    text_props(axis, palette.tick_size, hex_colour(palette.text), palette.font)
    add_child(axis, "c:crossAx", str(cat_id))
    add_child(axis, "c:crosses", "autoZero" if side == "left" else "max")
    add_child(axis, "c:crossBetween", "between")
    add_child(axis, "c:majorUnit", xml_number(scale.step))
