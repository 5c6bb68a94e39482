"""What account.yaml and a meeting file's front matter may hold, field by field.

Rules that need more than one field or file (agenda length, owners being participants,
action items) are checked in `reader.py` and `tracker.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, Strict, ValidationInfo, field_validator, model_validator

from generator.meetings.cadence import parse_cadence
from generator.meetings.money import Price
from generator.meetings.quoteform import QuoteEntry, QuoteOutcome, Tax
from generator.read.fields import Model, Number, Text, check_months, check_time_zone
from generator.tickets.mapping import TicketsConfig

Minutes = Annotated[int, Strict(), Field(gt=0, le=24 * 60)]
URL = re.compile(r"^https?://[^\s<>\"']+$")


def check_url(value: str) -> str:
    """Return `value` if it is an http(s) address without spaces or quotes, else raise ValueError."""
    if not URL.match(value):
        raise ValueError(f"{value!r} is not a web address; write an http(s) link, e.g. https://meet.example.com/abc")
    return value


Url = Annotated[str, Strict(), AfterValidator(check_url)]
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def check_email(value: str) -> str:
    """Return `value` if it is an e-mail address (name@domain), else raise ValueError."""
    if not EMAIL.match(value):
        raise ValueError(f"{value!r} is not an e-mail address; write it as name@domain, e.g. jo.park@example.com")
    return value


Email = Annotated[str, Strict(), AfterValidator(check_email)]


def check_quadrants(value: list[str]) -> list[str]:
    """Return the four quadrants if they differ, else raise ValueError naming the repeated one."""
    twice = sorted({name for name in value if value.count(name) > 1})
    if twice:
        raise ValueError(f"{', '.join(repr(name) for name in twice)} is listed twice; name four different quadrants")
    return value


def check_cadence(value: Any) -> str:
    """Return `value` if it names a cadence (monthly, quarterly, every N weeks or months), else raise ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a cadence; write monthly, quarterly, every N weeks or every N months")
    parse_cadence(value)
    return value
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
    email: Email | None = None
    """E-mail address, needed to send the agenda or the minutes to this person."""
    quadrant: Text | None = None
    """Which of the account's `quadrants` of the relationship the person belongs to."""


TicketFigure = Literal["opened", "resolved", "open_at_month_end", "support_debt_days", "level1_pct", "escalated",
                       "csat_pct", "reopened_pct", "response_met_pct", "resolution_met_pct", "mean_resolution_hours",
                       "open_older_than"]
"""The monthly figures of a ticket export a KPI may show (`generator.tickets.summary` defines them)."""
NEEDS = {"response_met_pct": ("priority", "within"), "resolution_met_pct": ("priority", "within"),
         "mean_resolution_hours": ("priority",), "open_older_than": ("days",)}
"""What a figure needs besides its name: the priority and SLA target, or the age in days."""


class FromExport(Model):
    """Which monthly figure of the account's ticket export (`metrics.tickets`) a KPI shows."""

    figure: TicketFigure
    """The figure: e.g. level1_pct, csat_pct, resolution_met_pct, mean_resolution_hours, open_older_than."""
    priority: Text | None = None
    """For response_met_pct, resolution_met_pct and mean_resolution_hours: the priority, e.g. P1."""
    within: Text | None = None
    """For response_met_pct and resolution_met_pct: the target as the SLA writes it, e.g. '4 hours'."""
    days: Annotated[int, Strict(), Field(ge=0, le=3650)] | None = None
    """For open_older_than: open tickets older than this many whole days at the month end."""

    @model_validator(mode="after")
    def _complete(self) -> FromExport:
        needed = NEEDS.get(self.figure, ())
        missing = [name for name in needed if getattr(self, name) is None]
        extra = [name for name in ("priority", "within", "days") if name not in needed and getattr(self, name) is not None]
        if missing:
            raise ValueError(f"{self.figure} needs {' and '.join(missing)}")
        if extra:
            raise ValueError(f"{self.figure} takes no {' or '.join(extra)}")
        return self


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
    values: Annotated[list[Number], Field(min_length=1)] | None = None
    """One value per month of `metrics.months`, in the same order (or `from_export`)."""
    from_export: FromExport | None = None
    """Instead of `values`: the figure of the ticket export (`metrics.tickets`) it shows, month by month."""
    decimals: Annotated[int, Strict(), Field(ge=0, le=3)] = 1
    """Decimal places shown."""

    @field_validator("target", "values")
    @classmethod
    def _percent(cls, value: Any, info: ValidationInfo) -> Any:
        """A KPI in % has its target and values within 0-100."""
        if info.data.get("unit") == "%" and value is not None:
            numbers = value if isinstance(value, list) else [value]
            for i, number in enumerate(numbers):
                if not 0 <= number <= 100:
                    where = f"value {i + 1} ({number:g})" if isinstance(value, list) else f"{number:g}"
                    raise ValueError(f"{where} is not a percentage from 0 to 100")
        return value


class CompleteKpi(Kpi):
    """A KPI with its values (typed, or computed from the ticket export)."""

    values: list[Number] = Field(min_length=1)


class PartialAccountMetrics(Model):
    """`metrics` as account.yaml writes it: with `tickets`, months and KPI values may come from the export."""

    months: Annotated[list[Text], Field(min_length=2)] | None = None
    """The reporting months, YYYY-MM, consecutive and in order (with `tickets`: by default the export's)."""
    tickets: TicketsConfig | None = None
    """The ticket export KPIs with `from_export` are computed from (files, preset, customer, mapping ...)."""
    kpis: Annotated[Sequence[Kpi], Field(min_length=1)]
    """The KPIs reported at every review."""

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str] | None) -> list[str] | None:
        return check_months(value)


class AccountMetrics(PartialAccountMetrics):
    """The account's KPIs for the operations-review report, every value given."""

    months: list[Text] = Field(min_length=2)
    kpis: list[CompleteKpi] = Field(min_length=1)


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
    stakeholders: list[Person] = []
    """People with a vested interest who get the minutes but do not attend."""
    quadrants: Annotated[list[Text], Field(min_length=4, max_length=4), AfterValidator(check_quadrants)] | None = None
    """The relationship's four quadrants in the team's words, e.g. executive, financial, operational, technical."""
    cadence: Annotated[str, BeforeValidator(check_cadence)] | None = None
    """The agreed frequency of the reviews: monthly, quarterly, every N weeks or every N months."""
    agenda_notice_days: Annotated[int, Strict(), Field(ge=0, le=60)] = 5
    """The agenda goes out at least this many days before the meeting."""
    metrics: PartialAccountMetrics | None = None
    """Optional KPIs: when given, every agenda carries the operations-review report."""
    prices: dict[str, Price] = {}
    """Prices agreed with this customer, by service id of catalogue.yaml; they replace the list prices."""
    tax: Tax | None = None
    """The tax added to the account's quotes (name and rate); none when not given."""

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
    quote: Annotated[bool, Strict()] = False
    """True for the item that discusses the quotes: this meeting's and those still open; the agenda links them."""


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
    quote: QuoteEntry | None = None
    """The quote for recommended service upgrades presented at this meeting."""
    quote_outcomes: list[QuoteOutcome] = []
    """Minutes: what became of quotes made at this or earlier meetings (accepted, declined, revised)."""

    @field_validator("start", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> str:
        return check_clock(value)

    @field_validator("time_zone", mode="before")
    @classmethod
    def _zone(cls, value: Any) -> str | None:
        return None if value is None else check_time_zone(value)
