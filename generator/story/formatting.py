"""How figures read on slides and pages: one format per kind of figure, independent of locale."""

from __future__ import annotations

import datetime as dt

from generator.read.months import MONTH_NAMES

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def number(value: float, decimals: int = 1) -> str:
    """Return `value` with thousands separators, dropping a decimal part of zero ('5,200', '2.5')."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(value: float) -> str:
    """Return '80.1%' or '92%'."""
    return f"{number(value)}%"


def signed_percent(value: float) -> str:
    """Return a relative change as '-10.5%' or '+3%'."""
    return f"{'+' if value > 0 else ''}{number(value)}%"


def points(value: float) -> str:
    """Return a change in percentage points as '+9.1 pts'."""
    return f"{'+' if value > 0 else ''}{number(value)} pts"


def money(value: float, currency: str) -> str:
    """Return '€25.51', '€1.7M' or 'CHF 120' for an amount in `currency`."""
    symbol = CURRENCY_SYMBOLS.get(currency)
    if abs(value) >= 1_000_000:
        text = f"{number(value / 1_000_000, 2)}M"
    elif abs(value) >= 10_000:
        text = f"{number(value / 1_000, 1)}k"
    else:
        text = f"{value:,.2f}"
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency} {text}"


def date(value: dt.date) -> str:
    """Return '26 Nov 2026'."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
