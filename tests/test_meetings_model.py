"""The meeting-pack model: action items carried over and closed, overdue, the dry-run rule,
agenda length, the KPI report, and content errors with their file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.meetings.reader import load_account, load_accounts
from generator.meetings.report import ops_report
from generator.meetings.rules import dry_run_warning, warnings
from generator.meetings.schema import AccountMetrics
from generator.meetings.tasklist import split_tasks
from generator.meetings.tracker import track

ACCOUNT = """\
name: Acme Shipping
provider: Halyard Managed Services
id_prefix: AC
time_zone: Europe/Amsterdam
provider_team:
  - name: Dana Ortiz
    role: Account manager
  - name: Sam Whitlock
    role: Operations supervisor
customer_contacts:
  - name: Mira Jansen
    role: CIO
  - name: Joe Bloggs
    role: Head of IT
"""


def meeting(date: str, *, dry_run: str = "", minutes: str = "", body: str = "", extra: str = "",
            agenda: tuple[int, int] = (30, 30)) -> str:
    """Return a meeting file on `date` (60 minutes), with minutes and notes when given."""
    day = dt.date.fromisoformat(date)
    dry = dry_run or (day - dt.timedelta(days=6)).isoformat()
    return f"""---
title: Operations review
purpose: Review the service.
date: {date}
start: "10:00"
duration: 60
location: Room 1
lead: Sam Whitlock
minutes_owner: Dana Ortiz
dry_run: {dry}
{extra}participants:
  provider: [Dana Ortiz, Sam Whitlock]
  customer: [Mira Jansen]
agenda:
  - topic: Service performance
    owner: Sam Whitlock
    duration: {agenda[0]}
  - topic: Action items
    owner: Dana Ortiz
    duration: {agenda[1]}
{minutes}---
{body}"""


HELD = """attended: [Dana Ortiz, Sam Whitlock, Mira Jansen]
next_meeting:
  date: 2027-03-01
  start: "10:00"
"""


def write(tmp_path: Path, meetings: dict[str, str], account: str = ACCOUNT) -> Path:
    """Return a content folder holding one account 'acme' with the given meeting files."""
    folder = tmp_path / "content" / "accounts" / "acme"
    (folder / "meetings").mkdir(parents=True)
    (folder / "account.yaml").write_text(account, encoding="utf-8")
    for name, text in meetings.items():
        (folder / "meetings" / name).write_text(text, encoding="utf-8")
    return tmp_path / "content"


def line_of(text: str, snippet: str) -> int:
    """Return the 1-based line of the only line of `text` containing `snippet`."""
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if snippet in line]
    assert len(lines) == 1, (snippet, lines)
    return lines[0]


def problems(root: Path) -> list[tuple[str, int | None, str]]:
    """Return the (file name, line, message) of every problem found loading the accounts."""
    with pytest.raises(ContentError) as caught:
        load_accounts(root)
    return [(Path(p.file).name, p.line, p.message) for p in caught.value.problems]


FIRST = meeting("2026-09-03", minutes=HELD + """actions:
  - id: AC-1
    owner: Mira Jansen
    task: Send the scanner list
    due: 2026-09-30
""", body="""
## Actions

- [ ] AC-2 Sam Whitlock: Fix the backup window, due 2026-11-20
- [ ] Dana Ortiz: Send the upgrade quote, due 2026-12-05
""")
SECOND = meeting("2026-11-05", dry_run="2026-11-02", minutes=HELD.replace("2027-03-01", "2026-12-03") + """actions:
  - id: AC-1
    status: done
