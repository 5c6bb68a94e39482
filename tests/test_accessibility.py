"""The checks of PowerPoint's Accessibility Checker, as a test, over the default deck, the native-charts deck and a
deck on every test template; and the deck's language on its text.

The deck is read with lxml, as PowerPoint would read it: placeholders take their position, size, colour and
boldness from their layout and master, scheme colours resolve through the colour map and the theme.

- every slide has a title, in a title placeholder (type title or ctrTitle), and no two slides share one;
- every picture, chart, table, graphic frame and group has alt text; other shapes without text are described or
  marked decorative;
- the reading order (the order of the shape tree) follows the visual order: the title first; a shape read later
  is neither above an earlier one it shares a column with, nor left of one it shares a row with (rows and columns
  by overlapping extents, 0.05 in of tolerance);
- text has a contrast of at least 4.5:1 (3:1 from 18 pt, or 14 pt bold) against what it stands on: its cell or
  shape fill, the topmost filled shape under it, or the slide's background;
- tables mark their header row (a:tblPr firstRow="1").
"""

from __future__ import annotations

import colorsys
import io
import posixpath
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from generator.build.run import build
from generator.cli import main
from tests.conftest import copy_content, settings
from tests.support.templates import SCANNY, SOL_ENG, make_german_a4_template

DECK = "success-story.pptx"
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative"}
A, P = f"{{{NS['a']}}}", f"{{{NS['p']}}}"
SHAPES = {f"{P}sp", f"{P}pic", f"{P}graphicFrame", f"{P}grpSp", f"{P}cxnSp"}
TOLERANCE = 45720
"""EMU (0.05 in) two boxes may overlap and still count as one above or beside the other."""
MASTER_TYPE = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}


