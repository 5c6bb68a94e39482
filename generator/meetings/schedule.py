"""When the next review is due under the agreed cadence, and whether one is scheduled in time.

The latest review is the account's latest meeting before the as-of date; the next review is due one
cadence later. A review is scheduled by a meeting file after the latest one, or by the next meeting
agreed in the latest minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem
from generator.meetings.cadence import Cadence
from generator.meetings.model import Account, Meeting


@dataclass(frozen=True)
class ReviewDue:
    """The next review as the cadence asks for it."""

    cadence: Cadence
    latest: Meeting
    """The latest review before the as-of date."""
    due: dt.date
    """The next review is due on or before this date."""
    next_date: dt.date | None
    """The next review scheduled after the latest (a meeting file, or agreed in minutes), if any."""
    next_meeting: Meeting | None
    """Its meeting file, when it has one."""
    agreed_in: Meeting | None
    """The minutes that agreed it, when it has no file."""
    as_of: dt.date

    @property
    def overdue(self) -> bool:
        """Return True when the due date has passed without a review."""
        return self.as_of > self.due

    @property
    def in_time(self) -> bool:
        """Return True when the next review is scheduled on or before the due date."""
        return self.next_date is not None and self.next_date <= self.due


def review_due(account: Account, as_of: dt.date) -> ReviewDue | None:
    """Return when the next review is due, or None without a cadence or a review before `as_of`."""
    cadence = account.cadence
    past = [m for m in account.meetings if m.date < as_of]
    if cadence is None or not past:
        return None
    latest = past[-1]
    files = [m for m in account.meetings if m.date > latest.date]
    held = [m for m in account.meetings if m.held][-1:]
    agreed = [(m.front.next_meeting.date, m) for m in held
              if m.front.next_meeting is not None and m.front.next_meeting.date > latest.date]
    candidates: list[tuple[dt.date, Meeting | None, Meeting | None]] = [(m.date, m, None) for m in files]
    candidates += [(day, None, m) for day, m in agreed if not any(f.date == day for f in files)]
    next_date, next_meeting, agreed_in = min(candidates, key=lambda c: c[0]) if candidates else (None, None, None)
    return ReviewDue(cadence, latest, cadence.after(latest.date), next_date, next_meeting, agreed_in, as_of)


def cadence_warning(account: Account, as_of: dt.date, root: Path | None = None) -> Problem | None:
    """Return a warning when no next review is scheduled within the cadence after the latest one, else None."""
    due = review_due(account, as_of)
    if due is None or due.in_time:
        return None
    agreed = f"the agreed cadence ({due.cadence.text})"
    since = f"the latest review was on {due.latest.date.isoformat()}, so the next is due by {due.due.isoformat()}"
    if due.next_meeting is not None:
        doc = due.next_meeting.doc
        return doc.problem(doc.line_of(("date",)), f"this review comes later than {agreed} allows: {since}",
                           "hold it earlier, or change 'cadence' in account.yaml if the frequency was agreed anew",
                           root=root)
    if due.agreed_in is not None and due.next_date is not None:
        doc = due.agreed_in.doc
        return doc.problem(doc.line_of(("next_meeting", "date")),
                           f"the next meeting ({due.next_date.isoformat()}) comes later than {agreed} allows: {since}",
                           "agree an earlier date, or change 'cadence' in account.yaml", root=root)
    doc = account.doc
    return doc.problem(doc.line_of(("cadence",)), f"no review is scheduled within {agreed}: {since}",
                       f"plan one: storypack new meeting {account.slug} --date YYYY-MM-DD (on or before "
                       f"{due.due.isoformat()})", root=root)
