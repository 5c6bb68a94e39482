"""The success-story deck, end to end: built from the example, opened with python-pptx and LibreOffice."""

from __future__ import annotations

import hashlib
from itertools import combinations
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Emu

from generator.build.run import build
from generator.cli import main
from generator.errors import ContentError
from tests.conftest import EXAMPLE, edit, settings
from tests.support import office, ooxml

DECK = "success-story.pptx"
ROUNDING = 100
"""EMU of overlap that inch-to-EMU rounding may leave between touching boxes."""
SECTION_TITLES = [
    "Support success story", "Executive summary", "Breadth and depth of our services", "Our value proposition",
    "Involvement in current projects", "Business impact", "Cost-effective best practices",
    "What our customers say", "A team built to prevent, not only to respond", "The plan and our asks",
]


def slide_texts(deck: Path) -> list[str]:
    """Return all text of each slide (shapes and table cells), one string per slide."""
    texts = []
    for slide in Presentation(str(deck)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append("\n".join(parts))
    return texts


def titles(deck: Path) -> list[str]:
    return [next(s.text_frame.text for s in slide.shapes if s.name == "Title")
            for slide in Presentation(str(deck)).slides]


def test_the_deck_has_ten_slides_covering_every_section(example_output: Path) -> None:
    assert titles(example_output / DECK) == SECTION_TITLES


def test_the_deck_is_16_by_9(example_output: Path) -> None:
    prs = Presentation(str(example_output / DECK))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))


def all_shapes(shapes: object) -> list[object]:
    """Return the shapes of a slide, and those inside its groups (after the group)."""
    found: list[object] = []
    for shape in shapes:  # type: ignore[attr-defined]
        found.append(shape)
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            found.extend(all_shapes(shape.shapes))
    return found


def test_the_built_in_look_is_a_template_whose_layouts_every_slide_uses(example_output: Path) -> None:
    prs = Presentation(str(example_output / DECK))
    layouts = [layout.name for layout in prs.slide_layouts]
    assert layouts == ["Title Slide", "Title and Content", "Title Only", "Blank"]
    assert [slide.slide_layout.name for slide in prs.slides] == ["Title Slide"] + ["Title and Content"] * 9
    for slide in prs.slides:
        assert slide.shapes.title is not None and slide.shapes.title.name == "Title"
    master = prs.slide_masters[0]
    assert {ph.placeholder_format.type for ph in master.placeholders} == {
        PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER,
        PP_PLACEHOLDER.SLIDE_NUMBER}
    assert [s.name for s in master.shapes if not s.is_placeholder] == ["Accent bar", "Footer rule"]


def test_the_footer_is_in_the_layouts_placeholders_with_a_slide_number_field(example_output: Path) -> None:
    slide = Presentation(str(example_output / DECK)).slides[3]
    texts = {ph.placeholder_format.type: ph.text_frame.text for ph in slide.placeholders}
    assert texts[PP_PLACEHOLDER.FOOTER] == "Harbourline Logistics · Global IT Service Desk"
    assert texts[PP_PLACEHOLDER.DATE] == "26 Nov 2026"
    assert texts[PP_PLACEHOLDER.SLIDE_NUMBER] == "4"
    assert slide.shapes[-1]._element.xpath(".//a:fld[@type='slidenum']")  # read last


def test_the_generated_template_is_the_same_bytes_every_time() -> None:
    from generator.deck import builtin
    first = builtin._package(builtin._parts(builtin.DEFAULT))
    assert first == builtin._package(builtin._parts(builtin.DEFAULT)) == builtin.builtin_template()


def test_the_generated_template_validates_against_the_ooxml_schemas(tmp_path: Path) -> None:
    from generator.deck.builtin import builtin_template
    (tmp_path / "builtin.pptx").write_bytes(builtin_template())
    assert ooxml.validate_pptx(tmp_path / "builtin.pptx") == []


def test_every_slide_has_speaker_notes(example_output: Path) -> None:
    for number, slide in enumerate(Presentation(str(example_output / DECK)).slides, start=1):
        assert slide.has_notes_slide and len(slide.notes_slide.notes_text_frame.text) > 40, f"slide {number}"


def test_the_elevator_pitch_is_in_the_summary_notes_with_computed_figures(example_output: Path) -> None:
    notes = Presentation(str(example_output / DECK)).slides[1].notes_slide.notes_text_frame.text
    assert notes.startswith("Elevator pitch")
    assert "calls -10.5%, Level-1 resolution 71% to 80.1%, cost per ticket -12%" in notes
    assert "{{" not in notes


def test_the_summary_shows_headline_figures_from_the_yaml(example_output: Path) -> None:
    summary = slide_texts(example_output / DECK)[1]
    for figure in ("-10.5%", "80.1%", "€25.51", "0.80", "92%", "3 of 4"):
        assert figure in summary


