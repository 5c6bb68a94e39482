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
from pptx.oxml.ns import nsdecls, qn

EMU_PER_INCH, EMU_PER_POINT, EMU_PER_CENTIPOINT = 914400, 12700, 127

_NAMESPACES = nsdecls("a", "p")
DECORATIVE = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
              'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>')
"""The mark (inside p:cNvPr) of a shape that only decorates: screen readers and the Accessibility Checker skip it."""
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


def attribute(value: str) -> str:
    """Return `value` quoted and escaped as an attribute value (alt text, names); control characters as spaces."""
    return quoteattr(_NOT_XML.sub(" ", value))


def run(value: str, *, size: float, color: str | None, font: str | None, bold: bool | None = None,
        italic: bool | None = None) -> str:
    """Return an `a:r` with its run properties: size in points, colour as hex and font (None: inherited)."""
    flags = "".join(f' {name}="{int(flag)}"' for name, flag in (("b", bold), ("i", italic)) if flag is not None)
    fill = f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else ""
    latin = f"<a:latin typeface={quoteattr(font)}/>" if font else ""
    return f'<a:r><a:rPr sz="{centipoints(size)}"{flags}>{fill}{latin}</a:rPr><a:t>{text(value)}</a:t></a:r>'


def field(run_xml: str, kind: str, field_id: str) -> str:
    """Return a `run()` as a field of `kind` (e.g. 'slidenum': the number follows the slide when it moves)."""
    return f'<a:fld id="{field_id}" type="{kind}">' + run_xml[len("<a:r>"):-len("</a:r>")] + "</a:fld>"


def text_body(paragraphs: Iterable[str], *, anchor: str | None, inset: float, declare: bool = False) -> str:
    """Return a placeholder's `p:txBody`: `inset` inches of margin, wrapped, not auto-fitted, anchored as given
    (None: as the layout says); its list style is the layout's."""
    margin = emu(inset)
    where = f' anchor="{anchor}"' if anchor else ""
    return (f"<p:txBody{' ' + _NAMESPACES if declare else ''}><a:bodyPr wrap=\"square\" lIns=\"{margin}\" "
            f'tIns="{margin}" rIns="{margin}" bIns="{margin}"{where}><a:noAutofit/></a:bodyPr><a:lstStyle/>'
            f'{"".join(paragraphs)}</p:txBody>')


def placeholder(shape_id: int, name: str, ph: dict[str, str], body: str) -> str:
    """Return a slide placeholder (`p:sp` with `p:ph` of attributes `ph`) holding `body`, placed by its layout."""
    attributes = "".join(f" {key}={quoteattr(value)}" for key, value in ph.items())
    return (f"<p:sp {_NAMESPACES}><p:nvSpPr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)}/><p:cNvSpPr>"
            f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph{attributes}/></p:nvPr></p:nvSpPr><p:spPr/>{body}</p:sp>')


def set_position(element: Any, box: tuple[float, float, float, float]) -> None:
    """Place shape `element` at `box` (left, top, width, height in inches), in place of any position it had."""
    properties = element.find(qn("p:spPr"))
    old = properties.find(qn("a:xfrm"))
    if old is not None:
        properties.remove(old)
    properties.insert(0, parse_xml(f"<a:xfrm {nsdecls('a')}>{_xfrm(box)[len('<a:xfrm>'):]}"))


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
    """Return a filled rectangle without text, marked decorative: square or rounded, a 1 pt outline of `line` or none."""
    geometry = ('<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val 8000"/></a:avLst></a:prstGeom>'
                if rounded else '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>')
    outline = ("<a:ln><a:noFill/></a:ln>" if line is None else
               f'<a:ln w="{EMU_PER_POINT}"><a:solidFill><a:srgbClr val="{line}"/></a:solidFill></a:ln>')
    return (f"<p:sp {_NAMESPACES}><p:nvSpPr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)}>{DECORATIVE}</p:cNvPr>"
            f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(box)}{geometry}<a:solidFill><a:srgbClr val=\"{fill}\"/></a:solidFill>"
            f"{outline}<a:effectLst/></p:spPr>{_style('1', '3', '2', 'lt1')}"
            '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p></p:txBody>'
            "</p:sp>")


def connector(shape_id: int, name: str, begin: tuple[float, float], end: tuple[float, float], color: str,
              width_pt: float) -> str:
    """Return a straight connector from `begin` to `end` (inches) in `color`, `width_pt` wide, marked decorative."""
    (x1, y1), (x2, y2) = (emu(v) for v in begin), (emu(v) for v in end)
    flip = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
    return (f"<p:cxnSp {_NAMESPACES}><p:nvCxnSpPr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)}>{DECORATIVE}"
            "</p:cNvPr><p:cNvCxnSpPr/>"
            f'<p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm{flip}><a:off x="{min(x1, x2)}" y="{min(y1, y2)}"/>'
            f'<a:ext cx="{abs(x2 - x1)}" cy="{abs(y2 - y1)}"/></a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f'<a:ln w="{int(width_pt * EMU_PER_POINT)}"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:ln>'
            f"</p:spPr>{_style('2', '0', '1', 'tx1')}</p:cxnSp>")


def table(shape_id: int, name: str, corner: tuple[float, float], widths: Sequence[float], heights: Sequence[float],
          cells: Sequence[Sequence[str]], descr: str) -> str:
    """Return a table frame at `corner` (left, top): column widths and row heights in inches, `cell()` strings per row.

    The frame is as large as its columns and rows (as python-pptx makes it when they are sized); `descr` is its alt
    text; its first row is marked as the header row.
    """
    grid = "".join(f'<a:gridCol w="{emu(width)}"/>' for width in widths)
    rows = "".join(f'<a:tr h="{emu(height)}">' + "".join(row) + "</a:tr>" for height, row in zip(heights, cells))
    left, top = (emu(v) for v in corner)
    width, height = sum(emu(v) for v in widths), sum(emu(v) for v in heights)
    return (f"<p:graphicFrame {_NAMESPACES}><p:nvGraphicFramePr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)} "
            f"descr={attribute(descr)}/>"
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


def group(elements: Sequence[Any], shape_id: int, name: str, descr: str) -> Any:
    """Put `elements` (shapes of one slide) into a group with alt text `descr`, where the first of them was; return it."""
    boxes = [_box_of(element) for element in elements]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    frame = (f'<a:off x="{left}" y="{top}"/><a:ext cx="{right - left}" cy="{bottom - top}"/>'
             f'<a:chOff x="{left}" y="{top}"/><a:chExt cx="{right - left}" cy="{bottom - top}"/>')
    element = parse_xml(f"<p:grpSp {_NAMESPACES}><p:nvGrpSpPr><p:cNvPr id=\"{shape_id}\" name={quoteattr(name)} "
                        f"descr={attribute(descr)}/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
                        f"<p:grpSpPr><a:xfrm>{frame}</a:xfrm></p:grpSpPr></p:grpSp>")
    elements[0].addprevious(element)
    for child in elements:
        element.append(child)
    return element


def _box_of(element: Any) -> tuple[int, int, int, int]:
    """Return a shape's left, top, width and height in EMU, from its transform."""
    xfrm = next(element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm"))
    off, ext = xfrm[0], xfrm[1]
    return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))


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
