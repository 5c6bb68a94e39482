"""The quote page (quote.html beside the agenda of the meeting that made the quote) and its PDF.

The page shows the priced lines, the totals, the validity and, for each line that names a KPI, that
KPI's latest value against its target at the meeting: the evidence for the recommendation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jinja2

from generator.meetings.model import Account, Meeting
from generator.meetings.quotepdf import print_pdf
from generator.meetings.quotes import QuoteRecord
from generator.meetings.report import KpiReport, OpsReport

QUOTE_PAGE = "quote.html"


@dataclass(frozen=True)
class QuotePage:
    """Everything the page of one quote shows."""

    account: Account
    record: QuoteRecord
    meeting: Meeting
    """The meeting that made the quote."""
    evidence: dict[str, KpiReport]
    """KPI name -> the KPI as that meeting's report showed it, for the lines that name a KPI."""
    pdf: str | None
    """File name of the quote's PDF beside the page, when the build makes one."""

    @property
    def prepared_by(self) -> str:
        """Return who presents the quote: the owner of the agenda item that discusses it."""
        return next((item.owner for item in self.meeting.front.agenda if item.quote), self.meeting.front.lead)


def pdf_name(record: QuoteRecord) -> str:
    """Return the file name of a quote's PDF: quote-<number>.pdf."""
    return f"quote-{record.quote.number}.pdf"


def quote_page(account: Account, meeting: Meeting, report: OpsReport | None, pdf: bool) -> QuotePage | None:
    """Return the page of the quote `meeting` made, or None when it made none."""
    record = account.quotes.made_at(meeting)
    if record is None:
        return None
    named = {line.kpi for line in record.quote.lines if line.kpi}
    evidence = {k.kpi.name: k for k in report.kpis if k.kpi.name in named} if report else {}
    return QuotePage(account, record, meeting, evidence, pdf_name(record) if pdf else None)


def quote_files(env: jinja2.Environment, page: QuotePage, base: str, as_of: dt.date, style: bytes) -> dict[str, bytes]:
    """Return the quote page (and its PDF when asked for) under `base`, the meeting's folder in the site."""
    template = env.get_template("quote.html.j2")
    files = {f"{base}/{QUOTE_PAGE}": template.render(root="../../", as_of=as_of, page=page, printed=False).encode()}
    if page.pdf is not None:
        files[f"{base}/{page.pdf}"] = quote_pdf(env, page, as_of, style)
    return files


def quote_pdf(env: jinja2.Environment, page: QuotePage, as_of: dt.date, style: bytes) -> bytes:
    """Return the quote printed to PDF: the page without the site's navigation and status, dated the quote's day."""
    printed = env.get_template("quote.html.j2").render(root="", as_of=as_of, page=page, printed=True).encode()
    day = page.meeting.date
    return print_pdf(printed, style, dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc))
