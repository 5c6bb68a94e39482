"""XML of a native chart part: appending DrawingML elements, and the chart-level settings.

Elements are appended in the order of the ISO/IEC 29500 chart schema. The chart gets square
corners, no background or border, its legend at the top and its panel title if any; axis ids are
made the schema's non-negative ints.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement

from generator.deck.charts.native_model import Box, Column, NativePalette, hex_colour

EMU_PER_PT = 12_700


def add_child(parent: Any, tag: str, val: str | None = None, **attrs: str) -> Any:
    """Append and return a child element `tag` (prefixed name), with a `val` and other attributes."""
    child = etree.SubElement(parent, qn(tag))
    if val is not None:
        child.set("val", val)
    for key, value in attrs.items():
        child.set(key, value)
    return child


def solid_fill(parent: Any, colour: str) -> Any:
    """Append an `a:solidFill` of the colour; return it."""
    fill = add_child(parent, "a:solidFill")
    add_child(fill, "a:srgbClr", colour)
    return fill


def line_props(parent: Any, colour: str | None, width_pt: float, dash: str = "") -> Any:
    """Append an `a:ln`: solid colour (or none) of the width, dashed when asked; return it."""
    line = add_child(parent, "a:ln", w=str(round(width_pt * EMU_PER_PT)), cap="rnd" if colour and not dash else "flat")
    if colour is None:
        add_child(line, "a:noFill")
    else:
        solid_fill(line, colour)
    if dash:
        add_child(line, "a:prstDash", dash)
    add_child(line, "a:round")
    return line


def shape_props(parent: Any, fill: str | None, line: str | None, width_pt: float = 0.75, dash: str = "") -> Any:
    """Append a `c:spPr` with a fill (or none) and an outline (or none); return it."""
    sp_pr = add_child(parent, "c:spPr")
    if fill is None:
        add_child(sp_pr, "a:noFill")
    else:
        solid_fill(sp_pr, fill)
    line_props(sp_pr, line, width_pt, dash)
    return sp_pr


def run_props(parent: Any, tag: str, size: float, colour: str, font: str, bold: bool = False,
              italic: bool = False) -> Any:
    """Append text run properties (`a:defRPr` or `a:rPr`) of size, colour, font and weight; return them."""
    props = add_child(parent, tag, sz=str(round(size * 100)), b="1" if bold else "0", i="1" if italic else "0")
    if tag == "a:rPr":
        props.set("lang", "en-US")
    solid_fill(props, colour)
    add_child(props, "a:latin", typeface=font)
    add_child(props, "a:cs", typeface=font)
    return props


def text_props(parent: Any, size: float, colour: str, font: str, bold: bool = False, italic: bool = False,
               rotation: float | None = None) -> Any:
    """Append a `c:txPr` for labels of the size and colour, turned by `rotation` degrees when given."""
    tx_pr = add_child(parent, "c:txPr")
    body = add_child(tx_pr, "a:bodyPr")
    if rotation is not None:
        body.set("rot", str(round(rotation * 60_000)))
        body.set("vert", "horz")
    add_child(tx_pr, "a:lstStyle")
    paragraph = add_child(tx_pr, "a:p")
    run_props(add_child(paragraph, "a:pPr"), "a:defRPr", size, colour, font, bold, italic)
    add_child(paragraph, "a:endParaRPr", lang="en-US")
    return tx_pr


def rich_text(parent: Any, text: str, size: float, colour: str, font: str, bold: bool = False,
              italic: bool = False) -> Any:
    """Append a `c:rich` text body holding `text` in one run; return it."""
    rich = add_child(parent, "c:rich")
    add_child(rich, "a:bodyPr", wrap="none")
    add_child(rich, "a:lstStyle")
    paragraph = add_child(rich, "a:p")
    run_props(add_child(paragraph, "a:pPr"), "a:defRPr", size, colour, font, bold, italic)
    run = add_child(paragraph, "a:r")
    run_props(run, "a:rPr", size, colour, font, bold, italic)
    add_child(run, "a:t").text = text
    return rich


def finish_chart(space: Any, columns: list[Column], box: Box, palette: NativePalette) -> None:
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
    add_child(sp_pr, "a:noFill")
    line_props(sp_pr, None, 0.75)
    space.find(qn("c:txPr")).addprevious(sp_pr)


def _title(text: str, palette: NativePalette) -> Any:
    """Return a `c:title` with the panel's title in bold, not overlaying the plot."""
    title = OxmlElement("c:title")
    rich_text(add_child(title, "c:tx"), text, palette.title_size, hex_colour(palette.text), palette.font, bold=True)
    add_child(title, "c:overlay", "0")
    return title


def _legend(palette: NativePalette, hidden: list[int]) -> Any:
    """Return a `c:legend` at the top of the chart, in the legend size, without the `hidden` series."""
    legend = OxmlElement("c:legend")
    add_child(legend, "c:legendPos", "t")
    for index in hidden:
        entry = add_child(legend, "c:legendEntry")
        add_child(entry, "c:idx", str(index))
        add_child(entry, "c:delete", "1")
    add_child(legend, "c:overlay", "0")
    text_props(legend, palette.legend_size, hex_colour(palette.text), palette.font)
    return legend


def normalise_axis_ids(space: Any) -> None:
    """Make every `c:axId` and `c:crossAx` value a non-negative int (the schema's unsignedInt).

    Ids are masked with 0x7FFFFFFF, so a pair of ids that matched before still matches.
    """
    for tag in ("c:axId", "c:crossAx"):
        for element in space.iter(qn(tag)):
            element.set("val", str(int(element.get("val")) & 0x7FFFFFFF))
