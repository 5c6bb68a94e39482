"""The built-in look as a real PowerPoint template, generated in memory.

A slide master and four layouts (Title Slide, Title and Content, Title Only, Blank) with title, body,
date, footer and slide-number placeholders, in the built-in colours and fonts at 16:9, and the
look's decorations on them: the accent bar and footer rule on the master, the dark background and
accent rule on the title slide. The default deck is built on it as on a company template, so every
title is in a title placeholder (outline view, screen readers, PowerPoint's Accessibility Checker)
and "Reset slide" or a change of design keeps the layout. The package is the same bytes on every
build and is made once per process.
"""

from __future__ import annotations

import functools
import io
import zipfile
from xml.sax.saxutils import quoteattr

from generator.deck.drawingml import DECORATIVE, EMU_PER_POINT, emu
from generator.deck.theme import DEFAULT, Theme

SLIDE_WIDTH, SLIDE_HEIGHT = 12192000, 6858000
"""PowerPoint's widescreen slide (13.333 x 7.5 in)."""
BULLET_INDENT = 0.22
"""The hanging indent of first-level points, in inches (the master's body style)."""
INSET = 0.06
"""Inner margin of the placeholders, as of storypack's text boxes."""
FOOTER_HEIGHT = 0.35

_NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
       'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.presentationml"
LAYOUTS = (("title", "Title Slide"), ("obj", "Title and Content"), ("titleOnly", "Title Only"), ("blank", "Blank"))
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@functools.cache
def builtin_template() -> bytes:
    """Return the built-in template as .pptx bytes (made once per process; the same bytes every time)."""
    return _package(_parts(DEFAULT))


def _package(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type, info.external_attr, info.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 3
            archive.writestr(info, (_DECL + xml).encode("utf-8"))
    return buffer.getvalue()


def _parts(t: Theme) -> dict[str, str]:
    """Return every part of the template: package name -> XML (without its declaration)."""
    layouts = {f"ppt/slideLayouts/slideLayout{n}.xml": _layout(t, kind, name)
               for n, (kind, name) in enumerate(LAYOUTS, start=1)}
    master_rels = [(f"rId{n}", "slideLayout", f"../slideLayouts/slideLayout{n}.xml") for n in range(1, len(LAYOUTS) + 1)]
    return {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _rels([("rId1", "officeDocument", "ppt/presentation.xml"),
                              ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                                       "core-properties", "docProps/core.xml"),
                              ("rId3", "extended-properties", "docProps/app.xml")]),
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
        "ppt/presentation.xml": _presentation(),
        "ppt/_rels/presentation.xml.rels": _rels([
            ("rId1", "slideMaster", "slideMasters/slideMaster1.xml"), ("rId2", "theme", "theme/theme1.xml"),
            ("rId3", "presProps", "presProps.xml"), ("rId4", "viewProps", "viewProps.xml"),
            ("rId5", "tableStyles", "tableStyles.xml")]),
        "ppt/presProps.xml": f"<p:presentationPr {_NS}/>",
        "ppt/viewProps.xml": f'<p:viewPr {_NS}><p:gridSpacing cx="76200" cy="76200"/></p:viewPr>',
        "ppt/tableStyles.xml": ('<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                                'def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>'),
        "ppt/theme/theme1.xml": _theme(t),
        "ppt/slideMasters/slideMaster1.xml": _master(t),
        "ppt/slideMasters/_rels/slideMaster1.xml.rels": _rels([*master_rels, (f"rId{len(LAYOUTS) + 1}", "theme",
                                                                              "../theme/theme1.xml")]),
        **layouts,
        **{f"ppt/slideLayouts/_rels/slideLayout{n}.xml.rels": _rels([("rId1", "slideMaster",
                                                                       "../slideMasters/slideMaster1.xml")])
           for n in range(1, len(LAYOUTS) + 1)},
    }


def _content_types() -> str:
    overrides = [("/ppt/presentation.xml", f"{_CT}.presentation.main+xml"),
                 ("/ppt/slideMasters/slideMaster1.xml", f"{_CT}.slideMaster+xml"),
                 *((f"/ppt/slideLayouts/slideLayout{n}.xml", f"{_CT}.slideLayout+xml")
                   for n in range(1, len(LAYOUTS) + 1)),
                 ("/ppt/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
                 ("/ppt/presProps.xml", f"{_CT}.presProps+xml"), ("/ppt/viewProps.xml", f"{_CT}.viewProps+xml"),
                 ("/ppt/tableStyles.xml", f"{_CT}.tableStyles+xml"),
                 ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")]
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides) + "</Types>")


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind if kind.startswith("http") else f"{_REL}/{kind}"}" '
                   f'Target="{target}"/>' for rid, kind, target in items)
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


