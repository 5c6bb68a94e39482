"""The warnings of the meeting pack: they do not stop a build, and `storypack send` prints them too.

- the dry run: 5-7 days before a first review with a client, 2-3 days before later ones;
- the agenda of a meeting to come goes out `agenda_notice_days` (default 5) before it;
- every quadrant of the relationship is covered on both sides (`quadrants.py`);
- a next review is scheduled within the agreed cadence (`schedule.py`).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from generator.errors import Problem
from generator.meetings.model import Account, Meeting
from generator.meetings.quadrants import coverage_warnings
from generator.meetings.schedule import cadence_warning

FIRST_REVIEW_DAYS = (5, 7)
LATER_REVIEW_DAYS = (2, 3)


def dry_run_window(meeting: Meeting) -> tuple[int, int]:
    """Return the fewest and most days the dry run may come before `meeting`."""
    return FIRST_REVIEW_DAYS if meeting.first_review else LATER_REVIEW_DAYS


def dry_run_days(meeting: Meeting) -> int:
    """Return how many days the planned dry run comes before the meeting."""
    return (meeting.date - meeting.front.dry_run).days


def dry_run_warning(meeting: Meeting, root: Path | None = None) -> Problem | None:
    """Return a warning when the planned dry run breaks the rule, else None."""
    low, high = dry_run_window(meeting)
    days = dry_run_days(meeting)
    if low <= days <= high:
        return None
    kind = "a first review" if meeting.first_review else "a later review"
    best = meeting.date - dt.timedelta(days=low)
    return meeting.doc.problem(meeting.doc.line_of(("dry_run",)),
                               f"the dry run is {days} day{'s' if days != 1 else ''} before the meeting; "
                               f"{kind} needs it {low}-{high} days before",
                               f"plan it between {meeting.date - dt.timedelta(days=high)} and {best}", root=root)


def agenda_deadline(account: Account, meeting: Meeting) -> dt.date:
    """Return the last day the agenda of `meeting` should go out: `agenda_notice_days` before it."""
    return meeting.date - dt.timedelta(days=account.file.agenda_notice_days)


def agenda_notice_warning(account: Account, meeting: Meeting, as_of: dt.date, root: Path | None = None) -> Problem | None:
    """Return a warning when the agenda of a meeting to come is not sent and its deadline is `as_of` or past."""
    deadline = agenda_deadline(account, meeting)
    if meeting.date < as_of or meeting.held or as_of < deadline or account.sent.delivered("agenda", meeting.slug):
        return None
    days = account.file.agenda_notice_days
    return meeting.doc.problem(meeting.doc.line_of(("date",)),
                               f"the agenda has not been sent; it should go out {days} day{'s' if days != 1 else ''} "
                               f"before the meeting, by {deadline.isoformat()}",
                               f"send it: storypack send agenda {account.slug} --meeting {meeting.date.isoformat()}",
                               root=root)


def account_warnings(account: Account, as_of: dt.date, root: Path | None = None) -> list[Problem]:
    """Return every warning of one account (the module's docstring lists them)."""
    found: list[Problem | None] = []
    for meeting in account.meetings:
        if meeting.date >= as_of:
            found += [dry_run_warning(meeting, root), agenda_notice_warning(account, meeting, as_of, root)]
    found += coverage_warnings(account, as_of, root)
    found.append(cadence_warning(account, as_of, root))
    return [w for w in found if w is not None]


def warnings(accounts: list[Account], as_of: dt.date, root: Path | None = None) -> list[Problem]:
    """Return the warnings of every account."""
    return [w for account in accounts for w in account_warnings(account, as_of, root)]


def report_warnings(found: Iterable[Problem], stream: TextIO | None = None) -> None:
    """Print each warning as 'warning: file:line: message' with its fix, to stderr by default."""
    for problem in found:
        print(f"warning: {problem}", file=stream or sys.stderr)
