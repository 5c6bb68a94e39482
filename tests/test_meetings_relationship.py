"""The relationship: its four quadrants (account.yaml `quadrants`, each person's `quadrant`), which
ones a review's people cover, the agreed cadence and when the next review is due, and stakeholders."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.meetings.cadence import parse_cadence
from generator.meetings.reader import load_account
from generator.meetings.rules import warnings
from generator.meetings.schedule import review_due
from tests.test_meetings_model import ACCOUNT, FIRST, SECOND, THIRD, meeting, problems, write

ROOT = Path(__file__).resolve().parent.parent
QUADRANTS = ACCOUNT.replace("time_zone: Europe/Amsterdam\n", """time_zone: Europe/Amsterdam
quadrants: [executive, financial, operational, technical]
cadence: every 10 weeks
""").replace("    role: Account manager\n", "    role: Account manager\n    quadrant: financial\n").replace(
    "    role: Operations supervisor\n", "    role: Operations supervisor\n    quadrant: operational\n").replace(
    "    role: CIO\n", "    role: CIO\n    quadrant: executive\n")
"""Acme with quadrants: the provider covers financial and operational, the customer (Mira Jansen) executive."""


@pytest.mark.parametrize("text, weeks, months", [
    ("monthly", 0, 1), ("quarterly", 0, 3), ("every 6 weeks", 6, 0), ("Every  1 week", 1, 0),
    ("every 2 months", 0, 2)])
def test_a_cadence_is_monthly_quarterly_or_every_n_weeks_or_months(text: str, weeks: int, months: int) -> None:
    cadence = parse_cadence(text)
    assert (cadence.weeks, cadence.months) == (weeks, months)


@pytest.mark.parametrize("text", ["fortnightly", "every week", "every 0 weeks", "every 53 weeks", "every 13 months",
                                  "twice a year"])
def test_anything_else_is_not_a_cadence(text: str) -> None:
    with pytest.raises(ValueError):
        parse_cadence(text)


def test_a_month_later_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    assert parse_cadence("monthly").after(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert parse_cadence("quarterly").after(dt.date(2026, 11, 15)) == dt.date(2027, 2, 15)
    assert parse_cadence("every 9 weeks").after(dt.date(2026, 10, 8)) == dt.date(2026, 12, 10)


def test_quadrant_errors_name_the_line(tmp_path: Path) -> None:
    account = QUADRANTS.replace("quadrant: executive", "quadrant: exec") + """stakeholders:
  - name: Mira Jansen
    role: CIO
    email: mira@example.org
