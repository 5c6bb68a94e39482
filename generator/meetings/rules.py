"""The dry-run rule: 5-7 days before a first review with a client, 2-3 days before later ones."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from generator.errors import Problem
from generator.meetings.model import Account, Meeting

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


def warnings(accounts: list[Account], as_of: dt.date, root: Path | None = None) -> list[Problem]:
    """Return the dry-run warnings of every meeting still to come on or after `as_of`."""
    found = [dry_run_warning(m, root) for account in accounts for m in account.meetings if m.date >= as_of]
    return [w for w in found if w is not None]


def report_warnings(found: Iterable[Problem], stream: TextIO | None = None) -> None:
    """Print each warning as 'warning: file:line: message' with its fix, to stderr by default."""
    for problem in found:
        print(f"warning: {problem}", file=stream or sys.stderr)