class Package:
    """A .pptx read as parts: XML by part name, and each part's relationships."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self._xml: dict[str, etree._Element] = {}

    def xml(self, name: str) -> etree._Element:
        if name not in self._xml:
            self._xml[name] = etree.fromstring(self.parts[name])
        return self._xml[name]

    def related(self, name: str, kind: str) -> list[str]:
        """Return the parts `name` relates to with relationships of type .../`kind`, in relationship order."""
        folder, base = posixpath.split(name)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        return [posixpath.normpath(posixpath.join(folder, rel.get("Target"))) for rel in rels
                if rel.get("Type").endswith("/" + kind)]

    def slides(self) -> list[str]:
        presentation = self.xml("ppt/presentation.xml")
        rels = self.xml("ppt/_rels/presentation.xml.rels")
        targets = {rel.get("Id"): "ppt/" + rel.get("Target") for rel in rels}
        return [targets[s.get(f"{{{NS['r']}}}id")] for s in presentation.iterfind("p:sldIdLst/p:sldId", NS)]


@dataclass
class Slide:
    """One slide with its layout, master and theme, and how to resolve what its shapes inherit."""

    package: Package
    name: str

    def __post_init__(self) -> None:
        self.root = self.package.xml(self.name)
        self.layout = self.package.xml(self.package.related(self.name, "slideLayout")[0])
        master_name = self.package.related(self.package.related(self.name, "slideLayout")[0], "slideMaster")[0]
        self.master = self.package.xml(master_name)
        theme = self.package.xml(self.package.related(master_name, "theme")[0])
        self.scheme = {etree.QName(c).localname: _scheme_value(c) for c in theme.find(".//a:clrScheme", NS)}
        mapping = dict(self.master.find("p:clrMap", NS).attrib)
        for part in (self.layout, self.root):
            override = part.find("p:clrMapOvr/a:overrideClrMapping", NS)
            if override is not None:
                mapping = dict(override.attrib)
        self.mapping = mapping

    # --- colours ------------------------------------------------------------------------------------------------
    def color(self, holder: etree._Element | None) -> tuple[int, int, int] | None:
        """Return the colour an element holding one (a:solidFill, a fontRef) gives, or None."""
        for child in holder if holder is not None else []:
            name = etree.QName(child).localname
            if name == "srgbClr":
                value = child.get("val")
            elif name == "sysClr":
                value = child.get("lastClr")
            elif name == "schemeClr" and child.get("val") != "phClr":
                value = self.scheme[self.mapping.get(child.get("val"), child.get("val"))]
            else:
                continue
            color = tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))
            for modifier in child:
                color = _modify(color, etree.QName(modifier).localname, int(modifier.get("val")) / 100000)
            return color  # type: ignore[return-value]
        return None

    # --- placeholders -------------------------------------------------------------------------------------------
    def inherited_from(self, shape: etree._Element) -> list[etree._Element]:
        """Return the layout's and master's placeholders `shape` inherits from (none for other shapes)."""
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is None:
            return []
        kind, idx = ph.get("type", "obj"), ph.get("idx", "0")
        layout = [s for s in self.layout.iterfind(".//p:sp", NS) if (p := s.find("p:nvSpPr/p:nvPr/p:ph", NS)) is not None
                  and (p.get("idx", "0") == idx if idx != "0" else p.get("type", "obj") == kind)]
        if layout:
            kind = layout[0].find("p:nvSpPr/p:nvPr/p:ph", NS).get("type", "obj")
        kind = MASTER_TYPE.get(kind, kind)
        master = [s for s in self.master.iterfind(".//p:sp", NS)
                  if (p := s.find("p:nvSpPr/p:nvPr/p:ph", NS)) is not None and p.get("type") == kind]
        return layout[:1] + master[:1]

    def text_styles(self, shape: etree._Element, level: int) -> list[etree._Element]:
        """Return, nearest first, the list-style levels a paragraph of `shape` at `level` inherits its run look from."""
        tag = f"a:lvl{level + 1}pPr"
        chain = [shape, *self.inherited_from(shape)]
        found = [e.find(f"p:txBody/a:lstStyle/{tag}", NS) for e in chain]
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        kind = MASTER_TYPE.get(ph.get("type", "obj"), ph.get("type", "obj")) if ph is not None else None
        style = {"title": "titleStyle", "body": "bodyStyle"}.get(kind or "", "otherStyle")
        found.append(self.master.find(f"p:txStyles/p:{style}/{tag}", NS))
        return [f for f in found if f is not None]

    def box(self, shape: etree._Element) -> tuple[int, int, int, int] | None:
        """Return a shape's left, top, width and height (EMU), inherited from its placeholders where unset."""
        for element in [shape, *self.inherited_from(shape)]:
            xfrm = element.find("p:spPr/a:xfrm", NS)
            if xfrm is None:
                xfrm = element.find("p:xfrm", NS) if element.tag == f"{P}graphicFrame" else \
                    element.find("p:grpSpPr/a:xfrm", NS)
            if xfrm is not None and xfrm.find("a:off", NS) is not None:
                off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
                return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
        return None

    # --- backgrounds --------------------------------------------------------------------------------------------
    def background(self) -> list[tuple[int, int, int]] | None:
        """Return the slide's background colours (every stop of a gradient), or None for a picture."""
        for part in (self.root, self.layout, self.master):
            bg = part.find("p:cSld/p:bg", NS)
            if bg is None:
                continue
            if bg.find(".//a:blipFill", NS) is not None:
                return None
            stops = bg.findall(".//a:gs", NS)
            if stops:
                return [c for c in (self.color(s) for s in stops) if c]
            color = self.color(bg.find("p:bgPr/a:solidFill", NS)) or self.color(bg.find("p:bgRef", NS))
            return [color] if color else None
        return [self.color(etree.fromstring(f'<a:x xmlns:a="{NS["a"]}"><a:schemeClr val="bg1"/></a:x>'))]  # type: ignore[list-item]

    def fill(self, shape: etree._Element) -> tuple[int, int, int] | None | bool:
        """Return a shape's own solid fill; False when it has none (it shows what is under it); None when unknown."""
        if shape.tag == f"{P}pic":
            return None
        properties = shape.find("p:spPr", NS)
        if properties is not None and properties.find("a:solidFill", NS) is not None:
            return self.color(properties.find("a:solidFill", NS))
        if properties is not None and (properties.find("a:gradFill", NS) is not None
                                       or properties.find("a:blipFill", NS) is not None):
            return None
        if properties is not None and properties.find("a:noFill", NS) is not None:
            return False
        reference = shape.find("p:style/a:fillRef", NS)
        if reference is not None and reference.get("idx") != "0" and shape.find("p:nvSpPr/p:nvPr/p:ph", NS) is None:
            return self.color(reference)
        return False

    def under(self, shapes: list[etree._Element], index: int) -> list[tuple[int, int, int]] | None:
        """Return the colours behind shape `index` of `shapes`: the topmost filled shape drawn before it that holds
        its centre (the layout's and master's shapes beneath the slide's), else the background."""
        box = self.box(shapes[index])
        if box is None:
            return None
        x, y = box[0] + box[2] // 2, box[1] + box[3] // 2
        beneath = [*self._decorations(), *shapes[:index]]
        for shape in reversed(beneath):
            other = self.box(shape)
            if other is None or not (other[0] <= x <= other[0] + other[2] and other[1] <= y <= other[1] + other[3]):
                continue
            fill = self.fill(shape)
            if fill is None:
                return None
            if fill is not False:
                return [fill]  # type: ignore[list-item]
        return self.background()

    def _decorations(self) -> list[etree._Element]:
        """Return the layout's and master's own shapes (not placeholders) that are drawn beneath the slide's."""
        shown = []
        if self.layout.get("showMasterSp") not in ("0", "false") and self.root.get("showMasterSp") not in ("0", "false"):
            shown += list(_flat(self.master.find("p:cSld/p:spTree", NS)))
        if self.root.get("showMasterSp") not in ("0", "false"):
            shown += list(_flat(self.layout.find("p:cSld/p:spTree", NS)))
        return [s for s in shown if s.find("p:nvSpPr/p:nvPr/p:ph", NS) is None]


