"""Native PowerPoint charts carry every series and target of their spec, validate, and build reproducibly."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches

from generator.deck.charts.native import NativePalette, add_native_chart, value_format
from generator.deck.charts.theme import ChartTheme
from generator.deck.package import save_reproducibly
from generator.story.charts import CHARTS, ChartSpec, Panel
from generator.story.figures import Figures
from tests.support import office
from tests.support.ooxml import validate_pptx

ROOT = Path(__file__).resolve().parents[1]
PALETTE = NativePalette()
ALONE = (0.6, 1.6, 7.2, 4.6)
"""left, top, width, height (inches) of a chart alone on a slide."""
GRID = (5.9, 2.0)
"""width, height of a chart in a 2 x 2 grid cell."""
SS_NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def build_deck(specs: dict[str, ChartSpec]) -> Any:
    """Return a 16:9 presentation: one slide per chart alone, then one slide with all six in a grid."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for name, spec in specs.items():
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        add_native_chart(slide, spec, *ALONE, PALETTE, f"Chart: {spec.title}", f"Chart {name}")
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    for i, (name, spec) in enumerate(specs.items()):
        add_native_chart(slide, spec, 0.6 + (i % 2) * 6.2, 0.4 + (i // 2) * 2.35, *GRID, PALETTE, spec.title, name)
    return prs


@pytest.fixture(scope="module")
def deck_path(specs: dict[str, ChartSpec], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("native") / "native_charts.pptx"
    path.write_bytes(save_reproducibly(build_deck(specs)))
    return path


@pytest.fixture(scope="module")
def reopened(deck_path: Path) -> Any:
    return Presentation(str(deck_path))


def charts_on(slide: Any) -> list[Any]:
    """Return the graphic frames holding a chart, in the slide's order."""
    return [shape for shape in slide.shapes if shape.has_chart]


def alone(reopened: Any, specs: dict[str, ChartSpec], name: str) -> list[Any]:
    """Return the frames of the chart `name` on its own slide."""
    return charts_on(reopened.slides[list(specs).index(name)])


def value_axes(chart: Any) -> dict[str, Any]:
    """Return the chart's value axes by position: 'l' and, with a secondary axis, 'r'."""
    plot_area = chart._chartSpace.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    return {axis.find(qn("c:axPos")).get("val"): axis for axis in plot_area.findall(qn("c:valAx"))}


def plot_side(chart: Any, plot: Any) -> str:
    """Return 'left' or 'right': the value axis a plot (chart group) is drawn against."""
    ids = {element.get("val") for element in plot._element.findall(qn("c:axId"))}
    right = value_axes(chart).get("r")
    return "right" if right is not None and right.find(qn("c:axId")).get("val") in ids else "left"


def expected_columns(spec: ChartSpec, panel: Panel) -> list[tuple[str, tuple[float | None, ...], str]]:
    """Return (name, values, side) of every series and merged target the panel's chart must hold."""
    two_sides = panel.y2 is not None and any(s.axis == "left" for s in panel.series)
    columns: list[tuple[str, tuple[float | None, ...], str]] = [
        (f"{s.name} (right axis)" if two_sides and s.axis == "right" else s.name, s.values, s.axis)
        for s in panel.series]
    merged: dict[tuple[str, str], list[float | None]] = {}
    for target in panel.targets:
        values = merged.setdefault((target.label, target.axis), [None] * len(spec.x_labels))
        for x in target.at or range(len(spec.x_labels)):
            values[x] = target.value
    columns += [(label, tuple(values), side) for (label, side), values in merged.items()]
    return columns


def series_of(chart: Any) -> dict[str, tuple[tuple[float | None, ...], str, Any]]:
    """Return every series of the chart by name: its values, the side of its plot, and the plot."""
    return {s.name: (tuple(s.values), plot_side(chart, plot), plot) for plot in chart.plots for s in plot.series}


def data_label_texts(chart: Any, series_name: str) -> dict[int, str]:
    """Return the fixed texts of a series' data labels by point index."""
    for plot in chart.plots:
        for s in plot.series:
            if s.name == series_name:
                return {int(d.find(qn("c:idx")).get("val")): "".join(t.text or "" for t in d.iter(qn("a:t")))
                        for d in s._element.iter(qn("c:dLbl")) if d.find(qn("c:tx")) is not None}
    raise KeyError(series_name)


# --- content ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_series_and_target_of_the_spec_is_a_chart_series(reopened: Any, specs: dict[str, ChartSpec],
                                                                name: str) -> None:
    spec = specs[name]
    frames = alone(reopened, specs, name)
    assert len(frames) == len(spec.panels)
    for frame, panel in zip(frames, spec.panels):
        found = series_of(frame.chart)
        expected = expected_columns(spec, panel)
        assert list(found) == [n for n, _, _ in expected] or set(found) == {n for n, _, _ in expected}
        for column, values, side in expected:
            got, got_side, _ = found[column]
            assert got == pytest.approx(values), column
            assert got_side == (side if panel.y2 is not None else "left"), column
        categories = tuple(frame.chart.plots[0].categories)
        assert categories == spec.x_labels


def test_volume_stacks_the_yaml_channels_and_draws_the_target(reopened: Any, specs: dict[str, ChartSpec],
                                                              figures: Figures) -> None:
    (frame,) = alone(reopened, specs, "volume")
    bars, line = frame.chart.plots
    assert bars._element.find(qn("c:grouping")).get("val") == "stacked"
    assert {s.name: tuple(s.values) for s in bars.series} == {k: tuple(map(float, v))
                                                               for k, v in figures.channels.items()}
    (target,) = line.series
    (spec_target,) = specs["volume"].targets
    assert target.name == spec_target.label and set(target.values) == {spec_target.value}
    assert target._element.find(f"{qn('c:spPr')}/{qn('a:ln')}/{qn('a:prstDash')}").get("val") == "dash"


@pytest.mark.parametrize("name", ["level1", "backlog", "cost"])
def test_right_axis_series_sit_in_a_plot_on_the_secondary_axes(reopened: Any, specs: dict[str, ChartSpec],
                                                               name: str) -> None:
    (frame,) = alone(reopened, specs, name)
    chart = frame.chart
    right = [s.name for s in specs[name].series if s.axis == "right"]
    plots = {plot_side(chart, plot): [s.name for s in plot.series] for plot in chart.plots}
    assert [n.removesuffix(" (right axis)") for n in plots["right"]] == right
    assert len(chart.plots) == 2 and plots["left"]
    secondary = value_axes(chart)["r"]
    assert secondary.find(qn("c:crosses")).get("val") == "max"
    cat_axes = chart._chartSpace.findall(f".//{qn('c:catAx')}")
    assert [a.find(qn("c:delete")).get("val") for a in cat_axes] == ["0", "1"]
    assert secondary.find(qn("c:crossAx")).get("val") == cat_axes[1].find(qn("c:axId")).get("val")


def test_callouts_and_events_are_data_labels_on_their_points(reopened: Any, specs: dict[str, ChartSpec]) -> None:
    (volume,) = alone(reopened, specs, "volume")
    (note,) = specs["volume"].annotations
    top_of_stack = [s.name for s in specs["volume"].series][-1]
    assert data_label_texts(volume.chart, top_of_stack) == {note.x: note.text}
    (level1,) = alone(reopened, specs, "level1")
    (event,) = specs["level1"].panels[0].events
    assert data_label_texts(level1.chart, "Level-1 resolution") == {event.x: event.label}
    for frame in alone(reopened, specs, "satisfaction"):
        texts = set().union(*(data_label_texts(frame.chart, s.name).values() for s in frame.chart.plots[0].series))
        assert event.label in texts and any(t.startswith("Target ") for t in texts)


def test_value_labels_show_the_last_or_every_value_in_status_colours(reopened: Any,
                                                                     specs: dict[str, ChartSpec]) -> None:
    (sla,) = alone(reopened, specs, "sla")
    (bars, _) = sla.chart.plots
    resolution = bars.series[1]._element
    labels = resolution.findall(f"{qn('c:dLbls')}/{qn('c:dLbl')}")
    assert len(labels) == 4 and all(d.find(qn("c:showVal")).get("val") == "1" for d in labels)
    assert [d.find(qn("c:numFmt")).get("formatCode") for d in labels] == ['0.0"%"'] * 4
    (missed,) = resolution.findall(qn("c:dPt"))
    assert missed.find(qn("c:idx")).get("val") == "3"
    assert missed.find(f".//{qn('a:srgbClr')}").get("val") == PALETTE.missed.lstrip("#").upper()
    (level1,) = alone(reopened, specs, "level1")
    line = next(p for p in level1.chart.plots if plot_side(level1.chart, p) == "left").series[0]._element
    (last,) = [d for d in line.iter(qn("c:dLbl")) if d.find(qn("c:numFmt")) is not None]
    assert last.find(qn("c:idx")).get("val") == "11"
    assert last.find(f".//{qn('a:srgbClr')}").get("val") == PALETTE.met.lstrip("#").upper()


def test_per_position_targets_are_dash_markers_without_a_line(reopened: Any, specs: dict[str, ChartSpec]) -> None:
    (sla,) = alone(reopened, specs, "sla")
    (target,) = sla.chart.plots[1].series
    assert tuple(target.values) == tuple(t.value for t in specs["sla"].targets)
    assert target._element.find(f"{qn('c:marker')}/{qn('c:symbol')}").get("val") == "dash"
    assert target._element.find(f"{qn('c:spPr')}/{qn('a:noFill')}") is not None


def test_axis_number_formats_follow_the_units(reopened: Any, specs: dict[str, ChartSpec]) -> None:
    formats = {name: {pos: axis.find(qn("c:numFmt")).get("formatCode")
                      for pos, axis in value_axes(alone(reopened, specs, name)[0].chart).items()}
               for name in ("volume", "level1", "cost")}
    assert formats["volume"]["l"] == '[>7500]"";#,##0'  # no tick label above the data
    assert formats["level1"]["l"].endswith('0"%"') and formats["level1"]["r"].endswith("#,##0")
    assert formats["cost"]["l"].endswith('"€"#,##0') and formats["cost"]["r"].endswith('"€"#,##0,"k"')
    assert value_format(25.51, specs["cost"].panels[0].y) == '"€"#,##0.00'
    assert value_format(92.0, specs["satisfaction"].panels[0].y) == '0"%"'


def test_frames_carry_names_alt_text_and_fit_their_box(reopened: Any, specs: dict[str, ChartSpec]) -> None:
    for name, spec in specs.items():
        frames = alone(reopened, specs, name)
        for frame in frames:
            cnv_pr = frame._element.nvGraphicFramePr.cNvPr
            assert cnv_pr.get("descr", "").startswith(f"Chart: {spec.title}")
            assert cnv_pr.get("name").startswith(f"Chart {name}")
            left, top, width, height = ALONE
            assert Inches(left) - 2 <= frame.left and frame.left + frame.width <= Inches(left + width) + 2
            assert frame.top == Inches(top) and frame.height == Inches(height)
    first, second = alone(reopened, specs, "satisfaction")
    gap = Emu(second.left - (first.left + first.width)).inches
    assert 0.05 <= gap <= 0.3 and first.width == second.width
    assert [c.chart.has_legend for c in (first, second)] == [False, False]
    assert [c.chart.chart_title.text_frame.text for c in (first, second)] == [p.title for p in
                                                                               specs["satisfaction"].panels]


def test_single_panel_charts_have_a_legend_at_the_top_and_no_title(reopened: Any,
                                                                   specs: dict[str, ChartSpec]) -> None:
    for name in ("volume", "level1", "backlog", "sla", "cost"):
        (frame,) = alone(reopened, specs, name)
        chart = frame.chart
        assert chart.has_legend and chart._chartSpace.find(f".//{qn('c:legendPos')}").get("val") == "t"
        assert not chart.has_title
        assert chart.font.name == PALETTE.font and chart.font.size.pt == PALETTE.tick_size


# --- package ----------------------------------------------------------------------------------------


def test_deck_with_all_six_charts_validates_against_the_schemas(deck_path: Path) -> None:
    assert validate_pptx(deck_path) == []


def test_axis_ids_are_unsigned_and_every_pair_matches(deck_path: Path) -> None:
    with zipfile.ZipFile(deck_path) as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        assert len(parts) == 6 + 1 + 6 + 1  # satisfaction is two charts, alone and in the grid
        for part in parts:
            root = etree.fromstring(package.read(part))
            ids = [int(e.get("val")) for e in root.iter(qn("c:axId")) if e.getparent().tag != qn("c:plotArea")]
            axes = {int(a.find(qn("c:axId")).get("val")): int(a.find(qn("c:crossAx")).get("val"))
                    for a in root.iter(qn("c:catAx"), qn("c:valAx"))}
            assert all(0 <= i <= 0x7FFFFFFF for i in ids + list(axes.values())), part
            assert all(axes[other] == axis for axis, other in axes.items()), part
            assert set(ids) <= set(axes), part


def read_workbook(blob: bytes) -> list[list[str]]:
    """Return the first sheet of an xlsx as rows of cell texts (shared strings resolved)."""
    with zipfile.ZipFile(io.BytesIO(blob)) as xlsx:
        strings = [("".join(si.itertext())) for si in
                   etree.fromstring(xlsx.read("xl/sharedStrings.xml")).findall("s:si", SS_NS)]
        sheet = etree.fromstring(xlsx.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//s:sheetData/s:row", SS_NS):
        cells: dict[int, str] = {}
        for cell in row.findall("s:c", SS_NS):
            column = ord(re.match(r"[A-Z]", cell.get("r")).group()) - ord("A")  # type: ignore[union-attr]
            value = cell.findtext("s:v", default="", namespaces=SS_NS)
            cells[column] = strings[int(value)] if cell.get("t") == "s" else value
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)])
    return rows


