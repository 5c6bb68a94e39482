"""Chart specs carry the figures of content/metrics.yaml, and every chart draws as a PNG of the size asked for."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import importlib.util
import io
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image

from generator.deck.charts import axes, titles
from generator.deck.charts import picture as charts
from generator.deck.charts.faces import only_these_fonts
from generator.deck.charts.labels import line_points
from generator.deck.charts.picture import cache_key, chart_cache, draw_chart
from generator.deck.charts.theme import ChartTheme
from generator.fonts import NO_FONTS
from generator.story.charts import CHARTS, ChartSpec, YAxis
from generator.story.figures import Figures
from tests.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"grid": (6.0, 2.7), "alone": (7.0, 4.6)}
SMALL_SIZES = {"4:3 grid": (4.34, 1.73), "4:3 alone": (5.31, 4.08), "narrow": (3.6, 2.2), "narrow tall": (4.5, 3.6)}
"""The chart boxes of a 4:3 template (tests/fixtures/templates/scanny-...), and narrower ones for two panels."""


def test_chart_names() -> None:
    assert list(CHARTS) == ["volume", "level1", "satisfaction", "backlog", "sla", "cost"]


@pytest.mark.parametrize("size", SIZES.values(), ids=list(SIZES))
@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_draws_a_png_of_the_requested_size(specs: dict[str, ChartSpec], name: str,
                                                       size: tuple[float, float]) -> None:
    png = draw_chart(specs[name], *size)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size
    assert abs(width - size[0] * 150) <= 1 and abs(height - size[1] * 150) <= 1
    assert image.info.get("dpi") and round(image.info["dpi"][0]) == 150
    assert "Software" not in image.info


def test_every_spec_has_a_caption_and_one_value_per_label(specs: dict[str, ChartSpec]) -> None:
    for name, spec in specs.items():
        assert spec.name == name and spec.title
        assert all(len(s.values) == len(spec.x_labels) for s in spec.series), name
        assert all(0 <= a.x < len(spec.x_labels) for a in spec.annotations), name


def test_volume_stacks_channels_to_monthly_totals(figures: Figures, specs: dict[str, ChartSpec]) -> None:
    spec, calls = specs["volume"], figures.kpis["calls"]
    stacked = [s for s in spec.series if s.kind == "stacked"]
    assert [s.name for s in stacked] == list(figures.channels)
    assert tuple(sum(column) for column in zip(*(s.values for s in stacked))) == pytest.approx(calls.values)
    assert spec.x_labels[0] == "Nov" and len(spec.x_labels) == len(figures.months)


def test_volume_annotates_each_spike_with_its_change_and_rise(figures: Figures,
                                                              specs: dict[str, ChartSpec]) -> None:
    (spike,) = figures.spikes
    (note,) = specs["volume"].annotations
    assert note.text == "ERP 7.2 release +30.6%" == f"{spike.name} {spike.spike}"
    assert note.x == figures.months.index(spike.month) and note.y == spike.volume.value


def test_volume_target_is_the_reduction_on_the_first_quarter(figures: Figures,
                                                             specs: dict[str, ChartSpec]) -> None:
    calls = figures.kpis["calls"]
    assert calls.compare is not None and calls.target_value == -10
    (target,) = specs["volume"].targets
    assert target.value == pytest.approx(calls.compare[0] * 0.9)
    assert target.label == "Target: -10% vs first quarter"
    assert "-10.5%" in specs["volume"].title and "met" in specs["volume"].title


@pytest.mark.parametrize(("name", "keys"), [
    ("level1", ["level1"]), ("satisfaction", ["csat", "effort"]), ("cost", ["cost_per_ticket"]),
])
def test_target_lines_carry_the_kpi_targets(figures: Figures, specs: dict[str, ChartSpec], name: str,
                                            keys: list[str]) -> None:
    spec = specs[name]
    assert [t.value for t in spec.targets] == [figures.kpis[k].target_value for k in keys]
    assert [t.label for t in spec.targets] == [f"Target {figures.kpis[k].target}" for k in keys]
    lines = [s for s in spec.series if s.kind == "line"]
    assert [s.values for s in lines] == [figures.kpis[k].values for k in keys]
    assert all(s.status[-1] == "met" for s in lines)


def test_level1_and_cost_put_their_context_bars_on_the_right_axis(figures: Figures,
                                                                  specs: dict[str, ChartSpec]) -> None:
    for name, key in (("level1", "escalations"), ("cost", "total_cost")):
        (bars,) = [s for s in specs[name].series if s.kind == "bar"]
        assert bars.axis == "right" and bars.values == figures.kpis[key].values


def test_backlog_stacks_age_buckets_and_states_the_debt_ratio(figures: Figures,
                                                              specs: dict[str, ChartSpec]) -> None:
    spec = specs["backlog"]
    stacked = [s for s in spec.series if s.kind == "stacked"]
    assert [s.name for s in stacked] == list(figures.age_buckets)
    totals = tuple(float(sum(row)) for row in figures.open_tickets)
    assert tuple(sum(column) for column in zip(*(s.values for s in stacked))) == totals
    (debt,) = [s for s in spec.series if s.kind == "line"]
    assert debt.axis == "right" and debt.values == figures.kpis["support_debt"].values
    assert spec.title == "Debt +6% vs revenue +7.5%: ratio 0.80 (target below 1.00): met"


def test_sla_compares_each_priority_with_its_target_and_flags_misses(figures: Figures,
                                                                     specs: dict[str, ChartSpec]) -> None:
    spec, levels = specs["sla"], figures.service_levels
    assert spec.x_labels == ("P1", "P2", "P3", "P4")
    response, resolution = spec.series
    assert response.values == tuple(lv.response.value for lv in levels)
    assert resolution.values == tuple(lv.resolution.value for lv in levels)
    assert [(t.at, t.value) for t in spec.targets] == [((i,), lv.target.value) for i, lv in enumerate(levels)]
    assert response.status == ("met",) * 4
    assert resolution.status == ("met", "met", "met", "missed")
    assert "3 of 4" in spec.title and "P4 resolution 89.7% (target 90%)" in spec.title


def test_two_draws_are_byte_identical(specs: dict[str, ChartSpec]) -> None:
    assert draw_chart(specs["backlog"], 6.0, 2.7) == draw_chart(specs["backlog"], 6.0, 2.7)


def test_draws_are_byte_identical_across_processes_and_specs_need_no_matplotlib(
        specs: dict[str, ChartSpec]) -> None:
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from generator.deck.charts.picture import draw_chart\nfrom generator.story.charts import CHARTS\n"
        "from generator.story.figures import compute\n"
        "from generator.story.load import load_story\n"
        f"figures = compute(load_story(Path({str(EXAMPLE)!r})).metrics)\n"
        "specs = {name: build(figures) for name, build in CHARTS.items()}\n"
        "assert 'matplotlib' not in sys.modules, 'building specs imported matplotlib'\n"
        "for name in reversed(specs):\n"  # in another order: what a process drew before does not matter
        "    print(name, hashlib.sha256(draw_chart(specs[name], 6.0, 2.7)).hexdigest())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    here = {name: hashlib.sha256(draw_chart(spec, 6.0, 2.7)).hexdigest() for name, spec in specs.items()}
    assert dict(line.split() for line in done.stdout.splitlines()) == here


def test_a_missing_font_falls_back_and_still_draws(specs: dict[str, ChartSpec]) -> None:
    png = draw_chart(specs["sla"], 6.0, 2.7, ChartTheme(fonts=("No Such Font Family",)))
    assert Image.open(io.BytesIO(png)).size == (900, 405)


def test_a_transparent_background_keeps_the_alpha_channel(specs: dict[str, ChartSpec]) -> None:
    image = Image.open(io.BytesIO(draw_chart(specs["volume"], 6.0, 2.7, ChartTheme(background="none"))))
    assert image.mode == "RGBA" and image.size == (900, 405)
    assert image.getchannel("A").getextrema() == (0, 255)


def test_bars_on_an_axis_without_limits_are_drawn(specs: dict[str, ChartSpec]) -> None:
    """Without fixed limits, bars are drawn as patches that the axis scales to."""
    panel = specs["volume"].panels[0]
    unlimited = dataclasses.replace(specs["volume"], panels=(dataclasses.replace(panel, y=YAxis("count")),))
    image = Image.open(io.BytesIO(draw_chart(unlimited, 6.0, 2.7))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(1 << 16) or []}
    assert image.size == (900, 405) and {(0x1F, 0x3A, 0x5F), (0x2A, 0x9D, 0x8F)} <= colours


def test_the_chart_cache_gives_the_bytes_drawing_gives(specs: dict[str, ChartSpec], tmp_path: Path) -> None:
    drawn = draw_chart(specs["level1"], 6.0, 2.7)
    with chart_cache(tmp_path / "charts"):
        stored = draw_chart(specs["level1"], 6.0, 2.7)
        assert len(list((tmp_path / "charts").glob("*.png"))) == 1
        read = draw_chart(specs["level1"], 6.0, 2.7)
        draw_chart(specs["level1"], 6.0, 2.8)
        draw_chart(specs["level1"], 6.0, 2.7, ChartTheme(series=("#000000",) * 5))
        assert len(list((tmp_path / "charts").glob("*.png"))) == 3
    assert drawn == stored == read
    with chart_cache(None):
        assert draw_chart(specs["level1"], 6.0, 2.7) == drawn


def test_without_a_cache_folder_nothing_is_stored(specs: dict[str, ChartSpec], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    draw_chart(specs["sla"], 6.0, 2.7)
    monkeypatch.setenv("STORYPACK_CHART_CACHE", "off")
    with chart_cache(tmp_path / "charts"):
        draw_chart(specs["sla"], 6.0, 2.7)
    assert list(tmp_path.iterdir()) == []


def test_a_cached_chart_is_read_without_loading_matplotlib(specs: dict[str, ChartSpec], tmp_path: Path) -> None:
    with chart_cache(tmp_path):
        drawn = draw_chart(specs["cost"], 7.0, 4.6)
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from generator.deck.charts.picture import chart_cache, draw_chart\nfrom generator.story.charts import CHARTS\n"
        "from generator.story.figures import compute\n"
        "from generator.story.load import load_story\n"
        f"spec = CHARTS['cost'](compute(load_story(Path({str(EXAMPLE)!r})).metrics))\n"
        f"with chart_cache(Path({str(tmp_path)!r})):\n"
        "    png = draw_chart(spec, 7.0, 4.6)\n"
        "assert 'matplotlib' not in sys.modules, 'a cached chart loaded matplotlib'\n"
        "print(hashlib.sha256(png).hexdigest())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == hashlib.sha256(drawn).hexdigest()


def test_the_cache_key_changes_with_what_changes_the_picture(specs: dict[str, ChartSpec]) -> None:
    key = cache_key(specs["volume"], 6.0, 2.7, ChartTheme())
    assert key == cache_key(specs["volume"], 6.0, 2.7, ChartTheme())
    assert len({key, cache_key(specs["backlog"], 6.0, 2.7, ChartTheme()),
                cache_key(specs["volume"], 6.0, 2.75, ChartTheme()),
                cache_key(specs["volume"], 6.0, 2.7, ChartTheme(fonts=("DejaVu Sans",)))}) == 4


NOT_DRAWING = {"generator.cache", "generator.hashing"}
"""Modules the drawing code imports that decide no pixel: the cache reads and stores the pictures, hashing names them
(the font files' bytes are in the key themselves)."""


def generator_imports(module: ModuleType) -> set[str]:
    """Return the generator modules a module imports, at its top or inside its functions."""
    found = set()
    for node in ast.walk(ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("generator")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
            for alias in node.names:  # `from generator.story import figures` imports a module
                name = f"{node.module}.{alias.name}"
                found.add(name if name in sys.modules or _is_module(name) else str(node.module))
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent is a module, not a package
        return False


def test_the_cache_key_holds_every_module_the_drawing_code_imports() -> None:
    """A module the picture code imports decides pixels: its source must be in the cache key, else a change
    to it would leave stale pictures in the cache."""
    modules = charts.drawing_modules()
    keyed = {module.__name__ for module in modules}
    assert {"generator.deck.charts.picture", "generator.deck.charts.layout", "generator.ticks", "generator.fonts",
            "generator.story.figures", "generator.story.formatting"} <= keyed
    assert not any(name.rsplit(".", 1)[-1].startswith("native") for name in keyed)
    drawing = [module for module in modules if not module.__name__.startswith("generator.story.")]  # the story's
    # modules are keyed for the formatting and spans the drawing code calls, not for what they import
    missing = {f"{module.__name__} imports {name}" for module in drawing for name in generator_imports(module)
               if name not in keyed | NOT_DRAWING}
    assert missing == set()


def test_the_cache_key_changes_with_the_drawing_code(specs: dict[str, ChartSpec],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import ticks

    every, key = charts.drawing_modules(), cache_key(specs["volume"], 6.0, 2.7, ChartTheme())
    monkeypatch.setattr(charts, "drawing_modules", lambda: tuple(m for m in every if m is not ticks))
    charts._drawing_versions.cache_clear()
    try:
        assert cache_key(specs["volume"], 6.0, 2.7, ChartTheme()) != key
    finally:
        charts._drawing_versions.cache_clear()


def drawn_texts(spec: ChartSpec, width: float, height: float) -> list[tuple[str, Any]]:
    """Return every text drawn on the chart with its box in pixels."""
    import matplotlib
    from matplotlib.text import Text

    theme = ChartTheme()
    figure = charts._drawn_figure(spec, width, height, theme)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    with matplotlib.rc_context(charts._rc(theme)), only_these_fonts(NO_FONTS):  # the chart's fonts
        texts = [a for a in figure.artists if isinstance(a, Text)]
        for ax in figure.axes:
            texts += [*ax.texts, ax.title, ax._left_title, ax._right_title]  # type: ignore[attr-defined]
            texts += [t for axis in (ax.xaxis, ax.yaxis) if axis.get_visible()
                      for t in [axis.label, *axis.get_ticklabels()]]
        drawn = [(t.get_text(), t.get_window_extent(renderer), Text.get_window_extent(t, renderer))
                 for t in texts if t.get_visible() and t.get_text()]
    # an annotation whose point lies outside its plot is not drawn and has an empty box
    return [(text, box) for text, whole, box in drawn if whole.width > 1 or whole.height > 1]


@pytest.mark.parametrize("size", SMALL_SIZES.values(), ids=list(SMALL_SIZES))
@pytest.mark.parametrize("name", list(CHARTS))
def test_small_charts_keep_every_text_apart_and_inside_the_picture(specs: dict[str, ChartSpec], name: str,
                                                                   size: tuple[float, float]) -> None:
    assert_texts_apart_and_inside(specs[name], size)


@pytest.mark.parametrize("size", [SIZES["grid"], SMALL_SIZES["4:3 grid"]], ids=["grid", "4:3 grid"])
@pytest.mark.parametrize("name", [name for name in CHARTS if name != "sla"])  # the monthly charts
def test_long_category_labels_keep_clear_of_the_corners(specs: dict[str, ChartSpec], name: str,
                                                        size: tuple[float, float]) -> None:
    """Over more than LONG_SPAN_MONTHS, months carry their year ('Oct 26'): the end labels must still fit."""
    spec, times = specs[name], 4
    panels = tuple(dataclasses.replace(panel, series=tuple(
        dataclasses.replace(s, values=s.values * times, status=s.status * times) for s in panel.series))
        for panel in spec.panels)
    labels = tuple(f"{x} {23 + i}" for i in range(times) for x in spec.x_labels)
    assert_texts_apart_and_inside(dataclasses.replace(spec, x_labels=labels, panels=panels), size)


def assert_texts_apart_and_inside(spec: ChartSpec, size: tuple[float, float]) -> None:
    """Assert that no two texts of the chart drawn at `size` overlap and that all lie inside the picture."""
    texts = drawn_texts(spec, *size)
    width, height = size[0] * charts.DPI, size[1] * charts.DPI
    outside = [text for text, box in texts if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5
               or box.y1 > height + 0.5]
    assert outside == []
    overlapping = [f"{a}/{b}" for i, (a, box_a) in enumerate(texts) for b, box_b in texts[i + 1:]
                   if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 1
                   and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 1]
    assert overlapping == []


@pytest.mark.parametrize("size", [*SIZES.values(), *SMALL_SIZES.values()], ids=[*SIZES, *SMALL_SIZES])
@pytest.mark.parametrize("name", ["level1", "satisfaction", "backlog", "cost"])
def test_value_ticks_are_at_least_one_and_a_half_lines_apart(specs: dict[str, ChartSpec], name: str,
                                                             size: tuple[float, float]) -> None:
    import matplotlib
    from matplotlib.font_manager import FontProperties

    theme = ChartTheme()
    figure = charts._drawn_figure(specs[name], *size, theme)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    gaps = []
    with matplotlib.rc_context(charts._rc(theme)), only_these_fonts(NO_FONTS):  # the chart's fonts
        line = renderer.get_text_width_height_descent("lp", FontProperties(size=theme.tick_size), ismath=False)[1]
        for ax in figure.axes:
            centres = sorted((box.y0 + box.y1) / 2 for box in (
                t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_visible() and t.get_text()))
            gaps += [b - a for a, b in zip(centres, centres[1:])]
    assert gaps and min(gaps) >= axes.TICK_GAP_LINES * line - 0.5


def test_two_panels_stack_in_a_narrow_tall_picture_and_sit_side_by_side_otherwise(
        specs: dict[str, ChartSpec]) -> None:
    def plots(size: tuple[float, float]) -> list[Any]:
        figure = charts._drawn_figure(specs["satisfaction"], *size, ChartTheme())
        return [ax.get_position() for ax in figure.axes]

    upper, lower = plots(SMALL_SIZES["narrow tall"])
    assert upper.y0 > lower.y1 and upper.x0 == lower.x0 and upper.width == lower.width
    for size in (SIZES["grid"], SMALL_SIZES["4:3 grid"], (6.5, 4.0)):
        left, right = plots(size)
        assert left.x1 < right.x0 and left.y0 == right.y0 and left.height == right.height


def test_panel_titles_shrink_then_wrap_in_one_size() -> None:
    def measure(text: str, points: float) -> float:  # 0.01 in per letter and point
        return len(text) * points / 100

    fit = titles.fit_titles
    assert fit(["Short", "Shorter"], [10.0, 10.0], measure, 12.0) == [("Short", 12.0), ("Shorter", 12.0)]
    assert fit(["Short", "Long title"], [1.0, 1.0], measure, 12.0) == [("Short", 10.0), ("Long title", 10.0)]
    assert fit(["Short", "A rather long title"], [1.0, 1.0], measure, 12.0) == [
        ("Short", 10.0), ("A rather\nlong title", 10.0)]
    assert fit(["Incomprehensibilities everywhere"], [1.0], measure, 12.0) == [
        ("Incomprehensibilities\neverywhere", titles.TITLE_MIN_SIZE)]


def test_category_labels_thin_out_to_fit_the_plot(specs: dict[str, ChartSpec]) -> None:
    def shown(size: tuple[float, float]) -> list[str]:
        figure = charts._drawn_figure(specs["satisfaction"], *size, ChartTheme())
        return [t.get_text() for t in figure.axes[0].get_xticklabels()]

    assert shown((12.0, 3.0)) == list(specs["satisfaction"].x_labels)
    few = shown(SMALL_SIZES["4:3 grid"])
    assert few[-1] == "Oct" and 2 <= len(few) < 12


@pytest.mark.parametrize("size", [SIZES["grid"], *SMALL_SIZES.values()], ids=["grid", *SMALL_SIZES])
def test_target_labels_keep_off_the_data_lines(specs: dict[str, ChartSpec], size: tuple[float, float]) -> None:
    figure = charts._drawn_figure(specs["satisfaction"], *size, ChartTheme())
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = 0
    with only_these_fonts(NO_FONTS):  # the chart's fonts
        for ax in figure.axes:
            points = line_points([line for line in ax.lines if line.get_gid() == "series"])
            for text in (t for t in ax.texts if t.get_gid() == "target-label"):
                box, labels = text.get_window_extent(renderer), labels + 1
                assert not any(box.contains(x, y) for x, y in points), text.get_text()
    assert labels == 2
