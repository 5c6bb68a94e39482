"""No text leaves its box: long content either fits (re-measured from the deck) or fails naming slide and box."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from generator.build.run import build
from generator.deck.template import BODY_TYPES
from generator.deck.textfit import LINE_SPACING, wrap
from generator.errors import ContentError
from tests.conftest import edit, settings

DECK = "success-story.pptx"
SLACK_IN = 0.02


def text_shapes(shapes: Any) -> Iterator[Any]:
    """Yield the shapes of a slide, and those inside its groups."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from text_shapes(shape.shapes)
        else:
            yield shape


def inherited(shape: Any, path: str, attribute: str) -> str | None:
    """Return an attribute of a placeholder's first-level style (`path` below a:lvl1pPr, '' for itself) as it is
    inherited from its layout's placeholder, the master's placeholder of its type and the master's text style."""
    kind = shape._element.ph.get("type", "obj")
    layout = shape.part.slide_layout
    master = layout.slide_master._element
    master_kind = {"obj": "body", "subTitle": "body", "ctrTitle": "title"}.get(kind, kind)
    idx = shape.placeholder_format.idx
    chain = layout._element.xpath(f".//p:sp[p:nvSpPr/p:nvPr/p:ph[@idx='{idx}' or ({idx}=0 and not(@idx))]]")[:1]
    chain += master.xpath(f".//p:sp[p:nvSpPr/p:nvPr/p:ph[@type='{master_kind}']]")[:1]
    level = qn("a:lvl1pPr") + (f"/{path}" if path else "")
    styles = [e.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{level}") for e in chain]
    style = "p:titleStyle" if master_kind == "title" else "p:bodyStyle"
    styles.append(master.find(f"{qn('p:txStyles')}/{qn(style)}/{level}"))
    return next((s.get(attribute) for s in styles if s is not None and s.get(attribute) is not None), None)


def overflowing_shapes(deck: Path) -> list[str]:
    """Return 'slide N: shape' for every text shape whose text, at its set sizes, is taller than the shape."""
    found = []
    for number, slide in enumerate(Presentation(str(deck)).slides, start=1):
        for shape in text_shapes(slide.shapes):
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            frame = shape.text_frame
            inner_width = Emu(shape.width - frame.margin_left - frame.margin_right).inches
            inner_height = Emu(shape.height - frame.margin_top - frame.margin_bottom).inches
            height = 0.0
            for i, paragraph in enumerate(frame.paragraphs):
                runs = [r for r in paragraph.runs if r.text]
                if not runs:
                    continue
                size = runs[0].font.size.pt
                font = runs[0].font.name or "Calibri"
                properties = paragraph._p.pPr
                indent = Emu(int(properties.get("marL", "0"))).inches if properties is not None else 0.0
                bold = runs[0].font.bold
                if shape.is_placeholder and (properties is None or properties.get("marL") is None):
                    margin = inherited(shape, "", "marL")
                    if shape.placeholder_format.type in BODY_TYPES:  # unknown: a template's indent, assumed generously
                        indent = 0.4 if margin is None else Emu(int(margin)).inches
                if shape.is_placeholder and bold is None:
                    bold = inherited(shape, qn("a:defRPr"), "b") in ("1", "true")
                lines = wrap(paragraph.text, (inner_width - indent) * 72, size, font, bool(bold),
                             bool(runs[0].font.italic))
                height += len(lines) * size * LINE_SPACING / 72
                if i and paragraph.space_before is not None:
                    height += paragraph.space_before.pt / 72
            if height > inner_height + SLACK_IN:
                found.append(f"slide {number}: {shape.name} ({height:.2f} in of text in {inner_height:.2f} in)")
    return found


def test_the_example_deck_has_no_text_taller_than_its_box(example_output: Path) -> None:
    assert overflowing_shapes(example_output / DECK) == []


def test_a_long_title_is_shrunk_to_fit(content: Path, tmp_path: Path) -> None:
    edit(content / "story.yaml", "title: Support success story",
         "title: Support success story of the Global IT Service Desk, financial year 2026, for the board")
    build(settings(content, tmp_path / "out"))
    slide = Presentation(str(tmp_path / "out" / DECK)).slides[0]
    title = next(s for s in slide.shapes if s.name == "Title")
    assert title.text_frame.paragraphs[0].runs[0].font.size.pt < 48
    assert overflowing_shapes(tmp_path / "out" / DECK) == []


def test_a_title_too_long_for_any_readable_size_fails_naming_its_line(content: Path, tmp_path: Path) -> None:
    edit(content / "story.yaml", "title: Support success story", "title: " + "Support success story " * 25)
    with pytest.raises(ContentError) as caught:
        build(settings(content, tmp_path / "out"))
    [problem] = caught.value.problems
    assert problem.line == 4 and problem.message.startswith("slide 1 (title): the text of 'Title' does not fit")
    assert problem.hint.startswith("shorten it by about")


def test_long_testimonials_are_set_smaller_but_stay_equal(content: Path, tmp_path: Path) -> None:
    edit(content / "story.yaml", "That is the service we promise our own customers.",
         "That is the service we promise our own customers, and it is why we renewed the contract for three years.")
    build(settings(content, tmp_path / "out"))
    slide = Presentation(str(tmp_path / "out" / DECK)).slides[7]
    sizes = {s.text_frame.paragraphs[0].runs[0].font.size.pt for s in slide.shapes if s.name in
             ("Quote 1", "Quote 2", "Quote 3")}
    assert len(sizes) == 1
    assert overflowing_shapes(tmp_path / "out" / DECK) == []


def twenty_roles() -> str:
    """Return an org_chart section of 20 roles: a director, 4 managers, 15 team roles."""
    lines = ["org_chart:", "  - id: director", "    name: Priya Raman", "    role: Director, Service Desk"]
    for m in range(4):
        lines += [f"  - id: m{m}", f"    name: Manager Number{m}", f"    role: Team Manager {m}",
                  "    reports_to: director"]
        for r in range(4 if m < 3 else 3):
            lines += [f"  - id: r{m}{r}", f"    name: Analyst Person{m}{r}", f"    role: Problem Analyst {r}",
                      f"    reports_to: m{m}", f"    proactive: {'true' if r % 2 else 'false'}"]
    return "\n".join(lines) + "\n\n"


def test_a_twenty_role_org_chart_fits(content: Path, tmp_path: Path) -> None:
    story = (content / "story.yaml").read_text()
    start, end = story.index("org_chart:\n"), story.index("plan:\n")
    (content / "story.yaml").write_text(story[:start] + twenty_roles() + story[end:])
    build(settings(content, tmp_path / "out"))
    slide = Presentation(str(tmp_path / "out" / DECK)).slides[8]
    [group] = [s for s in slide.shapes if s.name == "Org chart"]
    boxes = [s for s in group.shapes if s.name.startswith("Role ") and s.name.endswith(" box")]
    assert len(boxes) == 20
    prs = Presentation(str(tmp_path / "out" / DECK))
    assert all(b.left + b.width <= prs.slide_width and b.top + b.height <= prs.slide_height for b in boxes)
    assert overflowing_shapes(tmp_path / "out" / DECK) == []


def test_a_long_services_list_fits_at_a_smaller_size(content: Path, tmp_path: Path) -> None:
    edit(content / "story.yaml", "    - Identity, access and single sign-on\n",
         "    - Identity, access and single sign-on\n    - Video conferencing rooms\n    - Mobile device management\n")
    build(settings(content, tmp_path / "out"))
    assert overflowing_shapes(tmp_path / "out" / DECK) == []


def test_a_services_list_too_long_for_its_card_fails_naming_the_box(content: Path, tmp_path: Path) -> None:
    many = "".join(f"    - Business application number {n} with its integrations\n" for n in range(30))
    edit(content / "story.yaml", "    - Identity, access and single sign-on\n", many)
    with pytest.raises(ContentError) as caught:
        build(settings(content, tmp_path / "out"))
    [problem] = caught.value.problems
    assert problem.message.startswith("slide 3 (services): the text of 'Card items 1' does not fit its box")
