"""The frame of a slide: its title, subtitle, points and footer in the layout's placeholders, in reading order.

The built-in look is a generated template (`builtin`), so every slide takes this one path: the title goes into
the layout's title placeholder (where a company layout has none, it is drawn as a text box), points into its
body placeholder, the organisation, date and slide number into its footer placeholders. `finish` puts the
shapes in the order a screen reader reads them: title first, footer last.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn

from generator.deck import drawingml as dml
from generator.deck.contrast import LARGE_TEXT, NORMAL_TEXT
from generator.deck.job import SlideJob
from generator.deck.shapes import (
    BULLET_INDENT,
    INSET,
    Box,
    Overflow,
    Style,
    add_text,
    fill_placeholder,
    fitted_size,
    placeholder_box,
)
from generator.deck.template import BODY_TYPES, TITLE_TYPES
from generator.deck.textfit import Para
from generator.story import formatting as fmt

SUBTITLE_ROOM = 0.4
"""Space (inches) between a layout's title and body placeholders in which the subtitle goes; less, and it takes
the top of the content area."""


def header(job: SlideJob) -> Box:
    """Fill the title placeholder (or draw a title where the layout has none), subtitle and footer; return the
    content area."""
    t, slide = job.theme, job.slide
    title = placeholder(job, TITLE_TYPES)
    if title is not None:
        area = slide_box(job, title)
        fill_placeholder(title, [Para(job.text.title, bold=job.title_bold)],
                         Style(t.text, min(36.0, job.title_size), 20, anchor=None), t.heading_font, "Title",
                         color=job.layout.facts.readable(TITLE_TYPES, LARGE_TEXT), area=area)
        below = area.top + area.height
    else:
        add_text(slide, Box(t.margin, 0.3, t.width - 2 * t.margin, 0.9), [Para(job.text.title, bold=True)],
                 Style(t.heading, 32, 20, anchor=MSO_ANCHOR.BOTTOM), t.heading_font, "Title")
        below = 1.2
    footer(job)
    area = content_area(job, below + 0.1)
    if job.text.subtitle:
        room = area.top - below
        if room >= SUBTITLE_ROOM:
            subtitle = Box(area.left, below, area.width, min(0.5, room - 0.1))
        else:
            subtitle, area = area.take_top(min(0.5, area.height * 0.1), 0.12)
        add_text(slide, subtitle, [Para(job.text.subtitle)], Style(t.muted, 18, 12), t.font, "Subtitle")
    return area


SLIDE_NUMBER_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
"""The id PowerPoint gives slide-number fields; a fixed one keeps builds reproducible."""


def footer(job: SlideJob) -> None:
    """Fill the layout's footer, date and slide-number placeholders: organisation and team, meeting date, number."""
    footer_text = f"{job.story.organisation} · {job.story.team}"
    texts = {PP_PLACEHOLDER.FOOTER: footer_text, PP_PLACEHOLDER.DATE: fmt.date(job.story.date),
             PP_PLACEHOLDER.SLIDE_NUMBER: str(job.number)}
    facts = job.layout.facts
    for ph in facts.placeholders:
        if ph.kind not in texts:
            continue
        size = min(12.0, facts.style({ph.kind}, 12.0).size)
        name = f"Footer {str(ph.kind).split('(')[0].split('.')[-1].strip().lower()}"
        color = facts.readable({ph.kind}, NORMAL_TEXT)
        try:
            size = fitted_size(ph.box, [Para(texts[ph.kind])], Style(job.theme.muted, size, 8), job.theme.font, name)
        except Overflow:
            continue
        text_run = dml.run(texts[ph.kind], size=size, color=None if color is None else str(color), font=None)
        if ph.kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            text_run = dml.field(text_run, "slidenum", SLIDE_NUMBER_FIELD_ID)
        body = dml.text_body([dml.paragraph(text_run, line_spacing=False)], anchor=None, inset=INSET)
        dml.add(job.slide, dml.placeholder(dml.next_shape_id(job.slide), name, ph.attributes, body))


def slide_box(job: SlideJob, shape: Any) -> Box:
    """Return where a placeholder of the slide is: its own position, else its layout placeholder's."""
    if shape._element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}") is None:
        box = job.layout.facts.box(shape.placeholder_format.idx)
        if box is not None:
            return box
    return placeholder_box(shape)


