"""One builder per slide kind: each lays out its slide from the rendered wording and the figures."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR

from generator.deck.contrast import LARGE_TEXT, NORMAL_TEXT
from generator.deck.frame import header, placeholder, points, slide_box
from generator.deck.job import SlideJob
from generator.deck.orgchart import draw_org_chart
from generator.deck.shapes import (
    Box,
    Overflow,
    Style,
    Table,
    add_line,
    add_panel,
    add_picture,
    add_table,
    add_text,
    common_size,
    fill_placeholder,
)
from generator.deck.template import BODY_TYPES, TITLE_TYPES
from generator.deck.textfit import Para
from generator.story.model import Story
from generator.story.names import ScoreRow, headline, scorecard

Builder = Callable[[SlideJob], None]


def build_title(job: SlideJob) -> None:
    """The opening slide: title, subtitle, and the presenter and meeting, in the title layout's placeholders.

    A layout with a subtitle and a body placeholder (the built-in one) takes the subtitle in the first and the
    presenter in the second; otherwise the subtitle placeholder (or the body) holds both.
    """
    t = job.theme
    title = placeholder(job, TITLE_TYPES)
    if title is None:
        add_text(job.slide, Box(t.margin, t.height * 0.25, t.width - 2 * t.margin, t.height * 0.25),
                 [Para(job.text.title, bold=True)], Style(t.heading, 44, 24, anchor=MSO_ANCHOR.BOTTOM),
                 t.heading_font, "Title")
        below = t.height * 0.52
    else:
        area = slide_box(job, title)
        fill_placeholder(title, [Para(job.text.title, bold=job.title_bold)],
                         Style(t.text, job.title_size, 24, anchor=None), t.heading_font, "Title",
                         color=job.layout.facts.readable(TITLE_TYPES, LARGE_TEXT), area=area)
        below = area.top + area.height + 0.1
    subtitle = placeholder(job, {PP_PLACEHOLDER.SUBTITLE})
    body = placeholder(job, BODY_TYPES)
    if subtitle is not None and body is not None:
        _fill_title_text(job, subtitle, [Para(job.text.subtitle)], "Subtitle", 24)
        _fill_title_text(job, body, _presenter_paras(job), "Presenter", 20)
        return
    rest = [Para(job.text.subtitle, bold=True)] + _presenter_paras(job)
    target = subtitle or body
    if target is not None:
        _fill_title_text(job, target, rest, "Subtitle", 24)
    else:
        bottom = t.height * 0.93
        add_text(job.slide, Box(t.margin, below, t.width - 2 * t.margin, bottom - below), rest,
                 Style(t.text, 22, 11), t.font, "Subtitle")


def _fill_title_text(job: SlideJob, target: Any, paras: list[Para], name: str, max_size: float) -> None:
    """Fill a placeholder of the title slide, letting it grow downwards when the text does not fit."""
    t = job.theme
    kind = target.placeholder_format.type
    style = Style(t.text, min(max_size, job.body_size), 11, anchor=None)
    indent = job.bullet_indent if kind in BODY_TYPES and _bulleted(job, target) else 0.0
    color = job.layout.facts.readable({kind}, NORMAL_TEXT)
    area = slide_box(job, target)
    try:
        fill_placeholder(target, paras, style, t.font, name, bullet_indent=indent, color=color, area=area)
    except Overflow:
        taller = Box(area.left, area.top, area.width, max(area.height, t.height * 0.95 - area.top))
        fill_placeholder(target, paras, style, t.font, name, taller, indent, color=color)


def _bulleted(job: SlideJob, target: Any) -> bool:
    """Whether the layout's placeholder of `target` may show bullets (it does not switch them off)."""
    layout_ph = next((ph for ph in job.layout.facts.placeholders if ph.idx == target.placeholder_format.idx), None)
    return layout_ph is None or not layout_ph.element.xpath("./p:txBody/a:lstStyle/a:lvl1pPr/a:buNone")


