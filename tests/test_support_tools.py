"""Tests of the test-support tools: OOXML validation and LibreOffice/poppler rendering."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt

from tests.support import office, ooxml

# --- helpers ---------------------------------------------------------------------------------


def _png_bytes(width: int = 8, height: int = 6) -> bytes:
    """Return a small solid-colour RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _positive_axis_ids(chart: Chart) -> None:
    """Rewrite python-pptx's negative c:axId/c:crossAx values (schema: unsignedInt)."""
    for el in chart._chartSpace.xpath(".//c:axId | .//c:crossAx"):
        el.set("val", str(int(el.get("val")) & 0x7FFFFFFF))


def _build_deck(path: Path, tmp: Path, fix_axis_ids: bool = True) -> Path:
    """Save a python-pptx deck (title + text box, picture, native chart, notes everywhere)."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Support success story"
    box = slide.shapes.add_textbox(Inches(1), Inches(5.5), Inches(6), Inches(1))
    box.text_frame.text = "Tickets resolved faster"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(20)

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "A picture"
    image = tmp / "pixel.png"
    image.write_bytes(_png_bytes())
    slide.shapes.add_picture(str(image), Inches(1), Inches(2), Inches(3), Inches(2))

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "A chart"
    data = CategoryChartData()
    data.categories = ["Q1", "Q2", "Q3"]
    data.add_series("Resolved", (120, 140, 165))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data
    )
    if fix_axis_ids:
        _positive_axis_ids(frame.chart)

    for number, each in enumerate(prs.slides, start=1):
        each.notes_slide.notes_text_frame.text = f"Speaker notes for slide {number}"
    prs.save(str(path))
    return path


def _rewrite_part(
    source: Path, target: Path, part: str, edit: Callable[[bytes], bytes] | None
) -> Path:
    """Copy a package, editing one part (or dropping it when `edit` is None)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == part:
                if edit is None:
                    continue
                data = edit(data)
            dst.writestr(name, data)
    return target


