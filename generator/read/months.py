"""Months as content writes them (YYYY-MM) and as pages and slides show them, independent of locale."""

from __future__ import annotations

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month(value: str) -> str:
    """Return 'Mar 2026' for '2026-03'."""
    return f"{MONTH_NAMES[int(value[5:7]) - 1]} {value[:4]}"


def short_month(value: str) -> str:
    """Return 'Mar' for '2026-03' (chart axes)."""
    return MONTH_NAMES[int(value[5:7]) - 1]


def next_month(value: str) -> str:
    """Return the month after YYYY-MM: '2027-01' for '2026-12'."""
    year, number = int(value[:4]), int(value[5:7])
    return f"{year + number // 12}-{number % 12 + 1:02d}"
