"""Decks on the user's own PowerPoint template: three templates that differ in size, layout names and placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from generator.build.run import build
from generator.cli import main
from generator.deck.inspect import describe_template
from generator.errors import ContentError
from tests.conftest import copy_content, settings
from tests.support import office, ooxml
from tests.support.templates import SCANNY, SOL_ENG, make_german_a4_template

DECK = "success-story.pptx"
TEMPLATES = {
    "sol-eng (16:9 .potx, dark, standard layout types)": (SOL_ENG, (13.333, 7.5)),
    "scanny (4:3, custom layout names, no types)": (SCANNY, (10.0, 7.5)),
    "german A4 (generated, German names, no types)": (None, (10.83, 7.5)),
}


def with_template(content: Path, template: Path, extra: str = "") -> Path:
    """Copy `template` into `content` and name it in story.yaml's design section."""
    shutil.copy(template, content / f"brand{template.suffix}")
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write(f"\ndesign:\n  template: brand{template.suffix}\n{extra}")
    return content


@pytest.fixture(scope="module", params=list(TEMPLATES), ids=["sol-eng", "scanny", "german-a4"])
def templated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple]:
    """(template file, built deck, expected slide size) for each test template."""
    tmp = tmp_path_factory.mktemp("templated")
    template, size = TEMPLATES[request.param]
    if template is None:
        template = make_german_a4_template(tmp / "german-a4.pptx")
    content = with_template(copy_content(tmp), template)
    build(settings(content, tmp / "out"))
    return template, tmp / "out" / DECK, size


def layout_names(path: Path) -> set[str]:
    from generator.deck.template import open_presentation
    prs = open_presentation(path)
    return {layout.name for master in prs.slide_masters for layout in master.slide_layouts}


def test_the_deck_takes_the_templates_slide_size(templated: tuple[Path, Path, tuple]) -> None:
    _, deck, (width, height) = templated
    prs = Presentation(str(deck))
    assert (round(Emu(prs.slide_width).inches, 2), round(Emu(prs.slide_height).inches, 2)) == (round(width, 2), height)


def test_every_slide_uses_a_layout_of_the_template(templated: tuple[Path, Path, tuple]) -> None:
    template, deck, _ = templated
    names = layout_names(template)
    slides = Presentation(str(deck)).slides
    assert len(slides) == 10
    assert all(slide.slide_layout.name in names for slide in slides)


def test_titles_go_into_the_layouts_title_placeholders(templated: tuple[Path, Path, tuple]) -> None:
    _, deck, _ = templated
    for slide in Presentation(str(deck)).slides:
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text


def test_the_templates_sample_slides_are_gone(templated: tuple[Path, Path, tuple]) -> None:
    _, deck, _ = templated
    prs = Presentation(str(deck))
    titles = [slide.shapes.title.text_frame.text for slide in prs.slides]
    assert titles[0] == "Support success story" and titles[-1] == "The plan and our asks"
    with __import__("zipfile").ZipFile(deck) as package:
        assert len([n for n in package.namelist() if n.startswith("ppt/slides/slide")]) == 10


def test_no_empty_placeholder_is_left_on_a_slide(templated: tuple[Path, Path, tuple]) -> None:
    _, deck, _ = templated
    for slide in Presentation(str(deck)).slides:
        assert all(ph.text_frame.text.strip() for ph in slide.placeholders if ph.has_text_frame)


def test_drawn_shapes_use_the_templates_theme_colours(tmp_path: Path) -> None:
    template = make_german_a4_template(tmp_path / "de.pptx")
    content = with_template(copy_content(tmp_path), template)
    build(settings(content, tmp_path / "out"))
    org = Presentation(str(tmp_path / "out" / DECK)).slides[8]
    [group] = [s for s in org.shapes if s.name == "Org chart"]
    fills = {str(s.fill.fore_color.rgb) for s in group.shapes if s.name.startswith("Role ") and s.name.endswith("box")}
    assert fills == {"7A1F5C", "3B1F2B"}  # accent1 for proactive roles, dk2 for the others


def test_every_part_validates_against_the_schemas(templated: tuple[Path, Path, tuple]) -> None:
    _, deck, _ = templated
    assert ooxml.validate_pptx(deck) == []


@pytest.mark.office
def test_libreoffice_renders_one_page_per_slide_with_no_text_off_a_slide(templated: tuple[Path, Path, tuple],
                                                                      tmp_path: Path) -> None:
    office.require_office()
    _, deck, _ = templated
    pdf = office.pptx_to_pdf(deck, tmp_path)
    assert office.pdf_page_count(pdf) == 10
    assert office.text_off_page(pdf) == {}