def _presenter_paras(job: SlideJob) -> list[Para]:
    """Return the presenter and meeting lines of the title slide."""
    presenter = job.text.first("presenter")
    meta = job.text.first("meta")
    paras = [Para(presenter[0], bold=True)] + [Para(x, scale=0.85) for x in presenter[1:]] if presenter else []
    return paras + [Para(x, scale=0.85, space_before=0.8 if i == 0 and paras else 0) for i, x in enumerate(meta)]


def build_summary(job: SlideJob) -> None:
    """Headline figures as tiles, coloured by met/missed, and the key messages below them."""
    t, s = job.theme, job.slide
    body = header(job)
    kpis = [headline(job.figures.kpis[key]) for key in job.spec.headlines]
    tiles_text = job.text.section("tile")
    _expect(len(tiles_text) == len(kpis), "summary", f"write one '### tile' section per headline ({len(kpis)})")
    tiles_box, rest = body.take_top(body.height * 0.74 if job.text.points else body.height, 0.2)
    columns = 3 if len(kpis) > 4 or len(kpis) == 3 else max(1, len(kpis))
    rows = (len(kpis) + columns - 1) // columns
    cells = [c for r in tiles_box.split_rows(rows, 0.2) for c in r.split_columns(columns, 0.25)]
    figure_boxes, text_boxes = [], []
    for cell in cells[:len(kpis)]:
        figure_box, text_box = cell.inset(0.25, 0.1).take_top(min(0.7, cell.height * 0.4))
        figure_boxes.append(figure_box)
        text_boxes.append(text_box)
    figure_paras = [[Para(lines[0], bold=True)] for lines in tiles_text]
    text_paras = [[Para(lines[1], bold=True)] + [Para(x, scale=0.8, space_before=0.2) for x in lines[2:]]
                  for lines in tiles_text]
    figure_style = common_size(list(zip(figure_boxes, figure_paras)),
                               Style(t.heading, 36, 24, anchor=MSO_ANCHOR.BOTTOM), t.font, "Tile figure")
    text_style = common_size(list(zip(text_boxes, text_paras)), Style(t.text, 18, 11), t.font, "Tile text")
    for i, kpi in enumerate(kpis):
        color = t.heading if kpi["met"] is None else (t.met if kpi["met"] else t.missed)
        cell = cells[i]
        add_panel(s, cell, t.pale, f"Tile {i + 1}", rounded=True)
        add_panel(s, Box(cell.left, cell.top + 0.12, 0.09, cell.height - 0.24), color, f"Tile {i + 1} status")
        add_text(s, figure_boxes[i], figure_paras[i], figure_style, t.font, f"Tile {i + 1} figure", [color])
        add_text(s, text_boxes[i], text_paras[i], text_style, t.font, f"Tile {i + 1} text")
    if job.text.points:
        add_panel(s, rest, t.navy, "Messages panel", rounded=True)
        boxes = rest.inset(0.3, 0.12).split_columns(len(job.text.points), 0.4)
        paras = [[Para(p, bold=True)] for p in job.text.points]
        style = common_size(list(zip(boxes, paras)), Style(t.on_primary, 20, 12, anchor=MSO_ANCHOR.MIDDLE), t.font,
                            "Message")
        for i, (box, para) in enumerate(zip(boxes, paras)):
            add_text(s, box, para, style, t.font, f"Message {i + 1}")


def build_services(job: SlideJob) -> None:
    """What is supported, the channels, the levels and the hours, as four cards under the key points."""
    body = header(job)
    if job.text.points:
        top, body = body.take_top(body.height * 0.25, 0.2)
        points(job, top, 22, 14)
    cards = job.text.section("card")
    _cards(job, body.split_columns(max(1, len(cards)), 0.25), cards, "Card")


