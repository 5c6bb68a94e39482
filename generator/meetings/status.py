"""What the pages say beyond the content: when the agenda and minutes were sent, the quadrants a review
covers, and when the next review is due. The site templates call these (`site.environment` registers them)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from generator.meetings.model import Account, Meeting
from generator.meetings.quadrants import agenda_coverage, minutes_coverage
from generator.meetings.rules import agenda_deadline
from generator.meetings.schedule import review_due


@dataclass(frozen=True)
class Sending:
    """One version of a message as a page states it: the day it first went out and to how many people."""

    day: dt.date
    """In the meeting's time zone."""
    recipients: int
    update: bool
    """True for a changed version sent after the first."""


def sendings(account: Account, kind: str, meeting: Meeting) -> list[Sending]:
    """Return each version of the agenda or minutes of `meeting` that was sent, first first."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    versions = account.sent.versions(kind, meeting.slug)
    return [Sending(v.first.astimezone(zone).date(), v.recipients, i > 0) for i, v in enumerate(versions)]


def page_globals() -> dict[str, object]:
    """Return the functions the site templates call, by name."""
    return {"sendings": sendings, "agenda_deadline": agenda_deadline, "agenda_coverage": agenda_coverage,
            "minutes_coverage": minutes_coverage, "review_due": review_due}
