"""Drawing primitives: fitted text boxes, panels, tables and pictures with alt text (as DrawingML: drawingml.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.util import Inches

from generator.deck import drawingml as dml
from generator.deck.textfit import DoesNotFit, Para, fit, text_height_in, wrap

INSET = 0.06
"""Inner margin of every text box, in inches."""


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches."""

    left: float
    top: float
    width: float
    height: float

    def inset(self, dx: float, dy: float | None = None) -> Box:
        """Return the box shrunk by dx (and dy) on every side."""
        dy = dx if dy is None else dy
        return Box(self.left + dx, self.top + dy, self.width - 2 * dx, self.height - 2 * dy)

    def split_columns(self, count: int, gap: float) -> list[Box]:
        """Return `count` equal columns with `gap` between them."""
        width = (self.width - gap * (count - 1)) / count
        return [Box(self.left + i * (width + gap), self.top, width, self.height) for i in range(count)]

    def split_rows(self, count: int, gap: float) -> list[Box]:
        """Return `count` equal rows with `gap` between them."""
        height = (self.height - gap * (count - 1)) / count
        return [Box(self.left, self.top + i * (height + gap), self.width, height) for i in range(count)]

    def take_top(self, height: float, gap: float = 0.0) -> tuple[Box, Box]:
        """Return the top strip of `height` and the rest below it (after `gap`)."""
        return (Box(self.left, self.top, self.width, height),
                Box(self.left, self.top + height + gap, self.width, self.height - height - gap))

    def take_left(self, width: float, gap: float = 0.0) -> tuple[Box, Box]:
        """Return the left strip of `width` and the rest to its right (after `gap`)."""
        return (Box(self.left, self.top, width, self.height),
                Box(self.left + width + gap, self.top, self.width - width - gap, self.height))


class Overflow(Exception):
    """Text that does not fit its box at the minimum size; `box` names it for the user."""

    def __init__(self, box: str, cause: DoesNotFit) -> None:
        self.box, self.cause = box, cause
        super().__init__(f"{box}: {cause}")


@dataclass(frozen=True)
class Style:
    """How a text box's paragraphs look: colour, alignment, anchoring, sizes allowed."""

    color: RGBColor
    max_size: float
    min_size: float
    align: Any = PP_ALIGN.LEFT
    anchor: Any = MSO_ANCHOR.TOP
    bullet: bool = False


def fitted_size(box: Box, paras: list[Para], style: Style, font: str, name: str) -> float:
    """Return the largest size at which `paras` fit `box` in `style`, or raise Overflow naming the box."""
    inner = box.inset(INSET)
    indent = BULLET_INDENT if style.bullet else 0.0
    try:
        return fit(paras, inner.width - indent, inner.height, style.max_size, style.min_size, font).size
    except DoesNotFit as exc:
        raise Overflow(name, exc) from None


def common_size(items: list[tuple[Box, list[Para]]], style: Style, font: str, name: str) -> Style:
    """Return `style` capped at the one size at which every (box, paras) of a group fits, so siblings match."""
    sizes = [fitted_size(box, paras, style, font, f"{name} {i + 1}") for i, (box, paras) in enumerate(items)]
    size = min(sizes, default=style.max_size)
    return Style(style.color, size, size, style.align, style.anchor, style.bullet)


BULLET_INDENT = 0.22


def add_text(slide: Any, box: Box, paras: list[Para], style: Style, font: str, name: str,
             colors: list[RGBColor | None] | None = None) -> float:
    """Draw `paras` fitted into `box`; return the size used, or raise Overflow naming the box."""
    size = fitted_size(box, paras, style, font, name)
    bullet = BULLET_INDENT if style.bullet else None
    paragraphs = []
    for i, para in enumerate(paras):
        color = (colors[i] if colors and i < len(colors) else None) or style.color
        text_run = dml.run(para.text, size=size * para.scale, color=str(color), font=font, bold=para.bold,
                           italic=para.italic)
        space_before = para.space_before * size * para.scale if i and para.space_before else None
        paragraphs.append(dml.paragraph(text_run, align=style.align.xml_value, space_before=space_before,
                                        bullet_indent=bullet))
    dml.add(slide, dml.textbox(dml.next_shape_id(slide), name, _edges(box), paragraphs,
                               anchor=style.anchor.xml_value, inset=INSET))
    return size


def add_panel(slide: Any, box: Box, fill: RGBColor, name: str, *, rounded: bool = False,
              line: RGBColor | None = None) -> None:
    """Draw a filled rectangle (no text)."""
    dml.add(slide, dml.panel(dml.next_shape_id(slide), name, _edges(box), str(fill), rounded=rounded,
                             line=None if line is None else str(line)))


