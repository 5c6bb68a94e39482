"""What `tickets:` may hold: the export files, the preset, and a mapping of columns and rules.

A `preset` names a ticket system's default export layout (`presets.py`); a `mapping` overrides any
of its columns or rules, or, without a preset, describes an export completely. Also here: the age
buckets and SLA targets a summary is computed with, and how they are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, Strict, field_validator, model_validator

from generator.read.fields import Model, Text, check_time_zone

PresetName = Literal["servicenow", "servicenow-event-log", "jira-service-management", "zendesk", "freshdesk"]
PRESET_NAMES: tuple[str, ...] = get_args(PresetName)
Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEKDAYS: tuple[str, ...] = get_args(Weekday)
CLOCK = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")
FIELDS = ("id", "created", "first_response", "resolved", "closed", "updated", "priority", "channel", "group",
          "customer", "reopen_count", "rating", "escalated", "response_sla", "resolution_sla")
"""The columns storypack reads from an export, by the name a mapping gives them."""


class Columns(Model):
    """The export's column for each thing storypack reads (matched ignoring case and surrounding spaces)."""

    id: Text | None = None
    """The ticket number; unique per ticket (an event log has one row per update of it)."""
    created: Text | None = None
    """When the ticket was opened."""
    first_response: Text | None = None
    """The first agent response: a time, or minutes/hours after creation (`first_response_unit`)."""
    resolved: Text | None = None
    """When it was resolved (solved); when empty, `closed` counts as resolved."""
    closed: Text | None = None
    """When it was closed."""
    updated: Text | None = None
    """When the row was written (event logs: the latest row of each ticket is kept)."""
    priority: Text | None = None
    channel: Text | None = None
    """How the ticket came in (phone, e-mail, portal, chat ...)."""
    group: Text | None = None
    """The assignment group or tier at export time (for the Level-1 rule)."""
    customer: Text | None = None
    """The customer organisation or company (for per-account figures)."""
    reopen_count: Text | None = None
    """How often the ticket was reopened (a count, or yes/no)."""
    rating: Text | None = None
    """The satisfaction rating, where a survey was answered."""
    escalated: Text | None = None
    """The escalation mark: a count (`escalated_above`) or a yes/no flag."""
    response_sla: Text | None = None
    """The export's own first-response SLA result, where it has one (`sla_words`, or remaining time)."""
    resolution_sla: Text | None = None
    """The export's own resolution SLA result, where it has one."""


class Satisfied(Model):
    """A numeric rating is satisfied at `at_least` on a scale up to `of` (e.g. 4 of 5)."""

    at_least: Annotated[float, Strict(), Field(gt=0, le=1000, allow_inf_nan=False)]
    of: Annotated[float, Strict(), Field(gt=0, le=1000, allow_inf_nan=False)]

    @model_validator(mode="after")
    def _within_scale(self) -> Satisfied:
        if self.at_least > self.of:
            raise ValueError(f"at_least ({self.at_least:g}) is above the top of the scale ({self.of:g})")
        return self


class BusinessHours(Model):
    """The working week SLA targets written in business hours are counted in."""

    days: list[Weekday] = Field(default=["Mon", "Tue", "Wed", "Thu", "Fri"], min_length=1)
    start: str = "09:00"
    """Start of the working day, "HH:MM" in quotes, in the report's time zone."""
    end: str = "17:00"
    """End of the working day, "HH:MM" in quotes (after `start`)."""
    holidays: Annotated[str, Strict(), Field(pattern=r"^[A-Z]{2}$")] | None = None
    """Country (ISO 3166 code, e.g. NL) whose public holidays are not working days (the `holidays` package)."""
    subdivision: Text | None = None
    """State or province of `holidays`, e.g. BY for Bavaria, where holidays differ within the country."""

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> str:
        if not isinstance(value, str) or not CLOCK.match(value):
            raise ValueError(f'{value!r} is not a time of day; write it as "HH:MM" in quotes, e.g. "09:00"')
        return value

    @model_validator(mode="after")
    def _ordered(self) -> BusinessHours:
        if self.end <= self.start:
            raise ValueError(f"the working day ends ({self.end}) before it starts ({self.start})")
        return self


