"""A deck's series computed from a ticket export: metrics.yaml's `tickets:` read, summarised and merged.

metrics.yaml that names an export is read as a `PartialMetrics`; `merge` computes the export's summary
with metrics.yaml's months, age buckets (`backlog.age_buckets`) and SLA targets (`service_levels`), and
fills in the series the ticket system knows: `months` (unless typed), `volume.channels`,
`resolution.level1_pct` and `escalated_level2`, `backlog.open_tickets` and `support_debt_days`, each
service level's `response_met_pct` and `resolution_met_pct`, and `satisfaction.csat_pct`. A series both
typed and computed is an error at its typed line; one neither typed nor in the export is an error at
`tickets`. The result is the complete `Metrics` every other module uses, and for each computed series
its `Computed` traceability: the files, the rule and the tickets behind each month's value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.errors import ContentError, Problem
from generator.read.source import Loc, SourceDoc
from generator.read.validate import dotted
from generator.story.model import Metrics, PartialMetrics
from generator.tickets.content import ExportFiles, find_files, summary_of
from generator.tickets.figures import MonthFigures
from generator.tickets.mapping import (
    AgeBucket,
    SlaTarget,
    TicketsConfig,
    buckets_from_names,
    day_length,
    sla_target,
)
from generator.tickets.summary import Summary


@dataclass(frozen=True)
class Computed:
    """A series of metrics.yaml computed from a ticket export."""

    files: tuple[str, ...]
    """The export files, relative to the deck's folder."""
    rule: str
    """How each month's value is computed, in words."""
    tickets: dict[str, int]
    """Month -> how many tickets that month's value was computed from."""


@dataclass(frozen=True)
class Exported:
    """What a deck took from its ticket export."""

    files: ExportFiles
    summary: Summary
    computed: dict[str, Computed]
    """Series key ('resolution.level1_pct', 'volume.channels.Phone', 'service_levels[0].response_met_pct') ->
    its traceability; 'volume.channels' for the channels together."""


@dataclass(frozen=True)
class _Series:
    """One series the export may compute: where metrics.yaml types it, the summary's figure, how to read it."""

    loc: Loc
    figure: str
    value: Callable[[MonthFigures], Any]
    tickets: Callable[[MonthFigures], int]
    hint: str


def _series(partial: PartialMetrics) -> list[_Series]:
    """Return the computable series of `partial` (the service levels' by index)."""
    found = [
        _Series(("resolution", "level1_pct"), "level1_pct", lambda m: m.level1_pct, lambda m: m.tickets["level1_pct"],
                "set tickets.mapping.level1_groups (and the assignment group column)"),
        _Series(("resolution", "escalated_level2"), "escalated", lambda m: m.escalated,
                lambda m: m.tickets["escalated"], "name the escalation column in tickets.mapping.columns.escalated"),
        _Series(("backlog", "support_debt_days"), "support_debt_days", lambda m: m.support_debt_days,
                lambda m: m.tickets["support_debt_days"], ""),
        _Series(("satisfaction", "csat_pct"), "csat_pct", lambda m: m.csat_pct, lambda m: m.tickets["csat_pct"],
                "name the rating column in tickets.mapping.columns.rating"),
    ]
    for i, level in enumerate(partial.service_levels):
        for kind, column in (("response", "first_response"), ("resolution", "resolved")):
            name = f"{kind}_met_pct"
            found.append(_Series(("service_levels", i, name), name, _level_value(name, level.priority),
                                 _level_tickets(name, level.priority),
                                 f"name the {column} or {kind}_sla column in tickets.mapping.columns"))
    return found


def _level_value(name: str, priority: str) -> Callable[[MonthFigures], Any]:
    return lambda m: (getattr(m, name) or {}).get(priority)


def _level_tickets(name: str, priority: str) -> Callable[[MonthFigures], int]:
    return lambda m: m.tickets.get(f"{name}.{priority}", 0)


def _typed(data: Any, loc: Loc) -> bool:
    """Return True when metrics.yaml gives a value at `loc`."""
    for key in loc:
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return False
        elif not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return data is not None


