"""Chart specs carry the figures of content/metrics.yaml, and every chart draws as a PNG of the size asked for."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from generator.charts import CHARTS, ChartSpec, ChartTheme, YAxis, cache_key, chart_cache, draw_chart
from generator.figures import Figures

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"grid": (6.0, 2.7), "alone": (7.0, 4.6)}


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
        "from generator.charts import CHARTS, draw_chart\n"
        "from generator.figures import compute\n"
        "from generator.story import load_story\n"
        f"figures = compute(load_story(Path({str(ROOT / 'content')!r})).metrics)\n"
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
        "from generator.charts import CHARTS, chart_cache, draw_chart\n"
        "from generator.figures import compute\n"
        "from generator.story import load_story\n"
        f"spec = CHARTS['cost'](compute(load_story(Path({str(ROOT / 'content')!r})).metrics))\n"
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
