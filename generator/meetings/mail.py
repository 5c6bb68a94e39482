"""The agenda and the minutes as e-mail: who gets them, what they say, and each recipient's message.

A `Letter` is one message to many people: its subject, plain text, HTML (the page, `mailhtml`) and
the calendar invitation it carries. `message` makes the copy of one recipient: one message per
recipient, so that a refused address or a lost connection concerns one delivery, which the sent log
records. The agenda goes to the provider's participants and the customer's requested participants,
with the meeting's invitation; the minutes to everyone invited or present and the stakeholders, with
the next meeting's invitation for those it invites.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from generator.errors import ContentError, Problem
from generator.meetings.formatting import day
from generator.meetings.ical import (
    Invitation,
    Invitee,
    invitees,
    meeting_calendar,
    meeting_uid,
    next_meeting_calendar,
    next_meeting_uid,
)
from generator.meetings.mailhtml import MAIL_CSS, mail_html
from generator.meetings.mailtext import agenda_text, minutes_text
from generator.meetings.model import Account, Meeting, next_meeting_time
from generator.meetings.quadrants import agenda_coverage, minutes_coverage
from generator.meetings.quotepage import quote_page, quote_pdf
from generator.meetings.site import MeetingPage, cached_environment, meeting_page, site_folder

Calendar = Callable[[Invitation], bytes]


class NotSent(ContentError):
    """Problems that stop a message from being composed (a missing address): nothing was sent."""

    def report(self) -> str:
        """Return every problem and a count, saying that nothing was sent."""
        count = len(self.problems)
        return "\n".join([*(str(p) for p in self.problems),
                          f"{count} problem{'s' if count != 1 else ''} found; nothing was sent."])


@dataclass(frozen=True)
class Recipient:
    """Someone a letter goes to."""

    name: str
    email: str
    invited: bool
    """True when the letter's invitation invites them (they get it with the message)."""

    @property
    def address(self) -> Address:
        """Return 'Name <email>' for a header."""
        user, _, domain = self.email.partition("@")
        return Address(self.name, user, domain)


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message (for example a quote for service upgrades)."""

    filename: str
    maintype: str
    subtype: str
    data: bytes


@dataclass(frozen=True)
class Letter:
    """The agenda or the minutes of one meeting, as one message to many people."""

    kind: str
    account: Account
    meeting: Meeting
    subject: str
    text: str
    html: str
    recipients: tuple[Recipient, ...]
    organizer: Invitee
    """The meeting's lead, who the invitation comes from and replies go to."""
    uid: str
    """UID of the invitation ('' when the letter carries none)."""
    calendar: Calendar | None
    attachments: tuple[Attachment, ...] = ()

    @property
    def digest(self) -> str:
        """Return the hash of what the letter says (subject and text; they do not depend on the day it is sent)."""
        return "sha256:" + hashlib.sha256(f"{self.subject}\n\n{self.text}".encode()).hexdigest()


def compose(account: Account, meeting: Meeting, kind: str, as_of: dt.date, templates: Path,
            root: Path | None = None) -> Letter:
    """Return the agenda or the minutes of `meeting` as a letter, or raise NotSent naming anyone without an address."""
    folder = site_folder(templates)
    page = meeting_page(account, meeting, as_of)
    html = cached_environment(folder).get_template(f"{kind}.html.j2").render(root="../../", as_of=as_of, page=page)
    css = folder / MAIL_CSS
    if not css.is_file():
        raise NotSent([Problem(str(css), None, "the mail style sheet is missing", "copy templates/site/mail.css")])
    f = meeting.front
    title = f"{f.title}, {day(meeting.date)} ({account.file.provider} and {account.file.name})"
    if kind == "agenda":
        names: list[str] = list(meeting.invited)
        attendees: tuple[str, ...] = meeting.invited
        lead, uid = f.lead, meeting_uid(account, meeting)
        text = agenda_text(page, agenda_coverage(account, meeting))
        calendar: Calendar | None = functools.partial(meeting_calendar, account, meeting, as_of)
    else:
        names = [*meeting.present, *(s.name for s in account.file.stakeholders)]
        text = minutes_text(page, minutes_coverage(account, meeting))
        lead, uid, attendees, calendar = _next_invitation(account, meeting, as_of)
    emails = _addresses(account, kind, [*names, *attendees, lead], root)
    recipients = tuple(Recipient(n, emails[n], n in attendees and calendar is not None) for n in dict.fromkeys(names))
    extra = _quote_attachment(page, kind, folder, as_of)
    return Letter(kind, account, meeting, f"{kind.capitalize()}: {title}", text, mail_html(html, css.read_text()),
                  recipients, Invitee(lead, emails[lead]), uid if calendar else "", calendar, extra)


def _quote_attachment(page: MeetingPage, kind: str, folder: Path, as_of: dt.date) -> tuple[Attachment, ...]:
    """Return the quote the meeting makes, as PDF, for its agenda (nothing for minutes or without a quote)."""
    quote = quote_page(page.account, page.meeting, page.report, pdf=True) if kind == "agenda" else None
    if quote is None or quote.pdf is None:
        return ()
    data = quote_pdf(cached_environment(folder), quote, as_of, (folder / "style.css").read_bytes())
    return (Attachment(quote.pdf, "application", "pdf", data),)


