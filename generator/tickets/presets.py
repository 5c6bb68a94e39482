"""The default export layouts of ServiceNow, Jira Service Management, Zendesk and Freshdesk.

Each preset names the columns of the vendor's default export (several spellings where the CSV and
the spreadsheet export differ), its priority and channel vocabularies, and how it marks escalation,
first response, resolution, reopening and satisfaction. Where it came from, and what the vendors'
documentation leaves open, is written down in PRESETS.md beside this file. `layout` merges a preset
with a mapping into the `Layout` the reader uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.tickets.mapping import FIELDS, BusinessHours, Mapping

REQUIRED = ("id", "created", "priority")
"""Columns every export must have; `resolved` or `closed` too. Other columns may be missing: their figures are None."""


@dataclass(frozen=True)
class Layout:
    """How to read one export: the columns (field -> accepted headers) and the rules, preset and mapping merged."""

    name: str
    """The preset's name, or 'mapping' when the mapping describes the export alone."""
    columns: dict[str, tuple[str, ...]]
    required: frozenset[str]
    """Fields whose column must be present (the mapping's own columns are always required)."""
    level1_groups: tuple[str, ...] | None = None
    escalated_above: int | None = None
    satisfied_at: tuple[float, float] | None = None
    rating_words: dict[str, bool | None] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    priorities: dict[str, str] = field(default_factory=dict)
    first_response_unit: str = "time"
    sla_words: dict[str, bool] = field(default_factory=dict)
    date_format: str | None = None
    time_zone: str | None = None
    max_bad_rows: int = 0
    business_hours: BusinessHours | None = None
    event_log: bool = False
    """True: one row per update of a ticket; each ticket's latest row (by `updated`) is kept."""

    def key(self) -> dict[str, Any]:
        """Return everything that decides the figures, as plain data (for the cache key)."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "business_hours"}
        data["business_hours"] = self.business_hours.model_dump() if self.business_hours else None
        data["required"] = sorted(self.required)  # a set's order changes from run to run
        return data


YES = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}

_SERVICENOW_COLUMNS = {
    # CSV exports use field names, XLSX exports field labels (both accepted).
    "id": ("number", "Number"), "created": ("opened_at", "Opened"), "resolved": ("resolved_at", "Resolved"),
    "closed": ("closed_at", "Closed"), "priority": ("priority", "Priority"),
    "channel": ("contact_type", "Channel", "Contact type"), "group": ("assignment_group", "Assignment group"),
    "customer": ("company", "Company"), "reopen_count": ("reopen_count", "Reopen count"),
    "escalated": ("reassignment_count", "Reassignment count"), "resolution_sla": ("made_sla", "Made SLA"),
}
_SERVICENOW = dict(
    columns=_SERVICENOW_COLUMNS, escalated_above=0, sla_words=dict(YES), time_zone="UTC",
    priorities={"1 - Critical": "P1", "2 - High": "P2", "3 - Moderate": "P3", "4 - Low": "P4", "5 - Planning": "P5",
                "1": "P1", "2": "P2", "3": "P3", "4": "P4", "5": "P5"},
    channels={"Phone": "Phone", "Email": "E-mail", "Self-service": "Portal", "Chat": "Chat", "Virtual agent": "Chat",
              "virtual_agent": "Chat", "Walk-in": "Walk-in", "Monitoring": "Monitoring"},
)

PRESETS: dict[str, dict[str, Any]] = {
    "servicenow": _SERVICENOW,
    "servicenow-event-log": {
        **_SERVICENOW, "event_log": True,
        "columns": {**_SERVICENOW_COLUMNS, "updated": ("sys_updated_on", "sys_updated_at", "Updated")},
    },
    "jira-service-management": dict(
        columns={"id": ("Issue key", "Key"), "created": ("Created",), "resolved": ("Resolved",),
                 "priority": ("Priority",), "channel": ("Custom field (Source)", "Request channel", "Source"),
                 "customer": ("Custom field (Organizations)", "Organizations"),
                 "rating": ("Satisfaction rating", "Custom field (Satisfaction)", "Satisfaction"),
                 "response_sla": ("Custom field (Time to first response)", "Time to first response"),
                 "resolution_sla": ("Custom field (Time to resolution)", "Time to resolution")},
        priorities={"Highest": "P1", "High": "P2", "Medium": "P3", "Low": "P4", "Lowest": "P5"},
        channels={"Portal": "Portal", "Anonymous portal": "Portal", "anonymousportal": "Portal", "Email": "E-mail",
                  "Phone": "Phone", "Chat": "Chat", "Jira": "Agent", "API": "API"},
        satisfied_at=(4.0, 5.0),
    ),
    "zendesk": dict(
        columns={"id": ("Id", "ID"), "created": ("Created at",), "resolved": ("Solved at",), "priority": ("Priority",),
                 "channel": ("Via",), "group": ("Group",), "customer": ("Organization",),
                 "reopen_count": ("Reopens",), "rating": ("Satisfaction Score",), "escalated": ("Group stations",),
                 "first_response": ("First reply time in minutes",)},
        priorities={"Urgent": "P1", "High": "P2", "Normal": "P3", "Low": "P4"},
        channels={"Web form": "Portal", "Web Widget": "Portal", "Help Center": "Portal", "Mail": "E-mail",
                  "Email": "E-mail", "Phone call (inbound)": "Phone", "Phone call (outbound)": "Phone",
                  "Voicemail": "Phone", "Chat": "Chat", "Messaging": "Chat", "Web messaging": "Chat",
                  "API": "API", "Web service": "API", "Closed ticket": "Follow-up"},
        rating_words={"Good": True, "Bad": False, "Offered": None, "Not Offered": None, "Unoffered": None},
        escalated_above=1, first_response_unit="minutes",
    ),
    "freshdesk": dict(
        columns={"id": ("Ticket ID",), "created": ("Created time",), "resolved": ("Resolved time",),
                 "closed": ("Closed time",), "priority": ("Priority",), "channel": ("Source",), "group": ("Group",),
                 "customer": ("Company Name", "Company"), "first_response": ("Initial response time",),
                 "rating": ("Survey results", "Survey result"), "response_sla": ("First response status",),
                 "resolution_sla": ("Resolution status",)},
        priorities={"Urgent": "P1", "High": "P2", "Medium": "P3", "Low": "P4"},
        channels={"Email": "E-mail", "Outbound Email": "E-mail", "Portal": "Portal", "Feedback Widget": "Portal",
                  "Phone": "Phone", "Chat": "Chat"},
        sla_words={"Within SLA": True, "SLA Violated": False},
        rating_words={"Awesome": True, "Neutral": False, "Not Good": False},
    ),
}


TITLES = {"servicenow": "ServiceNow", "servicenow-event-log": "ServiceNow event log",
          "jira-service-management": "Jira Service Management", "zendesk": "Zendesk", "freshdesk": "Freshdesk"}
"""Each preset's ticket system (and export), as people call it."""


