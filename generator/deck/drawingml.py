"""DrawingML for the deck's own shapes, written as XML text and parsed once.

python-pptx's object layer (a proxy, a descriptor and an XPath look-up for every attribute set)
costs about a millisecond a text box; a deck draws about a hundred. These functions write the same
elements python-pptx writes, as one string a shape, and append them to the slide's shape tree, where
python-pptx reads them as its own (the manifest and the fitting checks do).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls

EMU_PER_INCH, EMU_PER_POINT, EMU_PER_CENTIPOINT = 914400, 12700, 127

_NAMESPACES = nsdecls("a", "p")
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def emu(inches: float) -> int:
    """Return `inches` in EMU, rounded as python-pptx's Inches() rounds."""
    return int(inches * EMU_PER_INCH)


def centipoints(points: float) -> int:
    """Return `points` in hundredths of a point, rounded as python-pptx's Pt() and font sizes round."""
    return int(points * EMU_PER_POINT) // EMU_PER_CENTIPOINT


def text(value: str) -> str:
    """Return `value` escaped for element text; control characters as python-pptx writes them ('_x0007_')."""
    return escape(_NOT_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", value))


def run(value: str, *, size: float, color: str, font: str | None, bold: bool | None = None,
        italic: bool | None = None) -> str:
    """Return an `a:r` with its run properties: size in points, colour as hex, font (None: inherited)."""
    flags = "".join(f' {name}="{int(flag)}"' for name, flag in (("b", bold), ("i", italic)) if flag is not None)
    latin = f"<a:latin typeface={quoteattr(font)}/>" if font else ""
    return (f'<a:r><a:rPr sz="{centipoints(size)}"{flags}><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
            f"{latin}</a:rPr><a:t>{text(value)}</a:t></a:r>")


def paragraph(runs: str, *, align: str | None = None, space_before: float | None = None,
              bullet_indent: float | None = None, line_spacing: bool = True) -> str:
    """Return an `a:p`: alignment ('l', 'ctr', 'r'), space before in points, a round bullet with a hanging indent."""
    attributes = f' algn="{align}"' if align else ""
    children = '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc>' if line_spacing else ""
    if space_before:
        children += f'<a:spcBef><a:spcPts val="{centipoints(space_before)}"/></a:spcBef>'
    if bullet_indent is not None:
        attributes += f' marL="{emu(bullet_indent)}" indent="{-emu(bullet_indent)}"'
        children += '<a:buFont typeface="Arial"/><a:buChar char="•"/>'
    properties = f"<a:pPr{attributes}>{children}</a:pPr>" if attributes or children else ""
    return f"<a:p>{properties}{runs}</a:p>"


def textbox(shape_id: int, name: str, box: tuple[float, float, float, float], paragraphs: Iterable[str], *,
            anchor: str, inset: float) -> str:
    """Return a text box (`p:sp` with txBox) at `box` (left, top, width, height in inches), not auto-fitted."""
    margin = emu(inset)
    return (f"<p:sp {_NAMESPACES}><p:nvSpPr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)}/>"
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(box)}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
            f'<p:txBody><a:bodyPr wrap="square" anchor="{anchor}" lIns="{margin}" rIns="{margin}" tIns="{margin}" '
            f'bIns="{margin}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{"".join(paragraphs)}</p:txBody></p:sp>')


def panel(shape_id: int, name: str, box: tuple[float, float, float, float], fill: str, *, rounded: bool = False,
          line: str | None = None) -> str:
    """Return a filled rectangle without text: square or rounded, with a 1 pt outline of colour `line` or none."""
    geometry = ('<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val 8000"/></a:avLst></a:prstGeom>'
                if rounded else '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>')
    outline = ("<a:ln><a:noFill/></a:ln>" if line is None else
               f'<a:ln w="{EMU_PER_POINT}"><a:solidFill><a:srgbClr val="{line}"/></a:solidFill></a:ln>')
    return (f"<p:sp {_NAMESPACES}><p:nvSpPr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)}/><p:cNvSpPr/><p:nvPr/>"
            f"</p:nvSpPr><p:spPr>{_xfrm(box)}{geometry}<a:solidFill><a:srgbClr val=\"{fill}\"/></a:solidFill>"
            f"{outline}<a:effectLst/></p:spPr>{_style('1', '3', '2', 'lt1')}"
            '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p></p:txBody>'
            "</p:sp>")


