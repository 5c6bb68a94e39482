"""The monthly figures, computed in SQL from table `tickets` (see `summary` for the definitions).

Each query groups all tickets at once (by the month of an event, or against the month ends); Python
only turns the dozen result rows per figure into `MonthFigures`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb

from generator.errors import ContentError, Problem
from generator.read.months import next_month
from generator.tickets import hours as business
from generator.tickets.mapping import AgeBucket, SlaTarget
from generator.tickets.presets import Layout


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


def _months_table(con: duckdb.DuckDBPyConnection, months: list[str], zone: str) -> None:
    rows = []
    for month in months:
        following = next_month(month)
        rows.append(f"({lit(month)}, timezone({lit(zone)}, TIMESTAMP '{month}-01 00:00:00'), "
                    f"timezone({lit(zone)}, TIMESTAMP '{following}-01 00:00:00'))")
    con.execute(f"CREATE OR REPLACE TEMP TABLE __months AS SELECT * FROM (VALUES {', '.join(rows)}) "
                "AS m(month, start_ts, end_ts)")


def _targets_table(con: duckdb.DuckDBPyConnection, targets: tuple[SlaTarget, ...]) -> None:
    rows = [f"({lit(t.priority)}, {t.response_hours if t.response_hours is not None else 'NULL'}::DOUBLE, "
            f"{t.resolution_hours if t.resolution_hours is not None else 'NULL'}::DOUBLE, {str(t.business).upper()})"
            for t in targets]
    rows = rows or ["(NULL, NULL::DOUBLE, NULL::DOUBLE, FALSE)"]
    con.execute(f"CREATE OR REPLACE TEMP TABLE __targets AS SELECT * FROM (VALUES {', '.join(rows)}) "
                "AS t(priority, response_h, resolution_h, business)")


def _prepare(con: duckdb.DuckDBPyConnection, zone: str, plan: Layout, targets: tuple[SlaTarget, ...]) -> None:
    """Create __t: each ticket with the months of its events and its response and resolution times in hours."""
    local = "timezone({z}, {c})".replace("{z}", lit(zone))
    calendar = "(epoch({b}) - epoch(created)) / 3600"
    joins, response_b, resolution_b = "", "NULL", "NULL"
    if any(t.business for t in targets):
        if plan.business_hours is None:
            raise ContentError([Problem("tickets.mapping", None, "SLA targets in business hours need the working week",
                                        "set tickets.mapping.business_hours (days, start, end, holidays)")])
        span = con.execute(f"SELECT min(CAST({local.replace('{c}', 'created')} AS DATE)), max(CAST("
                           f"{local.replace('{c}', 'greatest(created, resolved, first_response)')} AS DATE)) "
                           "FROM tickets").fetchone()
        first, last = (span[0], span[1]) if span and span[0] else (dt.date(2000, 1, 1), dt.date(2000, 1, 2))
        try:
            business.create_calendar(con, plan.business_hours, first, last)
        except ValueError as exc:
            raise ContentError([Problem("tickets.mapping.business_hours", None, str(exc),
                                        "give an ISO country code the holidays package knows, e.g. NL")]) from None
        for alias, column in (("dc", "created"), ("dr", "first_response"), ("ds", "resolved")):
            joins += f" LEFT JOIN __days {alias} ON {alias}.d = CAST({local.replace('{c}', column)} AS DATE)"
        ws = {a: business.working_seconds(a, local.replace("{c}", c))
              for a, c in (("dc", "created"), ("dr", "first_response"), ("ds", "resolved"))}
        response_b = f"({ws['dr']} - {ws['dc']}) / 3600"
        resolution_b = f"({ws['ds']} - {ws['dc']}) / 3600"
    bounds = con.execute("SELECT month, epoch(start_ts), epoch(end_ts) FROM __months ORDER BY month").fetchall()
    met = {kind: f"""CASE WHEN k.{kind}_sla IS NOT NULL THEN k.{kind}_sla WHEN k.{when} IS NOT NULL AND g.{kind}_h IS NOT NULL
        THEN (CASE WHEN g.business THEN {business_h} ELSE {calendar.replace('{b}', when)} END) <= g.{kind}_h END"""
           for kind, when, business_h in (("response", "first_response", response_b),
                                          ("resolution", "resolved", resolution_b))}
    # Only what the figures read, months as their index: the table is as narrow as it can be.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE __t AS SELECT k.created, k.resolved, k.priority, k.channel,
        k.level1_group, k.reopened, k.escalated, k.satisfied,
        {_month_of('k.created', bounds)} AS created_month,
        {_month_of('k.resolved', bounds)} AS resolved_month,
        {_month_of('coalesce(k.first_response, k.created)', bounds)} AS response_month,
        {met['response']} AS response_met, {met['resolution']} AS resolution_met
        FROM tickets k LEFT JOIN __targets g ON g.priority = k.priority{joins}""")
    con.execute("DROP TABLE tickets")  # __t holds all the figures need: their memory is one table


