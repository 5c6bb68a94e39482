"""Native, editable PowerPoint charts drawn from the same `ChartSpec` as the chart pictures.

python-pptx writes one chart type per chart, so a chart is first added from ALL of a panel's
columns (spec series, then target lines; `native_columns`) -- which makes the embedded workbook
(`native_workbook`) hold every column -- and its plot area is then rebuilt from the generated series
data (`c:tx`, `c:cat`, `c:val`; `native_plot`): bars and stacked bars go into `c:barChart` groups,
lines and targets into `c:lineChart` groups, and series on the right axis into groups of their own
on a secondary pair of axes, scaled as the pictures' axes are (`native_scale`). Every element is
written in the order of the ISO/IEC 29500 chart schema and every axis id is a non-negative int
(`native_xml`). A spec with several panels becomes one chart per panel, side by side within the box.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

from generator.deck.charts.native_columns import (
    label_tops,
    lift_labels_over_targets,
    panel_columns,
)
from generator.deck.charts.native_model import (
    Box,
    NativePalette,
    hex_colour,
    legend_height,
)
from generator.deck.charts.native_plot import rebuild_plot_area
from generator.deck.charts.native_scale import value_format, value_scale
from generator.deck.charts.native_workbook import chart_data
from generator.deck.charts.native_xml import finish_chart, normalise_axis_ids
from generator.story.charts import ChartSpec, Panel, Side, YAxis

PANEL_GAP_IN = 0.15
"""Space between the charts of a spec with several panels."""


def add_native_chart(slide: Any, spec: ChartSpec, left_in: float, top_in: float, width_in: float,
                     height_in: float, palette: NativePalette, alt_text: str, name: str) -> list[Any]:
    """Add the spec as native chart(s) in the box and return the graphic frame(s), one per panel."""
    count = len(spec.panels)
    width = (width_in - PANEL_GAP_IN * (count - 1)) / count
    frames = []
    for i, panel in enumerate(spec.panels):
        sides: tuple[Side, ...] = ("left", "right") if panel.y2 is not None else ("left",)
        box = Box(left_in + i * (width + PANEL_GAP_IN), top_in, width, height_in, sides, len(spec.x_labels),
                  legend=count == 1, title=panel.title if count > 1 else "", tick_size=palette.tick_size)
        frame = _add_panel_chart(slide, spec, panel, box, palette)
        cnv_pr = frame._element.nvGraphicFramePr.cNvPr
        cnv_pr.set("name", name if count == 1 else f"{name} {i + 1}")
        cnv_pr.set("descr", alt_text if count == 1 else f"{alt_text} (panel {i + 1} of {count}: {panel.title})")
        frames.append(frame)
    return frames


def _add_panel_chart(slide: Any, spec: ChartSpec, panel: Panel, box: Box, palette: NativePalette) -> Any:
    """Add one panel as a chart and return its graphic frame."""
    columns = panel_columns(spec, panel, palette, box)
    if box.legend:
        names = [c.name for c in columns if c.in_legend]
        box = replace(box, legend_height=legend_height(names, box.width, palette))
    axes: tuple[tuple[Side, YAxis | None], ...] = (("left", panel.y), ("right", panel.y2))
    scales = {side: value_scale(panel, side, axis, box.plot_height, palette, label_tops(columns, side))
              for side, axis in axes if axis is not None}
    lift_labels_over_targets(columns, scales, box, palette)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE, Inches(box.left), Inches(box.top), Inches(box.width),
                                   Inches(box.height), chart_data(spec.x_labels, columns))
    chart = frame.chart
    chart.font.name = palette.font
    chart.font.size = Pt(palette.tick_size)
    chart.font.color.rgb = cast(Any, RGBColor).from_string(hex_colour(palette.text))
    space = chart._chartSpace
    rebuild_plot_area(space, columns, scales, box, palette)
    finish_chart(space, columns, box, palette)
    normalise_axis_ids(space)
    return frame


__all__ = ["NativePalette", "add_native_chart", "value_format"]