"""
    found = problems(write(tmp_path, {"2026-09-03-review.md": FIRST}, account))
    assert ("account.yaml", 17, "quadrant 'exec' of Mira Jansen is not one of the account's quadrants "
            "(executive, financial, operational, technical)") in found
    assert ("account.yaml", 21, "Mira Jansen is listed in customer_contacts and in stakeholders") in found


def test_a_quadrant_needs_the_accounts_quadrants_and_four_different_ones(tmp_path: Path) -> None:
    no_list = QUADRANTS.replace("quadrants: [executive, financial, operational, technical]\n", "")
    found = problems(write(tmp_path / "a", {"2026-09-03-review.md": FIRST}, no_list))
    assert ("account.yaml", 9, "Dana Ortiz has a quadrant, but the account names no quadrants") in found
    twice = QUADRANTS.replace("[executive, financial, operational, technical]", "[executive, financial, financial, x]")
    found = problems(write(tmp_path / "b", {"2026-09-03-review.md": FIRST}, twice))
    assert found == [("account.yaml", 5, "quadrants: 'financial' is listed twice; name four different quadrants")]


def test_an_agenda_that_leaves_a_quadrant_uncovered_warns_naming_quadrant_and_side(tmp_path: Path) -> None:
    root = write(tmp_path, {"2026-09-03-review.md": FIRST, "2026-11-05-review.md": SECOND,
                            "2026-12-03-review.md": THIRD}, QUADRANTS)
    found = [str(w) for w in warnings([load_account(root, "acme")], dt.date(2026, 11, 23), root)]
    assert any(w.startswith("content/accounts/acme/meetings/2026-12-03-review.md:12: no one from the executive "
                            "and technical quadrants of Halyard Managed Services is invited")
               and "fix: add someone from the executive and technical quadrants to provider_team" in w for w in found)
    assert any("no one from the financial, operational and technical quadrants of Acme Shipping is invited" in w
               for w in found)
    assert not any("attended" in w for w in found), "the latest minutes are followed by a planned meeting"


def test_the_latest_minutes_warn_while_no_later_meeting_is_planned(tmp_path: Path) -> None:
    root = write(tmp_path, {"2026-09-03-review.md": FIRST, "2026-11-05-review.md": SECOND}, QUADRANTS)
    found = [str(w) for w in warnings([load_account(root, "acme")], dt.date(2026, 11, 23), root)]
    assert [w.split("\n")[0] for w in found if "attended" in w] == [
        "content/accounts/acme/meetings/2026-11-05-review.md:21: no one from the executive and technical quadrants "
        "of Halyard Managed Services attended",
        "content/accounts/acme/meetings/2026-11-05-review.md:21: no one from the financial, operational and "
        "technical quadrants of Acme Shipping attended"]


def test_the_next_review_is_due_one_cadence_after_the_latest(tmp_path: Path) -> None:
    root = write(tmp_path, {"2026-09-03-review.md": FIRST, "2026-11-05-review.md": SECOND,
                            "2026-12-03-review.md": THIRD}, QUADRANTS)
    due = review_due(load_account(root, "acme"), dt.date(2026, 11, 23))
    assert due is not None and due.latest.slug == "2026-11-05-review" and due.due == dt.date(2027, 1, 14)
    assert due.next_date == dt.date(2026, 12, 3) and due.in_time and not due.overdue


def test_no_review_scheduled_within_the_cadence_warns_at_the_cadence_line(tmp_path: Path) -> None:
    late = SECOND.replace("date: 2026-12-03\n  start", "date: 2027-03-01\n  start")
    root = write(tmp_path, {"2026-09-03-review.md": FIRST, "2026-11-05-review.md": late}, QUADRANTS)
    found = [str(w) for w in warnings([load_account(root, "acme")], dt.date(2026, 11, 23), root)]
    assert ("content/accounts/acme/meetings/2026-11-05-review.md:23: the next meeting (2027-03-01) comes later than "
            "the agreed cadence (every 10 weeks) allows: the latest review was on 2026-11-05, so the next is due by "
            "2027-01-14") in found[-1]
    root = write(tmp_path / "none", {"2026-09-03-review.md": FIRST.replace("2027-03-01", "2026-11-05"),
                                     "2026-11-05-review.md": meeting("2026-11-05", dry_run="2026-11-02")}, QUADRANTS)
    found = [str(w) for w in warnings([load_account(root, "acme")], dt.date(2026, 11, 23), root)]
    assert ("content/accounts/acme/account.yaml:6: no review is scheduled within the agreed cadence (every 10 weeks): "
            "the latest review was on 2026-11-05, so the next is due by 2027-01-14") in found[-1]
    assert "fix: plan one: storypack new meeting acme --date YYYY-MM-DD (on or before 2027-01-14)" in found[-1]


def test_the_index_shows_when_the_next_review_is_due_and_marks_an_overdue_one(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for as_of in ("2026-11-23", "2027-03-20"):
        assert main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / as_of),
                     "--templates", str(ROOT / "templates"), "--as-of", as_of]) == 0
    page = _text(tmp_path / "2026-11-23" / "site/index.html")
    assert "Reviews quarterly: the latest was on Thu 3 Sep 2026 , the next is due by Thu 3 Dec 2026 , planned for " \
           "Thu 3 Dec 2026 ." in page
    assert "Review overdue" not in page
    late = _text(tmp_path / "2027-03-20" / "site/index.html")
    assert "Kestrel Freight Review overdue" in late and "Brightwater Clinics Review overdue" in late
    assert "the next is due by Wed 3 Mar 2027 and is overdue" in late


def test_the_agenda_page_shows_which_quadrants_the_participants_cover(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    path = tmp_path / "content/accounts/kestrel-freight/meetings/2026-12-03-operations-review.md"
    path.write_text(path.read_text().replace("Lena Brandt, Elena Novak]", "Lena Brandt]"))
    assert main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "output"),
                 "--templates", str(ROOT / "templates"), "--as-of", "2026-11-23"]) == 0
    page = _text(tmp_path / "output/site/kestrel-freight/2026-12-03-operations-review/agenda.html")
    assert "Not covered: executive (Halyard Managed Services)." in page
    assert "executive Not covered Mira Jansen" in page
    assert "technical Ravi Menon, Lena Brandt Thomas Bakker" in page
    minutes = _text(tmp_path / "output/site/kestrel-freight/2026-09-03-operations-review/minutes.html")
    assert "The minutes also go to Willem Dekker (Chief Financial Officer, Kestrel Freight)." in minutes
    assert "technical Lena Brandt Not covered" in minutes


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text()))
