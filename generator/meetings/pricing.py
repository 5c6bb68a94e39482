"""A meeting's quote priced from the catalogue and the account's agreed prices, with its problems at their lines."""

from __future__ import annotations

from generator.meetings.catalogue import Catalogue, did_you_mean
from generator.meetings.model import Issue, Meeting
from generator.meetings.money import fits
from generator.meetings.quoteform import QuoteEntry
from generator.meetings.quotes import Quote, QuoteLine
from generator.meetings.schema import AccountFile
from generator.read.layout import CATALOGUE_FILE


def quote_number(file: AccountFile, meeting: Meeting) -> str:
    """Return the number of the meeting's quote: the one given, else <prefix>-Q-<YYYYMMDD>."""
    entry = meeting.front.quote
    return entry.number if entry is not None and entry.number else f"{file.id_prefix}-Q-{meeting.date:%Y%m%d}"


def price_quote(meeting: Meeting, file: AccountFile, catalogue: Catalogue) -> tuple[Quote | None, list[Issue]]:
    """Return the meeting's quote priced from the catalogue and the account's prices, and its problems."""
    entry = meeting.front.quote
    if entry is None:
        return None, []
    doc, path = meeting.doc, meeting.doc.path
    issues = _check_entry(meeting, entry, file, catalogue)
    services = catalogue.services
    lines: list[QuoteLine] = []
    for i, line in enumerate(entry.lines):
        service = services.get(line.service)
        if service is None:
            issues.append((path, doc.line_of(("quote", "lines", i, "service")),
                           f"there is no service {line.service!r} in {CATALOGUE_FILE}",
                           did_you_mean(line.service, services)))
            continue
        agreed = file.prices.get(service.id)
        lines.append(QuoteLine(service, line.quantity, service.price if agreed is None else agreed, agreed is not None,
                               line.discount_pct, line.why, line.kpi, catalogue.currency))
    if issues:
        return None, issues
    return Quote(quote_number(file, meeting), meeting.account, meeting.slug, meeting.date, entry.valid_until,
                 catalogue.currency, tuple(lines), file.tax, entry.terms), []


def _check_entry(meeting: Meeting, entry: QuoteEntry, file: AccountFile, catalogue: Catalogue) -> list[Issue]:
    """Return the problems of a quote that its schema cannot see: currency, validity, KPI names."""
    doc, path = meeting.doc, meeting.doc.path
    issues: list[Issue] = []
    if entry.currency is not None and entry.currency != catalogue.currency:
        issues.append((path, doc.line_of(("quote", "currency")),
                       f"the quote is in {entry.currency} but {CATALOGUE_FILE} prices in {catalogue.currency}",
                       f"quote in {catalogue.currency}, the catalogue's currency (or remove 'currency')"))
    if entry.valid_until < meeting.date:
        issues.append((path, doc.line_of(("quote", "valid_until")),
                       f"the quote is valid until {entry.valid_until.isoformat()}, before the meeting "
                       f"({meeting.date.isoformat()})", "give a date on or after the meeting, e.g. 30 days after it"))
    kpis = [kpi.name for kpi in file.metrics.kpis] if file.metrics else []
    for i, line in enumerate(entry.lines):
        if line.kpi is not None and line.kpi not in kpis:
            where = "is not one of the account's KPIs" if kpis else "is named, but account.yaml has no KPIs"
            issues.append((path, doc.line_of(("quote", "lines", i, "kpi")), f"KPI {line.kpi!r} {where}",
                           did_you_mean(line.kpi, kpis) if kpis else "add it under metrics.kpis, or remove 'kpi'"))
    return issues


def check_prices(file: AccountFile, catalogue: Catalogue) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Return the problems of account.yaml's agreed prices (location, message, hint): unknown ids, decimals."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    for service, price in file.prices.items():
        if service not in catalogue.services:
            found.append((("prices", service), f"there is no service {service!r} in {CATALOGUE_FILE}",
                          did_you_mean(service, catalogue.services)))
        elif not fits(price, catalogue.currency):
            found.append((("prices", service), f"price {price} has more decimals than {catalogue.currency} has",
                          f"round it to {catalogue.currency}'s smallest unit"))
    return found
