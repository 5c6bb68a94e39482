"""Test templates: the two third-party ones in tests/fixtures/templates, and one this project generates."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "templates"
SOL_ENG = FIXTURES / "sol-eng-powerpoint__template.potx"
SCANNY = FIXTURES / "scanny-python-pptx__mst-slide-layouts.pptx"

GERMAN_NAMES = ["Titelfolie", "Titel und Inhalt", "Abschnittsüberschrift", "Zwei Inhalte", "Vergleich", "Nur Titel",
                "Leer", "Inhalt mit Überschrift", "Bild mit Überschrift", "Titel und vertikaler Text",
                "Vertikaler Titel und Text"]
A4_WIDTH = Inches(10.83)


def make_german_a4_template(path: Path) -> Path:
    """Write a template with German layout names and no layout types, A4 size, its own colours and fonts."""
    prs = Presentation()
    scale = A4_WIDTH / prs.slide_width
    prs.slide_width = A4_WIDTH
    master = prs.slide_masters[0]
    for part in [master, *master.slide_layouts]:
        _scale_x(part._element, scale)
    for layout, name in zip(master.slide_layouts, GERMAN_NAMES):
        layout.name = name
        layout._element.attrib.pop("type", None)
    _restyle_theme(master)
    prs.save(str(path))
    return path


def _scale_x(element: etree._Element, scale: float) -> None:
    """Stretch every shape position and width in `element` horizontally by `scale`."""
    for off in element.iter(qn("a:off")):
        off.set("x", str(int(int(off.get("x", "0")) * scale)))
    for ext in element.iter(qn("a:ext")):
        if ext.get("cx") is not None:
            ext.set("cx", str(int(int(ext.get("cx", "0")) * scale)))


def _restyle_theme(master: object) -> None:
    """Give the theme a burgundy palette, Cambria headings and Calibri body text."""
    theme_part = next(rel.target_part for rel in master.part.rels.values()  # type: ignore[attr-defined]
                      if rel.reltype.endswith("/theme"))
    root = etree.fromstring(theme_part.blob)
    colors = {"dk2": "3B1F2B", "accent1": "7A1F5C", "accent2": "D98E04", "accent3": "5C8001"}
    for name, value in colors.items():
        slot = root.find(f".//{qn('a:clrScheme')}/{qn('a:' + name)}")
        if slot is not None:
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, qn("a:srgbClr"), val=value)
    root.find(f".//{qn('a:majorFont')}/{qn('a:latin')}").set("typeface", "Cambria")
    root.find(f".//{qn('a:minorFont')}/{qn('a:latin')}").set("typeface", "Calibri")
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def slide_size_inches(path: Path) -> tuple[float, float]:
    """Return a presentation's slide size in inches."""
    prs = Presentation(str(path))
    return Emu(prs.slide_width).inches, Emu(prs.slide_height).inches
