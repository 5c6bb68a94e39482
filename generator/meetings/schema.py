"""What account.yaml and a meeting file's front matter may hold, field by field.

Rules that need more than one field or file (agenda length, owners being participants,
action items) are checked in `reader.py` and `tracker.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, Strict, ValidationInfo, field_validator

from generator.read.fields import Model, Number, Text, check_month, check_time_zone

Minutes = Annotated[int, Strict(), Field(gt=0, le=24 * 60)]
URL = re.compile(r"^https?://[^\s<>\"']+$")


def check_url(value: str) -> str:
    """Return `value` if it is an http(s) address without spaces or quotes, else raise ValueError."""
    if not URL.match(value):
        raise ValueError(f"{value!r} is not a web address; write an http(s) link, e.g. https://meet.example.com/abc")
    return value


Url = Annotated[str, Strict(), AfterValidator(check_url)]
ActionId = Annotated[str, Strict(), Field(pattern=r"^[A-Z][A-Z0-9]*-[0-9][0-9-]*$")]
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_clock(value: Any) -> str:
    """Return `value` if it is a time of day HH:MM, else raise ValueError saying how to write it."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f'write the time in quotes, e.g. "{value // 60:02d}:{value % 60:02d}" '
                         f"(unquoted, YAML reads it as the number {value})")
    if not isinstance(value, str) or not CLOCK.match(value):
        raise ValueError(f'{value!r} is not a time of day; write it as "HH:MM" in quotes, e.g. "14:00"')
    return value


class Person(Model):
    """Someone on the account: a member of the provider's team or a customer contact."""

    name: Text
    """Full name, as used everywhere else (participants, owners, lead)."""
    role: Text
    """Job title or role in the relationship, e.g. 'Account manager' or 'CIO'."""


class Kpi(Model):
    """One key performance indicator of the account, month by month, with its target."""

    name: Text
    """What is measured, e.g. 'P1 incidents resolved within 4 hours'."""
    unit: Text
    """Unit shown after values: '%' or a word such as 'hours' or 'tickets'."""
    target: Number
    """The agreed expectation."""
    better: Literal["higher", "lower"]
    """'higher' when values at or above the target meet it, 'lower' when values at or below do."""
    values: list[Number] = Field(min_length=1)
    """One value per month of `metrics.months`, in the same order."""
    decimals: Annotated[int, Strict(), Field(ge=0, le=3)] = 1
    """Decimal places shown."""

    @field_validator("target", "values")
    @classmethod
    def _percent(cls, value: Any, info: ValidationInfo) -> Any:
        """A KPI in % has its target and values within 0-100."""
        if info.data.get("unit") == "%":
            numbers = value if isinstance(value, list) else [value]
            for i, number in enumerate(numbers):
                if not 0 <= number <= 100:
                    where = f"value {i + 1} ({number:g})" if isinstance(value, list) else f"{number:g}"
                    raise ValueError(f"{where} is not a percentage from 0 to 100")
        return value


class AccountMetrics(Model):
    """The account's KPIs for the operations-review report."""

    months: list[Text] = Field(min_length=2)
    """The reporting months, YYYY-MM, consecutive and in order."""
    kpis: list[Kpi] = Field(min_length=1)
    """The KPIs reported at every review."""

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str]) -> list[str]:
        for month in value:
            check_month(month)
        return value


