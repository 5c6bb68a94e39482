"""The action-item tracker: folds an account's meetings in date order into the state of every item."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from generator.meetings.model import (
    ActionItem,
    ActionUpdate,
    Issue,
    Meeting,
    MeetingActions,
    Tracker,
)


def track(meetings: Sequence[Meeting]) -> Tracker:
    """Return the tracker of an account's `meetings` (earliest first): each meeting's statements applied in order."""
    state: dict[str, ActionItem] = {}
    by_meeting: dict[str, MeetingActions] = {}
    issues: list[Issue] = []
    for meeting in meetings:
        carried = _by_due(item for item in state.values() if not item.done)
        for update in meeting.updates:
            item, problem = apply(state.get(update.id), update, meeting)
            if problem is not None:
                issues.append(problem)
            if item is not None:
                state[update.id] = item
        touched = frozenset(u.id for u in meeting.updates if u.id in state)
        after = _by_due(state[item_id] for item_id in touched | {item.id for item in carried})
        by_meeting[meeting.slug] = MeetingActions(carried, after, touched)
    return Tracker(by_meeting, _by_due(state.values()), tuple(issues))


def apply(current: ActionItem | None, update: ActionUpdate, meeting: Meeting) -> tuple[ActionItem | None, Issue | None]:
    """Return the item after `update` (None if it cannot be made) and the problem found, if any."""
    if update.owner is not None and update.owner not in meeting.present and (
            current is None or update.owner != current.owner):
        return current, _issue(update, f"owner {update.owner!r} of action item {update.id} is not a participant "
                               "of this meeting", f"give it to one of: {', '.join(meeting.present)}")
    if current is None:
        return _raise(update, meeting)
    closed_in = (current.closed_in or meeting.slug) if update.done else None
    return dataclasses.replace(current, owner=update.owner or current.owner, task=update.task or current.task,
                               due=update.due or current.due, done=update.done, closed_in=closed_in), None


def _raise(update: ActionUpdate, meeting: Meeting) -> tuple[ActionItem | None, Issue | None]:
    """Return a newly raised item, or the problem that it lacks an owner, a task or a due date."""
    notes = update.form == "notes"
    if update.owner is None and update.task is None and update.due is None:
        return None, _issue(update, f"no earlier meeting raises action item {update.id}",
                            "check the id, or give the item an owner, a task and a due date")
    if update.owner is None or update.task is None:
        missing = "an owner" if update.owner is None else "a task"
        return None, _issue(update, f"action item {update.id} has no {missing.split()[1]}",
                            "write 'Owner Name: what to do, due YYYY-MM-DD'" if notes
                            else f"add '{'owner' if update.owner is None else 'task'}:' with {missing}")
    if update.due is None:
        return None, _issue(update, f"action item {update.id} has no due date",
                            "end the line with ', due YYYY-MM-DD'" if notes else "add 'due: YYYY-MM-DD'")
    return ActionItem(update.id, meeting.account, update.task, update.owner, update.due, update.done,
                      meeting.slug, meeting.slug if update.done else None), None


def _by_due(items: Iterable[ActionItem]) -> tuple[ActionItem, ...]:
    """Return `items` sorted by due date, then id."""
    return tuple(sorted(items, key=lambda item: (item.due, item.id)))


def _issue(update: ActionUpdate, message: str, hint: str) -> Issue:
    return (update.file, update.line, message, hint)