def connector(shape_id: int, name: str, begin: tuple[float, float], end: tuple[float, float], color: str,
              width_pt: float) -> str:
    """Return a straight connector from `begin` to `end` (inches) in `color`, `width_pt` wide."""
    (x1, y1), (x2, y2) = (emu(v) for v in begin), (emu(v) for v in end)
    flip = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
    return (f"<p:cxnSp {_NAMESPACES}><p:nvCxnSpPr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)}/><p:cNvCxnSpPr/>"
            f'<p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm{flip}><a:off x="{min(x1, x2)}" y="{min(y1, y2)}"/>'
            f'<a:ext cx="{abs(x2 - x1)}" cy="{abs(y2 - y1)}"/></a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f'<a:ln w="{int(width_pt * EMU_PER_POINT)}"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:ln>'
            f"</p:spPr>{_style('2', '0', '1', 'tx1')}</p:cxnSp>")


def table(shape_id: int, name: str, corner: tuple[float, float], widths: Sequence[float], heights: Sequence[float],
          cells: Sequence[Sequence[str]]) -> str:
    """Return a table frame at `corner` (left, top): column widths and row heights in inches, `cell()` strings per row.

    The frame is as large as its columns and rows (as python-pptx makes it when they are sized).
    """
    grid = "".join(f'<a:gridCol w="{emu(width)}"/>' for width in widths)
    rows = "".join(f'<a:tr h="{emu(height)}">' + "".join(row) + "</a:tr>" for height, row in zip(heights, cells))
    left, top = (emu(v) for v in corner)
    width, height = sum(emu(v) for v in widths), sum(emu(v) for v in heights)
    return (f"<p:graphicFrame {_NAMESPACES}><p:nvGraphicFramePr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)}/>"
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
            f'</p:nvGraphicFramePr><p:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></p:xfrm>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>'
            '<a:tblPr firstRow="1"><a:tableStyleId>{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}</a:tableStyleId></a:tblPr>'
            f"<a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")


def cell(run_xml: str, fill: str, pad: float, anchor: str = "ctr") -> str:
    """Return an `a:tc` holding one run, with `pad` inches of margin on every side, `anchor` and a solid `fill`."""
    margin = emu(pad)
    return (f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/><a:p>{run_xml}</a:p></a:txBody>'
            f'<a:tcPr marL="{margin}" marR="{margin}" marT="{margin}" marB="{margin}" anchor="{anchor}">'
            f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill></a:tcPr></a:tc>')


def add(slide: Any, xml: str) -> Any:
    """Parse one shape's XML, append it to the slide's shape tree (before any extLst) and return the element."""
    element = parse_xml(xml)
    slide.shapes._spTree.insert_element_before(element, "p:extLst")
    return element


def next_shape_id(slide: Any) -> int:
    """Return an id no shape of `slide` has yet (python-pptx's rule: one more than the largest)."""
    return int(slide.shapes._next_shape_id)


def _xfrm(box: tuple[float, float, float, float]) -> str:
    left, top, width, height = (emu(v) for v in box)
    return f'<a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'


def _style(line: str, fill: str, effect: str, font: str) -> str:
    return (f'<p:style><a:lnRef idx="{line}"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="{fill}">'
            f'<a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="{effect}"><a:schemeClr val="accent1"/>'
            f'</a:effectRef><a:fontRef idx="minor"><a:schemeClr val="{font}"/></a:fontRef></p:style>')
