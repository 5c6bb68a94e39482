"""PowerPoint templates: open a .pptx/.potx, read its theme, and choose a layout for each slide kind."""

from __future__ import annotations

import difflib
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER

from generator.deck.layout import Facts, color_value, scheme_colors

TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"

TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
FOOTER_TYPES = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}

TITLE_SLIDE_NAMES = re.compile(r"title slide|titelfolie|diapositive de titre|portada|diapositiva de título|"
                               r"first slide|cover|opening", re.I)
CONTENT_NAMES = re.compile(r"title and content|titel und inhalt|titre et contenu|título y objetos|"
                           r"content|inhalt|contenu|bullets|text", re.I)
TITLE_ONLY_NAMES = re.compile(r"title only|nur titel|titre seul|solo (el )?título", re.I)


class TemplateError(Exception):
    """The PowerPoint template cannot be used: the message says why and what to do."""


def open_presentation(path: Path) -> Any:
    """Return the template at `path` opened with python-pptx (a .potx is read as a .pptx), without its slides."""
    from pptx import Presentation

    try:
        data = path.read_bytes()
        presentation = Presentation(io.BytesIO(_as_presentation(data)))
    except OSError as exc:
        raise TemplateError(f"cannot be read ({exc.strerror})") from None
    except zipfile.BadZipFile:
        raise TemplateError("is not a PowerPoint file (it is not a zip package)") from None
    except Exception:  # python-pptx raises many kinds on broken packages
        raise TemplateError("is not a PowerPoint file that can be opened (its package parts are broken or "
                            "missing)") from None
    drop_slides(presentation)
    return presentation


def _as_presentation(data: bytes) -> bytes:
    """Return the package bytes with a template's main content type turned into a presentation's."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if TEMPLATE_MAIN not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                blob = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    blob = blob.replace(TEMPLATE_MAIN, PRESENTATION_MAIN)
                target.writestr(item, blob)
        return out.getvalue()


def drop_slides(presentation: Any) -> None:
    """Remove every slide (a template's sample slides) from `presentation`."""
    id_list = presentation.slides._sldIdLst
    for slide_id in list(id_list):
        presentation.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)


@dataclass(frozen=True)
class ThemeInfo:
    """The colours and fonts a template's theme defines."""

    colors: dict[str, str]
    """Scheme name (dk1, lt1, dk2, lt2, accent1..accent6) -> RRGGBB."""
    major_font: str
    minor_font: str
    text: str = "000000"
    """The colour body text has on the master (its tx1), RRGGBB."""
    background: str = "FFFFFF"
    """The master's background colour (a solid or theme fill; bg1 otherwise), RRGGBB."""
    title: str = ""
    """The colour of titles on the master (its title style), RRGGBB; '' when it sets none."""


def theme_info(presentation: Any) -> ThemeInfo:
    """Return the colour scheme and fonts of the first slide master's theme."""
    from lxml import etree

    master = presentation.slide_masters[0]
    theme_part = next(rel.target_part for rel in master.part.rels.values() if rel.reltype.endswith("/theme"))
    root = etree.fromstring(theme_part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    colors = scheme_colors(root)
    major = root.find(".//a:fontScheme/a:majorFont/a:latin", ns)
    minor = root.find(".//a:fontScheme/a:minorFont/a:latin", ns)
    text, background, title = _master_colors(master._element, colors)
    return ThemeInfo(colors, _typeface(major, "Calibri Light"), _typeface(minor, "Calibri"), text, background, title)


def _master_colors(master: Any, colors: dict[str, str]) -> tuple[str, str, str]:
    """Return the master's text, background and title colours, resolved through its colour map."""
    from pptx.oxml.ns import qn

    color_map = master.find(qn("p:clrMap"))
    mapping = dict(color_map.attrib) if color_map is not None else {}

    def resolve(name: str) -> str:
        return colors.get(mapping.get(name, name), colors.get(name, "000000"))

    background = resolve("bg1")
    bg = master.find(f"{qn('p:cSld')}/{qn('p:bg')}")
    if bg is not None and bg.find(f".//{qn('a:gradFill')}") is None:
        background = color_value(bg.find(f".//{qn('a:solidFill')}"), resolve) or \
            color_value(bg.find(qn("p:bgRef")), resolve) or background
    text = resolve("tx1")
    for style in ("p:bodyStyle", "p:titleStyle"):
        fill = master.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}/{qn('a:solidFill')}")
        if style == "p:bodyStyle":
            text = color_value(fill, resolve) or text
        else:
            title = color_value(fill, resolve) or ""
    return text, background, title


