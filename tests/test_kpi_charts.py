"""The meeting pack's KPI charts: hand-written SVG, every label inside the picture, every mark at its number."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.meetings.charts import (
    MAX_LABELS,
    MET,
    MISSED,
    SIZE,
    kpi_chart,
    text_extent,
    y_ticks,
)
from generator.meetings.reader import load_account
from generator.meetings.report import KpiReport, ops_report
from generator.meetings.schema import Kpi
from tests.conftest import EXAMPLE, ROOT

SVG = "{http://www.w3.org/2000/svg}"
WIDTH, HEIGHT = SIZE[0] * 72, SIZE[1] * 72


def months(count: int, year: int = 2026, first: int = 1) -> tuple[str, ...]:
    """Return `count` consecutive months 'YYYY-MM' from `first` of `year`."""
    return tuple(f"{year + (first - 1 + i) // 12:04d}-{(first - 1 + i) % 12 + 1:02d}" for i in range(count))


def report(values: list[float], target: float, better: str = "higher", unit: str = "%", decimals: int = 1,
           name: str = "P1 within 4 hours", year: int = 2026) -> KpiReport:
    """Return the report of one KPI over len(values) months ending in the last of them."""
    kpi = Kpi.model_validate({"name": name, "unit": unit, "target": target, "better": better, "values": values,
                              "decimals": decimals})
    return KpiReport(kpi, months(len(values), year), tuple(kpi.values), kpi.values[-1],
                     kpi.values[0] if len(values) > 1 else None)


def example_reports() -> list[KpiReport]:
    """Return every KPI report of the example's meetings."""
    found: list[KpiReport] = []
    for slug in sorted(p.name for p in (EXAMPLE / "accounts").iterdir()):
        account = load_account(EXAMPLE, slug)
        metrics = account.file.metrics
        for meeting in account.meetings:
            previous = account.previous(meeting)
            ops = ops_report(metrics, meeting.date, previous.date if previous else None) if metrics else None
            found += ops.kpis if ops else ()
    return found


CASES = {
    "one month": report([42.0], 40.0, unit="tickets", decimals=0),
    "constant": report([5.0, 5.0, 5.0], 5.0, unit="hours"),
    "ten years": report([90 + 5 * math.sin(i / 7) + i * 0.03 for i in range(120)], 95.0, year=2017),
    "negative": report([-1200.5, -300.25, 250.0, 1800.75], 0.0, unit="EUR", decimals=2),
    "three decimals": report([0.123, 0.127, 0.119, 0.131], 0.125, better="lower", unit="ratio", decimals=3),
    "small integers": report([1, 2, 1, 2], 2, better="lower", unit="tickets", decimals=0),
    "tiny range, no decimals": report([1.1, 1.2], 1.0, unit="hours", decimals=0),
    "millions": report([1234567, 1250000, 1261234], 1300000, unit="calls", decimals=0),
    "below zero": report([-0.4, -0.2, -0.1], -0.3, better="lower", unit="degrees", decimals=1),
    "thirteen months": report([float(i) for i in range(13)], 10.0, unit="tickets", decimals=0, year=2025),
    "odd name": report([1.0, 2.0], 1.5, name='Tickets <"closed"> & reopened'),
}


@dataclass(frozen=True)
class Label:
    """A <text> of a chart: its text, font size and box (points, y downwards)."""

    text: str
    size: float
    anchor: str
    left: float
    top: float
    right: float
    bottom: float
    baseline: float


def labels(svg: ET.Element) -> list[Label]:
    """Return every text of the chart with its box, measured as the chart measures it."""
    found: list[Label] = []

    def walk(element: ET.Element, size: float) -> None:
        size = float(element.get("font-size", size))
        if element.tag == f"{SVG}text":
            text, x, y = element.text or "", float(element.get("x", 0)), float(element.get("y", 0))
            width, above, below = text_extent(text, size)
            anchor = element.get("text-anchor", "start")
            left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
            found.append(Label(text, size, anchor, left, y - above, left + width, y + below, y))
        for child in element:
            walk(child, size)

    walk(svg, 16.0)
    return found


def parse(data: bytes) -> ET.Element:
    """Return the chart's root element, checking the bytes are well-formed XML."""
    return ET.fromstring(data)


def month_labels_of(svg: ET.Element) -> list[Label]:
    return [label for label in labels(svg) if label.anchor == "middle"]


def y_labels_of(svg: ET.Element) -> list[Label]:
    return [label for label in labels(svg) if label.anchor == "end"]


