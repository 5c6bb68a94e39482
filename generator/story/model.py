"""The content model of the success story: what story.yaml and metrics.yaml may hold, field by field.

Every model is frozen and forbids unknown keys; numbers must be numbers (not text), finite,
and within range. The field types shared with the meeting pack (`Model`, `Number`, `Text` ...) live in
`generator.read.fields`; cross-field rules (series lengths, references) are checked in `load.py`.

metrics.yaml may name a ticket export (`tickets:`) that computes some series: it is then read as a
`PartialMetrics`, where those series may be left out, and `story.exports` fills them in to give the
same complete `Metrics` every other module uses. Each `PartialX` holds the fields; `X` narrows the
series that a complete `Metrics` must have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field, Strict, field_validator

from generator.read.fields import (
    MAX_COUNT,
    Count,
    Model,
    Number,
    Pct,
    Positive,
    Text,
    check_month,
    check_months,
)
from generator.tickets.mapping import TicketsConfig

Days = Annotated[float, Strict(), Field(ge=0, le=MAX_COUNT, allow_inf_nan=False)]

# --- metrics.yaml ---------------------------------------------------------------------------

class PartialVolume(Model):
    """Tickets opened per month, by channel (the channels computed from `tickets` when left out)."""

    channels: Annotated[dict[str, list[Count]], Field(min_length=1)] | None = None
    """Channel name -> tickets per month (one value per month)."""
    reduction_target_pct: Pct
    """Expected fall in contacts, last quarter against first quarter, in percent."""
    self_service_channels: list[Text] = ["Portal", "Chat"]
    """Channels counted as self-service or assisted self-service."""


class Volume(PartialVolume):
    """Tickets opened per month, by channel."""

    channels: dict[str, list[Count]] = Field(min_length=1)


class Change(Model):
    """A release, rollout or change that moved ticket volume (a spike to explain)."""

    month: Text
    """Month of the change, YYYY-MM; must be one of `months`."""
    name: Text
    """Name of the release or change."""
    what_changed: Text
    """What changed for users."""
    call_types: list[Text] = Field(min_length=1)
    """The kinds of calls it caused."""
    response: Text
    """What the desk did about it, reactively and proactively."""

    @field_validator("month")
    @classmethod
    def _is_month(cls, value: str) -> str:
        return check_month(value)


class PartialResolution(Model):
    """Shift-left: where tickets are resolved (the series computed from `tickets` when left out)."""

    level1_pct: list[Pct] | None = None
    """Share of tickets resolved at Level-1 / first contact, per month."""
    level1_target_pct: Pct
    """Expected Level-1 resolution share."""
    escalated_level2: list[Count] | None = None
    """Tickets escalated to Level-2, per month."""


class Resolution(PartialResolution):
    """Shift-left: where tickets are resolved."""

    level1_pct: list[Pct]
    escalated_level2: list[Count]


class PartialBacklog(Model):
    """Aging tickets and support debt (the open tickets and the debt computed from `tickets` when left out)."""

    age_buckets: list[Text] = Field(min_length=1)
    """Names of the age buckets, youngest first."""
    open_tickets: list[list[Count]] | None = None
    """Open tickets at month end: one row per month, one count per age bucket."""
    support_debt_days: list[Days] | None = None
    """Total age in days of all open tickets at month end."""
    revenue_millions: list[Positive]
    """Company revenue (run rate, millions) per month, to read support debt against."""
    debt_ratio_target: Number = 1.0
    """Change in support debt / change in revenue must stay below this (1: keeping up)."""


class Backlog(PartialBacklog):
    """Aging tickets and support debt."""

    open_tickets: list[list[Count]]
    support_debt_days: list[Days]


class PartialServiceLevel(Model):
    """Response and resolution within target for one priority (the shares computed from `tickets` when left out)."""

    priority: Text
    """Priority name, e.g. P1."""
    response_target: Text
    """The response-time commitment, as written in the SLA (e.g. '15 minutes')."""
    resolution_target: Text
    """The resolution-time commitment, as written in the SLA (e.g. '4 hours')."""
    target_pct: Pct
    """Share of tickets that must meet the commitment."""
    response_met_pct: list[Pct] | None = None
    """Share responded to within target, per month."""
    resolution_met_pct: list[Pct] | None = None
    """Share resolved within target, per month."""


class ServiceLevel(PartialServiceLevel):
    """Response and resolution within target for one priority."""

    response_met_pct: list[Pct]
    resolution_met_pct: list[Pct]


class PartialSatisfaction(Model):
    """Customer satisfaction and customer effort (CSAT computed from `tickets` when left out)."""

    csat_pct: list[Pct] | None = None
    """Share of surveyed customers satisfied, per month."""
    csat_target_pct: Pct
    """Expected CSAT."""
    effort_score: list[Annotated[float, Strict(), Field(ge=1, le=5, allow_inf_nan=False)]]
    """Customer effort score, 1 (effortless) to 5, per month; lower is better."""
    effort_target: Annotated[float, Strict(), Field(ge=1, le=5, allow_inf_nan=False)]
    """Expected effort score (at most)."""
    effort_drivers: dict[str, list[Pct]] = {}
    """Effort driver -> share of resolved tickets affected, per month."""


class Satisfaction(PartialSatisfaction):
    """Customer satisfaction and customer effort."""

    csat_pct: list[Pct]


class Cost(Model):
    """Cost of support."""

    total: list[Annotated[float, Strict(), Field(ge=0, le=MAX_COUNT, allow_inf_nan=False)]]
    """Total cost of support per month, in `currency`."""
    per_ticket_target: Positive
    """Expected cost per ticket (at most)."""


class PartialMetrics(Model):
    """metrics.yaml naming a ticket export (`tickets`): the series the export computes may be left out."""

    currency: Annotated[str, Strict(), Field(pattern=r"^[A-Z]{3}$")]
    """ISO 4217 currency code, e.g. EUR."""
    months: Annotated[list[Text], Field(min_length=2)] | None = None
    """The reporting months, YYYY-MM, consecutive and in order (with `tickets`: by default the export's)."""
    tickets: TicketsConfig | None = None
    """The ticket export the series of the ticket system are computed from (files, preset, mapping ...)."""
    volume: PartialVolume
    changes: list[Change] = []
    resolution: PartialResolution
    backlog: PartialBacklog
    service_levels: Annotated[Sequence[PartialServiceLevel], Field(min_length=1)]
    satisfaction: PartialSatisfaction
    cost: Cost

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str] | None) -> list[str] | None:
        return check_months(value)