def add_line(slide: Any, x1: float, y1: float, x2: float, y2: float, color: RGBColor, name: str,
             width_pt: float = 1.5) -> None:
    """Draw a straight connector line."""
    dml.add(slide, dml.connector(dml.next_shape_id(slide), name, (x1, y1), (x2, y2), str(color), width_pt))


def add_picture(slide: Any, png: bytes, box: Box, alt: str, name: str) -> Any:
    """Place a PNG in `box` with `alt` as its description (alt text) and return it."""
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(box.left), Inches(box.top),
                                       Inches(box.width), Inches(box.height))
    picture.name = name
    picture._element.nvPicPr.cNvPr.set("descr", alt)
    return picture


def _edges(box: Box) -> tuple[float, float, float, float]:
    return box.left, box.top, box.width, box.height


@dataclass(frozen=True)
class Table:
    """A table to draw: header cells, rows of cells, relative column widths, per-cell colours."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    cell_colors: dict[tuple[int, int], RGBColor]


def add_table(slide: Any, box: Box, table: Table, theme: Any, name: str,
              max_size: float = 16, min_size: float = 11) -> None:
    """Draw `table` in `box` at the largest size at which every row fits; raise Overflow otherwise."""
    total = sum(table.widths)
    widths = [box.width * w / total for w in table.widths]
    pad = 0.08
    size = max_size
    while True:
        heights = [_row_height(cells, widths, size, theme.font, pad, bold=(r == 0))
                   for r, cells in enumerate((table.header, *table.rows))]
        if sum(heights) <= box.height or size <= min_size:
            break
        size -= 0.5
    if sum(heights) > box.height:
        chars = sum(len(c) for row in table.rows for c in row)
        overflow = sum(heights) - box.height
        raise Overflow(name, DoesNotFit(overflow, max(1, int(chars * overflow / sum(heights)))))
    rows = []
    for r, cells in enumerate((table.header, *table.rows)):
        fill = theme.navy if r == 0 else (theme.pale if r % 2 else theme.white)
        row = []
        for c, text in enumerate(cells):
            color = table.cell_colors.get((r - 1, c))
            text_color = theme.on_primary if r == 0 else theme.on(color or theme.text, fill)
            text_run = dml.run(text, size=size, color=str(text_color), font=theme.font, bold=r == 0 or color is not None)
            row.append(dml.cell(text_run, str(fill), pad))
        rows.append(row)
    descr = f"Table of {len(table.rows)} rows under the headings {', '.join(table.header)}"
    dml.add(slide, dml.table(dml.next_shape_id(slide), name, (box.left, box.top), widths, heights, rows, descr))


def _row_height(cells: tuple[str, ...], widths: list[float], size: float, font: str, pad: float,
                bold: bool) -> float:
    """Return the height a table row needs at `size`."""
    tallest = max(text_height_in([Para(text, bold=bold)], width - 2 * pad, size, font)
                  for text, width in zip(cells, widths))
    return tallest + 2 * pad


__all__ = ["Box", "Overflow", "Style", "Table", "add_line", "common_size", "fitted_size", "add_panel", "add_picture", "add_table", "add_text",
           "wrap"]


def placeholder_box(shape: Any) -> Box:
    """Return the position of a placeholder (or any shape) in inches."""
    return Box(shape.left / 914400, shape.top / 914400, shape.width / 914400, shape.height / 914400)


def fill_placeholder(shape: Any, paras: list[Para], style: Style, font: str, name: str, box: Box | None = None,
                     bullet_indent: float = 0.0, *, color: RGBColor | None = None, area: Box | None = None) -> float:
    """Put `paras` into placeholder `shape` (moved to `box` if given) at the size that fits; return the size.

    The template's colours and bullets are kept; only the size (fitted) is set, and the colour where `color` is
    given (the template's would not be readable). The font is the template's (text is measured in `font`).
    `area` is where the placeholder is, when the caller knows (else it is looked up, as python-pptx inherits it).
    """
    element = getattr(shape, "_element", shape)
    if box is not None:
        dml.set_position(element, _edges(box))
    area = box or area or placeholder_box(shape)
    size = fitted_size(Box(area.left, area.top, area.width - bullet_indent, area.height), paras, style, font, name)
    element.find("./*[1]/{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr").set("name", name)
    paragraphs = []
    for i, para in enumerate(paras):
        text_run = dml.run(para.text, size=size * para.scale, color=None if color is None else str(color), font=None,
                           bold=para.bold or None, italic=para.italic or None)
        space_before = para.space_before * size * para.scale if i and para.space_before else None
        paragraphs.append(dml.paragraph(text_run, space_before=space_before, line_spacing=False))
    body = dml.text_body(paragraphs, anchor=None if style.anchor is None else style.anchor.xml_value, inset=INSET,
                         declare=True)
    old = element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}txBody")
    if old is not None:
        element.remove(old)
    element.append(parse_xml(body))
    return size
