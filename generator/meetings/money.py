"""Money in quotes: exact amounts (`Decimal`) in a currency's minor unit, rounded once, written as people read them.

The currency codes, their minor units (2 for EUR, 0 for JPY, 3 for KWD) and the way amounts are written
come from Babel's copy of the Unicode CLDR data, not from a table of our own.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from babel.numbers import format_currency, get_currency_precision, list_currencies
from pydantic import BeforeValidator

LOCALE = "en"
"""How amounts are written on quotes: €1,234.50."""
MAX_AMOUNT = Decimal(10) ** 12
"""Largest price accepted: beyond it an amount is a typo."""


@functools.lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """Return the ISO 4217 codes of the currencies in use."""
    return frozenset(list_currencies())


def check_currency(value: Any) -> str:
    """Return `value` if it is an ISO 4217 currency code in use (EUR, USD, GBP ...), else raise ValueError."""
    if not isinstance(value, str) or value not in currencies():
        raise ValueError(f"{value!r} is not a currency code; write its ISO 4217 code, e.g. EUR, USD or GBP")
    return value


def decimal(value: Any) -> Decimal:
    """Return a number written in YAML (1250, 99.5 or "99.50") as an exact Decimal, or raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{value!r} is not an amount; write a number such as 1250 or 99.50")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount; write a number such as 1250 or 99.50") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not an amount; write a number such as 1250 or 99.50")
    return number


def check_price(value: Any) -> Decimal:
    """Return a price: an amount from 0 up to MAX_AMOUNT."""
    number = decimal(value)
    if number < 0:
        raise ValueError(f"a price cannot be negative ({number}); give the amount charged, e.g. 99.50")
    if number >= MAX_AMOUNT:
        raise ValueError(f"{number} is too large for a price; check the number")
    return number


def check_percent(value: Any) -> Decimal:
    """Return a percentage from 0 to 100 as a Decimal."""
    number = decimal(value)
    if number < 0:
        raise ValueError(f"a percentage cannot be negative ({number}); give 0 to 100")
    if number > 100:
        raise ValueError(f"{number}% is over 100%; give 0 to 100")
    return number


Price = Annotated[Decimal, BeforeValidator(check_price)]
Percent = Annotated[Decimal, BeforeValidator(check_percent)]
Currency = Annotated[str, BeforeValidator(check_currency)]


def minor_unit(currency: str) -> Decimal:
    """Return the smallest amount of `currency`: 0.01 for EUR, 1 for JPY, 0.001 for KWD."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def fits(amount: Decimal, currency: str) -> bool:
    """Return True when `amount` has no more decimals than `currency`'s minor unit allows."""
    return amount == amount.quantize(minor_unit(currency))


def rounded(amount: Decimal, currency: str) -> Decimal:
    """Return `amount` rounded to `currency`'s minor unit, halves away from zero (as invoices round)."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def money(amount: Decimal, currency: str) -> str:
    """Return `amount` written with its currency, e.g. €1,234.50, ¥1,235, -€12.00."""
    return _money(str(amount), currency)


@functools.lru_cache(maxsize=4096)
def _money(amount: str, currency: str) -> str:
    """Return `money` of the amount written `amount`: the same amounts recur on every page and quote of a site."""
    return str(format_currency(Decimal(amount), currency, locale=LOCALE, currency_digits=True))


def percent(value: Decimal) -> str:
    """Return a percentage as written on a quote: 10%, 12.5%."""
    text = format(value.normalize(), "f")
    return f"{text}%"
