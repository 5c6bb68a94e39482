"""Quotes for service upgrades: priced lines, totals, the contract value over the minimum term, tax; and an
account's quotes with what became of them (`QuoteBook`, kept by `quotebook.keep_book`).

Money is exact (`Decimal`): a line's total is rounded once, in the currency's minor unit; every other
amount is a sum of rounded amounts, or a tax rounded once, so that what the quote shows adds up to the cent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from generator.meetings.catalogue import Service
from generator.meetings.money import rounded
from generator.meetings.quoteform import QuoteOutcome, Tax

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class QuoteLine:
    """One priced line of a quote."""

    service: Service
    quantity: int
    unit_price: Decimal
    agreed: bool
    """True when the price is the account's agreed price rather than the catalogue's."""
    discount_pct: Decimal
    why: str
    kpi: str | None
    currency: str

    @property
    def gross(self) -> Decimal:
        """Return unit price times quantity (exact: the unit price has the currency's decimals)."""
        return self.unit_price * self.quantity

    @property
    def total(self) -> Decimal:
        """Return the line's amount after its discount, rounded once in the currency's minor unit."""
        return rounded(self.gross * (HUNDRED - self.discount_pct) / HUNDRED, self.currency)

    @property
    def discount(self) -> Decimal:
        """Return the amount the discount takes off (gross minus total)."""
        return self.gross - self.total

    @property
    def contract_value(self) -> Decimal:
        """Return what the line is worth over its minimum term: total times months, or the one-off total."""
        return self.total * (self.service.term or 1)


@dataclass(frozen=True)
class TaxedAmount:
    """An amount before tax, its tax and the sum."""

    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        """Return the amount with its tax."""
        return self.net + self.tax


@dataclass(frozen=True)
class Quote:
    """A quote for recommended service upgrades, as made at one meeting."""

    number: str
    account: str
    meeting: str
    """Slug of the meeting that made it."""
    date: dt.date
    valid_until: dt.date
    currency: str
    lines: tuple[QuoteLine, ...]
    tax: Tax | None
    terms: str | None

    @property
    def one_off(self) -> TaxedAmount:
        """Return the one-off lines' total and its tax."""
        return self._taxed(sum((line.total for line in self.lines if not line.service.monthly), Decimal(0)))

    @property
    def monthly(self) -> TaxedAmount:
        """Return the monthly lines' total and its tax."""
        return self._taxed(sum((line.total for line in self.lines if line.service.monthly), Decimal(0)))

    @property
    def contract_value(self) -> TaxedAmount:
        """Return the one-off total plus each monthly line over its minimum term, and its tax."""
        return self._taxed(sum((line.contract_value for line in self.lines), Decimal(0)))

    @property
    def longest_term(self) -> int:
        """Return the longest minimum term of the monthly lines in months (0 without monthly lines)."""
        return max((line.service.term or 0 for line in self.lines), default=0)

    def _taxed(self, net: Decimal) -> TaxedAmount:
        tax = rounded(net * self.tax.rate_pct / HUNDRED, self.currency) if self.tax else Decimal(0)
        return TaxedAmount(net, tax)


class Dated(Protocol):
    """A meeting, as far as the quote book needs one: its file name and date."""

    @property
    def slug(self) -> str: ...

    @property
    def date(self) -> dt.date: ...


@dataclass(frozen=True)
class QuoteRecord:
    """A quote with its outcome once a meeting recorded one."""

    quote: Quote
    outcome: QuoteOutcome | None = None
    decided_in: str | None = None
    """Slug of the meeting whose minutes recorded the outcome."""
    decided_on: dt.date | None = None

    def status(self, on: dt.date) -> str:
        """Return 'accepted', 'declined', 'revised', or, without an outcome, 'open' or 'expired' on `on`."""
        if self.outcome is not None:
            return self.outcome.outcome
        return "expired" if self.quote.valid_until < on else "open"


@dataclass(frozen=True)
class QuoteBook:
    """Every quote of an account, in the order its meetings made them."""

    records: tuple[QuoteRecord, ...] = ()

    def made_at(self, meeting: Dated) -> QuoteRecord | None:
        """Return the quote `meeting` made, or None."""
        return next((r for r in self.records if r.quote.meeting == meeting.slug), None)

    def discussed_at(self, meeting: Dated) -> tuple[QuoteRecord, ...]:
        """Return the quotes `meeting` discusses: those made earlier without an outcome before it, then its own."""
        return tuple(r for r in self.records
                     if r.quote.meeting == meeting.slug
                     or (r.quote.date < meeting.date and (r.decided_on is None or r.decided_on >= meeting.date)))

    def decided_at(self, meeting: Dated) -> tuple[QuoteRecord, ...]:
        """Return the quotes whose outcome `meeting`'s minutes recorded."""
        return tuple(r for r in self.records if r.decided_in == meeting.slug)

    def undecided(self) -> tuple[QuoteRecord, ...]:
        """Return the quotes no minutes have recorded an outcome of yet (open or expired)."""
        return tuple(r for r in self.records if r.outcome is None)

    def get(self, number: str) -> QuoteRecord | None:
        """Return the quote numbered `number`, or None."""
        return next((r for r in self.records if r.quote.number == number), None)
