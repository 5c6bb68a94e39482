"""The frame of a slide: where its title, subtitle and points go, in the built-in look or a template's layout."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from generator.deck.job import SlideJob
from generator.deck.shapes import (
    BULLET_INDENT,
    Box,
    Overflow,
    Style,
    add_line,
    add_panel,
    add_text,
    fill_placeholder,
    placeholder_box,
)
from generator.deck.template import BODY_TYPES, TITLE_TYPES
from generator.deck.textfit import Para
from generator.story import formatting as fmt

TEMPLATE_BULLET_INDENT = 0.4
"""Room assumed for a template's bullet and hanging indent when fitting points (generous on purpose)."""


def header(job: SlideJob) -> Box:
    """Put the title and subtitle in place; return the box the slide's content goes in."""
    return template_header(job) if job.layout is not None else builtin_header(job)


def builtin_header(job: SlideJob) -> Box:
    """Draw the built-in title, subtitle, accent bar and footer; return the body box below them."""
    t = job.theme
    add_panel(job.slide, Box(0, 0, 0.18, t.height), t.teal, "Accent bar")
    add_text(job.slide, Box(t.margin, 0.35, t.body_width, 0.85), [Para(job.text.title, bold=True)],
             Style(t.heading, 32, 24, anchor=MSO_ANCHOR.BOTTOM), t.heading_font, "Title")
    if job.text.subtitle:
        add_text(job.slide, Box(t.margin, 1.2, t.body_width, 0.45), [Para(job.text.subtitle)],
                 Style(t.muted, 18, 14), t.font, "Subtitle")
    builtin_footer(job)
    return Box(t.margin, t.body_top, t.body_width, t.body_height)


def builtin_footer(job: SlideJob) -> None:
    """Draw the organisation, date and slide number along the bottom edge."""
    t = job.theme
    add_line(job.slide, t.margin, t.footer_top, t.width - t.margin, t.footer_top, t.light, "Footer rule", 0.75)
    left = f"{job.story.organisation} · {job.story.team} · {job.story.date.isoformat()}"
    add_text(job.slide, Box(t.margin, t.footer_top + 0.05, 9, 0.35), [Para(left)],
             Style(t.muted, 11, 10), t.font, "Footer")
    add_text(job.slide, Box(t.width - t.margin - 2, t.footer_top + 0.05, 2, 0.35),
             [Para(f"{job.number} / {job.total}")], Style(t.muted, 11, 10, align=PP_ALIGN.RIGHT), t.font,
             "Slide number")


def template_header(job: SlideJob) -> Box:
    """Fill the layout's title placeholder (or draw a title where it has none); return the content area."""
    t, slide = job.theme, job.slide
    title = _placeholder(job, TITLE_TYPES)
    if title is not None:
        fill_placeholder(title, [Para(job.text.title)], Style(t.text, min(36.0, job.title_size), 20,
                                                               anchor=None), t.heading_font, "Title")
        top = placeholder_box(title).top + placeholder_box(title).height + 0.1
    else:
        add_text(slide, Box(t.margin, 0.3, t.width - 2 * t.margin, 0.9), [Para(job.text.title, bold=True)],
                 Style(t.heading, 32, 20, anchor=MSO_ANCHOR.BOTTOM), t.heading_font, "Title")
        top = 1.3
    template_footer(job)
    area = content_area(job, top)
    if job.text.subtitle:
        subtitle, area = area.take_top(min(0.5, area.height * 0.1), 0.12)
        add_text(slide, subtitle, [Para(job.text.subtitle)], Style(t.muted, 18, 12), t.font, "Subtitle")
    return area


SLIDE_NUMBER_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
"""The id PowerPoint gives slide-number fields; a fixed one keeps builds reproducible."""


def template_footer(job: SlideJob) -> None:
    """Fill the layout's footer, date and slide-number placeholders: organisation and team, meeting date, number."""
    assert job.layout is not None
    footer = f"{job.story.organisation} · {job.story.team}"
    texts = {PP_PLACEHOLDER.FOOTER: footer, PP_PLACEHOLDER.DATE: fmt.date(job.story.date),
             PP_PLACEHOLDER.SLIDE_NUMBER: str(job.number)}
    for layout_placeholder in job.layout.layout.placeholders:
        kind = layout_placeholder.placeholder_format.type
        if kind not in texts:
            continue
        job.slide.shapes.clone_placeholder(layout_placeholder)
        shape = job.slide.placeholders[layout_placeholder.placeholder_format.idx]
        try:
            fill_placeholder(shape, [Para(texts[kind])], Style(job.theme.muted, 12, 8, anchor=None), job.theme.font,
                             f"Footer {str(kind).split('(')[0].split('.')[-1].strip().lower()}")
        except Overflow:
            shape._element.getparent().remove(shape._element)
            continue
        if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            _as_slide_number_field(shape)


def _as_slide_number_field(shape: Any) -> None:
    """Turn the placeholder's one run into a slide-number field, so the number follows if slides move."""
    from pptx.oxml.ns import qn

    run = shape.text_frame.paragraphs[0].runs[0]._r
    field = run.makeelement(qn("a:fld"), {"id": SLIDE_NUMBER_FIELD_ID, "type": "slidenum"})
    for child in list(run):
        field.append(child)
    run.addprevious(field)
    run.getparent().remove(run)


def content_area(job: SlideJob, below: float) -> Box:
    """Return the layout's content area: its body placeholder, else the space under the title."""
    t = job.theme
    bodies = [ph for ph in job.layout.layout.placeholders if ph.placeholder_format.type in BODY_TYPES] \
        if job.layout is not None else []
    if bodies:
        area = _union([placeholder_box(ph) for ph in bodies])
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


def _placeholder(job: SlideJob, types: Collection[Any]) -> Any | None:
    """Return the slide's first placeholder of one of `types`, or None."""
    return next((ph for ph in job.slide.placeholders if ph.placeholder_format.type in types), None)


def points(job: SlideJob, box: Box, max_size: float = 24, min_size: float = 14) -> None:
    """Show the slide's points in `box`: in the template's body placeholder when it has one, else as a list."""
    if not job.text.points:
        return
    paras = [Para(p, space_before=0.6) for p in job.text.points]
    body = _placeholder(job, BODY_TYPES) if job.layout is not None else None
    if body is not None:
        fill_placeholder(body, paras, Style(job.theme.text, min(max_size, job.body_size), min_size, anchor=None),
                         job.theme.font, "Points", box, TEMPLATE_BULLET_INDENT)
        return
    add_text(job.slide, box, paras, Style(job.theme.text, max_size, min_size, bullet=True), job.theme.font, "Points")


def finish(job: SlideJob) -> None:
    """Remove the placeholders the slide left empty, so no 'Click to add text' prompt remains."""
    for shape in list(job.slide.placeholders):
        if not shape.has_text_frame or not shape.text_frame.text.strip():
            shape._element.getparent().remove(shape._element)


__all__ = ["BULLET_INDENT", "content_area", "finish", "header", "points"]
