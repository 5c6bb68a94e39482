"""iCalendar files of meetings, with their time zone, that calendar programs import; and invitations.

The published files (`meeting.ics`, `next-meeting.ics`) are METHOD:PUBLISH. The invitation that
`storypack send` attaches is the same event (the same UID) as METHOD:REQUEST, with the lead as
ORGANIZER and an ATTENDEE per participant; SEQUENCE counts the versions sent (the sent log keeps it),
and the published file carries the latest, so importing it never undoes an update.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from generator.meetings.model import Account, Meeting, NextMeetingTime

PRODID = "-//storypack//meeting pack//EN"
UID_DOMAIN = "storypack.invalid"
SCAFFOLD_NAME = "{date}-operations-review"
"""The file name `storypack new meeting` gives a meeting: an agreed next meeting's UID is the one its file will have."""


@dataclass(frozen=True)
class Invitee:
    """Someone an invitation names: the organizer or an attendee."""

    name: str
    email: str
    chair: bool = False
    """The one who leads the meeting: ROLE=CHAIR, no reply asked."""


@dataclass(frozen=True)
class Invitation:
    """How a calendar file invites: METHOD:REQUEST from the organizer to the attendees, at this SEQUENCE."""

    organizer: Invitee
    attendees: tuple[Invitee, ...]
    sequence: int
    stamp: dt.datetime
    """DTSTAMP: when the invitation was made."""
    method: str = "REQUEST"
    """REQUEST invites; CANCEL tells the attendees named that the meeting is off for them (STATUS:CANCELLED)."""


def meeting_uid(account: Account, meeting: Meeting) -> str:
    """Return the UID of a meeting's event: the same in meeting.ics and every invitation to it."""
    return f"{account.slug}-{meeting.slug}@{UID_DOMAIN}"


def next_meeting_uid(account: Account, when: NextMeetingTime) -> str:
    """Return the UID of the next meeting agreed in minutes: its file's, or the one `new meeting` will give it."""
    day = when.start.date()
    planned = [m for m in account.meetings if m.date == day]
    slug = planned[0].slug if planned else SCAFFOLD_NAME.format(date=day.isoformat())
    return f"{account.slug}-{slug}@{UID_DOMAIN}"


def meeting_calendar(account: Account, meeting: Meeting, stamp: dt.date, invitation: Invitation | None = None) -> bytes:
    """Return an .ics file holding the meeting itself (an invitation to it when `invitation` is given)."""
    front = meeting.front
    agenda = "\n".join(f"- {item.topic} ({item.owner}, {item.duration} min)" for item in front.agenda)
    description = f"{front.purpose}\n\nAgenda:\n{agenda}\n\nLead: {front.lead}\nMinutes: {front.minutes_owner}"
    uid = meeting_uid(account, meeting)
    event = _event(uid, f"{account.file.name}: {front.title}",
                   NextMeetingTime(meeting.start, meeting.end, front.location, front.call_link), description,
                   _stamp(stamp, invitation))
    return _calendar(event, meeting.start.date(), _sequence(account, uid, invitation), invitation)


def next_meeting_calendar(account: Account, meeting: Meeting, when: NextMeetingTime, stamp: dt.date,
                          invitation: Invitation | None = None) -> bytes:
    """Return an .ics file holding the next meeting agreed in `meeting`'s minutes (or an invitation to it)."""
    description = (f"Next operations review with {account.file.name}, "
                   f"agreed in the minutes of {meeting.front.title} ({meeting.date.isoformat()}).")
    uid = next_meeting_uid(account, when)
    event = _event(uid, f"{account.file.name}: next operations review", when, description, _stamp(stamp, invitation))
    return _calendar(event, when.start.date(), _sequence(account, uid, invitation), invitation)


def _sequence(account: Account, uid: str, invitation: Invitation | None) -> int:
    """Return the SEQUENCE to write: the invitation's, or for a published file the latest one sent."""
    return invitation.sequence if invitation is not None else account.sent.latest_sequence(uid)


