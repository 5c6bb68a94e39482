"""`storypack send agenda|minutes ACCOUNT` (its options: `command.py`): show (and write to the outbox) or, with
--yes, send a meeting's agenda or minutes, recording every delivery in the account's sent log."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path

from generator.errors import Problem, UsageError
from generator.meetings.delivery import Outcome, Plan, deliver, plan, render
from generator.meetings.exports import with_export_kpis
from generator.meetings.mail import Recipient, compose
from generator.meetings.model import Account, Meeting
from generator.meetings.quadrants import minutes_gaps
from generator.meetings.reader import load_account
from generator.meetings.rules import account_warnings, agenda_deadline, report_warnings
from generator.meetings.sentlog import SENT_LOG, open_log
from generator.meetings.smtp import Mailer, load_settings
from generator.read.layout import ACCOUNTS


def send_command(args: argparse.Namespace) -> int:
    """Show or send the agenda or minutes; return the exit code (1 when a recipient was refused or the connection lost)."""
    root: Path = args.content
    as_of: dt.date = args.as_of or dt.date.today()
    account, _, _ = with_export_kpis(load_account(root, args.account), root)
    meeting = choose(account, args.what, args.meeting, as_of)
    letter = compose(account, meeting, args.what, as_of, args.templates, root)
    settings = load_settings(Path.cwd(), os.environ)
    stamp = dt.datetime.now().astimezone().replace(microsecond=0)
    what = f"the {args.what} of {meeting.front.title} ({meeting.date.isoformat()}, {account.file.name})"
    if not args.yes:
        planned = plan(letter, account.sent, resend=args.resend)
        folder = write_outbox(planned, args.outbox / account.slug / meeting.slug / args.what, settings.sender, stamp)
        _show(planned, what, "would send")
        written = len(planned.send) + (len(planned.dropped) if planned.cancel else 0)
        if written:
            print(f"wrote {written} message(s) to {folder}/ for review; send them with --yes")
        _warn(account, meeting, args.what, as_of, root, planned, sent_now=False)
        return 0
    with open_log(root / ACCOUNTS / account.slug / SENT_LOG) as log:
        planned = plan(letter, log.read(), resend=args.resend)
        outcome = Outcome()
        if planned.send or planned.cancel:
            envelope = _envelope(settings.sender, letter.organizer.email)
            with Mailer(settings) as mailer:
                outcome = deliver(planned, mailer, log, settings.sender, envelope, stamp)
        _show(planned, what, "sending", outcome)
        account = dataclasses.replace(account, sent=log.read())
    _warn(account, meeting, args.what, as_of, root, planned, sent_now=bool(outcome.sent))
    return 1 if outcome.refused or outcome.lost else 0


def choose(account: Account, kind: str, wanted: str | None, as_of: dt.date) -> Meeting:
    """Return the meeting whose agenda or minutes are sent: `wanted` (a date or file name), else the default."""
    if wanted is not None:
        found = [m for m in account.meetings if wanted in (m.date.isoformat(), m.slug)]
        if len(found) != 1:
            names = ", ".join(m.slug for m in (found or account.meetings))
            raise UsageError(f"{'more than one' if found else 'no'} meeting of {account.slug} is {wanted!r}; "
                             f"use one of: {names}")
        meeting = found[0]
    elif kind == "agenda":
        upcoming = [m for m in account.meetings if m.date >= as_of]
        if not upcoming:
            raise UsageError(f"{account.slug} has no meeting on or after {as_of.isoformat()}; start one with "
                             f"'storypack new meeting {account.slug} --date YYYY-MM-DD', or give --meeting")
        meeting = upcoming[0]
    else:
        held = [m for m in account.meetings if m.held and m.date <= as_of]
        if not held:
            raise UsageError(f"{account.slug} has no minutes yet (a meeting file with 'attended:'); or give --meeting")
        meeting = held[-1]
    if kind == "agenda" and meeting.date < as_of:
        raise UsageError(f"the meeting of {meeting.date.isoformat()} is past; its agenda is not sent any more")
    if kind == "minutes" and not meeting.held:
        raise UsageError(f"the meeting of {meeting.date.isoformat()} has no minutes yet: add 'attended:' and the rest")
    return meeting


def write_outbox(planned: Plan, folder: Path, sender: str | None, stamp: dt.datetime) -> Path:
    """Write each message the plan would send to `folder` as an .eml file (replacing those of a previous look)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    for number, recipient in enumerate(planned.send, start=1):
        (folder / f"{number:02d}-{recipient.email}.eml").write_bytes(render(planned, recipient, sender, stamp))
    for number, recipient in enumerate(planned.dropped if planned.cancel else (), start=len(planned.send) + 1):
        (folder / f"{number:02d}-{recipient.email}-cancel.eml").write_bytes(
            render(planned, recipient, sender, stamp, cancel=True))
    return folder


