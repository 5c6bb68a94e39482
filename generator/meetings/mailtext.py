"""The plain-text part of an agenda or minutes message: the page's facts as text.

It says nothing that depends on the day it is made (no "overdue", no "as of"), so that its hash
(`mail.digest`) changes only when what the message says changes: the sent log compares it to tell
an unchanged agenda (not sent again) from a changed one (sent again with --resend).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from generator.meetings.formatting import change, day, target, time_span, value
from generator.meetings.model import ActionItem, NextMeetingTime
from generator.meetings.money import money
from generator.meetings.quadrants import Coverage
from generator.meetings.quotepage import pdf_name
from generator.meetings.site import MeetingPage
from generator.read.months import month


def agenda_text(page: MeetingPage, cover: Coverage | None) -> str:
    """Return the plain text of the agenda of `page`."""
    p = _Page(page)
    lines = [*p.head("Agenda"), "", "PARTICIPANTS", *p.people(p.front.participants.provider, p.file.provider),
             *p.people(p.front.participants.customer, f"Requested from {p.file.name}"), *_coverage(cover, "invited"),
             "", *p.agenda(), *_quotes(page), "", "REVIEW ACTION ITEMS"]
    carried = p.page.actions.carried
    lines += _items(carried, done=False) if carried else ["No open action items from earlier meetings."]
    report = p.page.report
    if report is not None:
        lines += ["", f"OPERATIONS-REVIEW REPORT: {month(report.first_month)} to {month(report.last_month)}"]
        lines += [f"- {k.kpi.name}: {value(k.latest, k.kpi)} in {month(report.last_month)} (target "
                  f"{target(k.kpi)}; {_since(change(k))}): {'met' if k.met else 'missed'}" for k in report.kpis]
        basis = p.account.export
        if basis is not None:
            typed = [k.kpi.name for k in report.kpis if k.kpi.name not in basis.kpis]
            lines.append(f"{(', '.join(basis.kpis) + ': computed') if typed else 'Computed'} from {basis.count} "
                         f"{basis.customer + ' ' if basis.customer else ''}tickets in {', '.join(basis.files)} "
                         f"({basis.layout}).")
    return _end(lines + p.notes())


def minutes_text(page: MeetingPage, cover: Coverage | None) -> str:
    """Return the plain text of the minutes of `page`."""
    p = _Page(page)
    attended = p.front.attended or []
    lines = [*p.head("Minutes"), "", f"PARTICIPANTS: {len(attended)} attended of {len(p.meeting.invited)} invited"]
    for name in p.meeting.present:
        person = p.account.people[name]
        lines.append(f"- {name}, {person.role}: {'invited' if name in p.meeting.invited else 'not invited'}, "
                     f"{'attended' if name in attended else 'did not attend'}")
    if p.file.stakeholders:
        lines.append("The minutes also go to " + ", ".join(f"{s.name} ({s.role})" for s in p.file.stakeholders) + ".")
    lines += [*_coverage(cover, "attended"), "", *p.agenda(), "", "AGREEMENTS REACHED"]
    lines += [f"- {text}" for text in p.front.agreements] or ["None recorded."]
    lines += ["", "NEW ISSUES IDENTIFIED", *([f"- {text}" for text in p.front.issues] or ["None recorded."])]
    decided = p.account.quotes.decided_at(p.meeting)
    if decided:
        lines += ["", "QUOTES DECIDED"]
        lines += [f"- {r.quote.number} of {day(r.quote.date)}: {r.outcome.outcome}"
                  f"{f', replaced by {r.outcome.revised_by}' if r.outcome.revised_by else ''}"
                  f"{f'. {r.outcome.note}' if r.outcome.note else ''}" for r in decided if r.outcome]
    lines += ["", "ACTION ITEMS", *(_items(p.page.actions.after, done=True) or ["No action items."])]
    lines += p.notes()
    nxt: NextMeetingTime | None = p.page.next_meeting
    if nxt is not None:
        lines += ["", "NEXT MEETING", f"When: {day(nxt.start.date())}, {time_span(nxt.start, nxt.end, p.meeting.time_zone)}"]
        lines += [f"Location: {nxt.location}"] if nxt.location else []
        lines += [f"Call link: {nxt.call_link}"] if nxt.call_link else []
    return _end(lines)


def _quotes(page: MeetingPage) -> list[str]:
    """Return the lines on the quotes the meeting discusses: its own (attached as PDF) and those still open."""
    discussed = page.account.quotes.discussed_at(page.meeting)
    if not discussed:
        return []
    lines = ["", "QUOTES FOR SERVICE UPGRADES"]
    for record in discussed:
        q = record.quote
        new = q.meeting == page.meeting.slug
        amounts = [f"{money(q.monthly.net, q.currency)} a month"] if any(line.service.monthly for line in q.lines) else []
        amounts += [f"{money(q.one_off.net, q.currency)} once"] if q.one_off.net else []
        lines.append(f"- {q.number} ({f'new, attached as {pdf_name(record)}' if new else f'made {day(q.date)}'}): "
                     f"{' and '.join(amounts)}{f' before {q.tax.name}' if q.tax else ''}, "
                     f"valid until {day(q.valid_until)}")
    return lines


class _Page:
    """The parts of a meeting page the text uses."""

    def __init__(self, page: MeetingPage) -> None:
        self.page = page
        self.account = page.account
        self.meeting = page.meeting
        self.front = page.meeting.front
        self.file = page.account.file

    def head(self, kind: str) -> list[str]:
        """Return the title and the facts."""
        f, m = self.front, self.meeting
        lines = [f.title, f"{kind}: {self.file.provider} and {self.file.name}", "", f"Purpose: {f.purpose}",
                 f"When: {day(m.date)}, {time_span(m.start, m.end, m.time_zone)} ({f.duration} minutes)"]
        lines += [f"Location: {f.location}"] if f.location else []
        lines += [f"Call link: {f.call_link}"] if f.call_link else []
        return lines + [f"Leads the meeting: {self.who(f.lead)}", f"Takes the minutes: {self.who(f.minutes_owner)}"]

    def who(self, name: str) -> str:
        """Return 'Name (role)'."""
        person = self.account.people.get(name)
        return f"{name} ({person.role})" if person else name

    def people(self, names: Iterable[str], heading: str) -> list[str]:
        """Return a heading and one line per person."""
        return [f"{heading}:", *(f"- {self.who(name)}" for name in names)]

    def agenda(self) -> list[str]:
        """Return the agenda items with their start times."""
        lines = [f"AGENDA ({self.front.duration} minutes)"]
        offset = 0
        for item in self.front.agenda:
            start = self.meeting.start + dt.timedelta(minutes=offset)
            lines.append(f"{start:%H:%M}  {item.topic} ({item.owner}, {item.duration} min)")
            lines += [f"       {item.details}"] if item.details else []
            offset += item.duration
        return lines

    def notes(self) -> list[str]:
        """Return the notes as written (Markdown reads well as text)."""
        text = self.meeting.notes.strip()
        return ["", "NOTES", text] if text else []


def _items(items: Iterable[ActionItem], *, done: bool) -> list[str]:
    """Return one line per action item: id, task, owner, commitment date (and status after the meeting)."""
    return [f"- {i.id} {i.task} ({i.owner}, due {day(i.due)})" + (f": {'done' if i.done else 'open'}" if done else "")
            for i in items]


def _coverage(cover: Coverage | None, verb: str) -> list[str]:
    """Return the quadrants no one covers, or that every one is covered."""
    if cover is None:
        return []
    gaps = [f"{', '.join(side.missing)} ({side.organisation})" for side in (cover.provider, cover.customer)
            if side.missing]
    return [f"Quadrants not covered by those {verb}: {'; '.join(gaps)}." if gaps
            else "Every quadrant of the relationship is covered on both sides."]


def _since(change: str) -> str:
    """Return a KPI's change as the text says it: '+1.6 points since the last review', or 'first review'."""
    return change if change == "first review" else f"{change} since the last review"


def _end(lines: list[str]) -> str:
    """Return the lines as text ending in one line end."""
    return "\n".join(lines).strip() + "\n"
