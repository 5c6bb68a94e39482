"""The deck's design: the presentation to build on, its theme, and the layout each slide kind uses.

The built-in look is a template too (`builtin`), generated in memory: the default deck and a deck on a
company template take the same path, placeholders and all.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.deck.layout import TextStyle
from generator.deck.template import (
    TITLE_TYPES,
    LayoutChoice,
    TemplateError,
    choose_layouts,
    open_presentation,
    theme_info,
)
from generator.deck.theme import DEFAULT, Theme, theme_from_template
from generator.errors import ContentError
from generator.story.load import StoryContent

EMU_PER_INCH = 914400
TEMPLATE_SUFFIXES = (".pptx", ".potx")
TEMPLATE_BULLET_INDENT = 0.4
"""Room assumed for a template's bullet and hanging indent when fitting points (generous on purpose)."""


@dataclass(frozen=True)
class DeckDesign:
    """A presentation ready to take slides, with the look to draw them in."""

    presentation: Any
    theme: Theme
    layouts: dict[str, LayoutChoice]
    """Slide kind -> the layout its slides are added with."""
    title_size: float = 36.0
    body_size: float = 24.0
    bullet_indent: float = TEMPLATE_BULLET_INDENT
    """The hanging indent (inches) points are fitted with: the built-in look's own, or a generous guess."""
    warnings: list[str] = field(default_factory=list)
    """What the template does that makes the deck less readable (low-contrast theme colours), for the build to print:
    a message, or once `open_design` placed it, 'file:line: message' with the fix."""

    def layout_for(self, kind: str) -> Any:
        """Return the slide layout a slide of `kind` is added with."""
        return self.layouts[kind].layout

    def title_style(self, kind: str) -> TextStyle:
        """Return the size (points), boldness and colour titles have in the layout of slides of `kind`."""
        return self.layouts[kind].facts.style(TITLE_TYPES, self.title_size)


def open_design(content: StoryContent) -> DeckDesign:
    """Return the built-in design, or the one of the template story.yaml names (ContentError if unusable)."""
    design = content.story.design
    kinds = [s.kind for s in content.story.slides]
    if design.template is None:
        return builtin_design(kinds)
    doc = content.story_doc
    line = doc.line_of(("design", "template"))
    from generator.read.source import resolve_inside

    path = resolve_inside(content.root, design.template, doc, line)
    try:
        opened = template_design(path, kinds, {str(k): v for k, v in design.layouts.items()})
    except TemplateError as exc:
        wrong = [kind for kind, name in design.layouts.items() if f"named {name!r}" in str(exc)]
        if wrong:
            loc: tuple[str, ...] = ("design", "layouts", wrong[0])
            hint = "use one of the template's layout names (storypack template inspect lists them)"
        else:
            loc, hint = ("design", "template"), "save the template again from PowerPoint as .pptx or .potx"
        raise ContentError([doc.problem(doc.line_of(loc), f"template {design.template!r} {exc}", hint,
                                       root=content.root)]) from None
    hint = ("give the template's text colours more contrast with its background (PowerPoint: Design > Variants > "
            "Colors > Customize Colors)")
    warnings = [str(doc.problem(line, message, hint, root=content.root)) for message in opened.warnings]
    return DeckDesign(opened.presentation, opened.theme, opened.layouts, opened.title_size, opened.body_size,
                      opened.bullet_indent, warnings)


def builtin_design(kinds: Sequence[str]) -> DeckDesign:
    """Return the built-in look: its generated template (16:9, navy and teal, Calibri) and the default theme."""
    from pptx import Presentation

    from generator.deck.builtin import BULLET_INDENT, builtin_template

    presentation = Presentation(io.BytesIO(builtin_template()))
    title, body = text_sizes(presentation)
    return DeckDesign(presentation, DEFAULT, choose_layouts(presentation, list(kinds), {}), title, body, BULLET_INDENT)


def template_design(path: Path, kinds: Sequence[str], overrides: dict[str, str]) -> DeckDesign:
    """Return the template at `path` emptied of slides, its theme, and a layout for each of `kinds`.

    Its warnings name the theme colours that give text too little contrast (the message only, without a place).
    """
    from generator.deck.contrast import from_hex, pair_warning, readable

    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        raise TemplateError("is not a .pptx or .potx file")
    presentation = open_presentation(path)
    width = presentation.slide_width / EMU_PER_INCH
    height = presentation.slide_height / EMU_PER_INCH
    info = theme_info(presentation)
    theme = theme_from_template(info, width, height)
    layouts = choose_layouts(presentation, list(kinds), overrides)
    title, body = text_sizes(presentation)
    background = from_hex(info.background)
    warnings = [pair_warning("text", info.text, info.background, theme.text),
                pair_warning("title", info.title, info.background, readable(from_hex(info.title), [background], 3.0),
                             3.0, "the titles it writes") if info.title else None]
    return DeckDesign(presentation, theme, layouts, title, body, warnings=[w for w in warnings if w])


def text_sizes(presentation: Any) -> tuple[float, float]:
    """Return the master's title and first-level body text sizes in points (defaults 36 and 24)."""
    from pptx.oxml.ns import qn

    styles = presentation.slide_masters[0]._element.find(qn("p:txStyles"))

    def size(style: str, default: float) -> float:
        if styles is None:
            return default
        rpr = styles.find(f"{qn(style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
        value = rpr.get("sz") if rpr is not None else None
        return int(value) / 100 if value else default

    return size("p:titleStyle", 36.0), size("p:bodyStyle", 24.0)
