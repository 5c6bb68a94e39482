"""Who is sent a letter now, and the delivery itself, recorded in the sent log as it happens.

One message per recipient. Before each delivery the log gets a `sending` line, after it `sent`,
`refused` (the server refused that address: the others still get theirs) or `failed` (the connection
was lost before the server accepted it: the run stops, and the next run sends only to the rest). Each
line is synced to disk before the next step, so a run stopped at any point leaves a log that says who
has the message. A `sending` line without an outcome (the process itself stopped) means the recipient
may have it: they are not sent it again unless --resend says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.policy import SMTP

from generator.meetings.mail import Letter, Recipient, message, message_id
from generator.meetings.sentlog import Delivery, LogWriter, SentLog, now
from generator.meetings.smtp import ConnectionLost, Mailer, Refused, SendFailed


@dataclass(frozen=True)
class Plan:
    """What a run does with a letter, recipient by recipient."""

    letter: Letter
    send: tuple[Recipient, ...]
    """Sent now."""
    current: tuple[Recipient, ...]
    """Already have this version: not sent again."""
    outdated: tuple[Recipient, ...]
    """Have an earlier version: sent the update only with --resend (then they are in `send`)."""
    uncertain: tuple[Recipient, ...]
    """A run stopped while sending to them, so they may have it: sent again only with --resend."""
    sequence: int | None
    """SEQUENCE of the invitation: the one this version went out with, else one more than the last."""
    update: bool
    """True when an earlier version of the letter went out (the subject then says 'Updated')."""


def plan(letter: Letter, log: SentLog, *, resend: bool) -> Plan:
    """Return who gets `letter` now, given what the log says they have."""
    kind, slug, digest = letter.kind, letter.meeting.slug, letter.digest
    delivered, uncertain = log.delivered(kind, slug), log.uncertain(kind, slug)
    groups: dict[str, list[Recipient]] = {"send": [], "current": [], "outdated": [], "uncertain": []}
    for recipient in letter.recipients:
        got, maybe = delivered.get(recipient.email), uncertain.get(recipient.email)
        if got is not None and got.hash == digest:
            group = "current"
        elif maybe is not None and maybe.hash == digest:
            group = "send" if resend else "uncertain"
        elif got is not None:
            group = "send" if resend else "outdated"
        else:
            group = "send"
        groups[group].append(recipient)
    update = any(r.event == "sent" and r.hash != digest for r in log.of(kind, slug))
    sequence = log.sequence(letter.uid, digest) if letter.uid else None
    return Plan(letter, tuple(groups["send"]), tuple(groups["current"]), tuple(groups["outdated"]),
                tuple(groups["uncertain"]), sequence, update)


def render(plan: Plan, recipient: Recipient, sender: str | None, stamp: dt.datetime) -> bytes:
    """Return the message to `recipient` as the bytes sent (CRLF line ends): the same bytes an .eml holds."""
    msg = message(plan.letter, recipient, sender, sequence=plan.sequence, update=plan.update, stamp=stamp)
    return msg.as_bytes(policy=SMTP)


@dataclass
class Outcome:
    """What a delivery run did."""

    sent: list[Recipient] = field(default_factory=list)
    refused: list[tuple[Recipient, str]] = field(default_factory=list)
    lost: tuple[Recipient, str] | None = None
    """The recipient being sent to when the connection was lost, and why."""
    not_tried: list[Recipient] = field(default_factory=list)


def deliver(plan: Plan, mailer: Mailer, log: LogWriter, sender: str | None, envelope: str,
            stamp: dt.datetime) -> Outcome:
    """Send the plan's messages one recipient at a time, recording each step in the log; return what happened."""
    outcome = Outcome()
    pending = list(plan.send)
    while pending:
        recipient = pending.pop(0)
        data = render(plan, recipient, sender, stamp)
        log.append(_record(plan, recipient, sender, "sending"))
        try:
            mailer.send(data, envelope, recipient.email)
        except Refused as exc:
            log.append(_record(plan, recipient, sender, "refused", exc.reply))
            outcome.refused.append((recipient, exc.reply))
            continue
        except ConnectionLost as exc:
            log.append(_record(plan, recipient, sender, "failed", str(exc)))
            outcome.lost = (recipient, str(exc))
            outcome.not_tried = pending
            break
        except SendFailed as exc:  # the server refused the sender: nothing was accepted
            log.append(_record(plan, recipient, sender, "failed", str(exc)))
            raise
        log.append(_record(plan, recipient, sender, "sent"))
        outcome.sent.append(recipient)
    return outcome


def _record(plan: Plan, recipient: Recipient, sender: str | None, event: str, reply: str = "") -> Delivery:
    """Return the log line of one step of delivering `plan`'s letter to `recipient`."""
    letter = plan.letter
    invited = recipient.invited and letter.calendar is not None
    return Delivery(now(), event, letter.kind, letter.meeting.slug, recipient.email, recipient.name, letter.digest,
                    message_id(letter, recipient, sender), letter.uid if invited else "",
                    plan.sequence if invited else None, reply)
