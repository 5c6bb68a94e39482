"""The monthly figures, computed in SQL from `tickets` (see `summary` for the definitions).

Four queries group all tickets at once: by the month each was created in (opened by channel,
escalated), resolved in (resolved, Level-1, CSAT, reopens, resolution SLA and hours by priority) and
first responded to in (response SLA by priority), and against the month ends (the backlog by age).
Instants are microseconds since the epoch: a month is found by comparing them with its bounds, an SLA
met by comparing a difference with the target. Python only turns the few dozen rows into `MonthFigures`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.errors import ContentError, Problem
from generator.read.months import next_month
from generator.tickets import hours as business
from generator.tickets.mapping import AgeBucket, SlaTarget
from generator.tickets.presets import Layout

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class MonthFigures:
    """One month's figures; None where the export has no data for a figure."""

    month: str
    opened: int
    opened_by_channel: dict[str, int] | None
    resolved: int
    open_at_month_end: int
    open_by_age_bucket: dict[str, int]
    support_debt_days: int
    level1_pct: float | None
    escalated: int | None
    response_met_pct: dict[str, float | None] | None
    resolution_met_pct: dict[str, float | None] | None
    csat_pct: float | None
    reopened_pct: float | None
    mean_resolution_hours: dict[str, float | None]
    """Priority -> the mean calendar hours from created to resolved of the tickets resolved in the month."""
    tickets: dict[str, int] = field(default_factory=dict)
    """Figure -> how many tickets it was computed from (ratings for CSAT); per priority as
    'response_met_pct.P1', 'resolution_met_pct.P1' and 'mean_resolution_hours.P1'."""


def pct(part: int, whole: int) -> float | None:
    """Return part/whole in percent, to one decimal; None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def bounds(con: duckdb.DuckDBPyConnection, months: list[str], zone: str) -> list[tuple[str, int, int]]:
    """Return each month with the instants (microseconds) its first midnight and the next month's are, in `zone`."""
    starts = [f"epoch_us(timezone({lit(zone)}, TIMESTAMP '{m}-01 00:00:00'))" for m in months]
    ends = [f"epoch_us(timezone({lit(zone)}, TIMESTAMP '{next_month(m)}-01 00:00:00'))" for m in months]
    found = con.execute(f"SELECT {', '.join(starts + ends)}").fetchone()
    assert found is not None
    return [(m, int(found[i]), int(found[len(months) + i])) for i, m in enumerate(months)]


def month_of(column: str, spans: list[tuple[str, int, int]]) -> str:
    """Return SQL giving the index of the reported month instant `column` falls in (in `spans`), NULL outside them:
    comparing numbers is far cheaper than converting every instant to local time and formatting it."""
    if not spans:
        return "CAST(NULL AS SMALLINT)"
    starts = [start for _, start, _ in spans]
    if all(end == after for (_, _, end), after in zip(spans, starts[1:])):  # consecutive months (the usual case)
        return (f"CAST(CASE WHEN {column} >= {starts[0]} AND {column} < {spans[-1][2]} "
                f"THEN {count_at_most(column, starts[1:])} END AS SMALLINT)")
    cases = " ".join(f"WHEN {column} < {start} THEN NULL WHEN {column} < {end} THEN {index}"
                     for index, (_, start, end) in enumerate(spans))
    return f"CAST(CASE {cases} END AS SMALLINT)"


def count_at_most(column: str, limits: list[int], before: int = 0) -> str:
    """Return SQL for `before` plus how many of the ascending `limits` are at most `column` (not NULL): a binary
    search, a few comparisons a row however many limits there are."""
    if not limits:
        return str(before)
    middle = len(limits) // 2
    return (f"CASE WHEN {column} < {limits[middle]} THEN {count_at_most(column, limits[:middle], before)} "
            f"ELSE {count_at_most(column, limits[middle + 1:], before + middle + 1)} END")


