"""The checked meeting-pack model: accounts, their meetings in date order, action-item statements.

Plain frozen dataclasses built by `reader.py` (the action items' `Tracker` by `tracker.py`); they
know nothing of rendering.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from generator.meetings.cadence import Cadence, parse_cadence
from generator.meetings.catalogue import Catalogue
from generator.meetings.quotes import QuoteBook
from generator.meetings.report import ExportBasis
from generator.meetings.schema import AccountFile, AccountMetrics, MeetingFront, Person
from generator.meetings.sentlog import SentLog
from generator.read.source import SourceDoc


@dataclass(frozen=True)
class ActionUpdate:
    """One statement about an action item in one meeting: raises it, changes it or closes it."""

    id: str
    owner: str | None
    task: str | None
    due: dt.date | None
    done: bool
    file: Path
    line: int
    form: str
    """'front' (front matter `actions`) or 'notes' (a task-list line)."""


@dataclass(frozen=True)
class Meeting:
    """One operations review: its agenda, and its minutes once held."""

    account: str
    slug: str
    front: MeetingFront
    doc: SourceDoc
    time_zone: str
    first_review: bool
    notes: str
    """The Markdown notes, without the task-list lines (those are in `updates`)."""
    notes_line: int
    updates: tuple[ActionUpdate, ...]

    @property
    def held(self) -> bool:
        """Return True when the file holds minutes (its `attended` list is given)."""
        return self.front.attended is not None

    @property
    def date(self) -> dt.date:
        """Return the meeting's date."""
        return self.front.date

    @property
    def start(self) -> dt.datetime:
        """Return the start as an aware datetime in the meeting's time zone."""
        return at(self.front.date, self.front.start, self.time_zone)

    @property
    def end(self) -> dt.datetime:
        """Return the end as an aware datetime."""
        return self.start + dt.timedelta(minutes=self.front.duration)

    @property
    def invited(self) -> tuple[str, ...]:
        """Return every invited participant, provider's first."""
        return (*self.front.participants.provider, *self.front.participants.customer)

    @property
    def present(self) -> tuple[str, ...]:
        """Return the people who may own items here: the invited and whoever attended."""
        extra = [name for name in self.front.attended or () if name not in self.invited]
        return (*self.invited, *extra)


@dataclass(frozen=True)
class NextMeetingTime:
    """The next meeting agreed in minutes, with the defaults of the meeting filled in."""

    start: dt.datetime
    end: dt.datetime
    location: str | None
    call_link: str | None


@dataclass(frozen=True)
class Account:
    """A customer account with its people and its meetings, earliest first."""

    slug: str
    file: AccountFile
    doc: SourceDoc
    meetings: tuple[Meeting, ...]
    tracker: Tracker
    """The action items of the meetings, as `tracker.track` made them when the account was read."""
    metrics: AccountMetrics | None = None
    """The KPIs with every value: typed in account.yaml, or computed from its ticket export
    (`meetings.exports.with_export_kpis`); None without metrics, or until the export is read."""
    export: ExportBasis | None = None
    """The ticket export its KPIs were computed from, with how many of its tickets; None when all are typed."""
    sent: SentLog = SentLog()
    """What `storypack send` sent of the account's agendas and minutes (accounts/NAME/sent.jsonl)."""
    quotes: QuoteBook = QuoteBook()
    """The quotes for service upgrades its meetings made, with their outcomes."""
    catalogue: Catalogue | None = None
    """The provider's service catalogue (content/catalogue.yaml), read when the account quotes or agrees prices."""

    @property
    def people(self) -> dict[str, Person]:
        """Return everyone on the account by name (stakeholders too)."""
        return {p.name: p for p in (*self.file.provider_team, *self.file.customer_contacts, *self.file.stakeholders)}

    @property
    def cadence(self) -> Cadence | None:
        """Return the agreed frequency of the reviews, or None when account.yaml gives none."""
        return parse_cadence(self.file.cadence) if self.file.cadence else None

    def is_provider(self, name: str) -> bool:
        """Return True when `name` is on the provider's team."""
        return any(p.name == name for p in self.file.provider_team)

    def previous(self, meeting: Meeting) -> Meeting | None:
        """Return the meeting held before `meeting`, or None for the first."""
        index = self.meetings.index(meeting)
        return self.meetings[index - 1] if index else None


@dataclass(frozen=True)
class ActionItem:
    """The state of one action item at a point in the account's history."""

    id: str
    account: str
    task: str
    owner: str
    due: dt.date
    done: bool
    raised_in: str
    """Slug of the meeting that raised it."""
    closed_in: str | None = None
    """Slug of the meeting whose minutes closed it."""

    def overdue(self, on: dt.date) -> bool:
        """Return True when the item is open and its due date lies before `on`."""
        return not self.done and self.due < on


@dataclass(frozen=True)
class MeetingActions:
    """The action items as one meeting sees them."""

    carried: tuple[ActionItem, ...]
    """Items open before the meeting, from earlier meetings: its 'Review action items'."""
    after: tuple[ActionItem, ...]
    """The carried items and those raised or changed in the meeting, as they stand after it."""
    touched: frozenset[str]
    """Ids of the items raised, changed or closed in the meeting."""


@dataclass(frozen=True)
class Tracker:
    """Every action item of an account, meeting by meeting."""

    by_meeting: dict[str, MeetingActions]
    """Meeting slug -> the action items as that meeting sees them."""
    items: tuple[ActionItem, ...]
    """Every item as it stands after the last meeting."""
    issues: tuple[Issue, ...]
    """Statements that could not be applied (unknown id, owner not present ...): content problems."""

    def open_items(self) -> tuple[ActionItem, ...]:
        """Return the items still open, earliest due first."""
        return tuple(item for item in self.items if not item.done)


def at(day: dt.date, clock: str, time_zone: str) -> dt.datetime:
    """Return the aware datetime of `day` at `clock` ("HH:MM") in `time_zone`."""
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(time_zone))


def next_meeting_time(meeting: Meeting) -> NextMeetingTime | None:
    """Return the next meeting agreed in `meeting`'s minutes, defaults filled in, or None."""
    nxt = meeting.front.next_meeting
    if nxt is None:
        return None
    start = at(nxt.date, nxt.start, meeting.time_zone)
    duration = nxt.duration or meeting.front.duration
    location = nxt.location or meeting.front.location
    call_link = nxt.call_link or meeting.front.call_link
    return NextMeetingTime(start, start + dt.timedelta(minutes=duration), location, call_link)


Issue = tuple[Path, int, str, str]
"""A problem found by a check: file, line, message, what to do."""
