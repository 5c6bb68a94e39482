"""How dates, times and KPI values read on the pages: one format each, used everywhere."""

from __future__ import annotations

import datetime as dt

from generator.meetings.report import KpiReport
from generator.meetings.schema import Kpi
from generator.read.months import month


def day(value: dt.date) -> str:
    """Return 'Thu 3 Dec 2026'."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def time_span(start: dt.datetime, end: dt.datetime, zone: str) -> str:
    """Return '10:00–11:30 CET (Europe/Amsterdam, UTC+01:00)'."""
    offset = start.strftime("%z")
    return (f"{start:%H:%M}\u2013{end:%H:%M} {start.tzname()} "
            f"({zone}, UTC{offset[:3]}:{offset[3:]})")


def iso(value: dt.datetime | dt.date) -> str:
    """Return the machine-readable form for a <time datetime> attribute."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def value(number: float, kpi: Kpi) -> str:
    """Return a KPI value with its unit: '95.4%', '8.2 hours'."""
    text = f"{number:.{kpi.decimals}f}".replace("-", "\u2212")
    return f"{text}%" if kpi.unit == "%" else f"{text} {kpi.unit}"


def change(report: KpiReport) -> str:
    """Return the change since the last review: '+1.6 points', '\u22120.5 hours', or 'first review'."""
    delta = report.change
    if delta is None:
        return "first review"
    rounded = round(delta, report.kpi.decimals)
    if rounded == 0:
        return "no change"
    sign = "+" if rounded > 0 else "\u2212"
    unit = "points" if report.kpi.unit == "%" else report.kpi.unit
    return f"{sign}{abs(rounded):.{report.kpi.decimals}f} {unit}"


def target(kpi: Kpi) -> str:
    """Return the target as a sentence part: '95.0% or more', '8.0 hours or less'."""
    return f"{value(kpi.target, kpi)} or {'more' if kpi.better == 'higher' else 'less'}"


def chart_alt(report: KpiReport) -> str:
    """Return the text alternative of a KPI chart: every value shown and the target."""
    points = ", ".join(f"{month(m)} {value(v, report.kpi)}" for m, v in zip(report.months, report.values))
    return f"Line chart of {report.kpi.name}: {points}. Target: {target(report.kpi)}."