""")
THIRD = meeting("2026-12-03", dry_run="2026-11-30")


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """Three meetings: items raised in the first, one closed in the second, the third to come."""
    return write(tmp_path, {"2026-09-03-review.md": FIRST, "2026-11-05-review.md": SECOND,
                            "2026-12-03-review.md": THIRD})


# --- carry-over, closing, overdue -----------------------------------------------------------------

def test_open_items_carry_over_to_later_agendas(acme: Path) -> None:
    account = load_account(acme, "acme")
    tracker = account.tracker
    assert tracker == track(account.meetings), "the reader keeps the tracker it checked the account with"
    second = tracker.by_meeting["2026-11-05-review"]
    third = tracker.by_meeting["2026-12-03-review"]
    assert [i.id for i in tracker.by_meeting["2026-09-03-review"].carried] == []
    assert [i.id for i in second.carried] == ["AC-1", "AC-2", "AC-20260903-1"]
    assert [i.id for i in third.carried] == ["AC-2", "AC-20260903-1"]


def test_an_item_closed_in_later_minutes_is_one_item_and_no_longer_open(acme: Path) -> None:
    tracker = load_account(acme, "acme").tracker
    closed = {i.id: i for i in tracker.items}["AC-1"]
    assert (closed.done, closed.raised_in, closed.closed_in) == (True, "2026-09-03-review", "2026-11-05-review")
    assert closed.task == "Send the scanner list" and closed.owner == "Mira Jansen"
    assert [i.id for i in tracker.open_items()] == ["AC-2", "AC-20260903-1"]
    assert [(i.id, i.done) for i in tracker.by_meeting["2026-11-05-review"].after] == [
        ("AC-1", True), ("AC-2", False), ("AC-20260903-1", False)]


def test_task_list_and_front_matter_items_land_in_one_tracker(acme: Path) -> None:
    items = {i.id: i for i in load_account(acme, "acme").tracker.items}
    assert items["AC-2"].owner == "Sam Whitlock"
    assert items["AC-2"].due == dt.date(2026, 11, 20)
    assert items["AC-20260903-1"].task == "Send the upgrade quote"


def test_overdue_is_judged_against_the_given_date(acme: Path) -> None:
    item = {i.id: i for i in load_account(acme, "acme").tracker.items}["AC-2"]
    assert item.overdue(dt.date(2026, 11, 23))
    assert not item.overdue(dt.date(2026, 11, 20))
    closed = {i.id: i for i in load_account(acme, "acme").tracker.items}["AC-1"]
    assert not closed.overdue(dt.date(2027, 1, 1))


def test_a_later_task_line_closes_an_item(tmp_path: Path) -> None:
    closing = meeting("2026-11-05", dry_run="2026-11-02", minutes=HELD, body="- [x] AC-2\n")
    root = write(tmp_path, {"2026-09-03-review.md": FIRST, "2026-11-05-review.md": closing})
    items = {i.id: i for i in load_account(root, "acme").tracker.items}
    assert items["AC-2"].done and items["AC-2"].closed_in == "2026-11-05-review"


def test_task_lines_leave_the_notes_and_code_blocks_are_not_tasks() -> None:
    notes, tasks, errors = split_tasks("Intro\n\n```\n- [ ] AC-4 Bo: not a task, due 2026-01-02\n```\n\n"
                                       "## Actions\n\n- [ ] AC-3 Bo: Do it, due 2026-01-02\n", 10)
    assert [(t.id, t.line, t.owner, t.task) for t in tasks] == [("AC-3", 18, "Bo", "Do it")]
    assert "AC-3" not in notes and "## Actions" not in notes and "AC-4" in notes
    assert errors == []


# --- the dry-run rule -----------------------------------------------------------------------------

@pytest.mark.parametrize(("days", "warned"), [(4, True), (5, False), (7, False), (8, True)])
def test_dry_run_rule_for_a_first_review(tmp_path: Path, days: int, warned: bool) -> None:
    dry = (dt.date(2026, 12, 10) - dt.timedelta(days=days)).isoformat()
    root = write(tmp_path, {"2026-12-10-review.md": meeting("2026-12-10", dry_run=dry)})
    account = load_account(root, "acme")
    assert account.meetings[0].first_review
    assert (dry_run_warning(account.meetings[0]) is not None) == warned


@pytest.mark.parametrize(("days", "warned"), [(1, True), (2, False), (3, False), (4, True)])
def test_dry_run_rule_for_a_later_review(acme: Path, days: int, warned: bool) -> None:
    path = acme / "accounts" / "acme" / "meetings" / "2026-12-03-review.md"
    path.write_text(THIRD.replace("2026-11-30", (dt.date(2026, 12, 3) - dt.timedelta(days=days)).isoformat()))
    third = load_account(acme, "acme").meetings[2]
    assert not third.first_review
    assert (dry_run_warning(third) is not None) == warned


def test_dry_run_warning_names_file_line_and_the_window(acme: Path) -> None:
    path = acme / "accounts" / "acme" / "meetings" / "2026-12-03-review.md"
    path.write_text(THIRD.replace("2026-11-30", "2026-12-02"))
    found = warnings(load_accounts(acme), dt.date(2026, 11, 23))
    assert len(found) == 1
    assert (Path(found[0].file).name, found[0].line) == ("2026-12-03-review.md", line_of(THIRD, "dry_run:"))
    assert found[0].message == "the dry run is 1 day before the meeting; a later review needs it 2-3 days before"
    assert found[0].hint == "plan it between 2026-11-30 and 2026-12-01"


def test_no_dry_run_warning_for_meetings_already_past(acme: Path) -> None:
    path = acme / "accounts" / "acme" / "meetings" / "2026-11-05-review.md"
    path.write_text(SECOND.replace("2026-11-02", "2026-11-04"))
    assert warnings(load_accounts(acme), dt.date(2026, 11, 23)) == []
    assert len(warnings(load_accounts(acme), dt.date(2026, 11, 1))) == 1


def test_first_review_can_be_stated(tmp_path: Path) -> None:
    text = meeting("2026-12-10", dry_run="2026-12-07", extra="first_review: false\n")
    root = write(tmp_path, {"2026-12-10-review.md": text})
    assert dry_run_warning(load_account(root, "acme").meetings[0]) is None


# --- content errors with file and line -------------------------------------------------------------

def test_agenda_must_add_up_to_the_meeting_length(tmp_path: Path) -> None:
    text = meeting("2026-12-10", agenda=(30, 20))
    root = write(tmp_path, {"2026-12-10-review.md": text})
    assert problems(root) == [("2026-12-10-review.md", line_of(text, "agenda:"),
                               "the agenda items add up to 50 minutes but the meeting lasts 60")]


def test_owner_who_is_not_a_participant_is_an_error(tmp_path: Path) -> None:
    text = meeting("2026-09-03", minutes=HELD + """actions:
  - id: AC-1
    owner: Joe Bloggs
    task: Send the list
    due: 2026-09-30
