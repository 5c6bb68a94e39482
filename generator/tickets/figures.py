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
    tickets: dict[str, int] = field(default_factory=dict)
    """Figure -> how many tickets it was computed from (ratings for CSAT)."""


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
    con.execute(f"""CREATE OR REPLACE TEMP TABLE __t AS SELECT k.*,
        strftime({local.replace('{c}', 'k.created')}, '%Y-%m') AS created_month,
        strftime({local.replace('{c}', 'k.resolved')}, '%Y-%m') AS resolved_month,
        strftime({local.replace('{c}', 'coalesce(k.first_response, k.created)')}, '%Y-%m') AS response_month,
        CASE WHEN g.business THEN {response_b} ELSE {calendar.replace('{b}', 'first_response')} END AS response_hours,
        CASE WHEN g.business THEN {resolution_b} ELSE {calendar.replace('{b}', 'resolved')} END AS resolution_hours,
        g.response_h, g.resolution_h
        FROM tickets k LEFT JOIN __targets g ON g.priority = k.priority{joins}""")


def compute(con: duckdb.DuckDBPyConnection, months: list[str], zone: str, buckets: tuple[AgeBucket, ...],
            targets: tuple[SlaTarget, ...], plan: Layout, fields: frozenset[str]) -> list[MonthFigures]:
    """Return the figures of `months` from table `tickets`."""
    _months_table(con, months, zone)
    _targets_table(con, targets)
    _prepare(con, zone, plan, targets)
    wanted = ", ".join(lit(m) for m in months)
    opened = _grouped(con, f"SELECT created_month, channel, count(*) FROM __t WHERE created_month IN ({wanted}) "
                           "GROUP BY ALL")
    level1 = ("FALSE" if not plan.level1_groups else
              f"grp IN ({', '.join(lit(g) for g in plan.level1_groups)}) AND NOT coalesce(escalated, FALSE)")
    resolved = _rows(con, f"SELECT resolved_month, count(*), count_if({level1}), count_if(satisfied IS NOT NULL), "
                          f"count_if(satisfied), count_if(reopened), count_if(reopened IS NOT NULL) FROM __t "
                          f"WHERE resolved_month IN ({wanted}) GROUP BY 1")
    escalated = _rows(con, f"SELECT created_month, count_if(escalated), count(*) FROM __t "
                           f"WHERE created_month IN ({wanted}) GROUP BY 1")
    age = "CAST(floor((epoch(m.end_ts) - epoch(k.created)) / 86400) AS BIGINT)"
    cases = " ".join(f"WHEN {age} <= {b.up_to_days} THEN {lit(b.name)}" for b in buckets if b.up_to_days is not None)
    open_name = next(b.name for b in buckets if b.up_to_days is None)
    backlog = con.execute(f"""SELECT m.month, CASE {cases} ELSE {lit(open_name)} END, count(*), sum({age})
        FROM __months m JOIN tickets k ON k.created < m.end_ts AND (k.resolved IS NULL OR k.resolved >= m.end_ts)
        GROUP BY ALL""").fetchall()
    sla = {}
    for kind, month, flag, when in (("response", "response_month", "response_sla", "first_response"),
                                    ("resolution", "resolved_month", "resolution_sla", "resolved")):
        met = (f"CASE WHEN {flag} IS NOT NULL THEN {flag} WHEN {when} IS NOT NULL AND {kind}_h IS NOT NULL "
               f"THEN {kind}_hours <= {kind}_h END")
        sla[kind] = con.execute(f"SELECT {month}, priority, count_if(({met}) IS NOT NULL), count_if({met}) FROM __t "
                                f"WHERE {month} IN ({wanted}) GROUP BY ALL").fetchall()
    return _assemble(months, buckets, targets, plan, fields, opened, resolved, escalated, backlog, sla)


def _grouped(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for month, key, count in con.execute(query).fetchall():
        found.setdefault(str(month), {})[str(key)] = int(count)
    return found


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> dict[str, tuple[int, ...]]:
    return {str(row[0]): tuple(int(v or 0) for v in row[1:]) for row in con.execute(query).fetchall()}


def _sla_dict(rows: list[Any], month: str, priorities: list[str]) -> tuple[dict[str, float | None], int]:
    counts = {str(p): (int(n), int(m or 0)) for mo, p, n, m in rows if mo == month and n}
    return {p: pct(counts[p][1], counts[p][0]) if p in counts else None for p in priorities}, \
        sum(n for n, _ in counts.values())


def _assemble(months: list[str], buckets: tuple[AgeBucket, ...], targets: tuple[SlaTarget, ...], plan: Layout,
              fields: frozenset[str], opened: dict[str, dict[str, int]], resolved: dict[str, tuple[int, ...]],
              escalated: dict[str, tuple[int, ...]], backlog: list[Any],
              sla: dict[str, list[Any]]) -> list[MonthFigures]:
    has_level1 = bool(plan.level1_groups) and "group" in fields
    has_sla = {kind: (f"{kind}_sla" in fields) or (("first_response" if kind == "response" else "resolved") in fields
                                                   and any(getattr(t, f"{kind}_hours") is not None for t in targets))
               for kind in ("response", "resolution")}
    priorities = {kind: [t.priority for t in targets if getattr(t, f"{kind}_hours") is not None]
                  for kind in ("response", "resolution")}
    for kind, rows in sla.items():
        priorities[kind] += sorted({str(p) for _, p, n, _ in rows if int(n)} - set(priorities[kind]))
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
        response, n_response = _sla_dict(sla["response"], month, priorities["response"])
        resolution, n_resolution = _sla_dict(sla["resolution"], month, priorities["resolution"])
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
            tickets={"opened": n_opened, "resolved": n_resolved, "open_at_month_end": n_open,
                     "support_debt_days": n_open, "level1_pct": n_resolved, "escalated": n_opened,
                     "response_met_pct": n_response, "resolution_met_pct": n_resolution, "csat_pct": n_ratings,
                     "reopened_pct": n_reopen_known}))
    return result