def _met(kind: str, targets: tuple[SlaTarget, ...], priorities: frozenset[str] | None, business: str) -> str:
    """Return SQL over `tickets`: the response (or resolution) met its priority's target, or as the export's own
    mark says; NULL without either. `business`: SQL for the business hours it took (the __t columns)."""
    when = "first_response" if kind == "response" else "resolved"
    cases = [f"WHEN {lit(t.priority)} THEN ({business if t.business else f'({when} - created) / 3600e6'}) "
             f"<= {float(getattr(t, kind + '_hours'))!r}" for t in targets
             if getattr(t, f"{kind}_hours") is not None and (priorities is None or t.priority in priorities)]
    computed = f"CASE WHEN {when} IS NOT NULL THEN (CASE priority {' '.join(cases)} END) END" if cases else "NULL"
    return f"coalesce({kind}_sla, {computed})"


def _business(con: duckdb.DuckDBPyConnection, zone: str, plan: Layout) -> tuple[str, str, str]:
    """Create __t: `tickets` with the business hours each ticket took to its first response and resolution
    (the working week and public holidays of `plan.business_hours`); return the relation and those columns."""
    if plan.business_hours is None:
        raise ContentError([Problem("tickets.mapping", None, "SLA targets in business hours need the working week",
                                    "set tickets.mapping.business_hours (days, start, end, holidays)")])
    local = f"timezone({lit(zone)}, timezone('UTC', make_timestamp({{c}})))"
    span = con.execute(f"SELECT min(CAST({local.replace('{c}', 'created')} AS DATE)), max(CAST("
                       f"{local.replace('{c}', 'greatest(created, resolved, first_response)')} AS DATE)) "
                       "FROM tickets").fetchone()
    first, last = (span[0], span[1]) if span and span[0] else (dt.date(2000, 1, 1), dt.date(2000, 1, 2))
    try:
        business.create_calendar(con, plan.business_hours, first, last)
    except ValueError as exc:
        raise ContentError([Problem("tickets.mapping.business_hours", None, str(exc),
                                    "give an ISO country code the holidays package knows, e.g. NL")]) from None
    joins = "".join(f" LEFT JOIN __days {alias} ON {alias}.d = CAST({local.replace('{c}', column)} AS DATE)"
                    for alias, column in (("dc", "created"), ("dr", "first_response"), ("ds", "resolved")))
    ws = {a: business.working_seconds(a, local.replace("{c}", c))
          for a, c in (("dc", "created"), ("dr", "first_response"), ("ds", "resolved"))}
    con.execute(f"CREATE OR REPLACE TEMP TABLE __t AS SELECT k.*, ({ws['dr']} - {ws['dc']}) / 3600 AS response_bh, "
                f"({ws['ds']} - {ws['dc']}) / 3600 AS resolution_bh FROM tickets k{joins}")
    return "__t", "response_bh", "resolution_bh"


def compute(con: duckdb.DuckDBPyConnection, months: list[str], zone: str, buckets: tuple[AgeBucket, ...],
            targets: tuple[SlaTarget, ...], plan: Layout, fields: frozenset[str]) -> list[MonthFigures]:
    """Return the figures of `months` from `tickets` (instants in microseconds): one grouping query per kind of
    month (created, resolved, first response) and one for the backlog at the month ends."""
    spans = bounds(con, sorted(months), zone)
    names = [m for m, _, _ in spans]
    relation, response_bh, resolution_bh = ("tickets", "NULL", "NULL")
    if any(t.business for t in targets):
        relation, response_bh, resolution_bh = _business(con, zone, plan)
    known = frozenset(plan.priorities.values()) | {"(none)"} if plan.priorities else None
    level1 = "level1_group AND NOT coalesce(escalated, FALSE)" if plan.level1_groups else "FALSE"
    created = con.execute(f"SELECT m, channel, count(*), count_if(escalated) FROM (SELECT "
                          f"{month_of('created', spans)} AS m, channel, escalated FROM {relation}) "
                          "WHERE m IS NOT NULL GROUP BY ALL").fetchall()
    resolved = con.execute(f"""SELECT m, priority, count(*), count_if({level1}), count_if(satisfied IS NOT NULL),
        count_if(satisfied), count_if(reopened), count_if(reopened IS NOT NULL), count_if(met IS NOT NULL),
        count_if(met), avg(seconds) / 3600 FROM (SELECT {month_of('resolved', spans)} AS m, priority, level1_group,
        escalated, satisfied, reopened, {_met('resolution', targets, known, resolution_bh)} AS met,
        (resolved - created) / 1e6 AS seconds FROM {relation}) WHERE m IS NOT NULL GROUP BY ALL""").fetchall()
    responded = con.execute(f"SELECT m, priority, count_if(met IS NOT NULL), count_if(met) FROM (SELECT "
                            f"{month_of('coalesce(first_response, created)', spans)} AS m, priority, "
                            f"{_met('response', targets, known, response_bh)} AS met FROM {relation}) "
                            "WHERE m IS NOT NULL GROUP BY ALL").fetchall()
    backlog = con.execute(_backlog(relation, [end for _, _, end in spans], buckets)).fetchall() if spans else []
    return _assemble(months, buckets, targets, plan, fields, *_regroup(names, created, resolved, responded, backlog))


