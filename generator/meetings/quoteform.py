"""What a meeting file's `quote` and `quote_outcomes`, and account.yaml's `prices` and `tax`, may hold.

Checks that need the catalogue or other meetings (service ids, currency, numbers used twice, outcomes
of unknown quotes) are in `quotes.py` and `quotebook.py`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, Strict, model_validator

from generator.meetings.money import Currency, Percent
from generator.read.fields import Model, Text

QuoteNumber = Annotated[str, Strict(), Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$", max_length=40)]
"""A quote number: capital letters and digits in groups joined by hyphens, e.g. KF-Q-20261203 or KF-2026-07."""
MAX_QUANTITY = 1_000_000


def check_quantity(value: int) -> int:
    """Return a quantity of at least 1, else raise ValueError saying what to give."""
    if value < 0:
        raise ValueError(f"a quantity cannot be negative ({value}); give how many units, at least 1")
    if value == 0:
        raise ValueError("a quantity of 0 quotes nothing; give at least 1, or remove the line")
    if value > MAX_QUANTITY:
        raise ValueError(f"{value} is too many units for a quote line; check the number")
    return value


class Tax(Model):
    """The tax added to an account's quotes."""

    name: Text
    """What the tax is called on the quote, e.g. VAT or GST."""
    rate_pct: Percent
    """Its rate in percent, e.g. 21."""


class QuoteLineEntry(Model):
    """One line of a quote: a service of the catalogue, how many, and why it is recommended."""

    service: Text
    """The service's id in catalogue.yaml."""
    quantity: Annotated[int, Strict(), AfterValidator(check_quantity)]
    """How many units (users, sites, devices ...); 1 for a one-off service."""
    discount_pct: Percent = Decimal(0)
    """Discount on the line in percent, 0 to 100."""
    why: Text
    """Why the upgrade is recommended, in a sentence the customer reads."""
    kpi: Text | None = None
    """The account KPI the line addresses (its name in account.yaml): the quote shows its latest value."""


class QuoteEntry(Model):
    """A meeting's `quote`: the recommended service upgrades, priced from the catalogue."""

    number: QuoteNumber | None = None
    """The quote's number; default: <account prefix>-Q-<YYYYMMDD of the meeting>, e.g. KF-Q-20261203."""
    valid_until: dt.date
    """The last day the offer holds, YYYY-MM-DD (on or after the meeting)."""
    currency: Currency | None = None
    """Optional: the currency, which must be the catalogue's."""
    lines: list[QuoteLineEntry] = Field(min_length=1)
    """The services quoted."""
    terms: Text | None = None
    """Optional terms printed under the totals, e.g. payment terms."""


class QuoteOutcome(Model):
    """What became of a quote made at this or an earlier meeting, recorded in the minutes."""

    quote: QuoteNumber
    """The quote's number."""
    outcome: Literal["accepted", "declined", "revised"]
    """accepted, declined, or revised (replaced by a new quote, `revised_by`)."""
    revised_by: QuoteNumber | None = None
    """For a revised quote: the number of the quote that replaces it."""
    note: Text | None = None
    """Optional: what was said, e.g. 'signed by the CFO' or 'budget moved to next year'."""

    @model_validator(mode="after")
    def _revised(self) -> QuoteOutcome:
        if self.outcome == "revised" and self.revised_by is None:
            raise ValueError("a revised quote needs revised_by: the number of the quote that replaces it")
        if self.outcome != "revised" and self.revised_by is not None:
            raise ValueError(f"an {self.outcome} quote is not revised; remove revised_by, or write outcome: revised")
        return self