def path_ys(element: ET.Element) -> list[float]:
    """Return the y of every horizontal line ('M x y H x') of a path."""
    return [float(y) for y in re.findall(r"M[\d.]+ ([\d.]+)H", element.get("d", ""))]


def value_of(label: str) -> float:
    return float(label.replace("\u2212", "-"))


@pytest.mark.parametrize("name", list(CASES))
def test_a_chart_is_a_valid_titled_svg_without_script(name: str) -> None:
    data = kpi_chart(CASES[name])
    svg = parse(data)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert (svg.get("width"), svg.get("height")) == (f"{WIDTH:.2f}pt", f"{HEIGHT:.2f}pt")
    assert svg.get("viewBox") == f"0 0 {WIDTH:.2f} {HEIGHT:.2f}"
    assert svg[0].tag == f"{SVG}title" and svg[0].text == CASES[name].kpi.name
    assert not [e for e in svg.iter() if e.tag.removeprefix(SVG) in ("script", "foreignObject", "a", "image")]
    assert not [k for e in svg.iter() for k in e.attrib if k.startswith("on") or "href" in k]
    assert kpi_chart(CASES[name]) == data, "the same numbers give the same bytes"


def test_odd_characters_in_a_kpi_name_are_escaped() -> None:
    data = kpi_chart(CASES["odd name"])
    assert b"<title>Tickets &lt;\"closed\"&gt; &amp; reopened</title>" in data


@pytest.mark.parametrize(("values", "target", "better", "colour"), [
    ([80.0, 96.0], 95.0, "higher", MET), ([99.0, 94.9], 95.0, "higher", MISSED), ([5.0, 95.0], 95.0, "higher", MET),
    ([9.0, 7.5], 8.0, "lower", MET), ([7.0, 8.5], 8.0, "lower", MISSED), ([42.0], 40.0, "lower", MISSED),
])
def test_the_last_dot_is_green_when_the_target_is_met_and_red_when_not(values: list[float], target: float,
                                                                        better: str, colour: str) -> None:
    svg = parse(kpi_chart(report(values, target, better, unit="hours")))
    last = [e for e in svg.iter(f"{SVG}circle") if e.get("class") == "last"]
    assert [e.get("fill") for e in last] == [colour]
    assert sum(1 for e in svg.iter() if e.get("fill") in (MET, MISSED)) == 1


@pytest.mark.parametrize("name", list(CASES))
def test_every_label_lies_inside_the_picture_and_month_labels_do_not_touch(name: str) -> None:
    svg = parse(kpi_chart(CASES[name]))
    found = labels(svg)
    assert found, "a chart has labels"
    for label in found:
        assert 0 <= label.left and label.right <= WIDTH, label
        assert 0 <= label.top and label.bottom <= HEIGHT, label
    shown = month_labels_of(svg)
    assert all(a.right < b.left for a, b in zip(shown, shown[1:])), shown
    assert 1 <= len(shown) <= MAX_LABELS
    assert shown[-1].text.startswith(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                      "Dec"))
    axis = next(e for e in svg.iter(f"{SVG}path") if e.get("d", "").count("V") == 1)
    left = float(re.match(r"M([\d.]+)", axis.get("d", "")).group(1))  # type: ignore[union-attr]
    assert all(label.right < left for label in y_labels_of(svg)), "y labels stay left of the axis"


