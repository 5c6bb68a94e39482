"""An account's quotes across its meetings: each one made at a meeting, and what became of it.

A meeting's `quote` makes a quote; a later meeting's minutes record its outcome (`quote_outcomes`) by
number, the way action items are closed. `keep_book` checks the numbers and outcomes, and which agenda
item discusses the quotes, and returns each problem with its file and line.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.meetings.catalogue import Catalogue, did_you_mean
from generator.meetings.model import Issue, Meeting
from generator.meetings.pricing import price_quote, quote_number
from generator.meetings.quotes import QuoteBook, QuoteRecord
from generator.meetings.schema import AccountFile
from generator.read.layout import CATALOGUE_FILE


def keep_book(meetings: Sequence[Meeting], file: AccountFile, catalogue: Catalogue | None) -> tuple[QuoteBook, list[Issue]]:
    """Return the account's quotes, meeting by meeting, and the problems found (each with file and line)."""
    issues: list[Issue] = []
    records: dict[str, QuoteRecord] = {}
    unpriced: set[str] = set()
    """Numbers of quotes that could not be priced (their problems are reported): outcomes of them are not."""
    for meeting in meetings:
        doc, path = meeting.doc, meeting.doc.path
        if meeting.front.quote is not None:
            unpriced.add(quote_number(file, meeting))
            if catalogue is None:
                issues.append((path, doc.line_of(("quote",)), f"the meeting has a quote, but {CATALOGUE_FILE} is missing",
                               f"add {CATALOGUE_FILE} to the content folder with the services you quote (see README)"))
            else:
                quote, found = price_quote(meeting, file, catalogue)
                issues += found
                if quote is not None and quote.number in records:
                    earlier = records[quote.number].quote
                    issues.append((path, doc.line_of(("quote", "number") if meeting.front.quote.number else ("quote",)),
                                   f"quote number {quote.number} is used twice: the meeting of "
                                   f"{earlier.date.isoformat()} made it already", "give this quote another number"))
                elif quote is not None:
                    records[quote.number] = QuoteRecord(quote)
                    unpriced.discard(quote.number)
        issues += _record_outcomes(meeting, records, unpriced)
        issues += _check_discussed(meeting, records)
    return QuoteBook(tuple(records.values())), issues


def _record_outcomes(meeting: Meeting, records: dict[str, QuoteRecord], unpriced: set[str]) -> list[Issue]:
    """Record the outcomes `meeting`'s minutes give in `records`; return the problems."""
    doc, path = meeting.doc, meeting.doc.path
    issues: list[Issue] = []
    for i, outcome in enumerate(meeting.front.quote_outcomes):
        if outcome.quote in unpriced or outcome.revised_by in unpriced:
            continue
        record = records.get(outcome.quote)
        line = doc.line_of(("quote_outcomes", i, "quote"))
        if record is None:
            issues.append((path, line, f"no earlier meeting made quote {outcome.quote}",
                           did_you_mean(outcome.quote, records) if records else "quote numbers come from a meeting's "
                           "'quote' (its number, or <prefix>-Q-<YYYYMMDD of the meeting>)"))
            continue
        if record.outcome is not None:
            issues.append((path, line, f"quote {outcome.quote} was already {record.outcome.outcome} "
                           f"at the meeting of {record.decided_on.isoformat() if record.decided_on else '?'}",
                           "record a quote's outcome once"))
            continue
        if outcome.revised_by is not None and (outcome.revised_by not in records or outcome.revised_by == outcome.quote):
            issues.append((path, doc.line_of(("quote_outcomes", i, "revised_by")),
                           f"quote {outcome.quote} is revised by {outcome.revised_by}, which is not a new quote "
                           "of this or an earlier meeting",
                           "give the number of the quote that replaces it (this meeting's 'quote', for example)"))
            continue
        records[outcome.quote] = QuoteRecord(record.quote, outcome, meeting.slug, meeting.date)
    return issues


def _check_discussed(meeting: Meeting, records: dict[str, QuoteRecord]) -> list[Issue]:
    """Return a problem when no agenda item discusses the meeting's quote, or one claims to with nothing to discuss."""
    doc, path = meeting.doc, meeting.doc.path
    flagged = [i for i, item in enumerate(meeting.front.agenda) if item.quote]
    made = meeting.front.quote is not None
    pending = any(r.quote.date < meeting.date and (r.decided_on is None or r.decided_on >= meeting.date)
                  for r in records.values())
    if made and not flagged:
        return [(path, doc.line_of(("quote",)), "no agenda item discusses the meeting's quote",
                 "add 'quote: true' to the item that presents it (e.g. Service upgrade recommendations)")]
    if flagged and not made and not pending:
        return [(path, doc.line_of(("agenda", flagged[0], "quote")), "this item discusses quotes, but there is none "
                 "to discuss: the meeting makes no quote and none made earlier is waiting for an outcome",
                 "add the meeting's 'quote', or remove 'quote: true'")]
    if len(flagged) > 1:
        return [(path, doc.line_of(("agenda", flagged[1], "quote")), "two agenda items discuss the quotes",
                 "mark one item with 'quote: true'")]
    return []