def _cards(job: SlideJob, boxes: list[Box], cards: list[tuple[str, ...]], name: str) -> None:
    """Draw cards of equal type size: a heading with a rule, and its lines as bullets below."""
    t, s = job.theme, job.slide
    headings, bodies = [], []
    for box in boxes[:len(cards)]:
        heading, rest = box.inset(0.15).take_top(0.6, 0.12)
        headings.append(heading)
        bodies.append(rest)
    heading_paras = [[Para(lines[0], bold=True)] for lines in cards]
    item_paras = [[Para(x, space_before=0.45) for x in lines[1:]] for lines in cards]
    heading_style = common_size(list(zip(headings, heading_paras)),
                                Style(t.heading, 20, 13, anchor=MSO_ANCHOR.BOTTOM), t.font, f"{name} heading")
    item_style = common_size(list(zip(bodies, item_paras)), Style(t.text, 18, 11, bullet=True), t.font,
                             f"{name} items")
    for i, box in enumerate(boxes[:len(cards)]):
        add_panel(s, box, t.pale, f"{name} {i + 1} panel", rounded=True)
        add_panel(s, Box(headings[i].left + INSET_X, headings[i].top + headings[i].height + 0.02, 0.8, 0.05), t.teal,
                  f"{name} {i + 1} rule")
        add_text(s, headings[i], heading_paras[i], heading_style, t.font, f"{name} {i + 1} heading")
        add_text(s, bodies[i], item_paras[i], item_style, t.font, f"{name} {i + 1} items")


def build_value(job: SlideJob) -> None:
    """The value proposition: key points beside the KPI scorecard (every expectation, met or missed)."""
    body = header(job)
    left, right = body.take_left(body.width * 0.33, 0.35) if job.text.points else (None, body)
    if left is not None:
        points(job, left, 22, 14)
    rows = scorecard(job.figures)
    _table(job, right, rows_met=[r.met for r in rows], widths=(3.2, 1.8, 1.6, 0.9), status_col=3)


def _table(job: SlideJob, box: Box, rows_met: list[bool] | None, widths: tuple[float, ...], status_col: int,
           status_colors: dict[str, Any] | None = None, max_size: float = 16) -> None:
    """Draw the slide's '### header' and '### row' sections as a table, colouring the status column."""
    t = job.theme
    header_cells = job.text.first("header")
    rows = job.text.section("row")
    _expect(bool(header_cells) and all(len(r) == len(header_cells) for r in rows), job.spec.kind,
            f"write a '### header' section and '### row' sections of {len(header_cells)} lines each")
    colors = {}
    for r, cells in enumerate(rows):
        if rows_met is not None and r < len(rows_met):
            colors[(r, status_col)] = t.met if rows_met[r] else t.missed
        elif status_colors and cells[status_col] in status_colors:
            colors[(r, status_col)] = status_colors[cells[status_col]]
    add_table(job.slide, box, Table(tuple(header_cells), tuple(tuple(r) for r in rows), widths, colors), t,
              "Table", max_size=max_size)


def build_projects(job: SlideJob) -> None:
    """The projects the desk is part of, as a table with a coloured status."""
    t = job.theme
    body = header(job)
    if job.text.points:
        top, body = body.take_top(body.height * 0.22, 0.2)
        points(job, top, 20, 14)
    status = {"On track": t.met, "Done": t.heading, "At risk": t.amber, "Late": t.missed}
    _table(job, body, None, (2.6, 1.9, 4.6, 1.2), 3, status, max_size=20)


