"""`storypack new meeting`: the next meeting's file, started from the account's last meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import yaml

from generator.errors import UsageError
from generator.meetings.formatting import day
from generator.meetings.model import Account, ActionItem, Meeting, next_meeting_time
from generator.meetings.quotes import QuoteRecord
from generator.meetings.rules import LATER_REVIEW_DAYS

FILE_NAME = "{date}-operations-review.md"
UPGRADES = "Service upgrade recommendations"
"""The agenda item that discusses the quotes for service upgrades."""
FIXED_ITEMS = (("Introductions", "lead", 5), ("Review the agenda", "lead", 5),
               ("Review action items", "minutes_owner", 15),
               (UPGRADES, "account_manager", 15),
               ("Schedule the next meeting", "minutes_owner", 5))
"""Agenda items every review has: topic, who owns it, minutes. Service performance takes the rest."""


def new_meeting_text(account: Account, date: dt.date) -> str:
    """Return the text of a new meeting file on `date`: agenda skeleton, last participants, open items."""
    if not account.meetings:
        raise UsageError(f"account {account.slug!r} has no meeting to start from; write the first one by hand")
    last = account.meetings[-1]
    if date <= last.date:
        raise UsageError(f"{date.isoformat()} is not after the last meeting ({last.date.isoformat()}); "
                         "give the date of the next meeting")
    front = last.front
    start, duration, location, call_link = front.start, front.duration, front.location, front.call_link
    agreed = next_meeting_time(last) if last.held else None
    if agreed is not None and agreed.start.date() == date:
        start = f"{agreed.start:%H:%M}"
        duration = int((agreed.end - agreed.start).total_seconds() // 60)
        location, call_link = agreed.location, agreed.call_link
    lines = [
        "---",
        f"# Started with `storypack new meeting` from the meeting of {last.date.isoformat()}: check every field.",
        "# When the meeting is held, add attended, agreements, issues, actions and next_meeting (the minutes),",
        "# and tick the open items below that were done: '- [x] ID'.",
        f"title: {_scalar('Operations review')}",
        f"purpose: {_scalar(f'Review the service since the last review on {day(last.date)} and the open action items.')}",
        f"date: {date.isoformat()}",
        f'start: "{start}"',
        f"duration: {duration}",
    ]
    if last.front.time_zone:
        lines.append(f"time_zone: {last.front.time_zone}")
    lines += [f"location: {_scalar(location)}"] if location else []
    lines += [f"call_link: {_scalar(call_link)}"] if call_link else []
    lines += [f"lead: {_scalar(front.lead)}", f"minutes_owner: {_scalar(front.minutes_owner)}",
              f"dry_run: {dry_run_date(date).isoformat()}",
              "participants:",
              f"  provider: {_flow(front.participants.provider)}",
              f"  customer: {_flow(front.participants.customer)}",
              "agenda:"]
    undecided = account.quotes.undecided()
    for topic, owner, minutes in agenda_skeleton(account, last, duration):
        lines += [f"  - topic: {_scalar(topic)}", f"    owner: {_scalar(owner)}", f"    duration: {minutes}"]
        if topic == UPGRADES and undecided:
            numbers = ", ".join(r.quote.number for r in undecided)
            lines += [f"    details: {_scalar(f'Decide on the open quotes: {numbers}.')}", "    quote: true"]
    lines += _open_quotes_comment(undecided)
    lines += ["---", *_open_items_section(account.tracker.open_items())]
    return "\n".join(lines) + "\n"


def agenda_skeleton(account: Account, last: Meeting, duration: int) -> list[tuple[str, str, int]]:
    """Return the standard agenda items (topic, owner, minutes), adding up to `duration`."""
    owners = {"lead": last.front.lead, "minutes_owner": last.front.minutes_owner,
              "account_manager": _account_manager(account, last)}
    fixed = [(topic, owners[who], minutes) for topic, who, minutes in FIXED_ITEMS]
    rest = max(duration - sum(m for _, _, m in fixed), 0)
    items = fixed[:2] + [("Service performance since the last review", last.front.lead, rest)] + fixed[2:]
    return [item for item in items if item[2] > 0]


def dry_run_date(date: dt.date, window: Sequence[int] = LATER_REVIEW_DAYS) -> dt.date:
    """Return the first weekday 2-3 days (the window) before `date`, else the earliest day of the window."""
    low, high = window
    for days in range(low, high + 1):
        candidate = date - dt.timedelta(days=days)
        if candidate.weekday() < 5:
            return candidate
    return date - dt.timedelta(days=low)


def _account_manager(account: Account, last: Meeting) -> str:
    """Return the provider participant whose role names an account manager, else the lead."""
    for name in last.front.participants.provider:
        person = account.people.get(name)
        if person is not None and "account manager" in person.role.lower():
            return name
    return last.front.lead


def _open_quotes_comment(undecided: Sequence[QuoteRecord]) -> list[str]:
    """Return comment lines naming the quotes still waiting for an outcome, and how the minutes record one."""
    if not undecided:
        return []
    lines = ["# Quotes without an outcome yet: when the meeting is held, record what became of each, e.g.",
             "# quote_outcomes:"]
    lines += [f"#   - {{quote: {r.quote.number}, outcome: accepted}}   # or declined, or revised (with revised_by)"
              for r in undecided]
    return lines + ["# A new quote for this meeting goes under 'quote:' (lines, valid_until); see the README."]


def _open_items_section(items: Sequence[ActionItem]) -> list[str]:
    """Return the notes lines restating the open action items as task-list lines."""
    if not items:
        return ["", "## Notes", ""]
    lines = ["", "## Review action items", ""]
    lines += [f"- [ ] {item.id} {item.owner}: {item.task}, due {item.due.isoformat()}" for item in items]
    return lines + ["", "## Notes", ""]


def _scalar(text: str) -> str:
    """Return `text` as a one-line YAML scalar, quoted only when it must be."""
    dumped = yaml.safe_dump([text], default_flow_style=True, width=10**6, allow_unicode=True).strip()
    return dumped[1:-1]


def _flow(names: Sequence[str]) -> str:
    """Return a YAML flow list of names."""
    return "[" + ", ".join(_scalar(n) for n in names) + "]"