def merge(partial: PartialMetrics, doc: SourceDoc, root: Path, cache: Path | None) -> tuple[Metrics, Exported]:
    """Return the complete metrics, the export's series filled in, and their traceability; or raise a ContentError."""
    config = partial.tickets
    assert config is not None
    loc: Loc = ("tickets",)
    files = find_files(config, root, doc, loc)
    buckets, targets = _rules(partial, config, doc, root)
    summary = summary_of(config, files, doc, loc, zone=config.time_zone or "UTC", months=partial.months,
                         buckets=buckets, targets=targets, cache=cache, root=root)
    months = summary.months
    problems: list[Problem] = []
    data = partial.model_dump(exclude_none=False)
    computed: dict[str, Computed] = {}
    line = doc.line_of(loc)

    def fill(series_loc: Loc, values: Any, rule: str, tickets: list[int]) -> None:
        target: Any = data
        for part in series_loc[:-1]:
            target = target[part]
        target[series_loc[-1]] = values
        computed[dotted(series_loc)] = Computed(files.names, rule, dict(zip((m.month for m in months), tickets)))

    def clash(series_loc: Loc) -> None:
        problems.append(doc.problem(doc.line_of(series_loc), f"{dotted(series_loc)} is typed, but the ticket export "
                                    f"(tickets, line {line}) computes it too",
                                    "delete the typed values: the export's are used", root=root))

    channels = [m.opened_by_channel for m in months]
    if all(c is not None for c in channels) and months:
        if _typed(doc.data, ("volume", "channels")):
            clash(("volume", "channels"))
        else:
            names = list(channels[0] or {})
            fill(("volume", "channels"), {name: [(c or {})[name] for c in channels] for name in names},
                 summary.rules["opened"] + ", by channel", [m.opened for m in months])
            for name in names:
                computed[f"volume.channels.{name}"] = Computed(
                    files.names, summary.rules["opened"] + f", channel {name}",
                    {m.month: (m.opened_by_channel or {})[name] for m in months})
    elif not _typed(doc.data, ("volume", "channels")):
        problems.append(_not_computed(doc, ("volume", "channels"), "name the channel column in "
                                      "tickets.mapping.columns.channel", root))
    if _typed(doc.data, ("backlog", "open_tickets")):
        clash(("backlog", "open_tickets"))
    else:
        fill(("backlog", "open_tickets"), [[m.open_by_age_bucket[b.name] for b in buckets] for m in months],
             summary.rules["open_by_age_bucket"], [m.tickets["open_at_month_end"] for m in months])
    for series in _series(partial):
        values = [series.value(m) for m in months]
        covered = any(v is not None for v in values)
        if _typed(doc.data, series.loc):
            if covered:
                clash(series.loc)
        elif not covered:
            problems.append(_not_computed(doc, series.loc, series.hint, root))
        elif None in values:
            empty = ", ".join(m.month for m, v in zip(months, values) if v is None)
            problems.append(doc.problem(line, f"{dotted(series.loc)}: the export has no tickets to compute it from "
                                        f"in {empty}", "type the series instead, or check the months and the "
                                        "customer", root=root))
        else:
            fill(series.loc, values, summary.rules[series.figure], [series.tickets(m) for m in months])
    if problems:
        raise ContentError(problems)
    if partial.months is None:
        data["months"] = [m.month for m in months]
    try:
        metrics = Metrics.model_validate(data)
    except ValidationError as exc:
        raise ContentError([doc.problem(line, f"computed {dotted(tuple(err['loc']))}: {err['msg']}",
                                        "check the export and the tickets settings", root=root)
                            for err in exc.errors()]) from None
    return metrics, Exported(files, summary, computed)


def _not_computed(doc: SourceDoc, loc: Loc, hint: str, root: Path) -> Problem:
    """Return the problem of a series that is neither typed nor in the export."""
    return doc.problem(doc.line_of(loc), f"{dotted(loc)} is not typed, and the ticket export has no data for it",
                       f"{hint}, or type the series" if hint else "type the series", root=root)


def _rules(partial: PartialMetrics, config: TicketsConfig, doc: SourceDoc,
           root: Path) -> tuple[tuple[AgeBucket, ...], tuple[SlaTarget, ...]]:
    """Return the age buckets (from backlog.age_buckets) and SLA targets (from service_levels) to compute with."""
    problems: list[Problem] = []
    try:
        buckets = buckets_from_names(list(partial.backlog.age_buckets))
    except ValueError as exc:
        problems.append(doc.problem(doc.line_of(("backlog", "age_buckets")), str(exc),
                                    "name the buckets by their days, e.g. [0-7 days, 8-30 days, over 30 days]",
                                    root=root))
        buckets = ()
    targets: list[SlaTarget] = []
    for i, level in enumerate(partial.service_levels):
        try:
            targets.append(sla_target(level.priority, level.response_target, level.resolution_target,
                                      day_length(config.mapping)))
        except ValueError as exc:
            if level.response_met_pct is None or level.resolution_met_pct is None:
                problems.append(doc.problem(doc.line_of(("service_levels", i)), str(exc),
                                            "write the targets as the SLA does, e.g. '15 minutes' or "
                                            "'8 business hours'", root=root))
    if problems:
        raise ContentError(problems)
    return buckets, tuple(targets)