def _show(planned: Plan, what: str, verb: str, outcome: Outcome | None = None) -> None:
    """Print who the letter goes to, who already has it, who is left out and why, and what happened."""
    letter = planned.letter
    version = f" (an update; invitation SEQUENCE {planned.sequence})" if planned.update else (
        f" (invitation SEQUENCE {planned.sequence})" if planned.sequence is not None else "")
    print(f"{what}: {len(letter.recipients)} recipient(s){version}")
    groups: list[tuple[str, tuple[Recipient, ...] | list[Recipient]]] = []
    if outcome is None:
        groups.append((verb, planned.send))
    else:
        groups.append(("sent to", outcome.sent))
    if planned.dropped:
        groups.append((("cancellation sent to" if outcome else "would send the cancellation to") if planned.cancel else
                       "no longer invited (send them the cancellation of their invitation with --resend)",
                       outcome.cancelled if outcome and planned.cancel else planned.dropped))
    groups += [("already have this version", planned.current),
               ("have an earlier version (send them the update with --resend)", planned.outdated),
               ("may have it: a run stopped while sending to them (check, then --resend)", planned.uncertain)]
    for label, people in groups:
        if people:
            print(f"  {label}: {', '.join(_who(r) for r in people)}")
    if outcome is not None:
        for recipient, reply in outcome.refused:
            print(f"  refused by the server: {_who(recipient)}: {reply} (tried again on the next run)", file=sys.stderr)
        if outcome.lost is not None:
            recipient, reason = outcome.lost
            rest = [recipient, *outcome.not_tried]
            print(f"  the connection was lost while sending to {_who(recipient)} ({reason}); not sent to "
                  f"{', '.join(_who(r) for r in rest)}: run the command again to send to them", file=sys.stderr)
    if not planned.send and not planned.cancel:
        print("  nothing new to send")


def _who(recipient: Recipient) -> str:
    return f"{recipient.name} <{recipient.email}>"


def _envelope(sender: str | None, fallback: str) -> str:
    """Return the envelope sender address (MAIL FROM): the configured sender's, else the lead's."""
    from email.utils import parseaddr

    return parseaddr(sender or "")[1] or fallback


def _warn(account: Account, meeting: Meeting, kind: str, as_of: dt.date, root: Path, planned: Plan,
          *, sent_now: bool) -> None:
    """Print the account's warnings, the quadrants the minutes leave uncovered, and an agenda sent late."""
    found = [w for w in account_warnings(account, as_of, root)]
    if kind == "minutes":
        found += [w for w in minutes_gaps(account, meeting, root) if w not in found]
    deadline = agenda_deadline(account, meeting)
    if kind == "agenda" and not planned.update and as_of > deadline and (sent_now or planned.send):
        days = (meeting.date - as_of).days
        found.append(Problem(str(meeting.doc.path), None, f"the agenda goes out {days} day{'s' if days != 1 else ''} "
                             f"before the meeting; agenda_notice_days asks for {account.file.agenda_notice_days}",
                             "send the next agenda earlier"))
    report_warnings(found)