@pytest.fixture(scope="module")
def valid_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a python-pptx deck that should validate."""
    tmp = tmp_path_factory.mktemp("ooxml")
    return _build_deck(tmp / "valid.pptx", tmp)


# --- ooxml.validate_pptx -------------------------------------------------------------------------


def test_python_pptx_deck_is_valid(valid_deck: Path) -> None:
    assert ooxml.validate_pptx(valid_deck) == []


def test_every_xml_part_of_python_pptx_deck_is_schema_checked(valid_deck: Path) -> None:
    coverage = ooxml.part_coverage(valid_deck)
    skipped = {name: how for name, how in coverage.items() if how.startswith("skipped")}
    assert all(how == "skipped: not XML" for how in skipped.values()), skipped
    assert coverage["ppt/charts/chart1.xml"] == "dml-chart.xsd"
    assert coverage["ppt/theme/theme1.xml"] == "dml-main.xsd"
    assert coverage["docProps/core.xml"] == "opc-coreProperties.xsd"
    assert coverage["ppt/notesSlides/notesSlide1.xml"] == "pml.xsd"


def test_python_pptx_negative_chart_axis_ids_are_reported(tmp_path: Path) -> None:
    deck = _build_deck(tmp_path / "raw.pptx", tmp_path, fix_axis_ids=False)
    problems = ooxml.validate_pptx(deck)
    assert problems
    assert all(p.startswith("ppt/charts/chart1.xml: dml-chart.xsd:") for p in problems), problems
    assert all("xs:unsignedInt" in p for p in problems), problems


_SLIDE = "ppt/slides/slide1.xml"


@pytest.mark.parametrize(
    ("part", "edit", "expected"),
    [
        pytest.param(
            _SLIDE,
            lambda d: d.replace(b"</p:spTree>", b"<p:inventedThing/></p:spTree>", 1),
            [_SLIDE, "pml.xsd", "inventedThing", "This element is not expected"],
            id="invented-element",
        ),
        pytest.param(
            _SLIDE,
            lambda d: d.replace(b'<p:cNvPr id="1"', b'<p:cNvPr id="one"', 1),
            [_SLIDE, "pml.xsd", "'one' is not a valid value"],
            id="bad-attribute-value",
        ),
        pytest.param(
            "ppt/notesSlides/notesSlide1.xml",
            None,
            ["ppt/slides/_rels/slide1.xml.rels", "../notesSlides/notesSlide1.xml", "not in the package"],
            id="missing-relationship-target",
        ),
        pytest.param(
            "[Content_Types].xml",
            lambda d: d.replace(b'<Default Extension="png" ContentType="image/png"/>', b""),
            ["ppt/media/image1.png", "no content type"],
            id="missing-content-type",
        ),
        pytest.param(
            _SLIDE,
            lambda d: d.replace(b"<p:spTree>", b'<p:spTree r:id="rId42">', 1),
            [_SLIDE, "rId42", "has no relationship"],
            id="dangling-r-id",
        ),
        pytest.param(
            "docProps/core.xml",
            lambda d: d.replace(b"2013-01-27T09:14:16Z", b"yesterday"),
            ["docProps/core.xml", "opc-coreProperties.xsd", "yesterday"],
            id="bad-core-date",
        ),
        pytest.param(
            _SLIDE,
            lambda d: d[:-40],
            [_SLIDE, "not well-formed"],
            id="truncated-xml",
        ),
    ],
)
def test_broken_deck_is_reported(
    valid_deck: Path,
    tmp_path: Path,
    part: str,
    edit: Callable[[bytes], bytes] | None,
    expected: list[str],
) -> None:
    broken = _rewrite_part(valid_deck, tmp_path / "broken.pptx", part, edit)
    problems = ooxml.validate_pptx(broken)
    assert any(all(text in p for text in expected) for p in problems), problems


_MC_DECL = (
    b'<p:sld xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    b'xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main" mc:Ignorable="p14" '
)


def _with_alternate_content(fallback: bytes) -> Callable[[bytes], bytes]:
    """Return an edit adding PowerPoint-style mc: markup (ignorable p14 + AlternateContent)."""

    def edit(data: bytes) -> bytes:
        data = data.replace(b"<p:sld ", _MC_DECL, 1)
        data = data.replace(b"<p:cSld>", b'<p:cSld p14:extra="1">', 1)
        alternate = (
            b'<mc:AlternateContent><mc:Choice Requires="p14"><p:transition p14:dur="1500">'
            b"<p14:prism/></p:transition></mc:Choice><mc:Fallback>"
            + fallback
            + b"</mc:Fallback></mc:AlternateContent>"
        )
        return data.replace(b"</p:clrMapOvr>", b"</p:clrMapOvr>" + alternate, 1)

    return edit


def test_markup_compatibility_is_resolved_before_validation(valid_deck: Path, tmp_path: Path) -> None:
    good = _with_alternate_content(b"<p:transition><p:fade/></p:transition>")
    deck = _rewrite_part(valid_deck, tmp_path / "mc.pptx", _SLIDE, good)
    assert ooxml.validate_pptx(deck) == []

    bad = _with_alternate_content(b"<p:transition><p:bogus/></p:transition>")
    deck = _rewrite_part(valid_deck, tmp_path / "mc-bad.pptx", _SLIDE, bad)
    problems = ooxml.validate_pptx(deck)
    assert len(problems) == 1 and "p:transition/p:bogus" in problems[0], problems


def test_missing_schema_dir_raises(
    valid_deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYPACK_XSD_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="STORYPACK_XSD_DIR"):
        ooxml.validate_pptx(valid_deck)


# --- office: require_office --------------------------------------------------------------------


def test_require_office_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="soffice"):
        office.require_office()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="pdftotext"):
        office.require_office()


# --- office: real LibreOffice / poppler ------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the PDF of a 3-slide deck: clean, text past the right edge, past the left edge."""
    office.require_office()
    tmp = tmp_path_factory.mktemp("office")
    prs = Presentation()
    blank = prs.slide_layouts[6]
    prs.slides.add_slide(blank).shapes.add_textbox(
        Inches(1), Inches(1), Inches(5), Inches(1)
    ).text_frame.text = "Clean slide inside"
    right = prs.slides.add_slide(blank).shapes
    right.add_textbox(Inches(1), Inches(1), Inches(5), Inches(1)).text_frame.text = "Visible heading"
    right.add_textbox(
        prs.slide_width - Inches(2), Inches(3), Inches(4), Inches(1)
    ).text_frame.text = "Overflowing zebra giraffe elephant"
    left = prs.slides.add_slide(blank).shapes
    left.add_textbox(Inches(-2), Inches(4), Inches(4), Inches(1)).text_frame.text = (
        "Leftside yak walrus narwhal"
    )
    deck = tmp / "offpage.pptx"
    prs.save(str(deck))
    return office.pptx_to_pdf(deck, tmp / "pdf")


@pytest.mark.office
def test_pdf_page_count_and_texts(rendered: Path) -> None:
    office.require_office()
    assert office.pdf_page_count(rendered) == 3
    cropped = office.pdf_page_texts(rendered, crop=True)
    assert len(cropped) == 3
    assert "Clean slide inside" in cropped[0]
    assert "elephant" not in cropped[1]
    assert "zebra giraffe elephant" in office.pdf_page_texts(rendered, crop=False)[1]


@pytest.mark.office
def test_text_off_page_detected_and_clean_page_not_flagged(rendered: Path) -> None:
    office.require_office()
    off = office.text_off_page(rendered)
    assert set(off) == {2, 3}, off
    assert {"giraffe", "elephant"} <= set(off[2].split()), off
    assert "Visible" not in off[2]
    assert {"Leftside", "yak"} <= set(off[3].split()), off


@pytest.mark.office
def test_pdf_to_pngs(rendered: Path, tmp_path: Path) -> None:
    office.require_office()
    pngs = office.pdf_to_pngs(rendered, tmp_path, dpi=60)
    assert [p.name for p in pngs] == [f"{rendered.stem}-{n}.png" for n in (1, 2, 3)]
    header = pngs[0].read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (600, 450)  # 10 x 7.5 in at 60 dpi


@pytest.mark.office
def test_pptx_to_pdf_failure_raises_with_output(tmp_path: Path) -> None:
    office.require_office()
    with pytest.raises(RuntimeError, match="could not convert"):
        office.pptx_to_pdf(tmp_path / "missing.pptx", tmp_path / "out")
