"""What a slide layout's placeholders are and what their text inherits, as PowerPoint works it out.

A placeholder on a slide takes its position from the layout's placeholder of the same index, and its text's
size, boldness and colour from the layout's placeholder, the master's placeholder of its type and the master's
text styles; scheme colours resolve through the master's colour map and the theme. `Facts` works these out
once per layout of a build (python-pptx looks them up again on every access).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn

from generator.deck.contrast import contrast, from_hex, modified, readable
from generator.deck.shapes import Box

MASTER_TYPES = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}
"""A layout placeholder's type -> the master placeholder it inherits from."""
EMU_PER_INCH = 914400


@dataclass(frozen=True)
class TextStyle:
    """How the first-level text of a layout's placeholder looks unless a run says otherwise."""

    size: float
    """In points."""
    bold: bool
    color: str | None
    """RRGGBB, or None when the template does not say."""


@dataclass(frozen=True)
class Placeholder:
    """One placeholder of a layout: its type, index, p:ph attributes, element and position (inches)."""

    kind: Any
    idx: int
    attributes: dict[str, str]
    element: Any
    box: Box


class Facts:
    """The placeholders of one layout, where they are and what their text inherits, each worked out once."""

    def __init__(self, layout: Any) -> None:
        self.layout = layout
        self.placeholders = [Placeholder(ph.placeholder_format.type, ph.placeholder_format.idx,
                                         dict(ph._element.ph.attrib), ph._element,
                                         Box(*(int(v or 0) / EMU_PER_INCH for v in (ph.left, ph.top, ph.width,
                                                                                     ph.height))))
                             for ph in layout.placeholders]
        self._styles: dict[tuple[frozenset[Any], float], TextStyle] = {}
        self._readable: dict[tuple[frozenset[Any], float], RGBColor | None] = {}

    def first(self, types: Collection[Any]) -> Placeholder | None:
        """Return the layout's first placeholder of one of `types`, or None."""
        return next((ph for ph in self.placeholders if ph.kind in types), None)

    def box(self, idx: int) -> Box | None:
        """Return where the layout's placeholder of index `idx` is, or None."""
        return next((ph.box for ph in self.placeholders if ph.idx == idx), None)

    def style(self, types: Collection[Any], default_size: float) -> TextStyle:
        """Return the look of the text of the layout's placeholder of one of `types` (the default without one)."""
        key = (frozenset(types), default_size)
        if key not in self._styles:
            placeholder = self.first(types)
            self._styles[key] = TextStyle(default_size, False, None) if placeholder is None else \
                _text_style(self.layout, placeholder.element, default_size, self.scheme)
        return self._styles[key]

    @functools.cached_property
    def scheme(self) -> Callable[[str], str]:
        """A scheme colour name (tx1, bg1, accent1) -> RRGGBB, for slides of this layout."""
        return _scheme(self.layout)

    @functools.cached_property
    def background(self) -> str | None:
        """The background colour of slides of this layout (its own, else the master's), RRGGBB; None for a
        picture or gradient, whose colour at any one place is not known."""
        for element in (self.layout._element, self.layout.slide_master._element):
            bg = element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
            if bg is None:
                continue
            if bg.find(f".//{qn('a:gradFill')}") is not None or bg.find(f".//{qn('a:blipFill')}") is not None:
                return None
            return color_value(bg.find(f".//{qn('a:solidFill')}"), self.scheme) or \
                color_value(bg.find(qn("p:bgRef")), self.scheme)
        return self.scheme("bg1")

    def readable(self, types: Collection[Any], ratio: float) -> RGBColor | None:
        """Return the colour text in the placeholder of `types` needs to reach `ratio` on the background: None
        where the template's own colour does (or where either is not known), else the nearest that does."""
        key = (frozenset(types), ratio)
        if key not in self._readable:
            color, background = self.style(types, 0.0).color, self.background
            if color is None or background is None or contrast(from_hex(color), from_hex(background)) >= ratio:
                self._readable[key] = None
            else:
                self._readable[key] = readable(from_hex(color), [from_hex(background)], ratio)
        return self._readable[key]


