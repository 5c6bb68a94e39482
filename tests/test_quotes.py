"""Quotes for recommended service upgrades: priced from catalogue.yaml with exact money, shown on quote.html beside
the agenda with the KPI evidence, carried from meeting to meeting until the minutes record an outcome, listed on
the index, printed to PDF by headless Chromium (the same bytes on every build) and attached to the agenda e-mail.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.meetings.catalogue import Service
from generator.meetings.money import minor_unit, money
from generator.meetings.quoteform import Tax
from generator.meetings.quotepdf import browser
from generator.meetings.quotes import Quote, QuoteLine
from generator.meetings.reader import load_account
from tests.conftest import EXAMPLE, SHIPPED, TEMPLATES

KESTREL = "kestrel-freight"
DECEMBER = "2026-12-03-operations-review"
SEPTEMBER = "2026-09-03-operations-review"
JUNE = "2026-06-04-operations-review"


def need_chromium() -> None:
    """Skip when Chromium is missing, except under CI=true, where the PDF must be made."""
    if browser() is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium not found; under CI=true the quote PDF tests must run (see .ci/run)")
    pytest.skip("Chromium not found (apt-get install chromium): it prints the quote to PDF")


def build(content: Path, output: Path, *extra: str, as_of: str = "2026-11-23") -> None:
    assert main(["build", "--content", str(content), "--templates", str(TEMPLATES), "--output", str(output),
                 "--as-of", as_of, "--jobs", "1", *extra]) == 0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's meeting pack as shipped (KPIs from its ticket export), built once (as of 23 November 2026)."""
    output = tmp_path_factory.mktemp("quotes") / "output"
    build(SHIPPED, output, "--only", "account:*", "--only", "site:index")
    return output / "site"


def page(path: Path) -> Any:
    return lxml.html.fromstring(path.read_bytes())


def text(path: Path) -> str:
    return " ".join(" ".join(page(path).itertext()).split())


def meeting_yaml(name: str) -> dict[str, Any]:
    raw = (EXAMPLE / "accounts" / KESTREL / "meetings" / f"{name}.md").read_text(encoding="utf-8")
    return yaml.safe_load(raw.split("---")[1])  # type: ignore[no-any-return]


def catalogue() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((EXAMPLE / "catalogue.yaml").read_text(encoding="utf-8"))
    return {service["id"]: service for service in data["services"]}


def service(unit: str = "per user per month", price: str = "10.00", term: int | None = 12) -> Service:
    return Service(id="s", name="S", unit=unit, price=Decimal(price), minimum_term_months=term)


# Money: exact, rounded once per line, adding up to the cent.

