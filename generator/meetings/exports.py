"""An account's KPIs computed from a ticket export: `metrics.tickets` of account.yaml, filtered by its customer.

Each KPI with `from_export` names a monthly figure of the export (`FromExport`): the SLA targets its
response and resolution KPIs give (`within`) and the ages its backlog KPIs ask for (`open_older_than`)
are the rules the summary is computed with, for the months of `metrics.months` (by default those of the
customer's tickets). The result is the complete `AccountMetrics` the report uses; KPIs with typed values
keep them. Paths in account.yaml are relative to the content folder, so accounts share one export. The
account's `export` (`report.ExportBasis`) says which files and how many of its tickets are behind the KPIs.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from generator.errors import Problems
from generator.meetings.model import Account
from generator.meetings.reader import check_metrics
from generator.meetings.report import ExportBasis
from generator.meetings.schema import AccountMetrics, FromExport, PartialAccountMetrics
from generator.read.validate import dotted
from generator.tickets.mapping import (
    DEFAULT_LIMITS,
    AgeBucket,
    SlaTarget,
    buckets_from_limits,
    day_length,
    sla_target,
)
from generator.tickets.presets import described

if TYPE_CHECKING:  # DuckDB is loaded only for an account that names an export
    from generator.tickets.content import ExportFiles
    from generator.tickets.figures import MonthFigures
    from generator.tickets.summary import Summary

LOC = ("metrics", "tickets")
PLAIN = ("opened", "resolved", "open_at_month_end", "support_debt_days", "level1_pct", "escalated", "csat_pct",
         "reopened_pct")
"""Figures that are one number a month, read as they are."""


def with_export_kpis(account: Account, content: Path,
                     cache: Path | None = None) -> tuple[Account, ExportFiles | None, Summary | None]:
    """Return the account with its KPIs' values (`Account.metrics`) computed from its ticket export, the export's
    files and its summary; the account as it is when it names no export. Raise a ContentError for bad input."""
    partial = account.file.metrics
    if partial is None or partial.tickets is None:
        return account, None, None
    from generator.tickets.content import find_files, summary_of

    config, doc = partial.tickets, account.doc
    problems = Problems(content)
    files = find_files(config, content, doc, LOC)
    targets, buckets = _rules(partial, day_length(config.mapping), account, problems)
    problems.raise_if_any()
    summary = summary_of(config, files, doc, LOC, zone=config.time_zone or account.file.time_zone,
                         months=partial.months, buckets=buckets, targets=targets, cache=cache, root=content)
    months = summary.months
    data = partial.model_dump()
    data["months"] = partial.months or [m.month for m in months]
    whose = f"{config.customer}'s tickets" if config.customer else "tickets"
    for i, kpi in enumerate(partial.kpis):
        if kpi.from_export is None:
            continue
        values = [value_of(kpi.from_export, m, buckets) for m in months]
        empty = [m.month for m, v in zip(months, values) if v is None]
        line = doc.line_of(("metrics", "kpis", i, "from_export"))
        if empty and len(empty) == len(values):
            problems.add(doc, line, f"KPI {kpi.name!r}: the ticket export has no data for {kpi.from_export.figure}",
                         "name the column it needs in metrics.tickets.mapping.columns, or type the values")
        elif empty:
            problems.add(doc, line, f"KPI {kpi.name!r}: the export has no {whose} to compute "
                         f"{kpi.from_export.figure} from in {', '.join(empty)}",
                         "type the values, or report the months that have tickets (metrics.months)")
        data["kpis"][i]["values"] = [None if v is None else float(v) for v in values]
    problems.raise_if_any()
    try:
        metrics = AccountMetrics.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ("metrics", *err["loc"])
            problems.add(doc, doc.line_of(loc), f"{dotted(loc)}: {err['msg']}", "check the export and metrics.tickets")
        problems.raise_if_any()
        raise AssertionError("unreachable") from None
    check_metrics(metrics, doc, problems)
    problems.raise_if_any()
    basis = ExportBasis(tuple(kpi.name for kpi in partial.kpis if kpi.from_export is not None), summary.tickets,
                        config.customer, files.names, described(summary.preset))
    return dataclasses.replace(account, metrics=metrics, export=basis), files, summary


def value_of(figure: FromExport, month: MonthFigures, buckets: tuple[AgeBucket, ...]) -> float | None:
    """Return the value of `figure` in one month of the summary (None where there were no tickets to count)."""
    name = figure.figure
    if name in PLAIN:
        value: float | None = getattr(month, name)
        return value
    if name in ("response_met_pct", "resolution_met_pct"):
        return (getattr(month, name) or {}).get(figure.priority)
    if name == "mean_resolution_hours":
        return month.mean_resolution_hours.get(str(figure.priority))
    older, total = False, 0
    for bucket in buckets:  # open_older_than: the buckets after the one that ends at `days`
        if older:
            total += month.open_by_age_bucket[bucket.name]
        older = older or bucket.up_to_days == figure.days
    return total


def _rules(metrics: PartialAccountMetrics, hours_per_day: float, account: Account,
           problems: Problems) -> tuple[tuple[SlaTarget, ...], tuple[AgeBucket, ...]]:
    """Return the SLA targets the KPIs' `within` give (one per priority and kind) and the age buckets they need."""
    doc = account.doc
    given: dict[tuple[str, str], tuple[str, int]] = {}
    for i, kpi in enumerate(metrics.kpis):
        figure = kpi.from_export
        if figure is None or figure.figure not in ("response_met_pct", "resolution_met_pct"):
            continue
        assert figure.priority is not None and figure.within is not None
        key = (figure.priority, figure.figure.split("_")[0])
        if key in given and given[key][0] != figure.within:
            problems.add(doc, doc.line_of(("metrics", "kpis", i, "from_export", "within")),
                         f"KPI {kpi.name!r}: {key[0]} has the {key[1]} target {figure.within!r} here but "
                         f"{given[key][0]!r} in KPI {metrics.kpis[given[key][1]].name!r}",
                         "give each priority one response and one resolution target")
        given.setdefault(key, (figure.within, i))
    targets = []
    for priority in sorted({p for p, _ in given}):
        response, resolution = given.get((priority, "response")), given.get((priority, "resolution"))
        try:
            targets.append(sla_target(priority, response[0] if response else None,
                                      resolution[0] if resolution else None, hours_per_day))
        except ValueError as exc:
            index = (response or resolution or ("", 0))[1]
            problems.add(doc, doc.line_of(("metrics", "kpis", index, "from_export", "within")), str(exc),
                         "write the target as the SLA does, e.g. '4 hours' or '8 business hours'")
    days = {kpi.from_export.days for kpi in metrics.kpis
            if kpi.from_export is not None and kpi.from_export.days is not None}
    return tuple(targets), buckets_from_limits(tuple(sorted(set(DEFAULT_LIMITS) | days)))
