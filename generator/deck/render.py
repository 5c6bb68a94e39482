"""Render the success story as a PPTX deck: wording from templates, figures from content, charts drawn."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.deck.manifest import MANIFEST_FILE, manifest_bytes, slide_entry
from generator.errors import ContentError, Problem
from generator.story.figures import Figures, compute
from generator.story.load import StoryContent
from generator.story.names import context as names_context
from generator.story.wording import (
    Note,
    render_note,
    render_slide_text,
    slide_environment,
)

if TYPE_CHECKING:
    from generator.deck.charts.theme import ChartTheme
    from generator.deck.design import DeckDesign
    from generator.deck.job import SlideJob
    from generator.deck.shapes import Box
    from generator.deck.theme import Theme
    from generator.story.model import Slide, Story
    from generator.story.wording import SlideText

DECK_FILE = "success-story.pptx"


def render_story(content: StoryContent, templates: Path) -> tuple[dict[str, bytes], str]:
    """Return the deck and its manifest ({'success-story.pptx': ..., 'success-story.json': ...}) and the build's
    warnings as text (a template's low-contrast colours), or raise a ContentError."""
    from generator.deck.fontset import content_fonts

    with content_fonts(content):  # design.fonts measure the text and draw the charts while the deck is built
        return _render_story(content, templates)


def _render_story(content: StoryContent, templates: Path) -> tuple[dict[str, bytes], str]:
    """Return the deck, its manifest and its warnings, its text measured and its charts drawn in the fonts in force."""
    from generator.deck.design import open_design
    from generator.deck.language import set_language
    from generator.deck.package import (
        build_time,
        save_reproducibly,
        set_core_properties,
    )
    from generator.deck.speaker_notes import SpeakerNotes

    story = content.story
    figures = compute(content.metrics)
    names = names_context(story, figures)
    notes = _render_notes(content, names)
    design = open_design(content)
    chart = functools.lru_cache(maxsize=None)(functools.partial(_chart, figures, design.theme))
    native = _native_chart_drawer(figures, design.theme) if story.design.charts == "native" else None
    env = slide_environment(templates)
    problems: list[Problem] = []
    entries: list[dict[str, Any]] = []
    speaker_notes = SpeakerNotes()
    for number, spec in enumerate(story.slides, start=1):
        slide_names = dict(names, slide=spec, note=notes[spec.notes], charts=list(spec.charts),
                           headlines=[_headline(figures, key) for key in spec.headlines])
        try:
            text = render_slide_text(env, f"{spec.kind}.md.j2", slide_names)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        job = _new_slide(design, text, spec, story, figures, chart, number, native)
        problems += _build_slide(job, content)
        speaker_notes.add(job.slide, notes[spec.notes].speech)
        entries.append(slide_entry(number, spec.kind, job.layout.name, job.slide,
                                   [*notes[spec.notes].figures, *text.figures],
                                   content.exported.computed if content.exported else None))
    if problems:
        raise ContentError(problems)
    set_language(design.presentation, story.language)
    set_core_properties(design.presentation, title=f"{story.title}: {story.organisation} {story.team}",
                        author=story.presenter.name, subject=story.audience, when=build_time(story.date),
                        language=story.language)
    files = {DECK_FILE: save_reproducibly(design.presentation),
             MANIFEST_FILE: manifest_bytes(DECK_FILE, entries, content.exported)}
    exported = content.exported.summary.warnings if content.exported else ()
    return files, "".join(f"{warning}\n" for warning in exported) + \
        "".join(f"warning: {warning}\n" for warning in design.warnings)


def _new_slide(design: DeckDesign, text: SlideText, spec: Slide, story: Story, figures: Figures,
               chart: Callable[[str, float, float], bytes], number: int,
               native: Callable[[Any, str, Box, str, str], None] | None) -> SlideJob:
    """Return the job of drawing one slide, added to the presentation with the layout of its kind."""
    from generator.deck.job import SlideJob

    slide = design.presentation.slides.add_slide(design.layout_for(spec.kind))
    title = design.title_style(spec.kind)
    return SlideJob(slide, text, spec, story, figures, design.theme, chart, number, len(story.slides),
                    design.layouts[spec.kind], title.size, title.bold, design.body_size, design.bullet_indent, native)


def _build_slide(job: SlideJob, content: StoryContent) -> list[Problem]:
    """Lay out one slide; return its problems (text that does not fit, a template that writes the wrong sections)."""
    from generator.deck.frame import finish
    from generator.deck.slides import (
        BUILDERS,
        Overflow,
        TemplateShapeError,
        source_of_box,
    )

    problems = []
    kind = job.spec.kind
    try:
        BUILDERS[kind](job)
    except Overflow as exc:
        loc = source_of_box(exc.box, kind, job.story) or ("slides", job.number - 1)
        problems.append(content.story_doc.problem(
            content.story_doc.line_of(loc),
            f"slide {job.number} ({kind}): the text of '{exc.box}' does not fit its box even at the smallest "
            f"readable size ({exc.cause})", f"shorten it by about {exc.cause.excess_chars} characters",
            root=content.root))
    except TemplateShapeError as exc:
        problems.append(Problem(exc.template, None, exc.what))
    finish(job)
    return problems


def _render_notes(content: StoryContent, names: dict[str, object]) -> dict[str, Note]:
    """Return every notes file rendered with the figures (each with the figures it quotes); collect every problem."""
    notes: dict[str, Note] = {}
    problems: list[Problem] = []
    for key, doc in content.notes.items():
        try:
            notes[key] = render_note(doc, names)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return notes


def _headline(figures: Figures, key: str) -> dict[str, object]:
    """Return the wording data of headline `key` for the summary template."""
    from generator.story.names import headline
    return headline(figures.kpis[key])


def _chart_theme(theme: Theme) -> ChartTheme:
    """Return the chart colours and fonts that match the deck's theme."""
    from generator.deck.charts.theme import ChartTheme

    return ChartTheme(series=theme.chart_colors, fonts=(theme.font, "Carlito", "DejaVu Sans"),
                      background=theme.chart_background, text=theme.chart_text, annotation=theme.chart_text)


def _chart(figures: Figures, theme: Theme, name: str, width: float, height: float) -> bytes:
    """Return the PNG of chart `name` drawn at width x height inches in the deck's colours and font."""
    from generator.deck.charts.picture import draw_chart
    from generator.story.charts import CHARTS

    return draw_chart(CHARTS[name](figures), width, height, _chart_theme(theme))


def _native_chart_drawer(figures: Figures, theme: Theme) -> Callable[[Any, str, Box, str, str], None]:
    """Return a function that adds chart `name` to a slide as an editable PowerPoint chart."""
    from generator.deck.charts.native import NativePalette, add_native_chart
    from generator.story.charts import CHARTS

    palette = NativePalette.from_chart_theme(_chart_theme(theme), font=theme.font)

    def draw(slide: Any, name: str, box: Box, alt: str, shape_name: str) -> None:
        add_native_chart(slide, CHARTS[name](figures), box.left, box.top, box.width, box.height, palette, alt,
                         shape_name)

    return draw
