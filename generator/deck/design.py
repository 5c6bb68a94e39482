"""The deck's design: the presentation to build on, its theme, and the layout each slide kind uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.deck.template import (
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


@dataclass(frozen=True)
class DeckDesign:
    """A presentation ready to take slides, with the look to draw them in."""

    presentation: Any
    theme: Theme
    layouts: dict[str, LayoutChoice] | None
    """Slide kind -> template layout; None for the built-in look."""
    title_size: float = 36.0
    body_size: float = 24.0

    def layout_for(self, kind: str) -> Any:
        """Return the slide layout a slide of `kind` is added with."""
        if self.layouts is None:
            return self.presentation.slide_layouts[6]
        return self.layouts[kind].layout


def open_design(content: StoryContent) -> DeckDesign:
    """Return the built-in design, or the one of the template story.yaml names (ContentError if unusable)."""
    design = content.story.design
    if design.template is None:
        return builtin_design()
    doc = content.story_doc
    line = doc.line_of(("design", "template"))
    from generator.read.source import resolve_inside

    path = resolve_inside(content.root, design.template, doc, line)
    try:
        return template_design(path, [s.kind for s in content.story.slides], {str(k): v for k, v in design.layouts.items()})
    except TemplateError as exc:
        wrong = [kind for kind, name in design.layouts.items() if f"named {name!r}" in str(exc)]
        if wrong:
            loc: tuple[str, ...] = ("design", "layouts", wrong[0])
            hint = "use one of the template's layout names (storypack template inspect lists them)"
        else:
            loc, hint = ("design", "template"), "save the template again from PowerPoint as .pptx or .potx"
        raise ContentError([doc.problem(doc.line_of(loc), f"template {design.template!r} {exc}", hint,
                                       root=content.root)]) from None


def builtin_design() -> DeckDesign:
    """Return python-pptx's default presentation set to 16:9, in the built-in theme."""
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(DEFAULT.width), Inches(DEFAULT.height)
    return DeckDesign(presentation, DEFAULT, None)


def template_design(path: Path, kinds: list[str], overrides: dict[str, str]) -> DeckDesign:
    """Return the template at `path` emptied of slides, its theme, and a layout for each of `kinds`."""
    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        raise TemplateError("is not a .pptx or .potx file")
    presentation = open_presentation(path)
    width = presentation.slide_width / EMU_PER_INCH
    height = presentation.slide_height / EMU_PER_INCH
    theme = theme_from_template(theme_info(presentation), width, height)
    layouts = choose_layouts(presentation, kinds, overrides)
    title, body = text_sizes(presentation)
    return DeckDesign(presentation, theme, layouts, title, body)


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
