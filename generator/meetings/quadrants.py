"""The four quadrants of the relationship: who belongs to which, and which ones a review's people cover.

An account names its quadrants (`quadrants` in account.yaml, in the team's own words) and gives each
person a `quadrant`. A review should have someone from every quadrant on both sides: the provider's
and the customer's. `coverage` says who covers what; `coverage_warnings` warns where a side is missing
a quadrant: in the participants of a meeting still to come (its agenda), and in those who attended the
latest review while no later meeting is planned (its minutes; the next agenda is checked once it exists).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem
from generator.meetings.model import Account, Issue, Meeting
from generator.meetings.schema import AccountFile, Person
from generator.read.source import SourceDoc

SIDES = ("provider_team", "customer_contacts")


@dataclass(frozen=True)
class Side:
    """One side of the relationship at one review: each quadrant and the people covering it."""

    organisation: str
    is_provider: bool
    people: tuple[tuple[str, tuple[str, ...]], ...]
    """(quadrant, names of the people covering it), in the account's order of quadrants."""

    @property
    def missing(self) -> tuple[str, ...]:
        """Return the quadrants no one covers."""
        return tuple(quadrant for quadrant, names in self.people if not names)


@dataclass(frozen=True)
class Coverage:
    """Which quadrants the people of a review cover, on the provider's side and on the customer's."""

    provider: Side
    customer: Side

    @property
    def rows(self) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
        """Return (quadrant, provider names, customer names) for every quadrant."""
        return tuple((quadrant, names, dict(self.customer.people)[quadrant]) for quadrant, names in self.provider.people)

    @property
    def complete(self) -> bool:
        """Return True when both sides cover every quadrant."""
        return not self.provider.missing and not self.customer.missing


def check_people_quadrants(file: AccountFile, doc: SourceDoc) -> list[Issue]:
    """Return the problems of account.yaml's quadrants: an unknown quadrant, or a stakeholder listed twice."""
    issues: list[Issue] = []
    groups: list[tuple[str, list[Person]]] = [(key, getattr(file, key)) for key in SIDES]
    groups.append(("stakeholders", file.stakeholders))
    for key, people in groups:
        for i, person in enumerate(people):
            if person.quadrant is not None:
                issues += _check_quadrant(file, doc, (key, i, "quadrant"), person)
    attending = {p.name: key for key in SIDES for p in getattr(file, key)}
    for i, person in enumerate(file.stakeholders):
        if person.name in attending:
            issues.append((doc.path, doc.line_of(("stakeholders", i, "name")),
                           f"{person.name} is listed in {attending[person.name]} and in stakeholders",
                           "a stakeholder gets the minutes without attending: list the person once"))
        attending.setdefault(person.name, "stakeholders")
    return issues


def _check_quadrant(file: AccountFile, doc: SourceDoc, loc: tuple[str | int, ...], person: Person) -> list[Issue]:
    """Return a problem when `person`'s quadrant is not one of the account's."""
    line = doc.line_of(loc)
    if file.quadrants is None:
        return [(doc.path, line, f"{person.name} has a quadrant, but the account names no quadrants",
                 "add 'quadrants:' with the relationship's four quadrants, e.g. "
                 "[executive, financial, operational, technical]")]
    if person.quadrant in file.quadrants:
        return []
    close = difflib.get_close_matches(str(person.quadrant), file.quadrants, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(file.quadrants)}"
    return [(doc.path, line, f"quadrant {person.quadrant!r} of {person.name} is not one of the account's quadrants "
             f"({', '.join(file.quadrants)})", hint)]


def coverage(account: Account, names: tuple[str, ...] | list[str]) -> Coverage | None:
    """Return which quadrants `names` cover on each side, or None when the account names no quadrants."""
    file = account.file
    if file.quadrants is None:
        return None
    sides = []
    for key, organisation in (("provider_team", file.provider), ("customer_contacts", file.name)):
        people: list[Person] = [p for p in getattr(file, key) if p.name in names]
        rows = tuple((q, tuple(p.name for p in people if p.quadrant == q)) for q in file.quadrants)
        sides.append(Side(organisation, key == "provider_team", rows))
    return Coverage(sides[0], sides[1])


def agenda_coverage(account: Account, meeting: Meeting) -> Coverage | None:
    """Return the quadrants the meeting's invited participants cover."""
    return coverage(account, meeting.invited)


def minutes_coverage(account: Account, meeting: Meeting) -> Coverage | None:
    """Return the quadrants the people who attended cover (None before the meeting is held)."""
    return coverage(account, meeting.front.attended) if meeting.front.attended is not None else None


def coverage_warnings(account: Account, as_of: dt.date, root: Path | None = None) -> list[Problem]:
    """Return a warning per side whose quadrants a review leaves uncovered (see the module's docstring)."""
    found: list[Problem] = []
    for meeting in account.meetings:
        if meeting.date >= as_of:
            found += agenda_gaps(account, meeting, root)
    held = [m for m in account.meetings if m.held]
    if held and held[-1] is account.meetings[-1]:
        found += minutes_gaps(account, held[-1], root)
    return found


def agenda_gaps(account: Account, meeting: Meeting, root: Path | None = None) -> list[Problem]:
    """Return the warnings of the quadrants the meeting's participants leave uncovered."""
    cover = agenda_coverage(account, meeting)
    if cover is None:
        return []
    return [_gap(account, meeting, side, ("participants", "provider" if side.is_provider else "customer"),
                 "is invited", root)
            for side in (cover.provider, cover.customer) if side.missing]


def minutes_gaps(account: Account, meeting: Meeting, root: Path | None = None) -> list[Problem]:
    """Return the warnings of the quadrants no one who attended the meeting covers."""
    cover = minutes_coverage(account, meeting)
    if cover is None:
        return []
    return [_gap(account, meeting, side, ("attended",), "attended", root)
            for side in (cover.provider, cover.customer) if side.missing]


def _gap(account: Account, meeting: Meeting, side: Side, loc: tuple[str, ...], verb: str,
         root: Path | None) -> Problem:
    """Return the warning that no one from `side`'s missing quadrants {verb}."""
    missing = side.missing
    which = f"the {_and(missing)} quadrant{'s' if len(missing) > 1 else ''}"
    people = [p for p in getattr(account.file, "provider_team" if side.is_provider else "customer_contacts")
              if p.quadrant in missing]
    if verb == "is invited":
        hint = (f"invite {_or([f'{p.name} ({p.quadrant})' for p in people])}" if people else
                f"add someone from {which} to {'provider_team' if side.is_provider else 'customer_contacts'} "
                "in account.yaml and invite them")
    else:
        hint = f"invite {_or([p.name for p in people]) if people else f'someone from {which}'} to the next review"
    return meeting.doc.problem(meeting.doc.line_of(loc), f"no one from {which} of {side.organisation} {verb}",
                               hint, root=root)


def _and(words: tuple[str, ...] | list[str]) -> str:
    """Return 'a', 'a and b' or 'a, b and c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _or(words: list[str]) -> str:
    """Return 'a', 'a or b' or 'a, b or c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