class AccountFile(Model):
    """accounts/<account>/account.yaml: one customer account of the provider."""

    name: Text
    """The customer's name."""
    provider: Text
    """The managed service provider's name."""
    id_prefix: Annotated[str, Strict(), Field(pattern=r"^[A-Z][A-Z0-9]{0,7}$")]
    """Capital letters starting every action-item id of the account, e.g. KF for KF-7."""
    time_zone: str
    """IANA time zone of the meetings unless a meeting gives its own, e.g. Europe/Amsterdam."""
    provider_team: list[Person] = Field(min_length=1)
    """The provider's people on the account."""
    customer_contacts: list[Person] = Field(min_length=1)
    """The customer's people in the relationship."""
    metrics: AccountMetrics | None = None
    """Optional KPIs: when given, every agenda carries the operations-review report."""

    @field_validator("time_zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> str:
        return check_time_zone(value)


class AgendaItem(Model):
    """One item of the agenda."""

    topic: Text
    """What is discussed."""
    owner: Text
    """Who researches, prepares and presents it: a participant."""
    duration: Minutes
    """Minutes given to it; the items add up to the meeting's duration."""
    details: Text | None = None
    """Optional one-line description."""


class Participants(Model):
    """Who is invited."""

    provider: list[Text] = Field(min_length=1)
    """The provider's participants: names from provider_team."""
    customer: list[Text] = Field(min_length=1)
    """The participants requested from the customer: names from customer_contacts."""


class ActionEntry(Model):
    """An action item raised in this meeting, or a change to one raised earlier (same id)."""

    id: ActionId | None = None
    """Stable id, e.g. KF-7; without it one is derived: <prefix>-<YYYYMMDD of the meeting>-<n>."""
    owner: Text | None = None
    """Who does it: a participant. Required for a new item."""
    task: Text | None = None
    """What is to be done. Required for a new item."""
    due: dt.date | None = None
    """Commitment date, YYYY-MM-DD. Required for a new item; a later meeting may set a new one."""
    status: Literal["open", "done"] = "open"
    """'done' closes the item."""


class NextMeeting(Model):
    """The next meeting as agreed in the minutes."""

    date: dt.date
    """YYYY-MM-DD."""
    start: str
    """Start time, "HH:MM" in quotes, in the meeting's time zone."""
    duration: Minutes | None = None
    """Minutes; default: this meeting's duration."""
    location: Text | None = None
    """Room or address; default: this meeting's."""
    call_link: Url | None = None
    """Video-call link; default: this meeting's."""

    @field_validator("start", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> str:
        return check_clock(value)


class MeetingFront(Model):
    """The front matter of accounts/<account>/meetings/<YYYY-MM-DD>-<name>.md."""

    title: Text
    """The meeting's name, e.g. 'Quarterly operations review'."""
    purpose: Text
    """Why the meeting is held, in a sentence or two."""
    date: dt.date
    """YYYY-MM-DD; must match the date the file name starts with."""
    start: str
    """Start time, "HH:MM" in quotes."""
    duration: Minutes
    """Length in minutes."""
    time_zone: str | None = None
    """IANA time zone; default: the account's."""
    location: Text | None = None
    """Room or address (give it, a call link, or both)."""
    call_link: Url | None = None
    """Video-call link, http(s)."""
    first_review: Annotated[bool, Strict()] | None = None
    """Whether this is the first review with the client; default: true for the account's earliest meeting."""
    lead: Text
    """Who leads the meeting (operations supervisor or account manager): a provider participant."""
    minutes_owner: Text
    """Who takes the minutes: a provider participant."""
    dry_run: dt.date
    """Date of the internal dry run: 5-7 days before a first review, 2-3 days before later ones."""
    participants: Participants
    agenda: list[AgendaItem] = Field(min_length=1)
    attended: list[Text] | None = None
    """Who attended; giving it marks the meeting as held, and the file then holds its minutes."""
    agreements: list[Text] = []
    """Minutes: agreements reached."""
    issues: list[Text] = []
    """Minutes: new issues identified."""
    actions: list[ActionEntry] = []
    """Action items raised, changed or closed (task-list lines in the notes count too)."""
    next_meeting: NextMeeting | None = None
    """Minutes: date, time and place of the next meeting (required once the meeting is held)."""

    @field_validator("start", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> str:
        return check_clock(value)

    @field_validator("time_zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> str | None:
        return None if value is None else check_time_zone(value)
