"""Dates and durations in exports: which format a file uses, and SQL that reads them.

A file's date format is recognised from all its date values at once: ISO 8601 (with or without a
time, seconds, 'T' or an offset), day-first (31/01/2026, 31-01-2026, 31.01.2026), month-first
(01/31/2026, 1/31/26 2:05 PM) or with month names (Jira's 31/Jan/26 2:05 PM). When every value reads
both day-first and month-first (no day above 12 anywhere), the format is ambiguous: that is an
error asking for `date_format`, never a guess. Times without an offset are in the export's time
zone; times with one (Z, +02:00) keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.errors import Problem

if TYPE_CHECKING:
    import duckdb

OFFSET = r"\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|[+-]\d\d(:?\d\d)?)$"
"""A time followed by a UTC offset: such values are read as the instant they name."""
FAMILIES: dict[str, tuple[str, ...]] = {
    "day-first": ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p", "%d/%m/%Y",
                  "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M", "%d/%m/%y %I:%M %p", "%d/%m/%y",
                  "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
                  "%d.%m.%Y", "%d.%m.%y %H:%M", "%d.%m.%y"),
    "month-first": ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y",
                    "%m/%d/%y %H:%M:%S", "%m/%d/%y %H:%M", "%m/%d/%y %I:%M %p", "%m/%d/%y",
                    "%m-%d-%Y %H:%M:%S", "%m-%d-%Y %H:%M", "%m-%d-%Y"),
    "month names": ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %H:%M", "%d/%b/%y",
                    "%d-%b-%Y %H:%M:%S", "%d-%b-%Y %H:%M", "%d-%b-%y %H:%M", "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M",
                    "%d %b %Y", "%b %d, %Y %I:%M %p", "%b %d, %Y %H:%M", "%d %B %Y %H:%M"),
}
ISO = "ISO 8601"


def maybe_offset(value: str) -> str:
    """Return SQL for a cheap test every value with a UTC offset passes (a date's own '-' come before its 11th
    character): the regular expression then runs only on those."""
    return f"(suffix({value}, 'Z') OR suffix({value}, 'z') OR contains({value}, '+') OR contains(substr({value}, 11), '-'))"


@dataclass(frozen=True)
class DateFormat:
    """How one file writes its dates: ISO 8601, or a list of strftime formats tried in order."""

    name: str
    formats: tuple[str, ...] = ()
    offsets: bool = True
    """False when no value of the file has a UTC offset: the (costly) offset test is skipped."""


def date_only(formats: tuple[str, ...]) -> tuple[str, ...]:
    """Return the date parts of `formats` (what precedes the time of day), without repeats."""
    return tuple(dict.fromkeys(f.split(" %H")[0].split(" %I")[0] for f in formats))


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def naive(value: str, fmt: DateFormat) -> str:
    """Return SQL reading the text `value` (trimmed SQL expression) as a TIMESTAMP without zone, NULL if it cannot."""
    if fmt.name == ISO:
        return f"TRY_CAST({value} AS TIMESTAMP)"
    formats = ", ".join(literal(f) for f in fmt.formats)
    return f"try_strptime({value}, [{formats}])"


def timestamp(column: str, fmt: DateFormat, zone: str) -> str:
    """Return SQL reading text column `column` as TIMESTAMPTZ: an offset is kept, else the time is in `zone`."""
    value = f"nullif(trim({column}), '')"
    offset = (f"WHEN {maybe_offset(value)} AND regexp_matches({value}, {literal(OFFSET)}) "
              f"THEN TRY_CAST({value} AS TIMESTAMPTZ) " if fmt.offsets else "")
    return f"CASE WHEN {value} IS NULL THEN NULL {offset}ELSE timezone({literal(zone)}, {naive(value, fmt)}) END"


def hours(column: str, unit: str) -> str:
    """Return SQL reading a duration column as hours: a number of `unit` ('minutes' or 'hours') or [-]H:MM[:SS]."""
    value = f"nullif(trim({column}), '')"
    parts = f"string_split(ltrim({value}, '-'), ':')"
    as_clock = (f"(CASE WHEN starts_with({value}, '-') THEN -1 ELSE 1 END) * (TRY_CAST({parts}[1] AS DOUBLE) "
                f"+ TRY_CAST({parts}[2] AS DOUBLE) / 60 + coalesce(TRY_CAST({parts}[3] AS DOUBLE), 0) / 3600)")
    number = f"TRY_CAST(replace({value}, ',', '.') AS DOUBLE)" + (" / 60" if unit == "minutes" else "")
    # A value with a colon is read as a clock time [-]H:MM[:SS]; one that does not read is NULL (reported).
    return f"CASE WHEN {value} IS NULL THEN NULL WHEN contains({value}, ':') THEN {as_clock} ELSE {number} END"


def detect(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], shown: str,
           given: str | None) -> DateFormat | Problem:
    """Return the date format of the text `columns` of `table`, or the problem of an ambiguous format.

    `given` (the mapping's date_format) wins. Otherwise ISO 8601 when every value reads so; else the
    family that reads the most values, unless day-first and month-first read equally many.
    """
    if given:
        return DateFormat(given, (given,))
    if not columns:
        return DateFormat(ISO)
    values = " UNION ALL ".join(f"SELECT nullif(trim({c}), '') AS v FROM {table}" for c in columns)
    has_offset = f"({maybe_offset('v')} AND regexp_matches(v, {literal(OFFSET)}))"
    iso_ok = f"{naive('v', DateFormat(ISO))} IS NOT NULL OR {has_offset}"
    row = con.execute(f"SELECT count(*), count_if({iso_ok}), count_if({has_offset}) FROM ({values}) "
                      "WHERE v IS NOT NULL").fetchone()
    assert row is not None
    total, iso, offsets = int(row[0]), int(row[1] or 0), int(row[2] or 0) > 0  # count_if of no rows is NULL
    if total == 0 or iso == total:
        return DateFormat(ISO, offsets=offsets)
    # The families are told apart on the distinct dates (the time of day cut off): a few hundred values.
    days = f"SELECT DISTINCT trim(regexp_replace(v, '[ T]+[0-9]{{1,2}}:[0-9]{{2}}.*$', '')) AS v FROM ({values}) " \
           "WHERE v IS NOT NULL"
    counts = [f"count_if({naive('v', DateFormat(name, date_only(formats)))} IS NOT NULL)"
              for name, formats in FAMILIES.items()]
    found = con.execute(f"SELECT count(*), count_if({iso_ok}), {', '.join(counts)} FROM ({days})").fetchone()
    assert found is not None
    _, iso_days, *family_counts = (int(v or 0) for v in found)
    scores = dict(zip(FAMILIES, family_counts))
    best = max(FAMILIES, key=lambda name: scores[name])
    if iso_days >= scores[best]:
        return DateFormat(ISO, offsets=offsets)
    if scores["day-first"] == scores["month-first"] == scores[best]:
        return _ambiguous(con, table, columns, shown)
    return DateFormat(best, FAMILIES[best], offsets)


def _ambiguous(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], shown: str) -> Problem:
    """Return the problem of dates that read both day-first and month-first, quoting one that reads differently."""
    values = " UNION ALL ".join(f"SELECT nullif(trim({c}), '') AS v FROM {table}" for c in columns)
    day, month = DateFormat("d", FAMILIES["day-first"]), DateFormat("m", FAMILIES["month-first"])
    row = con.execute(f"SELECT v, {naive('v', day)}, {naive('v', month)} FROM ({values}) "
                      f"WHERE {naive('v', day)} <> {naive('v', month)} ORDER BY v LIMIT 1").fetchone()
    if row is None:
        example = ""
    else:
        value, as_day, as_month = row
        example = (f": {value!r} reads as {as_day:%d %B %Y} day-first and as {as_month:%B} {as_month.day}, "
                   f"{as_month.year} month-first")
    separator = "-" if row and "-" in str(row[0]) else "."
    separator = "/" if row and "/" in str(row[0]) else separator
    return Problem(shown, None, f"the dates are ambiguous: every date reads both day-first and month-first "
                   f"(no day above 12){example}",
                   f"say which: set tickets.mapping.date_format (or --date-format) to "
                   f"'%d{separator}%m{separator}%Y %H:%M' (day first) or "
                   f"'%m{separator}%d{separator}%Y %H:%M' (month first)")
