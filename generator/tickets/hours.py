"""Business hours: how many working hours lie between two times, in SQL.

A calendar of days (`__days`) holds, for each local date in the report's time zone, its working
window in seconds after midnight (none on a weekend day or a public holiday) and the working seconds
of all days before it. The working seconds up to a time t are then `before + clamp(t's seconds into
its day, window)`, and the business time between two times is the difference of the two: one
equality join per time, no loop over tickets.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from generator.tickets.mapping import WEEKDAYS, BusinessHours

if TYPE_CHECKING:
    import duckdb


def _seconds(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def public_holidays(hours: BusinessHours, first: dt.date, last: dt.date) -> set[dt.date]:
    """Return the public holidays of `hours.holidays` (country) between `first` and `last` (the holidays package)."""
    if not hours.holidays:
        return set()
    import holidays

    try:
        calendar = holidays.country_holidays(hours.holidays, subdiv=hours.subdivision,
                                             years=range(first.year, last.year + 1))
    except (NotImplementedError, KeyError) as exc:
        raise ValueError(f"no public holidays are known for {hours.holidays}"
                         f"{'/' + hours.subdivision if hours.subdivision else ''}: {exc}") from None
    return {day for day in calendar if first <= day <= last}


def create_calendar(con: duckdb.DuckDBPyConnection, hours: BusinessHours, first: dt.date, last: dt.date) -> None:
    """Create table __days(d, start_s, end_s, before_s) for every date from `first` to `last` (inclusive)."""
    start, end = _seconds(hours.start), _seconds(hours.end)
    working = [WEEKDAYS.index(day) + 1 for day in hours.days]  # ISO weekday numbers
    off = sorted(public_holidays(hours, first, last))
    off_list = ", ".join(f"DATE '{day.isoformat()}'" for day in off)
    not_off = f" AND CAST(d AS DATE) NOT IN ({off_list})" if off else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE __days AS
        WITH days AS (
            SELECT CAST(d AS DATE) AS d,
                   isodow(d) IN ({', '.join(map(str, working))}){not_off} AS works
            FROM generate_series(DATE '{first.isoformat()}', DATE '{last.isoformat()}', INTERVAL 1 DAY) AS g(d))
        SELECT d, CASE WHEN works THEN {start} ELSE 0 END AS start_s, CASE WHEN works THEN {end} ELSE 0 END AS end_s,
               coalesce(sum(CASE WHEN works THEN {end - start} ELSE 0 END)
                        OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_s
        FROM days""")


def working_seconds(alias: str, local: str) -> str:
    """Return SQL for the working seconds up to local time `local`, given `alias` is its __days row (joined)."""
    into_day = f"(epoch({local}) - epoch(CAST(CAST({local} AS DATE) AS TIMESTAMP)))"
    return f"({alias}.before_s + greatest(0, least({into_day}, {alias}.end_s) - {alias}.start_s))"