def _stamp(day: dt.date, invitation: Invitation | None) -> dt.datetime:
    """Return DTSTAMP: the invitation's time, or for a published file the build's as-of date (same build, same bytes)."""
    if invitation is not None:
        return invitation.stamp
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _event(uid: str, summary: str, when: NextMeetingTime, description: str, stamp: dt.datetime) -> Event:
    """Return one VEVENT."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", when.start)
    event.add("dtend", when.end)
    if when.location:
        event.add("location", when.location)
    if when.call_link:
        event.add("url", when.call_link)
        description += f"\n\nJoin the call: {when.call_link}"
    event.add("description", description)
    return event


def _invite(event: Event, invitation: Invitation) -> None:
    """Make `event` an invitation: ORGANIZER, one ATTENDEE per participant."""
    event.add("organizer", _address(invitation.organizer, organizer=True))
    for invitee in invitation.attendees:
        event.add("attendee", _address(invitee), encode=False)


def _address(invitee: Invitee, *, organizer: bool = False) -> vCalAddress:
    """Return the calendar address of `invitee`, with its name and, for an attendee, role and reply wanted."""
    address = vCalAddress(f"mailto:{invitee.email}")
    address.params["CN"] = vText(invitee.name)
    if not organizer:
        address.params["CUTYPE"] = vText("INDIVIDUAL")
        address.params["ROLE"] = vText("CHAIR" if invitee.chair else "REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText("ACCEPTED" if invitee.chair else "NEEDS-ACTION")
        address.params["RSVP"] = vText("FALSE" if invitee.chair else "TRUE")
    return address


def _calendar(event: Event, around: dt.date, sequence: int, invitation: Invitation | None) -> bytes:
    """Return a calendar of one event with the VTIMEZONE its times need (before the event, as icalendar puts it)."""
    if sequence or invitation is not None:
        event.add("sequence", sequence)
    if invitation is not None:
        _invite(event, invitation)
        if invitation.method == "CANCEL":
            event.add("status", "CANCELLED")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH" if invitation is None else invitation.method)
    calendar.add_component(event)
    zones = b"".join(_timezone(tzid, around.year) for tzid in sorted(calendar.get_missing_tzids()))
    text = b"".join(fold(line).encode("utf-8") + b"\r\n" for line in calendar.content_lines() if line)
    return text.replace(b"BEGIN:VEVENT\r\n", zones + b"BEGIN:VEVENT\r\n", 1)


FOLD_AT = 75
"""A folded line holds fewer octets than this (RFC 5545 3.1: at most 75 with the break; icalendar folds at 74)."""


def fold(line: str) -> str:
    """Return one content line folded as `Calendar.to_ical` folds it, in a fraction of its time: pieces of at most
    FOLD_AT - 1 octets of UTF-8 joined by CRLF and a space, no character split, and a backslash or caret that would
    end a piece moved to the next, so that an escape stays whole."""
    if line.isascii():
        if len(line) < FOLD_AT:
            return line
        pieces, start = [], 0
        while len(line) - start >= FOLD_AT:
            cut = start + FOLD_AT - 1
            if line[cut - 1] in "\\^":
                cut -= 1
            pieces.append(line[start:cut])
            start = cut
        pieces.append(line[start:])
        return "\r\n ".join(pieces)
    pieces, start, size = [], 0, 0
    for i, char in enumerate(line):
        width = len(char.encode("utf-8"))
        if i > start and size + width >= FOLD_AT:
            keep = i - 1 if i - start > 1 and line[i - 1] in "\\^" else i
            pieces.append(line[start:keep])
            start, size = keep, len(line[keep:i].encode("utf-8"))
        size += width
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def invitees(names: Sequence[str], emails: dict[str, str], lead: str) -> tuple[Invitee, ...]:
    """Return the attendees of `names` with their addresses (the lead as chair)."""
    return tuple(Invitee(name, emails[name], chair=(name == lead)) for name in names)


@functools.lru_cache(maxsize=64)
def _timezone(tzid: str, year: int) -> bytes:
    """Return the VTIMEZONE of `tzid` from `year` to two years later, once per process (b'' if unknown)."""
    try:
        zone = Timezone.from_tzid(tzid, first_date=dt.date(year, 1, 1), last_date=dt.date(year + 2, 1, 1))
    except ValueError:
        return b""
    return bytes(zone.to_ical())