""", body="- [ ] AC-2 Someone Else: Do it, due 2026-10-01\n")
    root = write(tmp_path, {"2026-09-03-review.md": text})
    assert problems(root) == [
        ("2026-09-03-review.md", line_of(text, "- id: AC-1"),
         "owner 'Joe Bloggs' of action item AC-1 is not a participant of this meeting"),
        ("2026-09-03-review.md", line_of(text, "- [ ] AC-2"),
         "owner 'Someone Else' of action item AC-2 is not a participant of this meeting"),
    ]


def test_item_without_due_date_is_an_error(tmp_path: Path) -> None:
    text = meeting("2026-09-03", minutes=HELD + """actions:
  - id: AC-1
    owner: Mira Jansen
    task: Send the list
""", body="- [ ] Dana Ortiz: Send the quote\n")
    root = write(tmp_path, {"2026-09-03-review.md": text})
    assert problems(root) == [
        ("2026-09-03-review.md", line_of(text, "- id: AC-1"), "action item AC-1 has no due date"),
        ("2026-09-03-review.md", line_of(text, "- [ ] Dana"), "action item AC-20260903-1 has no due date"),
    ]


def test_closing_an_unknown_item_is_an_error(tmp_path: Path) -> None:
    text = meeting("2026-09-03", minutes=HELD, body="Text.\n\n- [x] AC-9\n")
    root = write(tmp_path, {"2026-09-03-review.md": text})
    assert problems(root) == [("2026-09-03-review.md", line_of(text, "- [x] AC-9"),
                               "no earlier meeting raises action item AC-9")]


def test_exact_lines_of_several_errors_in_one_run(tmp_path: Path) -> None:
    text = meeting("2026-09-04", extra='time_zone: Mars/Olympus\n').replace('start: "10:00"', "start: 10:00")
    text = text.replace("lead: Sam Whitlock", "lead: Sam Whitlok")
    root = write(tmp_path, {"2026-09-03-review.md": text})
    found = problems(root)
    assert found == [
        ("2026-09-03-review.md", 5, 'start: write the time in quotes, e.g. "10:00" '
                                    "(unquoted, YAML reads it as the number 600)"),
        ("2026-09-03-review.md", 11, "time_zone: unknown time zone 'Mars/Olympus'; use an IANA name such as "
                                     "Europe/Amsterdam or America/New_York"),
    ]


def test_name_errors_come_after_the_schema_passes(tmp_path: Path) -> None:
    text = meeting("2026-09-04").replace("lead: Sam Whitlock", "lead: Sam Whitlok")
    root = write(tmp_path, {"2026-09-03-review.md": text})
    with pytest.raises(ContentError) as caught:
        load_accounts(root)
    found = [(Path(p.file).name, p.line, p.message, p.hint) for p in caught.value.problems]
    assert found == [
        ("2026-09-03-review.md", 4, "the file name says 2026-09-03 but date is 2026-09-04",
         "make the file name and the date agree"),
        ("2026-09-03-review.md", 8, "'Sam Whitlok' is not one of the provider participants",
         "did you mean 'Sam Whitlock'?"),
    ]
    assert "    lead: Sam Whitlok" in str(caught.value)


def test_minutes_need_the_next_meeting(tmp_path: Path) -> None:
    text = meeting("2026-09-03", minutes="attended: [Dana Ortiz]\n")
    root = write(tmp_path, {"2026-09-03-review.md": text})
    assert problems(root) == [("2026-09-03-review.md", line_of(text, "attended:"),
                               "the minutes lack the next meeting")]


# --- the operations-review report ------------------------------------------------------------------

METRICS = AccountMetrics.model_validate({
    "months": ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"],
    "kpis": [{"name": "P1 within 4 hours", "unit": "%", "target": 95.0, "better": "higher",
              "values": [90.0, 91.0, 94.0, 95.5, 96.0, 94.5]},
             {"name": "Time to restore", "unit": "hours", "target": 8.0, "better": "lower",
              "values": [9.0, 8.5, 8.8, 7.9, 7.5, 7.0]}],
})


def test_report_covers_the_months_since_the_last_review() -> None:
    report = ops_report(METRICS, dt.date(2026, 12, 3), dt.date(2026, 9, 3))
    assert report is not None
    assert (report.first_month, report.last_month) == ("2026-09", "2026-11")
    p1, restore = report.kpis
    assert p1.months == ("2026-08", "2026-09", "2026-10", "2026-11")
    assert (p1.baseline, p1.latest, p1.met, p1.improved) == (94.0, 94.5, False, True)
    assert p1.change == pytest.approx(0.5)
    assert (restore.met, restore.improved) == (True, True)
    assert restore.change == pytest.approx(-1.8)


def test_first_review_report_has_no_change_and_no_data_means_no_report() -> None:
    first = ops_report(METRICS, dt.date(2026, 9, 3), None)
    assert first is not None and first.kpis[0].change is None and first.last_month == "2026-08"
    assert ops_report(METRICS, dt.date(2026, 6, 15), None) is None
    assert ops_report(METRICS, dt.date(2026, 12, 3), dt.date(2026, 12, 1)) is None


def test_kpi_values_must_match_the_months(tmp_path: Path) -> None:
    account = ACCOUNT + """metrics:
  months: [2026-08, 2026-09]
  kpis:
    - name: CSAT
      unit: "%"
      target: 90
      better: higher
      values: [91.0]
"""
    root = write(tmp_path, {"2026-12-10-review.md": meeting("2026-12-10")}, account=account)
    assert problems(root) == [("account.yaml", line_of(account, "values: [91.0]"),
                               "KPI 'CSAT' has 1 values for 2 months")]