def _next_invitation(account: Account, meeting: Meeting,
                     as_of: dt.date) -> tuple[str, str, tuple[str, ...], Calendar | None]:
    """Return the lead, UID, attendees and calendar of the next meeting agreed in the minutes (if any)."""
    when = next_meeting_time(meeting)
    if when is None:
        return meeting.front.lead, "", (), None
    planned = next((m for m in account.meetings if m.date == when.start.date()), None)
    if planned is not None:
        return (planned.front.lead, meeting_uid(account, planned), planned.invited,
                functools.partial(meeting_calendar, account, planned, as_of))
    return (meeting.front.lead, next_meeting_uid(account, when), meeting.invited,
            functools.partial(next_meeting_calendar, account, meeting, when, as_of))


def _addresses(account: Account, kind: str, names: list[str], root: Path | None) -> dict[str, str]:
    """Return name -> e-mail address of `names`, or raise NotSent naming each one without (file and line)."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    doc = account.doc
    where = {p.name: (group, i) for group in ("provider_team", "customer_contacts", "stakeholders")
             for i, p in enumerate(getattr(account.file, group))}
    for name in dict.fromkeys(names):
        person = account.people[name]
        if person.email:
            found[name] = person.email
        else:
            problems.append(doc.problem(doc.line_of((*where[name], "name")),
                                        f"{name} has no e-mail address, needed to send the {kind}",
                                        f"add 'email:' with {name}'s address under this line", root=root))
    if problems:
        raise NotSent(problems)
    return found


def message(letter: Letter, recipient: Recipient, sender: str | None, *, sequence: int | None, update: bool,
            stamp: dt.datetime) -> EmailMessage:
    """Return the copy of `letter` for `recipient`: text, HTML, the invitation if it invites them, attachments."""
    subject = ("Updated " + letter.subject[0].lower() + letter.subject[1:]) if update else letter.subject
    msg = _envelope(letter, recipient, sender, subject, stamp, cancel=False)
    msg.set_content(letter.text)
    msg.add_alternative(letter.html, subtype="html")
    if recipient.invited and letter.calendar is not None and sequence is not None:
        attendees = _attendees(letter)
        ics = letter.calendar(Invitation(letter.organizer, attendees, sequence, stamp))
        msg.add_alternative(ics.decode("utf-8"), subtype="calendar", params={"method": "REQUEST"})
    for attachment in letter.attachments:
        msg.add_attachment(attachment.data, maintype=attachment.maintype, subtype=attachment.subtype,
                           filename=attachment.filename)
    return msg


def _envelope(letter: Letter, recipient: Recipient, sender: str | None, subject: str, stamp: dt.datetime, *,
              cancel: bool) -> EmailMessage:
    """Return a message with its headers: from the sender (else the organizer, who replies go to), to `recipient`."""
    msg = EmailMessage()
    organizer = Address(letter.organizer.name, *letter.organizer.email.split("@", 1))
    msg["From"] = sender or organizer
    msg["To"] = recipient.address
    if sender:
        msg["Reply-To"] = organizer
    msg["Subject"] = subject
    msg["Date"] = format_datetime(stamp)
    msg["Message-ID"] = message_id(letter, recipient, sender, cancel=cancel)
    return msg


def _attendees(letter: Letter) -> tuple[Invitee, ...]:
    """Return the invitation's attendees: the letter's invited recipients, the organizer as chair."""
    invited = [r.name for r in letter.recipients if r.invited]
    emails = {r.name: r.email for r in letter.recipients}
    return invitees(invited, emails, letter.organizer.name)


def cancellation(letter: Letter, recipient: Recipient, sender: str | None, *, sequence: int,
                 stamp: dt.datetime) -> EmailMessage:
    """Return the message that withdraws `letter`'s invitation from `recipient`, whom a changed version no longer
    invites: a short text and the same event (UID) as METHOD:CANCEL at the new SEQUENCE, naming only them."""
    assert letter.calendar is not None
    msg = _envelope(letter, recipient, sender, f"Invitation withdrawn: {letter.subject}", stamp, cancel=True)
    msg.set_content(f"{letter.subject}\n\nThe {letter.kind} has changed, and you are no longer among the "
                    "participants. The calendar update in this message removes the meeting from your calendar.\n\n"
                    f"Questions to {letter.organizer.name} <{letter.organizer.email}>.\n")
    invitee = Invitee(recipient.name, recipient.email)
    ics = letter.calendar(Invitation(letter.organizer, (invitee,), sequence, stamp, method="CANCEL"))
    msg.add_alternative(ics.decode("utf-8"), subtype="calendar", params={"method": "CANCEL"})
    return msg


def message_id(letter: Letter, recipient: Recipient, sender: str | None, *, cancel: bool = False) -> str:
    """Return a Message-ID that is the same for the same text to the same person, so a duplicate is seen as one."""
    domain = parseaddr(sender or "")[1].partition("@")[2] or letter.organizer.email.partition("@")[2]
    person = hashlib.sha256(recipient.email.lower().encode()).hexdigest()[:10]
    return f"<{letter.digest[7:23]}.{person}.{letter.kind}{'-cancel' if cancel else ''}@{domain}>"