_CORE = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>storypack</dc:title>'
         "<cp:revision>1</cp:revision></cp:coreProperties>")
_APP = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>storypack</Application><PresentationFormat>Widescreen</PresentationFormat></Properties>")


def _levels(size: int, color: str, *, bullets: bool = False, rest: int = 0) -> str:
    """Return lvl1pPr..lvl9pPr: `size` (centipoints; `rest` below level one) and `color` (a colour element)."""
    out = []
    for level in range(1, 10):
        margin = emu(BULLET_INDENT * level) if bullets else emu(0.5 * (level - 1))
        bullet = (f' marL="{margin}" indent="{-emu(BULLET_INDENT)}"' if bullets else f' marL="{margin}"')
        marks = f'<a:buFont typeface="Arial"/><a:buChar char="{"•" if level % 2 else "–"}"/>' if bullets else ""
        sz = size if level == 1 else (rest or size)
        out.append(f'<a:lvl{level}pPr{bullet} algn="l" rtl="0"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
                   f'<a:spcBef><a:spcPts val="0"/></a:spcBef>{marks or ""}'
                   f'<a:defRPr sz="{sz}" kern="1200"><a:solidFill>{color}</a:solidFill>'
                   '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr>'
                   f"</a:lvl{level}pPr>")
    return "".join(out)


def _presentation() -> str:
    return (f'<p:presentation {_NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/>'
            f'</p:sldMasterIdLst><p:sldSz cx="{SLIDE_WIDTH}" cy="{SLIDE_HEIGHT}"/><p:notesSz cx="6858000" cy="9144000"/>'
            f'<p:defaultTextStyle><a:defPPr><a:defRPr lang="en-US"/></a:defPPr>'
            f'{_levels(1800, _scheme("tx1"))}</p:defaultTextStyle></p:presentation>')


def _scheme(name: str) -> str:
    return f'<a:schemeClr val="{name}"/>'


def _srgb(color: object) -> str:
    return f'<a:srgbClr val="{color}"/>'


def _theme(t: Theme) -> str:
    colors = {"dk1": t.text, "lt1": t.white, "dk2": t.navy, "lt2": t.pale, "accent1": t.navy, "accent2": t.teal,
              "accent3": t.amber, "accent4": t.slate, "accent5": t.met, "accent6": t.missed,
              "hlink": "1F5F99", "folHlink": t.muted}
    scheme = "".join(f"<a:{name}>{_srgb(value)}</a:{name}>" for name, value in colors.items())

    def font(kind: str, face: str) -> str:
        return f'<a:{kind}><a:latin typeface={quoteattr(face)}/><a:ea typeface=""/><a:cs typeface=""/></a:{kind}>'

    return (f'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="storypack">'
            f'<a:themeElements><a:clrScheme name="storypack">{scheme}</a:clrScheme>'
            f'<a:fontScheme name="storypack">{font("majorFont", t.heading_font)}{font("minorFont", t.font)}'
            f"</a:fontScheme>{_FORMATS}</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")


_SHADOW = ('<a:effectStyle><a:effectLst><a:outerShdw blurRad="40000" dist="23000" dir="5400000" rotWithShape="0">'
           '<a:srgbClr val="000000"><a:alpha val="35000"/></a:srgbClr></a:outerShdw></a:effectLst></a:effectStyle>')
_FORMATS = (
    '<a:fmtScheme name="storypack"><a:fillStyleLst>'
    + '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3
    + "</a:fillStyleLst><a:lnStyleLst>"
    + "".join(f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
              '<a:prstDash val="solid"/></a:ln>' for w in (9525, 25400, 38100))
    + f"</a:lnStyleLst><a:effectStyleLst>{_SHADOW * 3}</a:effectStyleLst><a:bgFillStyleLst>"
    + '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3
    + "</a:bgFillStyleLst></a:fmtScheme>")