def test_a_layout_can_be_named_in_the_content(content: Path, tmp_path: Path) -> None:
    with_template(content, SOL_ENG, "  layouts:\n    summary: Two Content\n")
    build(settings(content, tmp_path / "out"))
    slides = Presentation(str(tmp_path / "out" / DECK)).slides
    assert slides[1].slide_layout.name == "Two Content"
    assert slides[2].slide_layout.name == "Title and Content"


def test_a_layout_name_that_does_not_exist_gets_a_did_you_mean(content: Path, tmp_path: Path) -> None:
    with_template(content, SOL_ENG, "  layouts:\n    summary: Two Contents\n")
    with pytest.raises(ContentError) as caught:
        build(settings(content, tmp_path / "out"))
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.line) == ("story.yaml", 147)
    assert "has no layout named 'Two Contents'; did you mean 'Two Content'?" in problem.message


def test_a_corrupt_template_is_a_content_error_at_its_line(content: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.pptx"
    broken.write_bytes(b"PK\x03\x04 this is not a presentation")
    with_template(content, broken)
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "story.yaml:145: template 'brand.pptx' is not a PowerPoint file (it is not a zip package)" in err
    assert "Traceback" not in err


def test_template_inspect_lists_layouts_placeholders_and_the_choice_for_each_slide() -> None:
    report = describe_template(SCANNY)
    assert "Slide size: 10.00 x 7.50 in (4:3)" in report
    assert "'Bullets' (no type, master 1)" in report
    assert "idx 10  BODY" in report
    assert "title         -> First Slide Layout" in report
    assert "summary       -> Bullets" in report


def test_template_inspect_flags_what_the_template_lacks(tmp_path: Path) -> None:
    from pptx import Presentation as New
    prs = New()
    for layout in list(prs.slide_layouts):
        for ph in list(layout.placeholders):
            ph._element.getparent().remove(ph._element)
    prs.save(str(tmp_path / "bare.pptx"))
    report = describe_template(tmp_path / "bare.pptx")
    assert "has no title placeholder; the title is drawn as a text box" in report


def test_template_inspect_says_which_file_measures_each_theme_font(tmp_path: Path) -> None:
    from tests.support.fonts import template_with_font

    report = describe_template(make_german_a4_template(tmp_path / "german.pptx"))
    assert "Theme fonts: headings Cambria, body Calibri" in report
    assert "  Cambria: measured with Caladea-Regular.ttf (bundled, same metrics)" in report
    assert "  Calibri: measured with Carlito-Regular.ttf (bundled, same metrics)" in report
    report = describe_template(template_with_font(SCANNY, tmp_path / "futura.pptx", "Futura"))
    assert ("  Futura: not available; measured with DejaVu Sans, which is wider, so text fits with room to spare"
            in report)
    assert "! font 'Futura' is not one storypack brings" in report and "design.fonts" in report
    assert "Carlito: Carlito-Regular.ttf (bundled)" in describe_template(
        template_with_font(SCANNY, tmp_path / "carlito.pptx", "Carlito"))


def test_template_inspect_names_the_files_of_design_fonts(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.fonts import corporate_font, template_with_font

    template = template_with_font(SCANNY, content / "corporate.pptx")
    corporate_font(content / "brand/Corporate-Regular.ttf")
    (content / "brand/Broken.ttf").write_bytes(b"\0\1\0\0broken")
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write("\ndesign:\n  fonts: [brand/Corporate-Regular.ttf, brand/Broken.ttf]\n")
    assert main(["template", "inspect", str(template), "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "  Corporate Sans: brand/Corporate-Regular.ttf (design.fonts)" in out
    assert "! design.fonts: 'brand/Broken.ttf' is damaged: it cannot be read as a font" in out
    assert "not one storypack brings" not in out


def test_template_inspect_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "inspect", str(SOL_ENG)]) == 0
    out = capsys.readouterr().out
    assert "summary       -> Title and Content" in out
    assert "Master: text #FFFFFF on background #44546A" in out


def test_no_text_is_taller_than_its_box_in_any_template(templated: tuple[Path, Path, tuple]) -> None:
    from tests.test_overflow import overflowing_shapes
    _, deck, _ = templated
    assert overflowing_shapes(deck) == []


def test_the_templates_footer_date_and_slide_number_are_filled(content: Path, tmp_path: Path) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER
    build(settings(with_template(content, SOL_ENG), tmp_path / "out"))
    slide = Presentation(str(tmp_path / "out" / DECK)).slides[3]
    texts = {ph.placeholder_format.type: ph.text_frame.text for ph in slide.placeholders}
    assert texts[PP_PLACEHOLDER.FOOTER] == "Harbourline Logistics · Global IT Service Desk"
    assert texts[PP_PLACEHOLDER.DATE] == "26 Nov 2026"
    number = next(ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    assert number._element.xpath(".//a:fld[@type='slidenum']") and number.text_frame.text == "4"