def _text_style(layout: Any, element: Any, default_size: float, scheme: Callable[[str], str]) -> TextStyle:
    """Return the look of the first-level text of the layout placeholder `element`, looked up as PowerPoint
    inherits it: its list style, the master's placeholder of its type, the master's title, body or other style."""
    kind = element.ph.get("type", "obj")
    kind = MASTER_TYPES.get(kind, kind)
    master = layout.slide_master._element
    chain = [element, *master.xpath(f"p:cSld/p:spTree/p:sp[p:nvSpPr/p:nvPr/p:ph[@type='{kind}']]")[:1]]
    level = f"{qn('a:lvl1pPr')}/{qn('a:defRPr')}"
    properties = [e.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{level}") for e in chain]
    style = {"title": "p:titleStyle", "body": "p:bodyStyle"}.get(kind, "p:otherStyle")
    properties.append(master.find(f"{qn('p:txStyles')}/{qn(style)}/{level}"))
    found = [p for p in properties if p is not None]
    size = next((int(p.get("sz")) / 100 for p in found if p.get("sz")), default_size)
    bold = next((p.get("b") in ("1", "true") for p in found if p.get("b")), False)
    color = next((c for c in (color_value(p.find(qn("a:solidFill")), scheme) for p in found) if c), None)
    return TextStyle(size, bold, color or scheme("tx1"))


def _scheme(layout: Any) -> Callable[[str], str]:
    """Return a function from a scheme colour name (tx1, bg1, accent1) to RRGGBB for slides of `layout`."""
    from lxml import etree

    master = layout.slide_master
    theme_part = next(rel.target_part for rel in master.part.rels.values() if rel.reltype.endswith("/theme"))
    colors = scheme_colors(etree.fromstring(theme_part.blob))
    color_map = master._element.find(qn("p:clrMap"))
    mapping = dict(color_map.attrib) if color_map is not None else {}
    override = layout._element.find(f"{qn('p:clrMapOvr')}/{qn('a:overrideClrMapping')}")
    if override is not None:
        mapping = dict(override.attrib)

    def resolve(name: str) -> str:
        return colors.get(mapping.get(name, name), colors.get(name, "000000"))

    return resolve


def scheme_colors(theme: Any) -> dict[str, str]:
    """Return a theme's colour scheme: dk1, lt1, dk2, lt2, accent1..accent6, hlink, folHlink -> RRGGBB."""
    colors: dict[str, str] = {}
    scheme = theme.find(f".//{qn('a:clrScheme')}")
    for child in scheme if scheme is not None else []:
        name = child.tag.rsplit("}", 1)[-1]
        srgb, system = child.find(qn("a:srgbClr")), child.find(qn("a:sysClr"))
        if srgb is not None:
            colors[name] = srgb.get("val", "000000").upper()
        elif system is not None:
            colors[name] = system.get("lastClr", "000000").upper()
    return colors


def color_value(parent: Any, scheme: Callable[[str], str]) -> str | None:
    """Return the colour an element holding a colour (a:solidFill, p:bgRef) gives, as RRGGBB, or None.

    `scheme` resolves a scheme colour name (tx1, accent1) to RRGGBB; the modifiers that change lightness apply.
    """
    if parent is None:
        return None
    for child in parent:
        name = child.tag.rsplit("}", 1)[-1]
        if name == "srgbClr":
            value = child.get("val", "000000")
        elif name == "sysClr":
            value = child.get("lastClr", "000000")
        elif name == "schemeClr":
            value = scheme(child.get("val", "tx1"))
        else:
            continue
        color = from_hex(str(value).upper())
        for modifier in child:
            color = modified(color, modifier.tag.rsplit("}", 1)[-1], int(modifier.get("val", "100000")) / 100000)
        return str(color)
    return None
