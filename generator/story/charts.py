"""The charts of the success story as pure specs: every chart a frozen `ChartSpec` built from `Figures`.

As python-pptx builds a chart from a `ChartData` prepared in advance, every chart here is first a
spec (series, targets, annotations, axis formats) computed from the figures; the deck draws a spec
as a picture or as an editable chart (`generator.deck.charts`), both showing value ticks over the
span `data_span` gives. Nothing here draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from generator.read.months import month, short_month
from generator.story.figures import Figures, Kpi, Unit

SeriesKind = Literal["line", "bar", "stacked"]
"""line: a line with a dot per point; bar: side by side with the panel's other bars; stacked: bars on each other."""
Side = Literal["left", "right"]
Status = Literal["met", "missed", ""]
ValueLabels = Literal["none", "last", "all"]


# --- the spec ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One data series: its name in the legend, one value per x label, and how it is drawn."""

    name: str
    values: tuple[float, ...]
    kind: SeriesKind
    colour: int = 0
    """Index into the theme's series colours."""
    axis: Side = "left"
    status: tuple[Status, ...] = ()
    """Per point, met or missed against its target ('' for no target); missed bars are highlighted."""
    value_labels: ValueLabels = "none"


@dataclass(frozen=True)
class TargetLine:
    """An expectation drawn as a dashed line: across the whole panel, or over the listed x positions only."""

    label: str
    value: float
    at: tuple[int, ...] = ()
    axis: Side = "left"


@dataclass(frozen=True)
class Annotation:
    """A callout pointing at the point (x, y), e.g. the release behind a spike."""

    text: str
    x: int
    y: float
    axis: Side = "left"


@dataclass(frozen=True)
class Event:
    """A month shaded and flagged above the plot, e.g. the release that explains a dip."""

    x: int
    label: str


@dataclass(frozen=True)
class YAxis:
    """How a value axis reads: the unit of its tick labels, an optional title and fixed limits."""

    unit: Unit
    currency: str = ""
    label: str = ""
    limits: tuple[float, float] | None = None
    """(bottom, top); ticks are only shown where there are data, so a series can be kept to part of the height."""