def _typeface(element: Any, default: str) -> str:
    value = element.get("typeface") if element is not None else ""
    return value or default


@dataclass(frozen=True)
class LayoutChoice:
    """The layout a slide kind uses, and why it was chosen."""

    layout: Any
    reason: str

    @functools.cached_property
    def facts(self) -> Facts:
        """What the layout's placeholders are and inherit (worked out once per layout of a build)."""
        return Facts(self.layout)

    @property
    def name(self) -> str:
        """The layout's name."""
        return str(self.layout.name)


def placeholders_of(layout: Any) -> list[Any]:
    """Return the layout's placeholders other than date, footer and slide number."""
    return [ph for ph in layout.placeholders if ph.placeholder_format.type not in FOOTER_TYPES]


def title_placeholder(layout: Any) -> Any | None:
    """Return the layout's title placeholder, or None."""
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type in TITLE_TYPES), None)


def body_placeholder(layout: Any) -> Any | None:
    """Return the layout's main body (text or content) placeholder, or None."""
    bodies = [ph for ph in layout.placeholders if ph.placeholder_format.type in BODY_TYPES]
    return max(bodies, key=lambda ph: (ph.width or 0) * (ph.height or 0), default=None)


def subtitle_placeholder(layout: Any) -> Any | None:
    """Return the layout's subtitle placeholder, or None."""
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)


def choose_layouts(presentation: Any, kinds: list[str], overrides: dict[str, str]) -> dict[str, LayoutChoice]:
    """Return the layout for each slide kind: the one named in `overrides`, else the best match by type and name."""
    layouts = [layout for master in presentation.slide_masters for layout in master.slide_layouts]
    chosen: dict[str, LayoutChoice] = {}
    for kind in dict.fromkeys(kinds):
        if kind in overrides:
            choice = _by_name(layouts, overrides[kind])
        elif kind == "title":
            choice = _title_layout(layouts)
        else:
            choice = _content_layout(layouts)
        chosen[kind] = next((c for c in chosen.values() if c == choice), choice)  # one per layout: facts are shared
    return chosen


def _by_name(layouts: list[Any], name: str) -> LayoutChoice:
    for layout in layouts:
        if layout.name.strip().lower() == name.strip().lower():
            return LayoutChoice(layout, "named in story.yaml")
    names = [layout.name for layout in layouts]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"the template's layouts are: {', '.join(names)}"
    raise TemplateError(f"has no layout named {name!r}; {hint}")


def _title_layout(layouts: list[Any]) -> LayoutChoice:
    for layout in layouts:
        if layout._element.get("type") == "title":
            return LayoutChoice(layout, "layout type 'title'")
    for layout in layouts:
        if any(ph.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE for ph in layout.placeholders):
            return LayoutChoice(layout, "has a centred title placeholder")
    for layout in layouts:
        if TITLE_SLIDE_NAMES.search(layout.name) and title_placeholder(layout) is not None:
            return LayoutChoice(layout, f"name {layout.name!r} reads as a title slide")
    return _content_layout(layouts)


def _content_layout(layouts: list[Any]) -> LayoutChoice:
    for layout in layouts:
        if layout._element.get("type") == "obj":
            return LayoutChoice(layout, "layout type 'obj' (title and content)")
    scored = [(_content_score(layout), i, layout) for i, layout in enumerate(layouts)]
    best = max(scored, key=lambda item: (item[0], -item[1]))
    score, _, layout = best
    if score <= 0:
        return LayoutChoice(layout, "no layout has a title placeholder: titles are drawn as text boxes")
    return LayoutChoice(layout, "has a title and one body placeholder" if body_placeholder(layout) is not None
                        else "has a title placeholder")


def _content_score(layout: Any) -> int:
    """Return how well `layout` suits a content slide: title plus one body placeholder is best."""
    if title_placeholder(layout) is None:
        return 0
    others = [ph for ph in placeholders_of(layout) if ph.placeholder_format.type not in TITLE_TYPES]
    bodies = [ph for ph in others if ph.placeholder_format.type in BODY_TYPES]
    score = 10
    score += 6 if len(bodies) == 1 else (3 if not bodies else 0)
    score -= 2 * (len(others) - len(bodies))
    score += 2 if CONTENT_NAMES.search(layout.name) else 0
    score += 1 if TITLE_ONLY_NAMES.search(layout.name) or layout._element.get("type") == "titleOnly" else 0
    score -= 5 if layout._element.get("type") in ("title", "secHead") or TITLE_SLIDE_NAMES.search(layout.name) else 0
    return max(score, 1)
