"""Computed figures of the success story: every KPI with its first, latest, change, target and status.

Pure functions of the validated metrics. Each `Kpi` names the YAML key it comes from, and each
`Figure` the key and the months its value is computed from, so a test (or a reviewer) can trace any
number on a slide back to content/ (and, for a series computed from a ticket export, to the tickets
behind those months: `deck.manifest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean
from typing import Literal

from generator.story import formatting as fmt
from generator.story.model import Metrics

Unit = Literal["pct", "count", "money", "ratio", "score", "change", "points"]
Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Figure:
    """A number and how it reads: str(figure) is the text shown on slides and in notes."""

    value: float
    unit: Unit
    currency: str = ""
    name: str = field(default="", compare=False)
    """The name notes use for it, e.g. kpi.level1.latest."""
    source: str = field(default="", compare=False)
    """The YAML key(s) it is computed from."""
    months: tuple[str, ...] | None = field(default=None, compare=False)
    """The months of the source series its value is computed from: None all of them, () none (a target)."""

    def __str__(self) -> str:
        return format_figure(self.value, self.unit, self.currency)


def format_figure(value: float, unit: Unit, currency: str = "") -> str:
    """Return `value` as it reads on a slide for its unit."""
    if unit == "pct":
        return fmt.percent(value)
    if unit == "change":
        return fmt.signed_percent(value)
    if unit == "points":
        return fmt.points(value)
    if unit == "money":
        return fmt.money(value, currency)
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "score":
        return f"{value:.1f}"
    return fmt.number(value, 0)


@dataclass(frozen=True)
class Kpi:
    """One key performance indicator over the reporting months, with its expectation."""

    key: str
    label: str
    unit: Unit
    better: Better
    source: str
    """Dotted key of the YAML value(s) it is computed from."""
    months: tuple[str, ...]
    values: tuple[float, ...]
    target_value: float | None = None
    currency: str = ""
    headline_value: float | None = None
    """The value a headline shows when it is not the latest month's (e.g. the quarter-on-quarter change)."""
    headline_unit: Unit | None = None
    compare: tuple[float, float] | None = None
    """(start, end) when the comparison is not first month against latest month."""
    extra: dict[str, Figure] = field(default_factory=dict)
    compare_months: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """The months `compare` averages: (first quarter, last quarter)."""
    anchored: bool = False
    """True: each value is read against the first month's (a ratio of changes since then)."""

    def _fig(self, value: float, what: str, unit: Unit | None = None) -> Figure:
        return Figure(value, unit or self.unit, self.currency, f"kpi.{self.key}.{what}", self.source,
                      self._months_of(what))

    def _months_of(self, what: str) -> tuple[str, ...] | None:
        """Return the months a figure of this KPI is computed from (`Figure.months`)."""
        first = self.compare_months[0] if self.compare_months else self.months[:1]
        latest = self.compare_months[1] if self.compare_months else self.months[-1:]
        if self.anchored:
            latest = (*first, *latest)
        spans = {"first": first, "latest": latest, "change": (*first, *latest), "target": (),
                 "headline": (*first, *latest) if self.headline_value is not None else latest}
        if what not in spans:
            return None
        return tuple(dict.fromkeys(spans[what]))

    @property
    def first(self) -> Figure:
        """The value at the start of the period (first month, or first quarter's average)."""
        return self._fig(self.compare[0] if self.compare else self.values[0], "first")

    @property
    def latest(self) -> Figure:
        """The value at the end of the period (latest month, or last quarter's average)."""
        return self._fig(self.compare[1] if self.compare else self.values[-1], "latest")

    @property
    def target(self) -> Figure | None:
        """The expectation, in the KPI's own unit (a change target in percent)."""
        if self.target_value is None:
            return None
        return self._fig(self.target_value, "target", self.headline_unit or self.unit)

    @property
    def change(self) -> Figure:
        """The change over the period: percentage points for shares, percent otherwise."""
        start, end = self.first.value, self.latest.value
        if self.unit == "pct":
            return self._fig(end - start, "change", "points")
        if self.unit in ("ratio", "score"):
            return self._fig(end - start, "change")
        return self._fig(100.0 * (end - start) / start if start else 0.0, "change", "change")

    @property
    def headline(self) -> Figure:
        """The one figure a summary tile shows."""
        if self.headline_value is not None:
            return self._fig(self.headline_value, "headline", self.headline_unit or self.unit)
        return self._fig(self.latest.value, "headline")

    @property
    def met(self) -> bool | None:
        """Whether the headline meets its target; None when there is no target."""
        if self.target_value is None:
            return None
        value = self.headline.value
        return value >= self.target_value if self.better == "higher" else value <= self.target_value

    @property
    def total(self) -> Figure:
        """The sum over all months (meaningful for counts and money)."""
        return self._fig(sum(self.values), "total")

    def __getattr__(self, name: str) -> Figure:
        try:
            figure: Figure = self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None
        return Figure(figure.value, figure.unit, figure.currency, f"kpi.{self.key}.{name}", figure.source or self.source,
                      figure.months)


