"""A chart picture drawn on a prepared figure kept from earlier charts (generator/deck/charts/prepared.py), with its
text remembered (canvas.py), is the picture matplotlib draws on a new figure: the same bytes, whatever was drawn
before and in any order, and nothing of one chart is left on the figure for the next."""

from __future__ import annotations

import contextlib
import dataclasses
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from generator.deck.charts import picture, prepared
from generator.deck.charts.theme import ChartTheme
from generator.story.charts import CHARTS, ChartSpec, Panel

GRID = (6.0, 2.7)
OTHER_SIZES = [(4.34, 1.73), (4.5, 3.6)]
"""A 4:3 template's chart box and a narrow tall one (two panels stack)."""


def _panels(spec: ChartSpec, change: Any) -> ChartSpec:
    return dataclasses.replace(spec, panels=tuple(change(panel) for panel in spec.panels))


def _axes(panel: Panel, change: Any) -> Panel:
    return dataclasses.replace(panel, y=change(panel.y), y2=None if panel.y2 is None else change(panel.y2))


def _months(spec: ChartSpec, count: int) -> ChartSpec:
    """Return the spec over `count` months: its own cut short, or repeated with the year added."""
    def values(panel: Panel) -> Panel:
        series = tuple(dataclasses.replace(s, values=(s.values * 3)[:count], status=(s.status * 3)[:count])
                       for s in panel.series)
        keep = [e for e in panel.events if e.x < count]
        return dataclasses.replace(panel, series=series, events=tuple(keep),
                                   annotations=tuple(a for a in panel.annotations if a.x < count),
                                   targets=tuple(dataclasses.replace(t, at=tuple(x for x in t.at if x < count))
                                                 for t in panel.targets))
    labels = tuple(f"{x} {20 + i // len(spec.x_labels)}" if count > len(spec.x_labels) else x
                   for i, x in enumerate((spec.x_labels * 3)[:count]))
    return dataclasses.replace(_panels(spec, values), x_labels=labels)


VARIANTS = {
    "as is": lambda spec: spec,
    "no limits": lambda spec: _panels(spec, lambda p: _axes(p, lambda y: dataclasses.replace(y, limits=None))),
    "bare": lambda spec: _panels(spec, lambda p: dataclasses.replace(p, events=(), annotations=(), targets=(),
                                                                         title="")),
    "axis titles": lambda spec: _panels(spec, lambda p: _axes(p, lambda y: dataclasses.replace(y, label="Share"))),
    "two years": lambda spec: _months(spec, 24),
    "half a year": lambda spec: _months(spec, 6),
    "scaled": lambda spec: _panels(spec, lambda p: dataclasses.replace(
        _axes(p, lambda y: dataclasses.replace(y, limits=None)),
        series=tuple(dataclasses.replace(s, values=tuple(v * 37.5 for v in s.values)) for s in p.series),
        targets=tuple(dataclasses.replace(t, value=t.value * 37.5) for t in p.targets),
        annotations=tuple(dataclasses.replace(a, y=a.y * 37.5) for a in p.annotations))),
}
"""Versions of a chart that differ from it where something left over from another chart would show."""


@contextlib.contextmanager
def as_matplotlib_draws() -> Iterator[None]:
    """Within the block, every chart is drawn on a new figure, its text measured and drawn by matplotlib itself."""
    saved = picture.text_caches, picture.unplaced_empty_labels
    picture.text_caches = lambda fonts: contextlib.nullcontext()  # type: ignore[assignment,misc]
    picture.unplaced_empty_labels = lambda drawing: None  # type: ignore[assignment]
    try:
        yield
    finally:
        picture.text_caches, picture.unplaced_empty_labels = saved  # type: ignore[assignment,misc]


def stock(spec: ChartSpec, size: tuple[float, float], theme: ChartTheme) -> bytes:
    """Return the chart as matplotlib draws it on a new figure, without anything remembered."""
    with as_matplotlib_draws():
        prepared.forget_all()
        return picture.draw_chart(spec, *size, theme)