def build_charts(job: SlideJob) -> None:
    """Charts with captions, beside the key points when there are any (impact and practices slides)."""
    t, s = job.theme, job.slide
    body = header(job)
    sections = job.text.section("chart")
    _expect(len(sections) == len(job.spec.charts), job.spec.kind,
            f"write one '### chart' section (caption, alt text) per chart ({len(job.spec.charts)})")
    count = len(sections)
    if job.text.points:
        _expect(count <= 2, job.spec.kind, "3 or 4 charts take the whole slide: write no '- ' points "
                "(say them in the speaker notes) or show at most two charts")
        left, body = body.take_left(body.width * (0.3 if count > 1 else 0.37), 0.35)
        points(job, left, 20, 13)
    rows = 2 if count > 2 else 1
    columns = 2 if count > 1 else 1
    cells = [c for r in body.split_rows(rows, 0.2) for c in r.split_columns(columns, 0.3)]
    for i, (name, lines, cell) in enumerate(zip(job.spec.charts, sections, cells)):
        caption, picture_box = cell.take_top(0.4, 0.02)
        add_text(s, caption, [Para(lines[0], bold=True)], Style(t.heading, 16, 11, anchor=MSO_ANCHOR.BOTTOM),
                 t.font, f"Chart {i + 1} caption")
        _expect(len(lines) > 1, job.spec.kind, "give each '### chart' section a caption line and an alt-text line")
        if job.native_chart is not None:
            job.native_chart(s, name, picture_box, lines[1], f"Chart {i + 1}: {name}")
        else:
            png = job.chart(name, picture_box.width, picture_box.height)
            add_picture(s, png, picture_box, lines[1], f"Chart {i + 1}: {name}")


def build_testimonials(job: SlideJob) -> None:
    """Customer quotes side by side, each with a quote mark and its attribution."""
    t, s = job.theme, job.slide
    body = header(job)
    if job.text.points:
        top, body = body.take_top(body.height * 0.18, 0.2)
        points(job, top, 20, 14)
    quotes = job.text.section("quote")
    boxes = body.split_columns(max(1, len(quotes)), 0.3)[:len(quotes)]
    layout = []
    for box in boxes:
        mark, rest = box.inset(0.25, 0.15).take_top(0.95)
        quote_box, who_box = rest.take_top(rest.height - 1.05, 0.1)
        layout.append((mark, quote_box, who_box.take_top(0.1)[0], Box(who_box.left, who_box.top + 0.1,
                                                                      who_box.width, who_box.height - 0.1)))
    quote_paras = [[Para(lines[0], italic=True)] for lines in quotes]
    who_paras = [[Para(lines[1], bold=True)] + [Para(x, scale=0.85) for x in lines[2:]] for lines in quotes]
    quote_style = common_size([(q, p) for (_, q, _, _), p in zip(layout, quote_paras)], Style(t.text, 20, 12),
                              t.font, "Quote")
    who_style = common_size([(w, p) for (_, _, _, w), p in zip(layout, who_paras)], Style(t.heading, 16, 10),
                            t.font, "Quote attribution")
    for i, (box, (mark, quote_box, rule, who_box)) in enumerate(zip(boxes, layout)):
        add_panel(s, box, t.pale, f"Quote {i + 1} panel", rounded=True)
        add_text(s, mark, [Para("\u201c", bold=True)], Style(t.on(t.teal, t.pale, ratio=LARGE_TEXT), 48, 48), t.font,
                 f"Quote {i + 1} mark")
        add_text(s, quote_box, quote_paras[i], quote_style, t.font, f"Quote {i + 1}")
        add_line(s, rule.left + INSET_X, rule.top, rule.left + 1.0, rule.top, t.teal, f"Quote {i + 1} rule")
        add_text(s, who_box, who_paras[i], who_style, t.font, f"Quote {i + 1} attribution")


INSET_X = 0.06


