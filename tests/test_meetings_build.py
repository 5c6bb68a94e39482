"""The meeting pack end to end: the example content built by the command line, its pages,
calendar files, warnings, content errors and `storypack new meeting`."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import icalendar
import pytest

from generator.cli import main
from tests.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = EXAMPLE / "accounts"
"""The example's accounts with their KPIs typed (the shipped ones compute them from content/exports/)."""
TEMPLATES = ROOT / "templates"
AS_OF = "2026-11-23"
KESTREL = "site/kestrel-freight"


def copy_accounts(target: Path) -> Path:
    """Return a content folder at `target` holding a copy of the example accounts only."""
    shutil.copytree(ACCOUNTS, target / "accounts")
    shutil.copyfile(ACCOUNTS.parent / "catalogue.yaml", target / "catalogue.yaml")
    return target


def run(*argv: str) -> int:
    """Return the exit code of the storypack command line."""
    return main(list(argv))


def build_args(content: Path, output: Path) -> list[str]:
    return ["build", "--content", str(content), "--output", str(output), "--templates", str(TEMPLATES),
            "--as-of", AS_OF]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example accounts built once into an output folder."""
    base = tmp_path_factory.mktemp("meetings")
    content = copy_accounts(base / "content")
    assert run(*build_args(content, base / "output")) == 0
    return base / "output"


def text(output: Path, name: str) -> str:
    """Return a page's text with tags removed and spaces collapsed."""
    html = (output / name).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_is_written(built: Path) -> None:
    names = {str(p.relative_to(built)) for p in built.rglob("*") if p.is_file()}
    meeting = f"{KESTREL}/2026-09-03-operations-review"
    assert {"site/index.html", "site/style.css", f"{meeting}/agenda.html", f"{meeting}/minutes.html",
            f"{meeting}/meeting.ics", f"{meeting}/next-meeting.ics", f"{meeting}/kpi-1.svg"} <= names
    upcoming = f"{KESTREL}/2026-12-03-operations-review"
    assert f"{upcoming}/agenda.html" in names and f"{upcoming}/minutes.html" not in names
    assert [n for n in names if n.endswith(".css")] == ["site/style.css"]


def test_index_lists_open_items_with_overdue_marked_against_the_as_of_date(built: Path) -> None:
    page = text(built, "site/index.html")
    assert "Status as of Mon 23 Nov 2026" in page
    assert "7 open, 4 overdue" in page
    assert re.search(r"KF-4 Kestrel Freight Replace the end-of-life core switches at the Venlo depot "
                     r"Ravi Menon Fri 30 Oct 2026 Thu 4 Jun 2026 Overdue", page)
    assert re.search(r"KF-5 Kestrel Freight .* Lena Brandt Fri 18 Dec 2026 Thu 3 Sep 2026 Open", page)
    assert "KF-1 " not in page and "KF-3 " not in page


def test_index_puts_the_next_meeting_first(built: Path) -> None:
    page = text(built, "site/index.html")
    kestrel, brightwater = page.index("Kestrel Freight Account team"), page.index("Brightwater Clinics Account team")
    assert kestrel < brightwater
    section = page[kestrel:brightwater]
    held = "Held Quarterly operations review : Thu 3 Sep 2026"
    assert section.index("Next Quarterly operations review : Thu 3 Dec 2026") < section.index(held)
    assert section.index(held) < section.index("Thu 4 Jun 2026")


def test_agenda_has_what_an_operations_review_agenda_needs(built: Path) -> None:
    page = text(built, f"{KESTREL}/2026-12-03-operations-review/agenda.html")
    for expected in ["Purpose Review the service since September",
                     "When Thu 3 Dec 2026 , 10:00–11:30 CET (Europe/Amsterdam, UTC+01:00) (90 minutes)",
                     "Location Kestrel Freight head office", "Call link https://meet.halyard.example/kestrel-opsreview",
                     "Leads the meeting Sam Whitlock", "Takes the minutes Jo Park",
                     "Internal dry run Mon 30 Nov 2026 (3 days before; later review: 2-3 days before)",
                     "Requested from Kestrel Freight", "Thomas Bakker Warehouse Systems Lead",
                     "11:05 Service upgrade recommendations", "Total 90"]:
        assert expected in page, expected
    review = page[page.index("Review action items Open action items"):page.index("Operations-review report")]
    assert [m for m in re.findall(r"KF-[0-9-]+(?= )", review)] == ["KF-4", "KF-6", "KF-20260903-1", "KF-5"]
    assert review.count("Overdue") == 2


def test_agenda_carries_the_kpi_report_since_the_last_review(built: Path) -> None:
    folder = built / KESTREL / "2026-12-03-operations-review"
    page = text(built, f"{KESTREL}/2026-12-03-operations-review/agenda.html")
    assert "since the last review on Thu 3 Sep 2026 : Sep 2026 to Nov 2026, compared with Aug 2026" in page
    assert "P1 incidents resolved within 4 hours 97.0% 95.0% or more +2.0 points (better) Met" in page
    assert "Mean time to restore, P2 incidents 8.4 hours 8.0 hours or less −0.5 hours (better) Missed" in page
    html = (folder / "agenda.html").read_text()
    assert 'alt="Line chart of P1 incidents resolved within 4 hours: Aug 2026 95.0%, Sep 2026 96.1%, ' \
           'Oct 2026 95.4%, Nov 2026 97.0%. Target: 95.0% or more."' in html
    assert (folder / "kpi-1.svg").read_bytes().startswith(b"<?xml")
    assert "Operations-review report" not in text(built, "site/brightwater-clinics/2026-12-10-operations-review/agenda.html")