@pytest.fixture(scope="module")
def cases(specs: dict[str, ChartSpec]) -> list[tuple[str, ChartSpec, tuple[float, float], ChartTheme]]:
    """Every chart in every version at the grid size; every chart as is in another theme and at the other sizes."""
    deck = ChartTheme(series=("#00524C", "#7A8B99", "#F2A900", "#3D3D3D", "#B7C9D3"), text="#222222",
                      fonts=("Caladea", "Carlito"))
    found = [(f"{name} {variant}", change(spec), GRID, ChartTheme())
             for name, spec in specs.items() for variant, change in VARIANTS.items()]
    return found + [(f"{name} in the deck's theme", spec, GRID, deck) for name, spec in specs.items()] + [
        (f"{name} at {size}", spec, size, ChartTheme()) for name, spec in specs.items() for size in OTHER_SIZES]


def test_reused_figures_draw_the_bytes_of_new_ones_in_any_order(cases: list[Any]) -> None:
    expected = {what: stock(spec, size, theme) for what, spec, size, theme in cases}
    orders = [list(reversed(cases)), random.Random(14).sample(cases, len(cases))]
    for order in orders:
        prepared.forget_all()
        drawn = {what: picture.draw_chart(spec, *size, theme) for what, spec, size, theme in order}
        assert [what for what in expected if drawn[what] != expected[what]] == []
    assert len(prepared._KEPT) == prepared.KEEP, "more layouts than kept: figures were dropped and made again"


def describe(figure: Any) -> list[Any]:
    """Return what a drawing leaves on a figure and its axes (not the ticks, of which a kept figure has more)."""
    found: list[Any] = [[type(artist).__name__ for artist in figure.artists]]
    for ax in figure.axes:
        found.append({
            "children": sorted(Counter(type(child).__name__ for child in ax.get_children()).items()),
            "texts": [(t.get_text(), t.get_position(), t.get_fontsize(), t.xyann) for t in ax.texts],
            "lines": [(line.get_gid(), line.get_xydata().tolist()) for line in ax.lines],
            "limits": (ax.get_xlim(), ax.get_ylim(), ax.dataLim.bounds, ax.get_autoscalex_on(),
                       ax.get_autoscaley_on()),
            "ticks": (list(ax.get_xticks()), [t.get_text() for t in ax.get_xticklabels()], list(ax.get_yticks())),
            "titles": [(t.get_text(), t.get_fontsize(), t.get_position())
                       for t in (ax.title, ax._left_title, ax._right_title)],
            "labels": (ax.get_xlabel(), ax.get_ylabel(), ax.xaxis.label.get_position(),
                       ax.yaxis.label.get_position()),
            "place": (ax.get_position().bounds, ax.get_position(original=True).bounds, ax.get_zorder(),
                      ax.patch.get_visible(), len(ax.containers)),
        })
    return found


@pytest.mark.parametrize("name", list(CHARTS))
def test_nothing_of_one_chart_is_left_for_the_next(specs: dict[str, ChartSpec], name: str) -> None:
    rich = VARIANTS["axis titles"](VARIANTS["two years"](specs[name]))
    plain = VARIANTS["bare"](VARIANTS["no limits"](VARIANTS["half a year"](specs[name])))
    for first, then in ((rich, plain), (plain, rich)):
        prepared.forget_all()
        fresh = describe(picture._drawn_figure(then, *GRID, ChartTheme()))
        prepared.forget_all()
        figure = picture._drawn_figure(first, *GRID, ChartTheme())
        again = picture._drawn_figure(then, *GRID, ChartTheme())
        assert again is figure, "the figure of the same layout is reused"
        assert describe(again) == fresh


def test_a_figure_whose_drawing_failed_is_not_kept(specs: dict[str, ChartSpec],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    spec, theme = specs["backlog"], ChartTheme()
    expected = stock(spec, GRID, theme)
    prepared.forget_all()

    def fails(*args: Any) -> None:
        raise RuntimeError("drawing failed half way")

    with monkeypatch.context() as patched:
        patched.setattr(picture, "place", fails)
        with pytest.raises(RuntimeError):
            picture.draw_chart(spec, *GRID, theme)
    assert prepared._KEPT == {}
    assert picture.draw_chart(spec, *GRID, theme) == expected