def described(name: str) -> str:
    """Return a layout as a page names it: 'Zendesk preset', or 'own mapping' for a mapping without a preset."""
    return f"{TITLES[name]} preset" if name in TITLES else "own mapping"


def fold(text: str) -> str:
    """Return a header or value as compared: case and surrounding spaces ignored, inner spaces collapsed."""
    return " ".join(str(text).split()).casefold()


def fold_value(text: str) -> str:
    """Return a value as compared with a vocabulary or group list: surrounding spaces and case ignored."""
    return str(text).strip().lower()


def layout(preset: str | None, mapping: Mapping) -> Layout:
    """Return the layout of `preset` with `mapping`'s keys overriding it (or the mapping alone without a preset)."""
    base: dict[str, Any] = dict(PRESETS[preset]) if preset else {"columns": {}}
    columns: dict[str, tuple[str, ...]] = dict(base.pop("columns"))
    own = {name for name in FIELDS if getattr(mapping.columns, name)}
    for name in own:
        columns[name] = (str(getattr(mapping.columns, name)),)
    given = mapping.model_fields_set
    rules: dict[str, Any] = dict(base)
    for name in ("channels", "priorities", "rating_words", "sla_words"):
        rules[name] = {fold_value(k): v for k, v in {**base.get(name, {}), **getattr(mapping, name)}.items()}
    for name in ("escalated_above", "first_response_unit", "date_format", "time_zone", "max_bad_rows",
                 "business_hours"):
        if name in given and getattr(mapping, name) is not None:
            rules[name] = getattr(mapping, name)
    if mapping.level1_groups is not None:
        rules["level1_groups"] = tuple(fold_value(g) for g in mapping.level1_groups)
    if mapping.satisfied_at is not None:
        rules["satisfied_at"] = (mapping.satisfied_at.at_least, mapping.satisfied_at.of)
    required = frozenset(own | ({f for f in REQUIRED if f in columns} if preset else own))
    return Layout(name=preset or "mapping", columns=columns, required=required, **rules)