def _backlog(relation: str, ends: list[int], buckets: tuple[AgeBucket, ...]) -> str:
    """Return SQL counting the tickets open at each month end (index j of `ends`) by age bucket, with their ages.

    A ticket is open at end j when created before it and not resolved by it: for j from the number of ends up to
    its created time to the number up to its resolved time (all of them, while it is open): each ticket is
    expanded only into the month ends it was open at, with no join of every ticket against every month end."""
    age = f"(({[*ends]}::BIGINT[])[j + 1] - created) // 86400000000"
    cases = " ".join(f"WHEN age <= {b.up_to_days} THEN {lit(b.name)}" for b in buckets if b.up_to_days is not None)
    open_name = next(b.name for b in buckets if b.up_to_days is None)
    return f"""SELECT j, CASE {cases} ELSE {lit(open_name)} END, count(*), sum(age) FROM (
        SELECT j, {age} AS age FROM (SELECT created, unnest(range(first_end, past_end)) AS j FROM (
            SELECT created, {count_at_most('created', ends)} AS first_end,
                   CASE WHEN resolved IS NULL THEN {len(ends)} ELSE {count_at_most('resolved', ends)} END AS past_end
            FROM {relation}) WHERE first_end < past_end)) GROUP BY ALL"""


def _regroup(names: list[str], created: list[Any], resolved: list[Any], responded: list[Any],
             backlog: list[Any]) -> tuple[dict[str, dict[str, int]], dict[str, tuple[int, ...]],
                                          dict[str, tuple[int, ...]], list[Any], dict[str, list[Any]], list[Any]]:
    """Return the query results as `_assemble` takes them: month names for month indices, per-month totals."""
    opened: dict[str, dict[str, int]] = {}
    escalated: dict[str, tuple[int, ...]] = {}
    for m, channel, count, up in created:
        opened.setdefault(names[m], {})[str(channel)] = int(count)
        before = escalated.get(names[m], (0, 0))
        escalated[names[m]] = (before[0] + int(up or 0), before[1] + int(count))
    totals: dict[str, tuple[int, ...]] = {}
    for m, _, *counts in resolved:
        before = totals.get(names[m], (0,) * 6)
        totals[names[m]] = tuple(a + int(b or 0) for a, b in zip(before, counts[:6]))
    sla = {"response": [(names[m], p, n, met) for m, p, n, met in responded],
           "resolution": [(names[row[0]], row[1], row[8], row[9]) for row in resolved]}
    durations = [(names[row[0]], row[1], row[2], row[10]) for row in resolved]
    ages = [(names[m], bucket, count, total) for m, bucket, count, total in backlog]
    return opened, totals, escalated, ages, sla, durations


def _sla_dict(rows: list[Any], month: str, priorities: list[str]) -> tuple[dict[str, float | None], dict[str, int]]:
    """Return priority -> share met in `month`, and priority -> the tickets it was computed from."""
    counts = {str(p): (int(n), int(m or 0)) for mo, p, n, m in rows if mo == month and n}
    return ({p: pct(counts[p][1], counts[p][0]) if p in counts else None for p in priorities},
            {p: counts[p][0] if p in counts else 0 for p in priorities})