def test_minutes_have_what_minutes_need(built: Path) -> None:
    page = text(built, f"{KESTREL}/2026-09-03-operations-review/minutes.html")
    assert "7 attended of 9 invited" in page
    assert "Ravi Menon Network engineering lead Halyard Managed Services Yes No" in page
    assert "Agreements reached Kestrel accepts the 24x7 monitoring quote" in page
    assert "New issues identified Phishing e-mails aimed at warehouse staff rose in August." in page
    assert re.search(r"KF-1 Send the root-cause report .* Sam Whitlock Thu 18 Jun 2026 Thu 4 Jun 2026 "
                     r"Done \(closed here\)", page)
    assert re.search(r"KF-6 Confirm the budget .* Anouk Visser Fri 13 Nov 2026 this meeting Open", page)
    assert "Next meeting When Thu 3 Dec 2026 , 10:00–11:30 CET" in page
    assert "- [" not in page


def test_same_input_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    content = copy_accounts(tmp_path / "content")
    assert run(*build_args(content, tmp_path / "again")) == 0
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "again"): p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert first == second


def test_calendar_files_parse_and_carry_the_time_zone(built: Path) -> None:
    folder = built / KESTREL / "2026-09-03-operations-review"
    calendar = icalendar.Calendar.from_ical((folder / "meeting.ics").read_bytes())
    event = calendar.events[0]
    assert event.start == dt.datetime(2026, 9, 3, 10, 0, tzinfo=event.start.tzinfo)
    assert str(event.start.tzinfo) == "Europe/Amsterdam"
    assert event.start.utcoffset() == dt.timedelta(hours=2)
    assert event.end - event.start == dt.timedelta(minutes=90)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert "Kestrel Freight head office" in str(event["LOCATION"])
    nxt = icalendar.Calendar.from_ical((folder / "next-meeting.ics").read_bytes()).events[0]
    assert nxt.start.isoformat() == "2026-12-03T10:00:00+01:00"
    chicago = built / "site/brightwater-clinics/2026-12-10-operations-review/meeting.ics"
    event = icalendar.Calendar.from_ical(chicago.read_bytes()).events[0]
    assert (str(event.start.tzinfo), event.start.isoformat()) == ("America/Chicago", "2026-12-10T13:00:00-06:00")


def test_broken_dry_run_rule_warns_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_accounts(tmp_path / "content")
    path = content / "accounts/kestrel-freight/meetings/2026-12-03-operations-review.md"
    path.write_text(path.read_text().replace("dry_run: 2026-11-30", "dry_run: 2026-12-02"))
    assert run(*build_args(content, tmp_path / "output")) == 0
    err = capsys.readouterr().err
    assert re.search(r"warning: content/accounts/kestrel-freight/meetings/2026-12-03-operations-review.md:13: the dry run is 1 day before the meeting; "
                     r"a later review needs it 2-3 days before\n    dry_run: 2026-12-02\n"
                     r"  fix: plan it between 2026-11-30 and 2026-12-01", err)
    assert err.count("warning:") == 1


def test_content_error_exits_2_and_leaves_the_output_untouched(built: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_accounts(tmp_path / "content")
    output = tmp_path / "output"
    assert run(*build_args(content, output)) == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    path = content / "accounts/brightwater-clinics/meetings/2026-10-08-operations-review.md"
    path.write_text(path.read_text().replace("    due: 2026-11-06\n", ""))
    capsys.readouterr()
    assert run(*build_args(content, output)) == 2
    err = capsys.readouterr().err
    assert "content/accounts/brightwater-clinics/meetings/2026-10-08-operations-review.md:41: action item BC-1 has no due date" in err
    assert "fix: add 'due: YYYY-MM-DD'" in err
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_new_meeting_starts_the_next_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_accounts(tmp_path / "content")
    assert run("new", "meeting", "brightwater-clinics", "--date", "2027-02-11", "--content", str(content)) == 0
    created = content / "accounts/brightwater-clinics/meetings/2027-02-11-operations-review.md"
    assert f"created {created}" in capsys.readouterr().out
    written = created.read_text()
    assert "date: 2027-02-11\n" in written and 'start: "13:00"\n' in written
    assert "dry_run: 2027-02-09\n" in written
    assert "  provider: [Marcus Hale, Aisha Bello, Tom Reyes, Elena Novak]\n" in written
    assert "  customer: [Karen Liu, Devon Marsh, Rosa Jimenez, Greg Foster]\n" in written
    assert "- [ ] BC-1 Aisha Bello: Move the EHR backup window out of clinic hours, due 2026-11-06\n" in written
    assert "- [ ] BC-4 Marcus Hale:" in written and "BC-3" not in written
    assert run(*build_args(content, tmp_path / "output")) == 0
    agenda = text(tmp_path / "output", "site/brightwater-clinics/2027-02-11-operations-review/agenda.html")
    assert "Total 60" in agenda and "BC-1" in agenda


def test_new_meeting_refuses_an_existing_file_and_an_unknown_account(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_accounts(tmp_path / "content")
    args = ["new", "meeting", "kestrel-freight", "--date", "2026-12-03", "--content", str(content)]
    assert run(*args) == 1
    assert "2026-12-03-operations-review.md already exists" in capsys.readouterr().err
    assert run("new", "meeting", "kestrel", "--date", "2027-03-04", "--content", str(content)) == 2
    err = capsys.readouterr().err
    assert "there is no account 'kestrel'" in err and "use one of: brightwater-clinics, kestrel-freight" in err
