"""The operations-review report: each KPI of the account since the last review, against its target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.meetings.schema import AccountMetrics, Kpi


@dataclass(frozen=True)
class KpiReport:
    """One KPI as the review sees it."""

    kpi: Kpi
    months: tuple[str, ...]
    """The months shown: the last month reported at the previous review (if any), then the new ones."""
    values: tuple[float, ...]
    latest: float
    """The value of the last complete month before the meeting."""
    baseline: float | None
    """The value reported at the previous review; None at a first review."""

    @property
    def change(self) -> float | None:
        """Return latest minus baseline, or None when there was no previous review."""
        return None if self.baseline is None else self.latest - self.baseline

    @property
    def met(self) -> bool:
        """Return True when the latest value meets the target."""
        if self.kpi.better == "higher":
            return self.latest >= self.kpi.target
        return self.latest <= self.kpi.target

    @property
    def improved(self) -> bool | None:
        """Return True when the change went the better way, False when the worse, None if no change."""
        change = self.change
        if change is None or round(change, self.kpi.decimals) == 0:
            return None
        return (change > 0) == (self.kpi.better == "higher")


@dataclass(frozen=True)
class OpsReport:
    """The KPIs reported at one meeting."""

    first_month: str
    """First month since the last review (or of the data, at a first review)."""
    last_month: str
    """Last complete month before the meeting."""
    since: dt.date | None
    """Date of the previous review; None at a first review."""
    kpis: tuple[KpiReport, ...]


@dataclass(frozen=True)
class ExportBasis:
    """The ticket export an account's KPIs were computed from, as the report names it under them."""

    kpis: tuple[str, ...]
    """The KPIs computed from it (the others are typed in account.yaml)."""
    tickets: int
    """How many of the account's tickets the figures were computed from (its customer's rows of the export)."""
    customer: str | None
    """Whose tickets (`tickets.customer`); None: every ticket of the export."""
    files: tuple[str, ...]
    """The export files, relative to the content folder."""
    layout: str
    """The export's layout: 'Zendesk preset', 'own mapping' ..."""

    @property
    def count(self) -> str:
        """Return the tickets as the page shows them: '4,812'."""
        return f"{self.tickets:,}"


FIRST_REVIEW_MONTHS = 6
"""Months shown at a first review, which has no 'since the last review'."""


def ops_report(metrics: AccountMetrics, meeting: dt.date, previous: dt.date | None) -> OpsReport | None:
    """Return the report for a meeting on `meeting` after a review on `previous`, or None without new data."""
    months = metrics.months
    last = _last_index(months, meeting)
    if last is None:
        return None
    base = _last_index(months, previous) if previous is not None else None
    if base is not None and base >= last:
        return None
    start = base + 1 if base is not None else max(0, last - FIRST_REVIEW_MONTHS + 1)
    shown = slice(base if base is not None else start, last + 1)
    reports = tuple(
        KpiReport(kpi, tuple(months[shown]), tuple(kpi.values[shown]), kpi.values[last],
                  kpi.values[base] if base is not None else None)
        for kpi in metrics.kpis
    )
    return OpsReport(months[start], months[last], previous, reports)


def _last_index(months: list[str], day: dt.date) -> int | None:
    """Return the index of the last month that ended before `day`, or None if none did."""
    current = f"{day.year:04d}-{day.month:02d}"
    complete = [i for i, month in enumerate(months) if month < current]
    return complete[-1] if complete else None