def _means(rows: list[Any], month: str, priorities: list[str]) -> tuple[dict[str, float | None], dict[str, int]]:
    """Return priority -> mean resolution hours in `month` (None without tickets), and the tickets behind each."""
    found = {str(p): (int(n), float(hours)) for mo, p, n, hours in rows if mo == month and n and hours is not None}
    return ({p: round(found[p][1], 2) if p in found else None for p in priorities},
            {p: found[p][0] if p in found else 0 for p in priorities})


def _assemble(months: list[str], buckets: tuple[AgeBucket, ...], targets: tuple[SlaTarget, ...], plan: Layout,
              fields: frozenset[str], opened: dict[str, dict[str, int]], resolved: dict[str, tuple[int, ...]],
              escalated: dict[str, tuple[int, ...]], backlog: list[Any], sla: dict[str, list[Any]],
              durations: list[Any]) -> list[MonthFigures]:
    has_level1 = bool(plan.level1_groups) and "group" in fields
    has_sla = {kind: (f"{kind}_sla" in fields) or (("first_response" if kind == "response" else "resolved") in fields
                                                   and any(getattr(t, f"{kind}_hours") is not None for t in targets))
               for kind in ("response", "resolution")}
    priorities = {kind: [t.priority for t in targets if getattr(t, f"{kind}_hours") is not None]
                  for kind in ("response", "resolution")}
    for kind, rows in sla.items():
        priorities[kind] += sorted({str(p) for _, p, n, _ in rows if int(n)} - set(priorities[kind]))
    resolved_priorities = sorted({str(p) for _, p, n, _ in durations if int(n)}
                                 | {t.priority for t in targets if t.resolution_hours is not None})
    totals: dict[str, int] = {}
    for counts in opened.values():
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
    order = sorted(totals, key=lambda name: (-totals[name], name))
    result = []
    for month in months:
        channels = {name: opened.get(month, {}).get(name, 0) for name in order}
        n_opened = sum(channels.values())
        n_resolved, n_level1, n_ratings, n_satisfied, n_reopened, n_reopen_known = resolved.get(month, (0,) * 6)
        n_escalated = escalated.get(month, (0, 0))[0]
        by_bucket = {b.name: 0 for b in buckets}
        debt = 0
        for m, name, count, ages in backlog:
            if m == month:
                by_bucket[str(name)] += int(count)
                debt += int(ages)
        n_open = sum(by_bucket.values())
        response, by_response = _sla_dict(sla["response"], month, priorities["response"])
        resolution, by_resolution = _sla_dict(sla["resolution"], month, priorities["resolution"])
        means, by_mean = _means(durations, month, resolved_priorities)
        per_priority = {f"{name}.{p}": n for name, counts in (("response_met_pct", by_response),
                                                             ("resolution_met_pct", by_resolution),
                                                             ("mean_resolution_hours", by_mean))
                        for p, n in counts.items()}
        result.append(MonthFigures(
            month=month, opened=n_opened,
            opened_by_channel=channels if "channel" in fields else None,
            resolved=n_resolved, open_at_month_end=n_open, open_by_age_bucket=by_bucket, support_debt_days=debt,
            level1_pct=pct(n_level1, n_resolved) if has_level1 else None,
            escalated=n_escalated if "escalated" in fields else None,
            response_met_pct=response if has_sla["response"] else None,
            resolution_met_pct=resolution if has_sla["resolution"] else None,
            csat_pct=pct(n_satisfied, n_ratings) if "rating" in fields else None,
            reopened_pct=pct(n_reopened, n_reopen_known) if "reopen_count" in fields else None,
            mean_resolution_hours=means,
            tickets={"opened": n_opened, "resolved": n_resolved, "open_at_month_end": n_open,
                     "support_debt_days": n_open, "level1_pct": n_resolved, "escalated": n_opened,
                     "response_met_pct": sum(by_response.values()), "resolution_met_pct": sum(by_resolution.values()),
                     "csat_pct": n_ratings, "reopened_pct": n_reopen_known, "mean_resolution_hours": n_resolved,
                     **per_priority}))
    return result