def build_org_chart(job: SlideJob) -> None:
    """The organisation as a tree of boxes, proactive roles highlighted, with a legend."""
    t, s = job.theme, job.slide
    body = header(job)
    legend = job.text.first("legend")
    if job.text.points:
        top, body = body.take_top(body.height * 0.16, 0.1)
        points(job, top, 18, 13)
    chart_box, legend_box = body.take_top(body.height - 0.4, 0.05)
    draw_org_chart(s, chart_box, job.story.org_chart, t, legend[0] if legend else "Proactive roles")
    if legend:
        for i, (label, color) in enumerate(zip(legend, (t.accent_fill, t.navy))):
            left = legend_box.left + i * 2.6
            add_panel(s, Box(left, legend_box.top + 0.1, 0.3, 0.22), color, f"Legend key {i + 1}", rounded=True)
            add_text(s, Box(left + 0.38, legend_box.top + 0.02, 2.1, 0.38), [Para(label)], Style(t.text, 14, 10),
                     t.font, f"Legend {i + 1}")


def build_plan(job: SlideJob) -> None:
    """The 30-60-90-day plan as three columns, and the asks in a highlighted panel."""
    t, s = job.theme, job.slide
    body = header(job)
    if job.text.points:
        top, body = body.take_top(body.height * 0.18, 0.2)
        points(job, top, 20, 13)
    plan_box, asks_box = body.take_left(body.width * 0.68, 0.3)
    columns = job.text.section("column")
    _cards(job, plan_box.split_columns(max(1, len(columns)), 0.25), columns, "Plan")
    asks = job.text.first("asks")
    if asks:
        add_panel(s, asks_box, t.navy, "Asks panel", rounded=True)
        heading, rest = asks_box.inset(0.2).take_top(0.55, 0.1)
        add_text(s, heading, [Para(asks[0], bold=True)], Style(t.on_primary, 22, 14, anchor=MSO_ANCHOR.BOTTOM), t.font,
                 "Asks heading")
        add_text(s, rest, [Para(f"{n}. {a}", space_before=0.6) for n, a in enumerate(asks[1:], start=1)],
                 Style(t.on_primary, 18, 11), t.font, "Asks")


BUILDERS: dict[str, Builder] = {
    "title": build_title,
    "summary": build_summary,
    "services": build_services,
    "value": build_value,
    "projects": build_projects,
    "impact": build_charts,
    "practices": build_charts,
    "testimonials": build_testimonials,
    "org_chart": build_org_chart,
    "plan": build_plan,
}
"""Slide kind -> the function that lays it out."""


BOX_SOURCES: list[tuple[str, Callable[[re.Match[str], Story], tuple[str | int, ...]]]] = [
    (r"^Quote (\d+)$", lambda m, _: ("testimonials", int(m[1]) - 1, "quote")),
    (r"^Quote (\d+) attribution$", lambda m, _: ("testimonials", int(m[1]) - 1)),
    (r"^Role (.+)$", lambda m, story: ("org_chart", [r.id for r in story.org_chart].index(m[1]))),
    (r"^Plan (\d+) (items|heading)$", lambda m, _: ("plan", ("days_30", "days_60", "days_90")[int(m[1]) - 1])),
    (r"^Asks", lambda m, _: ("asks",)),
]
"""Box name -> the story.yaml key its text comes from, so an overflow error points at that line."""


def source_of_box(box: str, kind: str, story: Story) -> tuple[str | int, ...] | None:
    """Return the story.yaml key path of the text drawn in `box` on a slide of `kind`, when it comes from there."""
    if box == "Title":
        return ("title",) if kind == "title" else None  # other slides' titles come from their template
    for pattern, locate in BOX_SOURCES:
        match = re.match(pattern, box)
        if match:
            try:
                return locate(match, story)
            except (ValueError, IndexError):
                return None
    return None


class TemplateShapeError(Exception):
    """A slide template wrote sections that do not match what the slide needs."""

    def __init__(self, template: str, what: str) -> None:
        self.template, self.what = template, what
        super().__init__(f"{template}: {what}")


def _expect(condition: bool, kind: str, what: str) -> None:
    if not condition:
        raise TemplateShapeError(f"templates/deck/{kind}.md.j2", what)


__all__ = ["BUILDERS", "Overflow", "ScoreRow", "SlideJob", "TemplateShapeError"]