@dataclass(frozen=True)
class ServiceLevelResult:
    """Latest attainment of one priority's response and resolution commitments."""

    priority: str
    response_target: str
    resolution_target: str
    target: Figure
    response: Figure
    resolution: Figure
    source: str

    @property
    def met(self) -> bool:
        """Whether both response and resolution meet the target share."""
        return self.response.value >= self.target.value and self.resolution.value >= self.target.value


@dataclass(frozen=True)
class SpikeResult:
    """A change that caused a volume spike, with its size."""

    month: str
    name: str
    what_changed: str
    call_types: tuple[str, ...]
    response: str
    volume: Figure
    spike: Figure
    """Rise in volume against the month before, in percent."""


@dataclass(frozen=True)
class Figures:
    """Everything computed from metrics.yaml."""

    months: tuple[str, ...]
    currency: str
    kpis: dict[str, Kpi]
    channels: dict[str, tuple[int, ...]]
    self_service_channels: tuple[str, ...]
    service_levels: tuple[ServiceLevelResult, ...]
    spikes: tuple[SpikeResult, ...]
    age_buckets: tuple[str, ...]
    open_tickets: tuple[tuple[int, ...], ...]
    effort_drivers: dict[str, tuple[float, ...]]

    @property
    def sla_met(self) -> int:
        """How many priorities meet both their response and resolution target in the latest month."""
        return sum(1 for level in self.service_levels if level.met)


def compute(metrics: Metrics) -> Figures:
    """Return every figure of the story computed from the validated metrics."""
    months = tuple(metrics.months)
    totals = tuple(float(sum(v)) for v in zip(*metrics.volume.channels.values()))
    kpis = [
        _calls(metrics, months, totals),
        Kpi("level1", "Level-1 resolution", "pct", "higher", "resolution.level1_pct", months,
            tuple(metrics.resolution.level1_pct), metrics.resolution.level1_target_pct),
        Kpi("escalations", "Escalations to Level-2", "count", "lower", "resolution.escalated_level2", months,
            tuple(float(v) for v in metrics.resolution.escalated_level2)),
        _cost_per_ticket(metrics, months, totals),
        Kpi("total_cost", "Total cost of support", "money", "lower", "cost.total", months,
            tuple(metrics.cost.total), currency=metrics.currency),
        _debt_ratio(metrics, months),
        Kpi("support_debt", "Support debt (days)", "count", "lower", "backlog.support_debt_days", months,
            tuple(metrics.backlog.support_debt_days)),
        Kpi("csat", "Customer satisfaction", "pct", "higher", "satisfaction.csat_pct", months,
            tuple(metrics.satisfaction.csat_pct), metrics.satisfaction.csat_target_pct),
        Kpi("effort", "Customer effort score", "score", "lower", "satisfaction.effort_score", months,
            tuple(metrics.satisfaction.effort_score), metrics.satisfaction.effort_target),
    ]
    levels = tuple(_service_level(metrics, i) for i in range(len(metrics.service_levels)))
    kpis.append(_sla(levels, months))
    return Figures(
        months=months,
        currency=metrics.currency,
        kpis={k.key: k for k in kpis},
        channels={name: tuple(values) for name, values in metrics.volume.channels.items()},
        self_service_channels=tuple(metrics.volume.self_service_channels),
        service_levels=levels,
        spikes=tuple(_spike(metrics, i, totals) for i in range(len(metrics.changes))),
        age_buckets=tuple(metrics.backlog.age_buckets),
        open_tickets=tuple(tuple(row) for row in metrics.backlog.open_tickets),
        effort_drivers={k: tuple(v) for k, v in metrics.satisfaction.effort_drivers.items()},
    )