class Mapping(Model):
    """How to read an export: its columns and its rules; every key overrides the preset's."""

    columns: Columns = Columns()
    level1_groups: list[Text] | None = None
    """Assignment groups that are Level-1: a ticket resolved there and never escalated is resolved at Level-1."""
    escalated_above: Annotated[int, Strict(), Field(ge=0)] | None = None
    """The escalation column is a count (e.g. reassignments): escalated when above this. Unset: a yes/no flag."""
    satisfied_at: Satisfied | None = None
    """Numeric ratings: satisfied at or above `at_least` of `of`."""
    rating_words: dict[str, bool | None] = {}
    """Ratings written as words: word -> satisfied (true), not satisfied (false) or no rating (null)."""
    channels: dict[str, Text] = {}
    """Export value -> the channel name storypack shows (e.g. 'Web form': Portal)."""
    priorities: dict[str, Text] = {}
    """Export value -> the priority name storypack shows and SLA targets use (e.g. '1 - Critical': P1)."""
    first_response_unit: Literal["time", "minutes", "hours"] | None = None
    """What the first-response column holds: a time, or the minutes or hours after creation."""
    sla_words: dict[str, bool] = {}
    """The export's SLA columns: value -> met (true) or missed (false); without it a remaining time
    (negative: missed) or yes/no."""
    date_format: Text | None = None
    """How dates are written, e.g. '%d/%m/%Y %H:%M' (strftime codes); unset: recognised, never guessed."""
    time_zone: str | None = None
    """The time zone the export's times are written in (times with an offset keep theirs); default: the report's."""
    max_bad_rows: Annotated[int, Strict(), Field(ge=0)] | None = None
    """Rows that cannot be read (bad dates, unknown priorities ...) allowed before the export is refused."""
    business_hours: BusinessHours | None = None
    """The working week, for SLA targets written in business hours."""

    @field_validator("time_zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> str | None:
        return None if value is None else check_time_zone(value)


class TicketsConfig(Model):
    """`tickets:`: the export files and how to read them."""

    files: list[Text] = Field(min_length=1)
    """Globs of export files, relative to content/, e.g. exports/incidents-*.csv."""
    preset: PresetName | None = None
    """The ticket system's default export layout; without it `mapping.columns` must name id and created."""
    mapping: Mapping = Mapping()
    customer: Text | None = None
    """Only this organisation's tickets (the customer column), e.g. an account's."""
    time_zone: str | None = None
    """The report's time zone: months start at its midnight (default: UTC for a deck, the account's for an account)."""

    @field_validator("time_zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> str | None:
        return None if value is None else check_time_zone(value)

    @model_validator(mode="after")
    def _described(self) -> TicketsConfig:
        if self.preset is None and not (self.mapping.columns.id and self.mapping.columns.created):
            raise ValueError("without a preset, mapping.columns must name at least the id and created columns")
        return self


def day_length(mapping: Mapping) -> float:
    """Return the hours of a business day (`business_hours`), or 24 without a working week."""
    hours = mapping.business_hours
    if hours is None:
        return 24.0
    start, end = (int(t[:2]) + int(t[3:]) / 60 for t in (hours.start, hours.end))
    return end - start


@dataclass(frozen=True)
class AgeBucket:
    """Open tickets aged `up_to_days` or less (and older than the bucket before); None: no upper limit."""

    name: str
    up_to_days: int | None


DEFAULT_LIMITS = (7, 30, 90)


def buckets_from_limits(limits: tuple[int, ...] = DEFAULT_LIMITS, unit: str = "days") -> tuple[AgeBucket, ...]:
    """Return buckets '0-7 days', '8-30 days', '31-90 days', 'over 90 days' for limits 7, 30, 90."""
    if not limits or list(limits) != sorted(set(limits)) or limits[0] < 0:
        raise ValueError(f"age bucket limits must rise: {', '.join(map(str, limits))}")
    buckets, low = [], 0
    for limit in limits:
        buckets.append(AgeBucket(f"{low}-{limit} {unit}" if limit > low else f"{limit} {unit}", limit))
        low = limit + 1
    buckets.append(AgeBucket(f"over {limits[-1]} {unit}", None))
    return tuple(buckets)


_BUCKET = re.compile(r"^\s*(?:(\d+)\s*[-\u2013]\s*(\d+)|(?:<=?|up to|under|below)\s*(\d+)|(\d+)\s*\+|"
                     r"(?:over|more than|>)\s*(\d+))\s*(days?|d)?\s*$", re.IGNORECASE)


def buckets_from_names(names: list[str]) -> tuple[AgeBucket, ...]:
    """Return buckets read from names as metrics.yaml writes them ('0-7 days', '8-30 days', 'over 90 days').

    Understood: 'A-B days' (up to B), 'under N'/'up to N'/'<= N' (up to N, '< N' and 'under N' up to N-1),
    'N+' and 'over N' (no limit; 'over N' begins after N). Raise ValueError for a name it cannot read,
    or buckets that do not join up.
    """
    buckets: list[AgeBucket] = []
    expected = 0
    for index, name in enumerate(names):
        match = _BUCKET.match(name)
        if not match:
            raise ValueError(f"cannot read the age bucket {name!r}; write it like '0-7 days', '8-30 days', 'over 90 days'")
        low_high, under, plus, over = (match.group(1), match.group(2)), match.group(3), match.group(4), match.group(5)
        if low_high[0] is not None:
            low, high = int(low_high[0]), int(low_high[1])
        elif under is not None:
            strict = name.strip().lower().startswith(("<", "under", "below")) and not name.strip().startswith("<=")
            low, high = 0, int(under) - (1 if strict else 0)
        else:
            low, high = (int(plus) if plus is not None else int(over) + 1), None
        if low != expected or (high is not None and high < low) or (high is None and index != len(names) - 1):
            raise ValueError(f"the age bucket {name!r} does not follow on from the one before it "
                             f"(it should start at {expected} days; only the last bucket may be open-ended)")
        buckets.append(AgeBucket(name, high))
        expected = (high or 0) + 1
    if not buckets or buckets[-1].up_to_days is not None:
        raise ValueError("the last age bucket must be open-ended, e.g. 'over 90 days'")
    return tuple(buckets)


@dataclass(frozen=True)
class SlaTarget:
    """The response and resolution targets of one priority, in hours (None: no target)."""

    priority: str
    response_hours: float | None
    resolution_hours: float | None
    business: bool = False
    """True: the hours are business hours (`Mapping.business_hours`); False: calendar hours."""


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(business\s+|working\s+)?(minutes?|mins?|hours?|hrs?|h|days?|d)\s*$",
                       re.IGNORECASE)


def parse_duration(text: str, hours_per_day: float = 24.0) -> tuple[float, bool]:
    """Return (hours, business) for an SLA target as written: '15 minutes', '4 hours', '2 business days'.

    A business day is `hours_per_day` long (the length of the working day); a calendar day 24 hours.
    """
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"cannot read the duration {text!r}; write e.g. '15 minutes', '4 hours' or '2 business days'")
    number, business, unit = float(match.group(1)), bool(match.group(2)), match.group(3).lower()
    if unit.startswith("m"):
        return number / 60, business
    if unit.startswith("d"):
        return number * (hours_per_day if business else 24.0), business
    return number, business


def sla_target(priority: str, response: str | None, resolution: str | None, hours_per_day: float = 24.0) -> SlaTarget:
    """Return the SlaTarget of targets written as text ('15 minutes', '8 business hours'); both on one clock."""
    parsed = [parse_duration(text, hours_per_day) if text else None for text in (response, resolution)]
    clocks = {p[1] for p in parsed if p}
    if len(clocks) > 1:
        raise ValueError(f"{priority}: the response and resolution targets must both be business or calendar time")
    return SlaTarget(priority, parsed[0][0] if parsed[0] else None, parsed[1][0] if parsed[1] else None,
                     business=clocks == {True})