def content_area(job: SlideJob, below: float) -> Box:
    """Return the layout's content area: its body placeholder, else the space under the title."""
    t = job.theme
    bodies = [ph.box for ph in job.layout.facts.placeholders if ph.kind in BODY_TYPES]
    if bodies:
        area = _union(bodies)
        if area.top >= below - 0.05:
            return area
        return Box(area.left, below, area.width, area.top + area.height - below)
    bottom = t.height - 0.5 * t.height / 7.5
    return Box(t.margin, below, t.width - 2 * t.margin, bottom - below)


def _union(boxes: list[Box]) -> Box:
    """Return the smallest box holding every box of `boxes`."""
    left, top = min(b.left for b in boxes), min(b.top for b in boxes)
    right, bottom = max(b.left + b.width for b in boxes), max(b.top + b.height for b in boxes)
    return Box(left, top, right - left, bottom - top)


def placeholder(job: SlideJob, types: Collection[Any]) -> Any | None:
    """Return the slide's first placeholder of one of `types`, or None."""
    return next((ph for ph in job.slide.placeholders if ph.placeholder_format.type in types), None)


def points(job: SlideJob, box: Box, max_size: float = 24, min_size: float = 14) -> None:
    """Show the slide's points in `box`: in the layout's body placeholder when it has one, else as a list."""
    if not job.text.points:
        return
    paras = [Para(p, space_before=0.6) for p in job.text.points]
    body = placeholder(job, BODY_TYPES)
    if body is not None:
        fill_placeholder(body, paras, Style(job.theme.text, min(max_size, job.body_size), min_size, anchor=None),
                         job.theme.font, "Points", box, job.bullet_indent,
                         color=job.layout.facts.readable(BODY_TYPES, NORMAL_TEXT))
        return
    add_text(job.slide, box, paras, Style(job.theme.text, max_size, min_size, bullet=True), job.theme.font, "Points")


def finish(job: SlideJob) -> None:
    """Remove the placeholders the slide left empty (no 'Click to add text' prompt remains), and put the shapes in
    reading order: the title first, then its subtitle, the content as drawn, and the footer last, left to right."""
    tree = job.slide.shapes._spTree
    for element in [e for e in tree.iterchildren() if e.tag in _SHAPE_TAGS]:
        if _placeholder_type(element) is not None and not "".join(element.itertext()).strip():
            tree.remove(element)
    shapes = [e for e in tree.iterchildren() if e.tag in _SHAPE_TAGS]
    kinds = {id(e): _placeholder_type(e) for e in shapes}
    first = [e for e in shapes if kinds[id(e)] in ("title", "ctrTitle") or _name(e) == "Title"][:1]
    first += [e for e in shapes if _name(e) == "Subtitle" and e not in first][:1]
    last = sorted((e for e in shapes if kinds[id(e)] in _FOOTER_PH and e not in first), key=lambda e: _left(job, e))
    middle = [e for e in shapes if e not in first and e not in last]
    anchor = shapes[0].getprevious() if shapes else None
    for element in first + middle + last:
        if anchor is None:
            tree.append(element)
        else:
            anchor.addnext(element)
        anchor = element


def _left(job: SlideJob, element: Any) -> float:
    """Return the left edge of a placeholder of the slide: its own, else its layout placeholder's."""
    offset = element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}/{qn('a:off')}")
    if offset is not None:
        return int(offset.get("x", "0")) / 914400
    box = job.layout.facts.box(int(element.find(f"./*[1]/{qn('p:nvPr')}/{qn('p:ph')}").get("idx", "0")))
    return box.left if box is not None else 0.0


_SHAPE_TAGS = {qn(f"p:{tag}") for tag in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart")}
_FOOTER_PH = {"dt", "ftr", "sldNum"}


def _placeholder_type(element: Any) -> str | None:
    ph = element.find(f"./*[1]/{qn('p:nvPr')}/{qn('p:ph')}")
    return None if ph is None else ph.get("type", "obj")


def _name(element: Any) -> str:
    properties = element.find(f"./*[1]/{qn('p:cNvPr')}")
    return "" if properties is None else str(properties.get("name", ""))


__all__ = ["BULLET_INDENT", "content_area", "finish", "header", "points"]