def test_every_picture_carries_alt_text_that_says_what_it_shows(example_output: Path) -> None:
    alts = [shape._element.nvPicPr.cNvPr.get("descr")
            for slide in Presentation(str(example_output / DECK)).slides
            for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(alts) == 5
    assert all(alt and len(alt) > 40 for alt in alts)
    assert ("Level-1 resolution rose from 71% to 80.1% against a 78% target; escalations to Level-2 went from"
            " 1,360 to 820 a month.") in alts
    assert any("the ERP 7.2 release in Mar 2026 raised volume +30.6%" in alt for alt in alts)


def test_the_org_chart_is_drawn_as_boxes_not_bullets(example_output: Path) -> None:
    slide = Presentation(str(example_output / DECK)).slides[8]
    [group] = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP]
    boxes = [s for s in group.shapes if s.name.startswith("Role ") and s.name.endswith(" box")]
    lines = [s for s in group.shapes if s.name == "Org line"]
    assert len(boxes) == 9 and len(lines) >= 8
    alt = group._element.nvGrpSpPr.cNvPr.get("descr")
    assert alt.startswith("Org chart of 9 roles, led by Priya Raman (Director, Service Desk).")
    assert "Lukas Weber (Service Desk Manager): Hannah Fischer (Level-1 Team Lead), Ravi Menon" in alt
    names = [s.name for s in group.shapes if s.name.startswith("Role ") and not s.name.endswith(" box")]
    assert names[:4] == ["Role director", "Role ops", "Role problem", "Role knowledge"]  # read top row first


def test_testimonials_are_quotes_with_attribution(example_output: Path) -> None:
    text = slide_texts(example_output / DECK)[7]
    assert "Marco Bianchi" in text and "ERP Programme Manager, Harbourline Logistics" in text


def test_a_figure_changed_in_the_yaml_changes_on_the_slide_and_in_the_notes(content: Path, tmp_path: Path) -> None:
    edit(content / "metrics.yaml", "79.2, 80.1]", "79.2, 83.4]")
    build(settings(content, tmp_path / "out"))
    deck = tmp_path / "out" / DECK
    assert "83.4%" in slide_texts(deck)[1]
    assert "71% to 83.4%" in Presentation(str(deck)).slides[1].notes_slide.notes_text_frame.text


def test_no_text_box_leaves_the_slide_or_overlaps_another(example_output: Path) -> None:
    prs = Presentation(str(example_output / DECK))
    for number, slide in enumerate(prs.slides, start=1):
        shapes = all_shapes(slide.shapes)
        boxes = [s for s in shapes if s.shape_type in (MSO_SHAPE_TYPE.TEXT_BOX, MSO_SHAPE_TYPE.PICTURE)
                 or s.has_text_frame and s.is_placeholder or getattr(s, "has_table", False)]
        for shape in shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (number, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (number, shape.name)
        for a, b in combinations(boxes, 2):
            overlap_x = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
            overlap_y = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
            assert overlap_x <= ROUNDING or overlap_y <= ROUNDING, f"slide {number}: {a.name!r} overlaps {b.name!r}"


def test_every_part_of_the_deck_validates_against_the_ooxml_schemas(example_output: Path) -> None:
    assert ooxml.validate_pptx(example_output / DECK) == []


def test_two_builds_give_the_same_bytes(example_output: Path, tmp_path: Path) -> None:
    build(settings(EXAMPLE, tmp_path / "again"))
    assert (tmp_path / "again" / DECK).read_bytes() == (example_output / DECK).read_bytes()


def test_source_date_epoch_sets_the_document_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    build(settings(EXAMPLE, tmp_path / "out"))
    props = Presentation(str(tmp_path / "out" / DECK)).core_properties
    assert props.created.isoformat() == props.modified.isoformat() == "2026-01-01T00:00:00"
    assert props.author == "Priya Raman"


def test_an_unknown_figure_name_in_a_note_is_an_error_at_its_line(content: Path, tmp_path: Path) -> None:
    edit(content / "notes" / "best-practices.md", "{{ kpi.cost_per_ticket.target }}", "{{ kpi.cost_per_tiket.target }}")
    with pytest.raises(ContentError) as caught:
        build(settings(content, tmp_path / "out"))
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.line) == ("best-practices.md", 7)
    assert problem.message == "unknown name 'kpi.cost_per_tiket.target'"
    assert problem.hint == "did you mean 'kpi.cost_per_ticket.target'?"


def test_a_testimonial_too_long_for_its_box_fails_naming_slide_box_and_how_much(content: Path, tmp_path: Path) -> None:
    long_quote = "One call, one owner. " * 40
    edit(content / "story.yaml", "One call, one owner, and they call us back before we have to chase.", long_quote)
    with pytest.raises(ContentError) as caught:
        build(settings(content, tmp_path / "out"))
    [problem] = caught.value.problems
    assert problem.message.startswith("slide 8 (testimonials): the text of 'Quote 3' does not fit its box")
    assert problem.hint.startswith("shorten it by about ")
    assert (Path(problem.file).name, problem.line) == ("story.yaml", 81)


def checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_failed_build_leaves_the_previous_output_untouched(content: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--output", str(out), "--templates", "templates"]) == 0
    before = checksum(out)
    edit(content / "metrics.yaml", "currency: EUR", "currency: 12")
    assert main(["build", "--content", str(content), "--output", str(out), "--templates", "templates"]) == 2
    err = capsys.readouterr().err
    assert "metrics.yaml:3: currency: Input should be a valid string (got 12)" in err
    assert "Traceback" not in err
    assert checksum(out) == before


def test_check_reports_problems_and_writes_nothing(content: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(content)]) == 0
    edit(content / "story.yaml", "title: Support success story", "titel: Support success story")
    assert main(["check", "--content", str(content)]) == 2
    assert "did you mean 'title'?" in capsys.readouterr().err


def test_a_missing_content_folder_is_a_content_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--content", str(tmp_path / "nope"), "--output", str(tmp_path / "out")]) == 2
    assert "content folder not found" in capsys.readouterr().err


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    assert main(["build", "--content", str(EXAMPLE), "--output", str(tmp_path / "mine")]) == 1
    assert "storypack did not make" in capsys.readouterr().err
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "precious"


@pytest.fixture(scope="module")
def rendered(example_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example deck converted to PDF by LibreOffice."""
    office.require_office()
    return office.pptx_to_pdf(example_output / DECK, tmp_path_factory.mktemp("pdf"))


@pytest.mark.office
def test_libreoffice_renders_one_page_per_slide(rendered: Path) -> None:
    assert office.pdf_page_count(rendered) == 10


@pytest.mark.office
def test_no_text_runs_off_any_rendered_slide(rendered: Path) -> None:
    assert office.text_off_page(rendered) == {}


@pytest.mark.office
def test_rendered_slides_show_the_computed_figures(rendered: Path) -> None:
    pages = office.pdf_page_texts(rendered)
    assert "Executive summary" in pages[1] and "80.1%" in pages[1]
    assert "Nordfrakt AS" in pages[7]


def test_the_manifest_lists_every_slide_with_its_text_and_figures(example_output: Path) -> None:
    import json
    manifest = json.loads((example_output / "success-story.json").read_text(encoding="utf-8"))
    assert manifest["deck"] == DECK
    assert [s["title"] for s in manifest["slides"]] == SECTION_TITLES
    summary = manifest["slides"][1]
    level1 = next(f for f in summary["figures"] if f["name"] == "kpi.level1.headline")
    assert level1 == {"name": "kpi.level1.headline", "text": "80.1%", "value": 80.1, "source": "resolution.level1_pct"}
    assert any("80.1%" in text for text in summary["text"])
    assert manifest["slides"][5]["charts"][1]["alt"].startswith("Level-1 resolution rose from 71% to 80.1%")


def test_a_changed_value_shows_in_the_manifest_of_the_slides_that_use_it(content: Path, tmp_path: Path) -> None:
    import json
    edit(content / "metrics.yaml", "91.5, 92.0]", "91.5, 93.5]")
    build(settings(content, tmp_path / "out"))
    manifest = json.loads((tmp_path / "out" / "success-story.json").read_text(encoding="utf-8"))
    using = [s["number"] for s in manifest["slides"]
             if any(f["name"].startswith("kpi.csat.") and f["text"] == "93.5%" for f in s["figures"])]
    assert using == [2, 4, 6]


def test_native_charts_carry_the_series_values_from_the_yaml(content: Path, tmp_path: Path) -> None:
    with open(content / "story.yaml", "a", encoding="utf-8") as story:
        story.write("\ndesign:\n  charts: native\n")
    build(settings(content, tmp_path / "out"))
    deck = tmp_path / "out" / DECK
    slide = Presentation(str(deck)).slides[5]
    charts = [s for s in slide.shapes if s.has_chart]
    volume = next(s.chart for s in charts if s.name.startswith("Chart 1: volume"))
    series = {s.name: list(s.values) for plot in volume.plots for s in plot.series}
    assert series["Phone"][:3] == [2310, 2240, 2280] and series["Chat"][-1] == 610
    alts = [s._element.nvGraphicFramePr.cNvPr.get("descr") for s in charts]
    assert all(alt and len(alt) > 40 for alt in alts)
    assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
    assert ooxml.validate_pptx(deck) == []


def test_check_leaves_no_file_behind(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import TEMPLATES
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["check", "--content", str(content), "--templates", str(TEMPLATES)]) == 0
    assert list(work.iterdir()) == []


def test_the_published_output_folder_is_readable_by_others(example_output: Path) -> None:
    import stat
    assert stat.S_IMODE(example_output.stat().st_mode) & 0o055 == 0o055  # group and others may read and enter