def _xfrm(left: float, top: float, width: float, height: float) -> str:
    return (f'<a:xfrm><a:off x="{emu(left)}" y="{emu(top)}"/><a:ext cx="{emu(width)}" cy="{emu(height)}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>')


def _placeholder(shape_id: int, name: str, ph: str, box: tuple[float, float, float, float], *, anchor: str = "t",
                 styles: str = "", prompt: str = "", field: str = "") -> str:
    """Return a placeholder shape: `ph` its p:ph attributes, `styles` its lstStyle levels, `prompt` its sample text."""
    margin = emu(INSET)
    text = (f'<a:fld id="{field}" type="slidenum"><a:rPr lang="en-US"/><a:t>‹#›</a:t></a:fld>' if field
            else f'<a:r><a:rPr lang="en-US"/><a:t>{prompt}</a:t></a:r>' if prompt else "")
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f"<p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr><p:spPr>{_xfrm(*box)}</p:spPr><p:txBody>"
            f'<a:bodyPr vert="horz" wrap="square" lIns="{margin}" tIns="{margin}" rIns="{margin}" bIns="{margin}" '
            f'rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle>{styles}</a:lstStyle>'
            f'<a:p>{text}<a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>')


def _level_one(size: int | None, color: str, *, align: str = "l", bold: bool = False, flat: bool = False) -> str:
    """Return a list style's first level: alignment, size (centipoints), colour; `flat`: no bullet or indent."""
    indent = ' marL="0" indent="0"' if flat else ""
    attributes = (f' sz="{size}"' if size else "") + (' b="1"' if bold else "")
    return (f'<a:lvl1pPr{indent} algn="{align}">{"<a:buNone/>" if flat else ""}<a:defRPr{attributes}>'
            f"<a:solidFill>{color}</a:solidFill></a:defRPr></a:lvl1pPr>")


def _boxes(t: Theme) -> dict[str, tuple[float, float, float, float]]:
    """Return where the master's placeholders are, in inches: the built-in look's title, body and footer row."""
    top, right = t.footer_top + 0.05, t.width - t.margin
    return {"title": (t.margin, 0.35, t.body_width, 0.85), "body": (t.margin, t.body_top, t.body_width, t.body_height),
            "ftr": (t.margin, top, 8.0, FOOTER_HEIGHT), "dt": (right - 1.0 - 2.6, top, 2.6, FOOTER_HEIGHT),
            "sldNum": (right - 1.0, top, 1.0, FOOTER_HEIGHT)}


SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def _footers(t: Theme, first_id: int, master: bool) -> str:
    """Return the date, footer and slide-number placeholders (idx 2-4 on the master, 10-12 on layouts)."""
    boxes, muted = _boxes(t), _srgb(t.muted)
    base = 2 if master else 10
    specs = (("dt", "Date Placeholder", "r", "half"), ("ftr", "Footer Placeholder", "l", "quarter"),
             ("sldNum", "Slide Number Placeholder", "r", "quarter"))
    return "".join(
        _placeholder(first_id + i, f"{name} {first_id + i - 1}", f'type="{kind}" sz="{size}" idx="{base + i}"',
                     boxes[kind], anchor="ctr", styles=_level_one(1100, muted, align=align) if master else "",
                     field=SLIDE_NUMBER_FIELD if kind == "sldNum" else "")
        for i, (kind, name, align, size) in enumerate(specs))


def _decoration(shape_id: int, name: str, box: tuple[float, float, float, float], fill: object) -> str:
    """Return a filled rectangle marked decorative (screen readers skip it)."""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}">{DECORATIVE}</p:cNvPr><p:cNvSpPr/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{_xfrm(*box)}<a:solidFill>{_srgb(fill)}</a:solidFill><a:ln><a:noFill/></a:ln>'
            "</p:spPr></p:sp>")