def _month_of(column: str, bounds: list[Any]) -> str:
    """Return SQL giving the index of the reported month an instant falls in (in `bounds`), NULL outside them.

    `bounds` are (month, start, end) in epoch seconds, in order: comparing numbers is far cheaper than
    converting every instant to local time and formatting it."""
    value = f"epoch({column})"
    cases = " ".join(f"WHEN {value} < {start!r} THEN NULL WHEN {value} < {end!r} THEN {index}"
                     for index, (_, start, end) in enumerate(bounds))
    return f"CAST(CASE {cases} END AS SMALLINT)" if bounds else "CAST(NULL AS SMALLINT)"


def compute(con: duckdb.DuckDBPyConnection, months: list[str], zone: str, buckets: tuple[AgeBucket, ...],
            targets: tuple[SlaTarget, ...], plan: Layout, fields: frozenset[str]) -> list[MonthFigures]:
    """Return the figures of `months` from table `tickets`."""
    _months_table(con, months, zone)
    _targets_table(con, targets)
    _prepare(con, zone, plan, targets)
    names = "[" + ", ".join(lit(m) for m in sorted(months)) + "]"

    def month(column: str) -> str:
        return f"{names}[{column} + 1]"

    opened = _grouped(con, f"SELECT {month('created_month')}, channel, count(*) FROM __t "
                           "WHERE created_month IS NOT NULL GROUP BY ALL")
    level1 = ("FALSE" if not plan.level1_groups else
              "level1_group AND NOT coalesce(escalated, FALSE)")
    resolved = _rows(con, f"SELECT {month('resolved_month')}, count(*), count_if({level1}), "
                          f"count_if(satisfied IS NOT NULL), count_if(satisfied), count_if(reopened), "
                          f"count_if(reopened IS NOT NULL) FROM __t WHERE resolved_month IS NOT NULL GROUP BY 1")
    escalated = _rows(con, f"SELECT {month('created_month')}, count_if(escalated), count(*) FROM __t "
                           f"WHERE created_month IS NOT NULL GROUP BY 1")
    age = "CAST(floor((epoch(m.end_ts) - epoch(k.created)) / 86400) AS BIGINT)"
    cases = " ".join(f"WHEN {age} <= {b.up_to_days} THEN {lit(b.name)}" for b in buckets if b.up_to_days is not None)
    open_name = next(b.name for b in buckets if b.up_to_days is None)
    backlog = con.execute(f"""SELECT m.month, CASE {cases} ELSE {lit(open_name)} END, count(*), sum({age})
        FROM __months m JOIN __t k ON k.created < m.end_ts AND (k.resolved IS NULL OR k.resolved >= m.end_ts)
        GROUP BY ALL""").fetchall()
    sla = {}
    for kind, column in (("response", "response_month"), ("resolution", "resolved_month")):
        sla[kind] = con.execute(f"SELECT {month(column)}, priority, count_if({kind}_met IS NOT NULL), "
                                f"count_if({kind}_met) FROM __t WHERE {column} IS NOT NULL GROUP BY ALL").fetchall()
    durations = con.execute(f"SELECT {month('resolved_month')}, priority, count(*), "
                            "avg(epoch(resolved) - epoch(created)) / 3600 FROM __t WHERE resolved_month IS NOT NULL "
                            "GROUP BY ALL").fetchall()
    return _assemble(months, buckets, targets, plan, fields, opened, resolved, escalated, backlog, sla, durations)


def _grouped(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for month, key, count in con.execute(query).fetchall():
        found.setdefault(str(month), {})[str(key)] = int(count)
    return found


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, tuple[int, ...]]:
    return {str(row[0]): tuple(int(v or 0) for v in row[1:]) for row in con.execute(query).fetchall()}


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