@pytest.mark.parametrize("name", ["volume", "level1", "sla"])
def test_embedded_workbook_holds_every_series_and_target(reopened: Any, specs: dict[str, ChartSpec],
                                                         name: str) -> None:
    (frame,) = alone(reopened, specs, name)
    rows = read_workbook(frame.chart.part.chart_workbook.xlsx_part.blob)
    spec = specs[name]
    expected = expected_columns(spec, spec.panels[0])
    assert rows[0][1:] == [n for n, _, _ in expected]
    assert [row[0] for row in rows[1:]] == list(spec.x_labels)
    for c, (_, values, _) in enumerate(expected, start=1):
        got = [float(row[c]) if c < len(row) and row[c] else None for row in rows[1:]]
        assert got == pytest.approx(list(values))


def test_two_builds_are_byte_identical(specs: dict[str, ChartSpec], deck_path: Path) -> None:
    assert save_reproducibly(build_deck(specs)) == deck_path.read_bytes()
    with zipfile.ZipFile(deck_path) as package:
        workbook = package.read("ppt/embeddings/Microsoft_Excel_Sheet1.xlsx")
    with zipfile.ZipFile(io.BytesIO(workbook)) as xlsx:
        core = xlsx.read("docProps/core.xml").decode()
        assert {info.date_time for info in xlsx.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z" in core  # not the time of the build


def test_palette_takes_hex_with_or_without_hash_and_follows_the_picture_theme() -> None:
    theme = ChartTheme(series=("#112233", "445566"), target="#ABCDEF")
    palette = NativePalette.from_chart_theme(theme, font="Aptos")
    assert palette.colour(0) == "112233" and palette.colour(3) == "445566"
    assert palette.font == "Aptos" and palette.tick_size == 11 and palette.legend_size == 12
    with pytest.raises(ValueError):
        NativePalette(series=("navy",)).colour(0)


# --- real client ------------------------------------------------------------------------------------


@pytest.mark.office
def test_libreoffice_renders_one_page_per_slide(deck_path: Path, reopened: Any, tmp_path: Path) -> None:
    office.require_office()
    pdf = office.pptx_to_pdf(deck_path, tmp_path)
    assert office.pdf_page_count(pdf) == len(reopened.slides)
    texts = office.pdf_page_texts(pdf)
    assert "ERP 7.2 release +30.6%" in texts[0] and "Target 90%" in texts[2]
    pngs = office.pdf_to_pngs(pdf, tmp_path, dpi=40)
    assert len(pngs) == len(reopened.slides)
