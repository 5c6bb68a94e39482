"""What a slide builder works on: the slide, its wording, the figures and the ways to draw charts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.deck.shapes import Box
from generator.deck.template import LayoutChoice
from generator.deck.theme import Theme
from generator.story.figures import Figures
from generator.story.model import Slide, Story
from generator.story.wording import SlideText


@dataclass
class SlideJob:
    """What a builder needs: the pptx slide, its wording, the data, and a way to draw charts."""

    slide: Any
    text: SlideText
    spec: Slide
    story: Story
    figures: Figures
    theme: Theme
    chart: Callable[[str, float, float], bytes]
    number: int
    total: int
    layout: LayoutChoice
    """The layout of the slide: the built-in template's or the company template's."""
    title_size: float = 36.0
    """The layout's title size, the most a title is set at."""
    title_bold: bool = False
    """Whether the layout sets titles in bold (they are measured so)."""
    body_size: float = 24.0
    """The template's body text size, the most points are set at."""
    bullet_indent: float = 0.4
    """The hanging indent (inches) points are fitted with."""
    native_chart: Callable[[Any, str, Box, str, str], None] | None = None
    """Draws an editable chart (slide, name, box, alt text, shape name); None draws pictures."""