def _scheme_value(slot: etree._Element) -> str:
    child = slot[0]
    return str(child.get("val") if etree.QName(child).localname == "srgbClr" else child.get("lastClr"))


def _modify(color: tuple[int, ...], name: str, value: float) -> tuple[int, ...]:
    """Apply a DrawingML colour modifier that changes lightness (lumMod, lumOff, tint, shade)."""
    if name in ("lumMod", "lumOff"):
        h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in color))
        lightness = min(1.0, max(0.0, lightness * value if name == "lumMod" else lightness + value))
        return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, lightness, s))
    if name in ("tint", "shade"):  # towards white or black in linear light (as LibreOffice draws it)
        target = 1.0 if name == "tint" else 0.0
        linear = [_channel(c) * value + target * (1 - value) for c in color]
        return tuple(round(255 * (v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055)) for v in linear)
    return color


def _channel(v: int) -> float:
    c = v / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(color: tuple[int, ...]) -> float:
    r, g, b = (_channel(v) for v in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Return the WCAG 2 contrast ratio of two colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _flat(tree: etree._Element | None) -> Iterator[etree._Element]:
    """Yield the shapes of a shape tree in drawing order, those of groups in place."""
    for child in tree if tree is not None else []:
        if child.tag in SHAPES:
            yield child
            if child.tag == f"{P}grpSp":
                yield from _flat(child)


def _name(shape: etree._Element) -> str:
    return str(shape.find("./*[1]/p:cNvPr", NS).get("name", ""))


def _text(shape: etree._Element) -> str:
    return "".join(shape.xpath(".//a:t/text()", namespaces=NS)).strip()


def _decorative(shape: etree._Element) -> bool:
    return bool(shape.xpath("./*[1]/p:cNvPr/a:extLst/a:ext/adec:decorative[@val='1']", namespaces=NS))


def _described(shape: etree._Element) -> bool:
    return bool(shape.find("./*[1]/p:cNvPr", NS).get("descr", "").strip())


# --- the checks -------------------------------------------------------------------------------------------------

@dataclass
class Audit:
    """What the checks found, and how much they looked at (so that a pass is not a pass by looking at nothing)."""

    findings: list[str]
    titles: int = 0
    described: int = 0
    runs: int = 0
    tables: int = 0


def audit(data: bytes) -> Audit:
    """Return the Accessibility Checker's findings for the deck `data`, one 'slide N: ...' line each."""
    package = Package(data)
    result = Audit([])
    titles: dict[str, int] = {}
    for number, name in enumerate(package.slides(), start=1):
        slide = Slide(package, name)
        found: list[str] = []
        title = _title(slide)
        if title is None:
            found.append("missing slide title: no title placeholder holds text")
        elif title in titles:
            found.append(f"duplicate slide title {title!r} (slide {titles[title]} has it too)")
        else:
            titles[title] = number
            result.titles += 1
        found += _alt_text(slide, slide.root.find("p:cSld/p:spTree", NS), result)
        found += _reading_order(slide, slide.root.find("p:cSld/p:spTree", NS), top=True)
        found += _contrast(slide, package, result)
        for table in slide.root.iter(f"{A}tbl"):
            result.tables += 1
            if table.find("a:tblPr", NS) is None or table.find("a:tblPr", NS).get("firstRow") not in ("1", "true"):
                found.append("a table does not mark its header row (a:tblPr firstRow)")
        result.findings += [f"slide {number}: {finding}" for finding in found]
    return result


def _title(slide: Slide) -> str | None:
    for shape in slide.root.iterfind("p:cSld/p:spTree/p:sp", NS):
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type") in ("title", "ctrTitle") and _text(shape):
            return _text(shape)
    return None


def _alt_text(slide: Slide, tree: etree._Element, result: Audit) -> list[str]:
    found = []
    for shape in (c for c in tree if c.tag in SHAPES):
        kind = etree.QName(shape).localname
        if kind in ("pic", "graphicFrame", "grpSp"):
            if _described(shape):
                result.described += 1
            else:
                found.append(f"{_name(shape)!r} ({kind}) has no alt text")
        elif shape.find("p:nvSpPr/p:nvPr/p:ph", NS) is None and not _text(shape) and not _described(shape) \
                and not _decorative(shape):
            found.append(f"{_name(shape)!r} ({kind}) has neither text nor alt text and is not marked decorative")
        if kind == "grpSp":
            found += _alt_text(slide, shape, result)
    return found


def _reading_order(slide: Slide, tree: etree._Element, top: bool) -> list[str]:
    """Check that the shapes a screen reader reads come in visual order (within a group, its shapes alike)."""
    read = [s for s in tree if s.tag in SHAPES and not _decorative(s)
            and (_text(s) or s.tag in (f"{P}pic", f"{P}graphicFrame", f"{P}grpSp"))]
    found = []
    if top and read and _title(slide) is not None and _text(read[0]) != _title(slide):
        found.append(f"{_name(read[0])!r} is read before the title")
    boxes = [slide.box(s) for s in read]
    for i, earlier in enumerate(boxes):
        for j in range(i + 1, len(read)):
            later = boxes[j]
            if earlier is None or later is None:
                continue
            columns = min(earlier[0] + earlier[2], later[0] + later[2]) - max(earlier[0], later[0])
            rows = min(earlier[1] + earlier[3], later[1] + later[3]) - max(earlier[1], later[1])
            if later[1] + later[3] <= earlier[1] + TOLERANCE and columns > TOLERANCE:
                found.append(f"{_name(read[j])!r} is read after {_name(read[i])!r} but stands above it")
            elif later[0] + later[2] <= earlier[0] + TOLERANCE and rows > TOLERANCE:
                found.append(f"{_name(read[j])!r} is read after {_name(read[i])!r} but stands left of it")
    for group in (s for s in read if s.tag == f"{P}grpSp"):
        found += _reading_order(slide, group, top=False)
    return found


def _contrast(slide: Slide, package: Package, result: Audit) -> list[str]:
    """Check every run's colour against what it stands on; report a shape once, at its first failing run."""
    shapes = list(_flat(slide.root.find("p:cSld/p:spTree", NS)))
    defaults = package.xml("ppt/presentation.xml").find("p:defaultTextStyle", NS)
    found = []
    for index, shape in enumerate(shapes):
        if shape.tag == f"{P}graphicFrame":
            bodies = [(cell.find("a:txBody", NS), slide.color(cell.find("a:tcPr/a:solidFill", NS)))
                      for cell in shape.iter(f"{A}tc")]
            pairs = [(body, [fill] if fill else slide.under(shapes, index)) for body, fill in bodies]
        elif shape.tag == f"{P}sp" and shape.find("p:txBody", NS) is not None:
            own = slide.fill(shape)
            pairs = [(shape.find("p:txBody", NS), None if own is None else [own] if own is not False
                      else slide.under(shapes, index))]  # type: ignore[list-item]
        else:
            continue
        problem = next((p for body, backgrounds in pairs if backgrounds
                        for p in _runs(slide, shape, body, backgrounds, defaults, result)), None)
        if problem:
            found.append(f"{_name(shape)!r}: {problem}")
    return found


def _runs(slide: Slide, shape: etree._Element, body: etree._Element, backgrounds: list[tuple[int, int, int]],
          defaults: etree._Element | None, result: Audit) -> Iterator[str]:
    for paragraph in body.iterfind("a:p", NS):
        properties = paragraph.find("a:pPr", NS)
        level = int(properties.get("lvl", "0")) if properties is not None else 0
        styles = [s.find("a:defRPr", NS) for s in slide.text_styles(shape, level)]
        if shape.find("p:nvSpPr/p:nvPr/p:ph", NS) is None:
            styles.insert(1, shape.find("p:style/a:fontRef", NS))
        if defaults is not None:
            styles.append(defaults.find(f"a:lvl{level + 1}pPr/a:defRPr", NS))
        for run in paragraph:
            if run.tag not in (f"{A}r", f"{A}fld") or not "".join(run.itertext()).strip():
                continue
            chain = [run.find("a:rPr", NS), *styles]
            color = next((c for c in (slide.color(e if e is not None and e.tag == f"{A}fontRef"
                                                  else (e.find("a:solidFill", NS) if e is not None else None))
                                      for e in chain) if c), None)
            color = color or slide.color(etree.fromstring(f'<a:x xmlns:a="{NS["a"]}"><a:schemeClr val="tx1"/></a:x>'))
            size = next((int(e.get("sz")) / 100 for e in chain if e is not None and e.get("sz")), 18.0)
            bold = next((e.get("b") in ("1", "true") for e in chain if e is not None and e.get("b")), False)
            needed = 3.0 if size >= 18 or (bold and size >= 14) else 4.5
            result.runs += 1
            worst = min(backgrounds, key=lambda bg: contrast(color, bg))  # type: ignore[arg-type]
            ratio = contrast(color, worst)  # type: ignore[arg-type]
            if ratio < needed:
                text = "".join(run.itertext()).strip()
                yield (f"text {text[:60]!r} {_hex(color)} on {_hex(worst)} at {size:g} pt has contrast {ratio:.2f}:1 "
                       f"(needs {needed:g}:1)")


def _hex(color: tuple[int, ...] | None) -> str:
    return "".join(f"{c:02X}" for c in color or ())


# --- the decks --------------------------------------------------------------------------------------------------

DECKS = ["default", "native charts", "sol-eng", "scanny", "german A4"]


def build_deck(tmp: Path, kind: str) -> Path:
    """Build the example as `kind` (one of DECKS) under `tmp`; return the deck."""
    content = copy_content(tmp)
    design = {"native charts": "  charts: native\n"}.get(kind, "")
    template = {"sol-eng": SOL_ENG, "scanny": SCANNY}.get(kind)
    if kind == "german A4":
        template = make_german_a4_template(tmp / "german-a4.pptx")
    if template is not None:
        shutil.copy(template, content / f"brand{template.suffix}")
        design += f"  template: brand{template.suffix}\n"
    if design:
        with open(content / "story.yaml", "a", encoding="utf-8") as story:
            story.write(f"\ndesign:\n{design}")
    build(settings(content, tmp / "out"))
    return tmp / "out" / DECK


@pytest.fixture(scope="module", params=DECKS)
def deck(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of the example deck built in each of DECKS."""
    return build_deck(tmp_path_factory.mktemp("a11y"), request.param).read_bytes()


def test_the_deck_passes_the_accessibility_checks(deck: bytes) -> None:
    result = audit(deck)
    assert result.findings == []
    assert result.titles == 10 and result.described >= 6 and result.tables == 2 and result.runs > 100


# --- the checks can fail ----------------------------------------------------------------------------------------

def broken(data: bytes, number: int, change: Callable[[etree._Element], None]) -> bytes:
    """Return a copy of deck `data` with slide `number`'s XML changed by `change`."""
    name = Package(data).slides()[number - 1]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == name:
                root = etree.fromstring(blob)
                change(root)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, blob)
    return out.getvalue()


def shape_named(root: etree._Element, name: str) -> etree._Element:
    return next(s for s in root.iter(*SHAPES) if _name(s) == name)


def _no_title_placeholder(root: etree._Element) -> None:
    ph = shape_named(root, "Title").find("p:nvSpPr/p:nvPr/p:ph", NS)
    ph.getparent().remove(ph)


def _same_title(root: etree._Element) -> None:
    shape_named(root, "Title").find(".//a:t", NS).text = "Executive summary"


def _no_alt_text(root: etree._Element) -> None:
    del next(root.iter(f"{P}pic")).find("p:nvPicPr/p:cNvPr", NS).attrib["descr"]


def _not_decorative(root: etree._Element) -> None:
    mark = shape_named(root, "Tile 1").find("p:nvSpPr/p:cNvPr/a:extLst", NS)
    mark.getparent().remove(mark)


def _footer_first(root: etree._Element) -> None:
    footer = shape_named(root, "Footer footer")
    shape_named(root, "Title").addnext(footer)


def _title_last(root: etree._Element) -> None:
    title = shape_named(root, "Title")
    title.getparent().append(title)


def _grey_text(root: etree._Element) -> None:
    color = shape_named(root, "Subtitle").find(".//a:rPr/a:solidFill/a:srgbClr", NS)
    color.set("val", "A0A0A0")


def _no_header_row(root: etree._Element) -> None:
    del next(root.iter(f"{A}tblPr")).attrib["firstRow"]


BREAKS = {
    "title not in a placeholder": (2, _no_title_placeholder, "slide 2: missing slide title"),
    "two slides share a title": (3, _same_title, "slide 3: duplicate slide title 'Executive summary' (slide 2"),
    "a chart without alt text": (6, _no_alt_text, "slide 6: 'Chart 1: volume' (pic) has no alt text"),
    "a panel not marked decorative": (2, _not_decorative, "slide 2: 'Tile 1' (sp) has neither text nor alt text"),
    "the footer read before the content": (4, _footer_first, "slide 4: 'Table' is read after 'Footer footer' but "
                                                             "stands above it"),
    "the title read last": (5, _title_last, "slide 5: 'Subtitle' is read before the title"),
    "grey text on white": (2, _grey_text, "slide 2: 'Subtitle': text '12 months of results, Nov 2025 to Oct 2026' "
                                          "A0A0A0 on FFFFFF at 18 pt has contrast 2.61:1 (needs 3:1)"),
    "a table without a header row": (4, _no_header_row, "slide 4: a table does not mark its header row"),
}


@pytest.mark.parametrize("what", list(BREAKS))
def test_a_deliberately_broken_copy_fails_the_checks(example_output: Path, what: str) -> None:
    number, change, expected = BREAKS[what]
    findings = audit(broken((example_output / DECK).read_bytes(), number, change)).findings
    assert any(f.startswith(expected) for f in findings), findings


# --- the deck's language ----------------------------------------------------------------------------------------

def languages(data: bytes) -> dict[str, set[str | None]]:
    """Return, per kind of text, the lang values found: runs and paragraph ends of slides and notes, text styles."""
    package = Package(data)
    found: dict[str, set[str | None]] = {"runs": set(), "paragraph ends": set(), "styles": set()}
    parts = [name for name in package.parts if name.startswith(("ppt/slides/slide", "ppt/notesSlides/notesSlide"))
             and name.endswith(".xml")]
    for name in parts:
        root = package.xml(name)
        for run in root.iter(f"{A}r", f"{A}fld"):
            properties = run.find("a:rPr", NS)
            found["runs"].add(None if properties is None else properties.get("lang"))
        for paragraph in root.iter(f"{A}p"):
            end = paragraph.find("a:endParaRPr", NS)
            found["paragraph ends"].add(None if end is None else end.get("lang"))
    styles = [package.xml("ppt/presentation.xml").find("p:defaultTextStyle", NS),
              *package.xml("ppt/slideMasters/slideMaster1.xml").find("p:txStyles", NS)]
    for style in styles:
        found["styles"].update(level.get("lang") for level in style.iterfind("*/a:defRPr", NS))
    return found


def test_every_run_storypack_writes_carries_the_decks_language(example_output: Path) -> None:
    assert languages((example_output / DECK).read_bytes()) == {
        "runs": {"en-US"}, "paragraph ends": {"en-US"}, "styles": {"en-US"}}


def test_the_language_in_story_yaml_is_set_on_the_text_and_the_document(content: Path, tmp_path: Path) -> None:
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write("\nlanguage: en-GB\n")
    build(settings(content, tmp_path / "out"))
    data = (tmp_path / "out" / DECK).read_bytes()
    assert languages(data) == {"runs": {"en-GB"}, "paragraph ends": {"en-GB"}, "styles": {"en-GB"}}
    core = etree.fromstring(Package(data).parts["docProps/core.xml"])
    assert core.findtext("{http://purl.org/dc/elements/1.1/}language") == "en-GB"


def test_the_language_goes_onto_a_templates_text_too(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    shutil.copy(SOL_ENG, content / "brand.potx")
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write("\nlanguage: de-DE\ndesign:\n  template: brand.potx\n")
    build(settings(content, tmp_path / "out"))
    found = languages((tmp_path / "out" / DECK).read_bytes())
    assert found["runs"] == found["paragraph ends"] == {"de-DE"}
    assert "de-DE" in found["styles"]


def test_a_language_that_is_not_a_language_tag_is_an_error_at_its_line(content: Path) -> None:
    from generator.errors import ContentError
    from generator.story.load import load_story
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write("\nlanguage: English\n")
    with pytest.raises(ContentError) as caught:
        load_story(content)
    [problem] = caught.value.problems
    assert problem.message.startswith("language:")


# --- a template whose colours are hard to read ------------------------------------------------------------------

def make_low_contrast_template(path: Path) -> Path:
    """Write the German A4 test template with mid-grey text (7F7F7F: 4.0:1 on white)."""
    make_german_a4_template(path)
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == "ppt/theme/theme1.xml":
                blob = blob.replace(b'<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>',
                                    b'<a:dk1><a:srgbClr val="7F7F7F"/></a:dk1>')
                assert b"7F7F7F" in blob
            target.writestr(item, blob)
    path.write_bytes(out.getvalue())
    return path


def test_a_low_contrast_template_gets_a_warning_and_a_readable_deck(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_content(tmp_path)
    make_low_contrast_template(content / "grey.pptx")
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write("\ndesign:\n  template: grey.pptx\n")
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--output", str(out), "--templates", "templates"]) == 0
    err = capsys.readouterr().err
    assert ("story.yaml:145: template theme: text 7F7F7F on background FFFFFF has contrast 4.0:1 (needs 4.5:1); "
            "storypack uses ") in err
    assert "fix: give the template's text colours more contrast" in err
    used = err.split("storypack uses ")[1][:6]
    result = audit((out / DECK).read_bytes())
    assert result.findings == []
    texts = Package((out / DECK).read_bytes()).xml("ppt/slides/slide4.xml")
    assert used in {c.get("val") for c in texts.iter(f"{A}srgbClr")}


def test_a_readable_template_gets_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_content(tmp_path)
    make_german_a4_template(content / "brand.pptx")
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write("\ndesign:\n  template: brand.pptx\n")
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "out"), "--templates",
                 "templates", "--as-of", "2026-11-23"]) == 0  # the meeting pack's warnings depend on the day
    assert "warning" not in capsys.readouterr().err