class Metrics(PartialMetrics):
    """metrics.yaml: twelve (or more) months of support metrics with their targets, every series given."""

    months: list[Text] = Field(min_length=2)
    volume: Volume
    resolution: Resolution
    backlog: Backlog
    service_levels: list[ServiceLevel] = Field(min_length=1)
    satisfaction: Satisfaction


# --- story.yaml -----------------------------------------------------------------------------

SlideKind = Literal[
    "title", "summary", "services", "value", "projects", "impact", "practices",
    "testimonials", "org_chart", "plan",
]
ChartName = Literal["volume", "level1", "satisfaction", "backlog", "sla", "cost"]
Headline = Literal[
    "calls", "level1", "escalations", "cost_per_ticket", "total_cost", "debt_ratio", "csat", "effort", "sla",
]


class Person(Model):
    """Someone named in the deck."""

    name: Text
    role: Text


class Slide(Model):
    """One slide of the deck."""

    kind: SlideKind
    """What the slide shows; its wording comes from templates/deck/<kind>.md.j2."""
    notes: Text
    """Markdown file (relative to content/): list items become the slide's points, paragraphs its speaker notes."""
    charts: list[ChartName] = Field(default=[], max_length=4)
    """Charts drawn on the slide (impact and practices slides), at most four."""
    headlines: list[Headline] = Field(default=[], max_length=6)
    """Headline figures shown on the summary slide, at most six."""


class Services(Model):
    """Breadth and depth of the services."""

    supported: list[Text] = Field(min_length=1)
    """What is supported."""
    hours: Text
    """Hours of service."""
    regions: list[Text] = Field(min_length=1)
    """Regions served."""
    levels: list[Text] = Field(min_length=1)
    """Support levels and who staffs them."""
    languages: list[Text] = []
    """Languages supported."""


class Project(Model):
    """A current IT or business project the desk is involved in."""

    name: Text
    sponsor: Text
    role: Text
    """What the desk does in the project."""
    status: Literal["On track", "At risk", "Late", "Done"]


class Testimonial(Model):
    """A customer's words, with attribution."""

    quote: Text
    name: Text
    role: Text
    company: Text


class Role(Model):
    """One box of the org chart."""

    id: Annotated[str, Strict(), Field(pattern=r"^[A-Za-z0-9_-]+$")]
    """Short name other roles use in `reports_to`."""
    name: Text
    role: Text
    reports_to: str | None = None
    """The `id` of this role's manager; the one role without it heads the chart."""
    proactive: Annotated[bool, Strict()] = False
    """True for proactive roles (problem, knowledge, release readiness, trend analysis ...)."""


class Plan(Model):
    """The 30-60-90-day continuous-improvement plan."""

    days_30: list[Text] = Field(min_length=1)
    days_60: list[Text] = Field(min_length=1)
    days_90: list[Text] = Field(min_length=1)


class Design(Model):
    """How the deck looks: the built-in look, or a PowerPoint template's."""

    template: Text | None = None
    """A .pptx or .potx file (relative to content/) whose masters, layouts, colours and fonts the deck uses."""
    layouts: dict[SlideKind, Text] = {}
    """Slide kind -> layout name in the template, where the automatic choice is wrong."""
    charts: Literal["picture", "native"] = "picture"
    """'picture': charts drawn as images (the default: they look the same in every program);
    'native': editable PowerPoint charts whose data opens in Edit Data."""
    fonts: list[Text] = []
    """Font files (.ttf or .otf, relative to content/) of the template's own fonts, e.g. a corporate face:
    text is measured and charts are drawn with them instead of the fonts storypack brings."""


class Story(Model):
    """story.yaml: the deck's frame, its slides and the facts that are not metrics."""

    organisation: Text
    team: Text
    title: Text
    audience: Text
    presenter: Person
    date: dt.date
    """Date of the meeting the deck is for (YYYY-MM-DD)."""
    metrics: Text = "metrics.yaml"
    """The metrics file, relative to content/."""
    slides: list[Slide]
    services: Services
    projects: list[Project] = Field(min_length=1)
    testimonials: list[Testimonial] = Field(min_length=1)
    org_chart: list[Role] = Field(min_length=1)
    plan: Plan
    asks: list[Text] = Field(min_length=1)
    """What the team asks of the audience."""
    design: Design = Design()
    """The deck's look (optional)."""
    language: Annotated[str, Strict(), Field(pattern=r"^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3}|-[0-9]{3})?$")] = "en-US"
    """The language of the deck's text (a BCP 47 tag such as en-GB or de-DE), for spelling check and screen readers."""
