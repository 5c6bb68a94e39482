"""Render the success story as a PPTX deck: wording from templates, figures from content, charts drawn."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import ContentError, Problem, problem_at
from generator.deck.manifest import MANIFEST_FILE, manifest_bytes, slide_entry
from generator.figures import Figure, Figures, compute, recording
from generator.names import context as names_context
from generator.story import StoryContent
from generator.wording import Note, render_note, render_slide_text, slide_environment

if TYPE_CHECKING:
    from generator.charts import ChartTheme
    from generator.deck.shapes import Box
    from generator.deck.theme import Theme

DECK_FILE = "success-story.pptx"


def render_story(content: StoryContent, templates: Path) -> dict[str, bytes]:
    """Return the deck and its manifest ({'success-story.pptx': ..., 'success-story.json': ...}), or raise a ContentError."""
    from generator.deck.design import open_design
    from generator.deck.package import build_time, save_reproducibly, set_core_properties
    from generator.deck.frame import finish
    from generator.deck.slides import BUILDERS, Overflow, SlideJob, TemplateShapeError, source_of_box

    story = content.story
    figures = compute(content.metrics)
    names = names_context(story, figures)
    notes, note_figures = _render_notes(content, names)
    entries: list[dict[str, Any]] = []
    env = slide_environment(templates)
    design = open_design(content)
    theme = design.theme
    prs = design.presentation
    chart = functools.lru_cache(maxsize=None)(functools.partial(_chart, figures, theme))
    native = _native_chart_drawer(figures, theme) if story.design.charts == "native" else None
    problems: list[Problem] = []
    total = len(story.slides)
    for number, spec in enumerate(story.slides, start=1):
        note = notes[spec.notes]
        slide_names = dict(names, slide=spec, note=note, charts=list(spec.charts),
                           headlines=[_headline(figures, key) for key in spec.headlines])
        try:
            with recording() as seen:
                text = render_slide_text(env, f"{spec.kind}.md.j2", slide_names)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        slide = prs.slides.add_slide(design.layout_for(spec.kind))
        layout = design.layouts[spec.kind] if design.layouts is not None else None
        job = SlideJob(slide, text, spec, story, figures, theme, chart, number, total, layout,
                       design.title_size, design.body_size, native)
        try:
            BUILDERS[spec.kind](job)
        except Overflow as exc:
            loc = source_of_box(exc.box, story) if spec.kind != "title" or exc.box != "Title" else ("title",)
            line = content.story_doc.line_of(loc or ("slides", number - 1))
            problems.append(problem_at(
                content.story_doc.path, line,
                f"slide {number} ({spec.kind}): the text of '{exc.box}' does not fit its box "
                f"even at the smallest readable size ({exc.cause})",
                f"shorten it by about {exc.cause.excess_chars} characters", root=content.root))
        except TemplateShapeError as exc:
            problems.append(Problem(str(exc).split(":")[0], None, str(exc).split(": ", 1)[1]))
        finish(job)
        slide.notes_slide.notes_text_frame.text = note.speech
        entries.append(slide_entry(number, spec.kind, layout.name if layout else None, slide,
                                   note_figures[spec.notes] + seen))
    if problems:
        raise ContentError(problems)
    set_core_properties(prs, title=f"{story.title}: {story.organisation} {story.team}",
                        author=story.presenter.name, subject=story.audience, when=build_time(story.date))
    return {DECK_FILE: save_reproducibly(prs), MANIFEST_FILE: manifest_bytes(DECK_FILE, entries)}


def _render_notes(content: StoryContent, names: dict[str, object]) -> tuple[dict[str, Note], dict[str, list[Figure]]]:
    """Return every notes file rendered with the figures, and the figures each quotes; collect every problem."""
    notes: dict[str, Note] = {}
    quoted: dict[str, list[Figure]] = {}
    problems: list[Problem] = []
    for key, doc in content.notes.items():
        try:
            with recording() as seen:
                notes[key] = render_note(doc, names)
            quoted[key] = seen
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return notes, quoted


def _headline(figures: Figures, key: str) -> dict[str, object]:
    """Return the wording data of headline `key` for the summary template."""
    from generator.names import headline
    return headline(figures.kpis[key])


def _chart_theme(theme: Theme) -> ChartTheme:
    """Return the chart colours and fonts that match the deck's theme."""
    from generator.charts import ChartTheme

    return ChartTheme(series=theme.chart_colors, fonts=(theme.font, "Carlito", "DejaVu Sans"),
                      background=theme.chart_background, text=theme.chart_text, annotation=theme.chart_text)


def _chart(figures: Figures, theme: Theme, name: str, width: float, height: float) -> bytes:
    """Return the PNG of chart `name` drawn at width x height inches in the deck's colours and font."""
    from generator.charts import CHARTS, draw_chart

    return draw_chart(CHARTS[name](figures), width, height, _chart_theme(theme))


def _native_chart_drawer(figures: Figures, theme: Theme) -> Callable[[Any, str, Box, str, str], None]:
    """Return a function that adds chart `name` to a slide as an editable PowerPoint chart."""
    from generator.charts import CHARTS
    from generator.deck.native_charts import NativePalette, add_native_chart

    palette = NativePalette.from_chart_theme(_chart_theme(theme), font=theme.font)

    def draw(slide: Any, name: str, box: Box, alt: str, shape_name: str) -> None:
        add_native_chart(slide, CHARTS[name](figures), box.left, box.top, box.width, box.height, palette, alt,
                         shape_name)

    return draw