def _quarters(values: tuple[float, ...]) -> tuple[float, float]:
    """Return the average of the first three and of the last three values."""
    return fmean(values[:3]), fmean(values[-3:])


def _calls(metrics: Metrics, months: tuple[str, ...], totals: tuple[float, ...]) -> Kpi:
    """Return ticket volume: the headline is the change, last quarter against first."""
    start, end = _quarters(totals)
    change = 100.0 * (end - start) / start if start else 0.0
    return Kpi("calls", "Calls", "count", "lower", "volume.channels", months, totals,
               -metrics.volume.reduction_target_pct, headline_value=change, headline_unit="change",
               compare=(start, end), compare_months=(months[:3], months[-3:]))


def _cost_per_ticket(metrics: Metrics, months: tuple[str, ...], totals: tuple[float, ...]) -> Kpi:
    """Return cost per ticket per month: total cost over tickets opened."""
    values = tuple(cost / count if count else 0.0 for cost, count in zip(metrics.cost.total, totals))
    kpi = Kpi("cost_per_ticket", "Cost per ticket", "money", "lower", "cost.total / volume.channels", months,
              values, metrics.cost.per_ticket_target, currency=metrics.currency)
    return kpi


def _debt_ratio(metrics: Metrics, months: tuple[str, ...]) -> Kpi:
    """Return the support debt trend: relative change in debt over relative change in revenue, since the first month."""
    debt, revenue = metrics.backlog.support_debt_days, metrics.backlog.revenue_millions
    ratios = [1.0]
    for d, r in zip(debt[1:], revenue[1:]):
        debt_change = (d - debt[0]) / debt[0] if debt[0] else 0.0
        revenue_change = (r - revenue[0]) / revenue[0]
        ratios.append(debt_change / revenue_change if revenue_change else 0.0)
    ends = (months[0], months[-1])
    return Kpi("debt_ratio", "Support debt / revenue", "ratio", "lower",
               "backlog.support_debt_days / backlog.revenue_millions", months, tuple(ratios),
               metrics.backlog.debt_ratio_target, anchored=True,
               extra={"debt_change": Figure(100.0 * (debt[-1] - debt[0]) / debt[0] if debt[0] else 0.0, "change",
                                            months=ends),
                      "revenue_change": Figure(100.0 * (revenue[-1] - revenue[0]) / revenue[0], "change", months=())})


def _service_level(metrics: Metrics, index: int) -> ServiceLevelResult:
    level = metrics.service_levels[index]
    at = f"service_levels[{index}]"
    latest = tuple(metrics.months[-1:])
    return ServiceLevelResult(level.priority, level.response_target, level.resolution_target,
                              Figure(level.target_pct, "pct", name=f"{at}.target", source=f"{at}.target_pct",
                                     months=()),
                              Figure(level.response_met_pct[-1], "pct", name=f"{at}.response",
                                     source=f"{at}.response_met_pct", months=latest),
                              Figure(level.resolution_met_pct[-1], "pct", name=f"{at}.resolution",
                                     source=f"{at}.resolution_met_pct", months=latest), at)


def _sla(levels: tuple[ServiceLevelResult, ...], months: tuple[str, ...]) -> Kpi:
    """Return 'priorities meeting their service levels' in the latest month, as a count out of all."""
    met = sum(1 for level in levels if level.met)
    return Kpi("sla", "Priorities within SLA", "count", "higher", "service_levels", months[-1:], (float(met),),
               float(len(levels)), extra={"of": Figure(len(levels), "count", months=())})


def _spike(metrics: Metrics, index: int, totals: tuple[float, ...]) -> SpikeResult:
    change = metrics.changes[index]
    at = metrics.months.index(change.month)
    before = totals[at - 1]
    return SpikeResult(change.month, change.name, change.what_changed, tuple(change.call_types), change.response,
                       Figure(totals[at], "count", name=f"changes[{index}].volume", source="volume.channels",
                              months=(change.month,)),
                       Figure(100.0 * (totals[at] - before) / before if before else 0.0, "change",
                              name=f"changes[{index}].spike", source=f"changes[{index}].month / volume.channels",
                              months=(metrics.months[at - 1], change.month)))
