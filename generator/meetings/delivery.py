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

from generator.meetings.mail import Letter, Recipient, cancellation, message, message_id
from generator.meetings.sentlog import CANCELLED, Delivery, LogWriter, SentLog, now
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
    dropped: tuple[Recipient, ...] = ()
    """Were sent an earlier version's invitation but are not invited any more: sent its cancellation if `cancel`."""
    cancel: bool = False


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
    invited = {r.email for r in letter.recipients if r.invited}
    gone = log.dropped(kind, slug, letter.uid, invited) if letter.uid and letter.calendar else {}
    dropped = tuple(Recipient(r.name, to, True) for to, r in sorted(gone.items()))
    return Plan(letter, tuple(groups["send"]), tuple(groups["current"]), tuple(groups["outdated"]),
                tuple(groups["uncertain"]), sequence, update, dropped, resend and bool(dropped))


def render(plan: Plan, recipient: Recipient, sender: str | None, stamp: dt.datetime, *, cancel: bool = False) -> bytes:
    """Return the message to `recipient` (or, with `cancel`, the cancellation of their invitation) as the bytes
    sent (CRLF line ends): the same bytes an .eml holds."""
    if cancel:
        msg = cancellation(plan.letter, recipient, sender, sequence=plan.sequence or 0, stamp=stamp)
    else:
        msg = message(plan.letter, recipient, sender, sequence=plan.sequence, update=plan.update, stamp=stamp)
    return msg.as_bytes(policy=SMTP)


@dataclass
class Outcome:
    """What a delivery run did."""

    sent: list[Recipient] = field(default_factory=list)
    refused: list[tuple[Recipient, str]] = field(default_factory=list)
    cancelled: list[Recipient] = field(default_factory=list)
    """Sent the cancellation of an invitation a changed version no longer gives them."""
    lost: tuple[Recipient, str] | None = None
    """The recipient being sent to when the connection was lost, and why."""
    not_tried: list[Recipient] = field(default_factory=list)


def deliver(plan: Plan, mailer: Mailer, log: LogWriter, sender: str | None, envelope: str,
            stamp: dt.datetime) -> Outcome:
    """Send the plan's messages one recipient at a time, recording each step in the log; return what happened."""
    outcome = Outcome()
    pending = [(r, False) for r in plan.send] + [(r, True) for r in (plan.dropped if plan.cancel else ())]
    while pending:
        recipient, cancel = pending.pop(0)
        data = render(plan, recipient, sender, stamp, cancel=cancel)
        log.append(_record(plan, recipient, sender, "sending", cancel=cancel))
        try:
            mailer.send(data, envelope, recipient.email)
        except Refused as exc:
            log.append(_record(plan, recipient, sender, "refused", exc.reply, cancel=cancel))
            outcome.refused.append((recipient, exc.reply))
            continue
        except ConnectionLost as exc:
            log.append(_record(plan, recipient, sender, "failed", str(exc), cancel=cancel))
            outcome.lost = (recipient, str(exc))
            outcome.not_tried = [r for r, _ in pending]
            break
        except SendFailed as exc:  # the server refused the sender: nothing was accepted
            log.append(_record(plan, recipient, sender, "failed", str(exc), cancel=cancel))
            raise
        log.append(_record(plan, recipient, sender, "sent", cancel=cancel))
        (outcome.cancelled if cancel else outcome.sent).append(recipient)
    return outcome


def _record(plan: Plan, recipient: Recipient, sender: str | None, event: str, reply: str = "", *,
            cancel: bool = False) -> Delivery:
    """Return the log line of one step of delivering `plan`'s letter (or its cancellation) to `recipient`."""
    letter = plan.letter
    invited = recipient.invited and letter.calendar is not None
    digest = CANCELLED + letter.digest if cancel else letter.digest
    return Delivery(now(), event, letter.kind, letter.meeting.slug, recipient.email, recipient.name, digest,
                    message_id(letter, recipient, sender, cancel=cancel), letter.uid if invited else "",
                    plan.sequence if invited else None, reply)