@pytest.mark.parametrize("name", list(CASES))
def test_y_labels_grid_dots_and_target_trace_back_to_the_values(name: str) -> None:
    case = CASES[name]
    svg = parse(kpi_chart(case))
    y_labels = y_labels_of(svg)
    grid = path_ys(next(e for e in svg.iter(f"{SVG}path") if e.get("class") == "grid"))
    numbers = [value_of(label.text) for label in y_labels]
    assert 2 <= len(numbers) <= 5 and len(grid) == len(numbers)
    steps = {round(b - a, 9) for a, b in zip(numbers, numbers[1:])}
    assert len(steps) == 1, "evenly spaced"
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5)), step
    assert len(set(label.text for label in y_labels)) == len(y_labels), "no label repeats"
    decimals = {len(label.text.partition(".")[2]) for label in y_labels}
    assert decimals == {max(min(case.kpi.decimals, 1), len(f"{step:.6f}".rstrip("0").partition(".")[2]))}
    # Each label sits on its grid line; the grid's scale places the dots and the target line at their values.
    for label, y in zip(y_labels, grid):
        assert abs((label.top + label.bottom) / 2 - y) < 0.6, label
    scale = (grid[0] - grid[-1]) / (numbers[-1] - numbers[0])

    def value_at(y: float) -> float:
        return numbers[0] + (grid[0] - y) / scale

    tolerance = 0.011 / scale  # coordinates are written to 0.01 pt
    target = path_ys(next(e for e in svg.iter(f"{SVG}path") if e.get("class") == "target"))
    assert len(target) == 1 and abs(value_at(target[0]) - case.kpi.target) <= tolerance
    series = next(e for e in svg.iter(f"{SVG}g") if e.get("class") == "series")
    line = series.find(f"{SVG}polyline")
    if len(case.values) > 1:
        assert line is not None
        points = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
        assert [round(value_at(y) - v, 6) for (_, y), v in zip(points, case.values)] == pytest.approx(
            [0.0] * len(case.values), abs=tolerance)
        xs = [x for x, _ in points]
        assert all(b > a for a, b in zip(xs, xs[1:]))
    dots = list(series.iter(f"{SVG}circle"))
    assert len(dots) == (len(case.values) if len(case.values) <= 3 * MAX_LABELS else 1)
    assert abs(value_at(float(dots[-1].get("cy", 0))) - case.values[-1]) <= tolerance


@settings(max_examples=300, deadline=None, derandomize=True)
@given(low=st.floats(-1e6, 1e6), span=st.floats(0.5, 1e6))
def test_y_ticks_are_matplotlibs_where_its_steps_fit_the_decimals(low: float, span: float) -> None:
    """With three decimals allowed, the ticks are those MaxNLocator(nbins=4) puts inside the range."""
    from matplotlib.ticker import MaxNLocator

    high = low + span
    edge = 1e-6 * span  # a tick within rounding of an end may fall either side; compare the ones clearly inside

    def inside(ticks: list[float]) -> list[float]:
        return [t for t in ticks if low + edge <= t <= high - edge]

    theirs = [float(t) for t in MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)]
    ours, _ = y_ticks(low, high, 3)
    assert inside(ours) == pytest.approx(inside(theirs), rel=1e-9, abs=1e-9 * span)
    assert all(low - edge <= t <= high + edge for t in ours)


@pytest.mark.parametrize(("low", "high", "decimals", "ticks", "printed"), [
    (87.0, 96.0, 1, [87.5, 90.0, 92.5, 95.0], 1),
    (0.85, 2.15, 0, [1.0, 2.0], 0),  # MaxNLocator would take 0.5, shown as '1', '2', '2'
    (0.1172, 0.1328, 3, [0.12, 0.125, 0.13], 3),  # ... and 0.0025, shown as '0.1' three times
    (1.085, 1.215, 0, [1.1, 1.15, 1.2], 2),  # no whole number fits: finer steps, with the decimals they need
    (4.0, 6.0, 1, [4.0, 4.5, 5.0, 5.5, 6.0], 1),
    (0.0, 1.0, 1, [0.0, 0.5, 1.0], 1),  # 0.25 would print as '0.2' and '0.8'
    (0.0, 1.0, 2, [0.0, 0.25, 0.5, 0.75, 1.0], 2),
])
def test_y_ticks_never_need_more_decimals_than_they_print(low: float, high: float, decimals: int,
                                                          ticks: list[float], printed: int) -> None:
    found, places = y_ticks(low, high, decimals)
    assert found == pytest.approx(ticks) and places == printed


def test_example_charts_are_small_and_plain() -> None:
    reports = example_reports()
    assert len(reports) >= 10
    for case in reports:
        data = kpi_chart(case)
        assert len(data) < 6000
        svg = parse(data)
        assert svg[0].text == case.kpi.name
        assert [label.text for label in labels(svg)][-1] == "target"


def test_building_the_meeting_pack_imports_no_plotting_library(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom generator.cli import main\n"
        f"code = main(['build', '--content', {str(EXAMPLE)!r}, '--output', {str(tmp_path / 'out')!r},"
        " '--as-of', '2026-11-23', '--only', 'account:*', '--only', 'site:index', '--jobs', '1'])\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'numpy', 'pptx'}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "STORYPACK_CHART_CACHE": "off"})
    assert done.stdout.splitlines()[-1] == "0 []"
    assert "built 3 unit(s)" in done.stdout
    assert len(list((tmp_path / "out/site").rglob("kpi-*.svg"))) >= 10