@dataclass(frozen=True)
class Panel:
    """One plot area: series on a left and optionally a right value axis, with targets and callouts."""

    series: tuple[Series, ...]
    y: YAxis
    y2: YAxis | None = None
    targets: tuple[TargetLine, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    events: tuple[Event, ...] = ()
    title: str = ""
    """Drawn above the panel when a chart has several panels."""


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw one chart; `title` is a caption for the slide, not drawn in the picture."""

    name: str
    title: str
    x_labels: tuple[str, ...]
    panels: tuple[Panel, ...]

    @property
    def series(self) -> tuple[Series, ...]:
        """Return the series of every panel, in order."""
        return tuple(s for panel in self.panels for s in panel.series)

    @property
    def targets(self) -> tuple[TargetLine, ...]:
        """Return the target lines of every panel, in order."""
        return tuple(t for panel in self.panels for t in panel.targets)

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """Return the callouts of every panel, in order."""
        return tuple(a for panel in self.panels for a in panel.annotations)


def axis_values(panel: Panel, side: Side) -> list[float]:
    """Return every value the panel shows on one side: its series' values, the totals of its stacks, its targets."""
    own = [s for s in panel.series if s.axis == side]
    stacked = [s.values for s in own if s.kind == "stacked"]
    values = [v for s in own for v in s.values] + [sum(column) for column in zip(*stacked)]
    return values + [t.value for t in panel.targets if t.axis == side]


def data_span(panel: Panel, side: Side, values: list[float], low: float) -> tuple[float, float]:
    """Return the lowest and highest of a side's `values` (from `axis_values`); a side with bars reaches down to `low`.

    The deck's pictures and native charts show value ticks over this span only.
    """
    bars = any(s.kind != "line" for s in panel.series if s.axis == side)
    return (low if bars else min(values)), max(values)


NAVY, TEAL, AMBER, SLATE, LIGHT = range(5)
LONG_SPAN_MONTHS = 18
"""Above this many months, axis labels carry the year ('Mar 26')."""


# --- chart builders (pure) --------------------------------------------------------------------------


def volume_chart(figures: Figures) -> ChartSpec:
    """Return tickets per month stacked by channel, with the release spikes and the reduction target."""
    calls = figures.kpis["calls"]
    assert calls.target_value is not None and calls.compare is not None
    colours = _colours([name in figures.self_service_channels for name in figures.channels])
    series = tuple(Series(name, tuple(float(v) for v in values), "stacked", colour)
                   for (name, values), colour in zip(figures.channels.items(), colours))
    target = TargetLine(f"Target: {calls.target} vs first quarter",
                        calls.compare[0] * (1 + calls.target_value / 100))
    spikes = tuple(Annotation(f"{s.name} {s.spike}", figures.months.index(s.month), s.volume.value)
                   for s in figures.spikes)
    top = max(calls.values) * (1.22 if spikes else 1.08)
    title = (f"Tickets last quarter {calls.headline} vs first quarter "
             f"(target {calls.target}): {_verdict(calls)}")
    panel = Panel(series, YAxis("count", limits=(0.0, top)), targets=(target,), annotations=spikes)
    return ChartSpec("volume", title, _month_labels(figures), (panel,))


def level1_chart(figures: Figures) -> ChartSpec:
    """Return Level-1 resolution against its target, with escalations to Level-2 as light bars behind."""
    level1, escalations = figures.kpis["level1"], figures.kpis["escalations"]
    line = Series(level1.label, level1.values, "line", NAVY, status=_statuses(level1), value_labels="last")
    bars = Series(escalations.label, escalations.values, "bar", LIGHT, axis="right")
    targets = _target_lines(level1)
    low, high = _span(level1.values, [t.value for t in targets])
    # The line keeps to the upper part of the height, the bars to the lower part.
    y = YAxis("pct", limits=(high - (high - low) * 2.1, high + (high - low) * 0.12))
    y2 = YAxis("count", limits=(0.0, max(escalations.values) * 2.3))
    title = (f"Level-1 resolution {level1.latest} in {month(figures.months[-1])} "
             f"(target {level1.target}): {_verdict(level1)}; escalations to Level-2 {escalations.change}")
    panel = Panel((line, bars), y, y2, targets, events=_events(figures))
    return ChartSpec("level1", title, _month_labels(figures), (panel,))


def satisfaction_chart(figures: Figures) -> ChartSpec:
    """Return CSAT and customer effort, each against its target, side by side."""
    csat, effort = figures.kpis["csat"], figures.kpis["effort"]
    panels = tuple(
        Panel((Series(kpi.label, kpi.values, "line", colour, status=_statuses(kpi), value_labels="last"),),
              YAxis(kpi.unit, limits=_padded(kpi.values, [kpi.target_value or kpi.values[0]])),
              targets=_target_lines(kpi), events=_events(figures), title=title)
        for kpi, colour, title in (
            (csat, NAVY, "Customer satisfaction (CSAT)"),
            (effort, TEAL, "Customer effort (1-5, lower is better)"),
        ))
    title = (f"CSAT {csat.latest} (target {csat.target}): {_verdict(csat)}; "
             f"customer effort {effort.latest} (target {effort.target}): {_verdict(effort)}")
    return ChartSpec("satisfaction", title, _month_labels(figures), panels)


def backlog_chart(figures: Figures) -> ChartSpec:
    """Return open tickets at month end stacked by age, with support debt (days) as a line above them."""
    debt, ratio = figures.kpis["support_debt"], figures.kpis["debt_ratio"]
    # Light for new tickets, darker with age, amber for the oldest.
    count = len(figures.age_buckets)
    colours = (LIGHT, SLATE, NAVY, TEAL)[:count - 1] + (AMBER,) + (LIGHT, SLATE, NAVY, TEAL) * count
    buckets = tuple(
        Series(bucket, tuple(float(row[i]) for row in figures.open_tickets), "stacked", colours[i])
        for i, bucket in enumerate(figures.age_buckets))
    line = Series("Support debt, days", debt.values, "line", TEAL, axis="right", value_labels="last")
    low, high = _span(debt.values, [])
    totals = [sum(row) for row in figures.open_tickets]
    y = YAxis("count", label="Open tickets", limits=(0.0, max(totals) * 2.1))
    y2 = YAxis("count", limits=(high - (high - low) * 2.4, high + (high - low) * 0.15))
    title = (f"Debt {ratio.debt_change} vs revenue {ratio.revenue_change}: ratio {ratio.latest} "
             f"(target below {ratio.target}): {_verdict(ratio)}")
    panel = Panel(buckets + (line,), y, y2, events=_events(figures))
    return ChartSpec("backlog", title, _month_labels(figures), (panel,))


def sla_chart(figures: Figures) -> ChartSpec:
    """Return the latest month's response and resolution attainment per priority against each target."""
    levels = figures.service_levels
    response = Series("Response", tuple(lv.response.value for lv in levels), "bar", NAVY,
                      status=tuple(_status(lv.response.value >= lv.target.value) for lv in levels),
                      value_labels="all")
    resolution = Series("Resolution", tuple(lv.resolution.value for lv in levels), "bar", TEAL,
                        status=tuple(_status(lv.resolution.value >= lv.target.value) for lv in levels),
                        value_labels="all")
    targets = tuple(TargetLine("Target", lv.target.value, at=(i,)) for i, lv in enumerate(levels))
    values = response.values + resolution.values + tuple(t.value for t in targets)
    bottom = max(0.0, 5 * math.floor((min(values) - 3) / 5))
    misses = [f"{lv.priority} {kind} {value} (target {lv.target})" for lv in levels
              for kind, value in (("response", lv.response), ("resolution", lv.resolution))
              if value.value < lv.target.value]
    title = (f"{month(figures.months[-1])}: {figures.sla_met} of {len(levels)} priorities "
             f"within response and resolution targets" + (f"; missed: {', '.join(misses)}" if misses else ""))
    y = YAxis("pct", limits=(bottom, 100 + (100 - bottom) * 0.12))
    panel = Panel((response, resolution), y, targets=targets)
    return ChartSpec("sla", title, tuple(lv.priority for lv in levels), (panel,))


def cost_chart(figures: Figures) -> ChartSpec:
    """Return cost per ticket against its target, with the total cost of support as light bars behind."""
    per_ticket, total = figures.kpis["cost_per_ticket"], figures.kpis["total_cost"]
    line = Series(per_ticket.label, per_ticket.values, "line", NAVY, status=_statuses(per_ticket),
                  value_labels="last")
    bars = Series(total.label, total.values, "bar", LIGHT, axis="right")
    targets = _target_lines(per_ticket)
    low, high = _span(per_ticket.values, [t.value for t in targets])
    y = YAxis("money", figures.currency, limits=(high - (high - low) * 2.1, high + (high - low) * 0.12))
    y2 = YAxis("money", figures.currency, limits=(0.0, max(total.values) * 2.3))
    title = (f"Cost per ticket {per_ticket.latest} in {month(figures.months[-1])} "
             f"(target {per_ticket.target}): {_verdict(per_ticket)}; total cost {total.change} "
             f"({total.first} to {total.latest} a month)")
    panel = Panel((line, bars), y, y2, targets, events=_events(figures))
    return ChartSpec("cost", title, _month_labels(figures), (panel,))


CHARTS: dict[str, Callable[[Figures], ChartSpec]] = {
    "volume": volume_chart,
    "level1": level1_chart,
    "satisfaction": satisfaction_chart,
    "backlog": backlog_chart,
    "sla": sla_chart,
    "cost": cost_chart,
}
"""Chart name -> spec builder."""


def _colours(self_service: list[bool]) -> list[int]:
    """Return a palette index per channel: navy and slate for assisted channels, teal and amber for self-service."""
    preferences = {False: (NAVY, SLATE, LIGHT, AMBER, TEAL), True: (TEAL, AMBER, LIGHT, SLATE, NAVY)}
    chosen: list[int] = []
    for i, own in enumerate(self_service):
        free = [c for c in preferences[own] if c not in chosen]
        chosen.append(free[0] if free else i % 5)
    return chosen


def _month_labels(figures: Figures) -> tuple[str, ...]:
    """Return the x labels of a monthly chart ('Nov', 'Dec', ...)."""
    if len(figures.months) <= LONG_SPAN_MONTHS:
        return tuple(short_month(m) for m in figures.months)
    return tuple(f"{short_month(m)} {m[2:4]}" for m in figures.months)


def _events(figures: Figures) -> tuple[Event, ...]:
    """Return the changes that moved volume, as events flagged over their month."""
    return tuple(Event(figures.months.index(s.month), s.name) for s in figures.spikes)


def _target_lines(kpi: Kpi) -> tuple[TargetLine, ...]:
    """Return the KPI's target as a full-width line, or nothing when it has none."""
    if kpi.target_value is None:
        return ()
    return (TargetLine(f"Target {kpi.target}", kpi.target_value),)


def _status(met: bool) -> Status:
    return "met" if met else "missed"


def _statuses(kpi: Kpi) -> tuple[Status, ...]:
    """Return met/missed for every monthly value of a KPI against its target ('' without a target)."""
    if kpi.target_value is None:
        return ()
    target = kpi.target_value
    return tuple(_status(v >= target if kpi.better == "higher" else v <= target) for v in kpi.values)


def _verdict(kpi: Kpi) -> str:
    """Return 'met' or 'missed' for the KPI's headline against its target."""
    return {True: "met", False: "missed", None: "no target"}[kpi.met]


def _span(values: Iterable[float], extra: Iterable[float]) -> tuple[float, float]:
    """Return the lowest and highest of the values and extras, at least a small distance apart."""
    every = [*values, *extra]
    low, high = min(every), max(every)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    return low, high


def _padded(values: Iterable[float], extra: Iterable[float]) -> tuple[float, float]:
    """Return axis limits around the values and extras with room above for a value label."""
    low, high = _span(values, extra)
    return low - (high - low) * 0.15, high + (high - low) * 0.3