lines_strategy = st.lists(st.tuples(st.integers(0, 10**7), st.integers(1, 5000), st.decimals(0, 100, places=2),
                                    st.booleans(), st.integers(1, 60)), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(lines=lines_strategy, rate=st.decimals(0, 30, places=2), currency=st.sampled_from(["EUR", "JPY", "KWD"]))
def test_every_line_is_rounded_once_and_the_totals_add_up_to_the_minor_unit(
        lines: list[tuple[int, int, Decimal, bool, int]], rate: Decimal, currency: str) -> None:
    unit = minor_unit(currency)
    priced = tuple(QuoteLine(service("per site per month" if monthly else "one-off", str(minor * unit),
                                     term if monthly else None), quantity, minor * unit, False, discount, "why", None,
                             currency)
                   for minor, quantity, discount, monthly, term in lines)
    quote = Quote("Q-1", "a", "m", dt.date(2026, 1, 1), dt.date(2026, 2, 1), currency, priced, Tax(name="VAT", rate_pct=rate),
                  None)
    for line in priced:
        assert line.total == line.total.quantize(unit)
        assert line.total + line.discount == line.gross
        assert abs(line.total - line.gross * (100 - line.discount_pct) / 100) <= unit / 2
    assert quote.monthly.net == sum((ln.total for ln in priced if ln.service.monthly), Decimal(0))
    assert quote.one_off.net == sum((ln.total for ln in priced if not ln.service.monthly), Decimal(0))
    assert quote.contract_value.net == quote.one_off.net + sum(
        (ln.total * (ln.service.term or 0) for ln in priced if ln.service.monthly), Decimal(0))
    for amount in (quote.monthly, quote.one_off, quote.contract_value):
        assert amount.tax == amount.tax.quantize(unit)
        assert abs(amount.tax - amount.net * rate / 100) <= unit / 2
        assert amount.gross == amount.net + amount.tax


def test_a_currency_without_cents_is_rounded_to_whole_units() -> None:
    line = QuoteLine(service(price="999"), 3, Decimal(999), False, Decimal("33.3"), "why", None, "JPY")
    assert line.total == Decimal(1999)  # 2,997 less 33.3% is 1,998.999
    assert money(line.total, "JPY") == "¥1,999"
    assert money(Decimal("1234.5"), "EUR") == "€1,234.50"


# The example: the quote page, its figures traced to the meeting file and the catalogue.

def test_the_quote_page_shows_each_line_priced_from_the_catalogue_and_totals_that_add_up(site: Path) -> None:
    quote = meeting_yaml(DECEMBER)["quote"]
    services = catalogue()
    rows = page(site / KESTREL / DECEMBER / "quote.html").xpath("//table[@class='quote']/tbody/tr")
    assert len(rows) == len(quote["lines"]) == 2
    monthly = one_off = Decimal(0)
    for row, line in zip(rows, quote["lines"]):
        entry = services[line["service"]]
        price = Decimal(str(entry["price"]))
        total = (price * line["quantity"] * (100 - Decimal(str(line.get("discount_pct", 0)))) / 100).quantize(
            Decimal("0.01"))
        cells = [" ".join(" ".join(cell.itertext()).split()) for cell in row]
        assert cells[0].startswith(entry["name"])
        assert cells[2] == f"€{price:,.2f}" and cells[3] == str(line["quantity"])
        assert cells[5].startswith(f"€{total:,.2f}")
        if entry["unit"] == "one-off":
            one_off += total
        else:
            monthly += total
            term = entry["minimum_term_months"]
    assert (monthly, one_off) == (Decimal("1436.40"), Decimal("8700.00"))  # 84 x 18.00 less 5%; 6 x 1,450.00
    body = text(site / KESTREL / DECEMBER / "quote.html")
    contract = one_off + monthly * term
    vat = (contract * Decimal("0.21")).quantize(Decimal("0.01"))
    assert f"Contract value over the minimum term (24 months) €{contract:,.2f} €{vat:,.2f} €{contract + vat:,.2f}" in body
    assert "Every month €1,436.40 €301.64 €1,738.04" in body
    assert "Quote number KF-Q-20261203" in body and "Valid until Fri 29 Jan 2027" in body


def test_each_line_that_names_a_kpi_shows_its_latest_value_against_the_target(site: Path) -> None:
    agenda = text(site / KESTREL / DECEMBER / "agenda.html")
    csat = re.search(r"Customer satisfaction \(CSAT\) ([\d.]+%) ([\d.]+%) .*?(Met|Missed)", agenda)
    assert csat is not None
    body = text(site / KESTREL / DECEMBER / "quote.html")
    assert (f"Customer satisfaction (CSAT): {csat.group(1)} in Oct 2026, against a target of {csat.group(2)} "
            f"or more: {csat.group(3)}") in body
    assert csat.group(3) == "Missed"  # the example's new quote answers a missed KPI


def test_an_agreed_account_price_replaces_the_list_price(site: Path) -> None:
    row = page(site / KESTREL / SEPTEMBER / "quote.html").xpath("//table[@class='quote']/tbody/tr")[0]
    assert " ".join(" ".join(row[2].itertext()).split()) == "€395.00 agreed price"
    assert catalogue()["monitoring-24x7"]["price"] == 420.00


def test_the_agenda_links_the_quotes_its_item_discusses_and_the_minutes_record_outcomes(site: Path) -> None:
    links = page(site / KESTREL / DECEMBER / "agenda.html").xpath("//table[@class='agenda']//ul[@class='quotes']//a")
    assert [a.get("href") for a in links] == [f"../{SEPTEMBER}/quote.html", "quote.html"]
    item = " ".join(" ".join(links[0].getparent().getparent().getparent().itertext()).split())
    assert item.startswith("Service upgrade recommendations")
    decided = [" ".join(li.text_content().split()) for li in page(site / KESTREL / SEPTEMBER / "minutes.html").xpath(
        "//h3[.='Quotes decided']/following-sibling::ul[1]/li")]
    assert decided == ["Quote KF-Q-20260604 of Thu 4 Jun 2026: accepted. Signed by Anouk Visser on 20 July; "
                       "enrolment of the scanners starts in October."]
    status = page(site / KESTREL / JUNE / "quote.html").xpath("//dt[.='Status']/following-sibling::dd[1]")[0]
    assert " ".join(status.text_content().split()) == "Accepted at the review of Thu 3 Sep 2026: Signed by Anouk " \
        "Visser on 20 July; enrolment of the scanners starts in October."


def test_the_index_lists_the_quotes_without_an_outcome_and_marks_expired_ones(site: Path, tmp_path: Path) -> None:
    rows = page(site / "index.html").xpath("//table[@class='quotes']/tbody/tr")
    assert [r[0].text_content() for r in rows] == ["KF-Q-20260903", "KF-Q-20261203"]  # KF-Q-20260604 was accepted
    assert all(r[-1].text_content() == "Open" for r in rows)
    build(EXAMPLE, tmp_path / "later", "--only", "site:index", as_of="2027-01-05")
    later = page(tmp_path / "later" / "site" / "index.html").xpath("//table[@class='quotes']/tbody/tr")
    assert [(r[0].text_content(), r[-1].text_content()) for r in later] == [("KF-Q-20260903", "Expired"),
                                                                            ("KF-Q-20261203", "Open")]


def test_new_meeting_carries_the_open_quotes_onto_the_next_agenda(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    assert main(["new", "meeting", KESTREL, "--date", "2027-03-04", "--content", str(content)]) == 0
    account = load_account(content, KESTREL)
    new = account.meetings[-1]
    item = next(i for i in new.front.agenda if i.quote)
    assert item.topic == "Service upgrade recommendations" and item.owner == "Dana Ortiz"
    assert item.details == "Decide on the open quotes: KF-Q-20260903, KF-Q-20261203."
    assert [r.quote.number for r in account.quotes.discussed_at(new)] == ["KF-Q-20260903", "KF-Q-20261203"]


def test_an_outcome_in_later_minutes_closes_the_quote(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    path = content / "accounts" / KESTREL / "meetings" / f"{DECEMBER}.md"
    raw = path.read_text(encoding="utf-8")
    minutes = ("attended: [Dana Ortiz, Sam Whitlock, Mira Jansen, Anouk Visser]\n"
               "next_meeting: {date: 2027-03-04, start: \"10:00\"}\n"
               "quote_outcomes:\n  - {quote: KF-Q-20260903, outcome: revised, revised_by: KF-Q-20261203}\n"
               "  - {quote: KF-Q-20261203, outcome: declined, note: Budget moved to 2027.}\n---\n## Pre-read")
    path.write_text(raw.replace("---\n## Pre-read", minutes), encoding="utf-8")
    account = load_account(content, KESTREL)
    assert [(r.quote.number, r.status(dt.date(2026, 12, 4))) for r in account.quotes.records] == [
        ("KF-Q-20260604", "accepted"), ("KF-Q-20260903", "revised"), ("KF-Q-20261203", "declined")]
    assert account.quotes.undecided() == ()


# The PDF: Chromium prints the page; the same bytes on every build, whatever the day or the time zone.

def test_the_quote_pdf_is_one_page_with_the_quote_and_the_same_bytes_on_every_build(tmp_path: Path,
                                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    need_chromium()
    build(EXAMPLE, tmp_path / "one", "--only", f"account:{KESTREL}", "--pdf")
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    build(EXAMPLE, tmp_path / "two", "--only", f"account:{KESTREL}", "--pdf", as_of="2027-02-01")
    name = f"{KESTREL}/{DECEMBER}/quote-KF-Q-20261203.pdf"
    first, second = (tmp_path / run / "site" / name for run in ("one", "two"))
    assert first.read_bytes() == second.read_bytes()
    assert len(list((tmp_path / "one" / "site").rglob("quote-*.pdf"))) == 3
    assert b"/CreationDate (D:20261203120000" in first.read_bytes()
    if shutil.which("pdftotext"):
        words = " ".join(subprocess.run(["pdftotext", "-layout", str(first), "-"], capture_output=True, text=True,
                                        check=True).stdout.split())
        assert "Quote number KF-Q-20261203" in words and "€52,240.06" in words and "Meeting pack" not in words
        info = subprocess.run(["pdfinfo", str(first)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Pages:\s+1\b", info)
    page_html = text(tmp_path / "one" / "site" / KESTREL / DECEMBER / "quote.html")
    assert "Download the quote as PDF" in page_html


def test_the_agenda_message_carries_the_meetings_quote_as_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    need_chromium()
    shutil.copytree(SHIPPED, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    assert main(["send", "agenda", KESTREL, "--as-of", "2026-11-23"]) == 0
    files = sorted((tmp_path / "outbox" / KESTREL / DECEMBER / "agenda").glob("*.eml"))
    msg = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    attachments = [part for part in msg.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert [part.get_filename() for part in attachments] == ["quote-KF-Q-20261203.pdf"]
    build(tmp_path / "content", tmp_path / "output", "--only", f"account:{KESTREL}", "--pdf")
    built = tmp_path / "output" / "site" / KESTREL / DECEMBER / "quote-KF-Q-20261203.pdf"
    assert attachments[0].get_content() == built.read_bytes()
    plain = msg.get_body(("plain",))
    assert plain is not None and "KF-Q-20261203 (new, attached as quote-KF-Q-20261203.pdf)" in plain.get_content()
    assert re.search(r"\nComputed from [\d,]+ Kestrel Freight tickets in exports/tickets-2025-11-to-2026-10\.csv\.gz "
                     r"\(Zendesk preset\)\.\r?\n", plain.get_content())  # the KPIs' source, as the agenda page says


def test_a_changed_catalogue_rebuilds_the_accounts_and_the_index_but_not_the_deck(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    build(content, tmp_path / "output")
    catalogue_file = content / "catalogue.yaml"
    catalogue_file.write_text(catalogue_file.read_text().replace("price: 18.00", "price: 19.00"), encoding="utf-8")
    capsys.readouterr()
    build(content, tmp_path / "output")
    out = capsys.readouterr().out
    assert "built account:kestrel-freight" in out and "built site:index" in out and "built deck:main" not in out
    body = text(tmp_path / "output" / "site" / KESTREL / DECEMBER / "quote.html")
    assert "€1,516.20" in body  # 84 x 19.00 less 5%
