"""iCalendar files of meetings, with their time zone, that calendar programs import."""

from __future__ import annotations

import datetime as dt
import functools

from icalendar import Calendar, Event, Timezone

from generator.meetings.model import Account, Meeting, NextMeetingTime

PRODID = "-//storypack//meeting pack//EN"


def meeting_calendar(account: Account, meeting: Meeting, stamp: dt.date) -> bytes:
    """Return an .ics file holding the meeting itself."""
    front = meeting.front
    agenda = "\n".join(f"- {item.topic} ({item.owner}, {item.duration} min)" for item in front.agenda)
    description = f"{front.purpose}\n\nAgenda:\n{agenda}\n\nLead: {front.lead}\nMinutes: {front.minutes_owner}"
    event = _event(f"{account.slug}-{meeting.slug}", f"{account.file.name}: {front.title}",
                   NextMeetingTime(meeting.start, meeting.end, front.location, front.call_link), description, stamp)
    return _calendar(event, meeting.start.date())


def next_meeting_calendar(account: Account, meeting: Meeting, when: NextMeetingTime, stamp: dt.date) -> bytes:
    """Return an .ics file holding the next meeting agreed in `meeting`'s minutes."""
    description = (f"Next operations review with {account.file.name}, "
                   f"agreed in the minutes of {meeting.front.title} ({meeting.date.isoformat()}).")
    event = _event(f"{account.slug}-{meeting.slug}-next", f"{account.file.name}: next operations review",
                   when, description, stamp)
    return _calendar(event, when.start.date())


def _event(uid: str, summary: str, when: NextMeetingTime, description: str, stamp: dt.date) -> Event:
    """Return one VEVENT; DTSTAMP is the build's as-of date, so the same build gives the same bytes."""
    event = Event()
    event.add("uid", f"{uid}@storypack.invalid")
    event.add("dtstamp", dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.timezone.utc))
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


def _calendar(event: Event, around: dt.date) -> bytes:
    """Return a calendar of one event with the VTIMEZONE its times need (before the event, as icalendar puts it)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    zones = b"".join(_timezone(tzid, around.year) for tzid in sorted(calendar.get_missing_tzids()))
    text: bytes = calendar.to_ical()
    return text.replace(b"BEGIN:VEVENT\r\n", zones + b"BEGIN:VEVENT\r\n", 1)


@functools.lru_cache(maxsize=64)
def _timezone(tzid: str, year: int) -> bytes:
    """Return the VTIMEZONE of `tzid` from `year` to two years later, once per process (b'' if unknown)."""
    try:
        zone = Timezone.from_tzid(tzid, first_date=dt.date(year, 1, 1), last_date=dt.date(year + 2, 1, 1))
    except ValueError:
        return b""
    return bytes(zone.to_ical())