def _rule(shape_id: int, t: Theme) -> str:
    """Return the footer rule: a thin line across the slide above the footer, marked decorative."""
    left, right, y = emu(t.margin), emu(t.width - t.margin), emu(t.footer_top)
    return (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="Footer rule">{DECORATIVE}</p:cNvPr><p:cNvCxnSpPr/>'
            f'<p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm><a:off x="{left}" y="{y}"/><a:ext cx="{right - left}" cy="0"/>'
            f'</a:xfrm><a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="{int(0.75 * EMU_PER_POINT)}">'
            f"<a:solidFill>{_srgb(t.light)}</a:solidFill></a:ln></p:spPr></p:cxnSp>")


def _tree(shapes: str) -> str:
    return ('<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>'
            '<a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/>'
            f"</a:xfrm></p:grpSpPr>{shapes}</p:spTree>")


def _master(t: Theme) -> str:
    boxes = _boxes(t)
    shapes = (_decoration(2, "Accent bar", (0, 0, 0.18, t.height), t.teal) + _rule(3, t)
              + _placeholder(4, "Title Placeholder 3", 'type="title"', boxes["title"], anchor="b",
                             prompt="Click to edit the title")
              + _placeholder(5, "Text Placeholder 4", 'type="body" idx="1"', boxes["body"], prompt="Click to add points")
              + _footers(t, 6, master=True))
    layouts = "".join(f'<p:sldLayoutId id="{2147483649 + i}" r:id="rId{i + 1}"/>' for i in range(len(LAYOUTS)))
    title = (f'<p:titleStyle><a:lvl1pPr algn="l" rtl="0"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
             '<a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/><a:defRPr sz="3200" b="1" kern="1200">'
             f'<a:solidFill>{_scheme("tx2")}</a:solidFill><a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/>'
             '<a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>')
    return (f'<p:sldMaster {_NS}><p:cSld><p:bg><p:bgRef idx="1001">{_scheme("bg1")}</p:bgRef></p:bg>{_tree(shapes)}'
            '</p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
            'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>'
            f"<p:sldLayoutIdLst>{layouts}</p:sldLayoutIdLst><p:txStyles>{title}"
            f'<p:bodyStyle>{_levels(2400, _scheme("tx1"), bullets=True, rest=2000)}</p:bodyStyle>'
            f'<p:otherStyle><a:defPPr><a:defRPr lang="en-US"/></a:defPPr>{_levels(1800, _scheme("tx1"))}</p:otherStyle>'
            "</p:txStyles></p:sldMaster>")


def _layout(t: Theme, kind: str, name: str) -> str:
    """Return one layout: the title slide (dark, its own decorations, no footer) or a content layout."""
    boxes = _boxes(t)
    if kind == "title":
        white, light = _srgb(t.on_primary), _srgb(t.light)
        shapes = (_decoration(2, "Accent rule", (t.margin, 3.55, 1.4, 0.08), t.teal)
                  + _placeholder(3, "Title 2", 'type="ctrTitle"', (t.margin, 1.3, t.body_width, 2.1), anchor="b",
                                 styles=_level_one(4800, white, bold=True), prompt="Click to edit the title")
                  + _placeholder(4, "Subtitle 3", 'type="subTitle" idx="1"', (t.margin, 3.8, t.body_width, 0.6),
                                 styles=_level_one(2400, light, flat=True), prompt="Subtitle")
                  + _placeholder(5, "Presenter 4", 'type="body" sz="quarter" idx="13"',
                                 (t.margin, 4.6, t.body_width, 2.2), styles=_level_one(2000, white, flat=True),
                                 prompt="Presenter, role, meeting and date"))
        return (f'<p:sldLayout {_NS} showMasterSp="0" type="title" preserve="1"><p:cSld name="{name}">'
                f'<p:bg><p:bgPr><a:solidFill>{_srgb(t.navy)}</a:solidFill><a:effectLst/></p:bgPr></p:bg>'
                f"{_tree(shapes)}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>")
    shapes = ""
    if kind != "blank":
        shapes += _placeholder(2, "Title 1", 'type="title"', boxes["title"], anchor="b", prompt="Click to edit the title")
    if kind == "obj":
        shapes += _placeholder(3, "Content Placeholder 2", 'idx="1"', boxes["body"], prompt="Click to add points")
    shapes += _footers(t, 4, master=False)
    return (f'<p:sldLayout {_NS} type="{kind}" preserve="1"><p:cSld name="{name}">{_tree(shapes)}</p:cSld>'
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>")
