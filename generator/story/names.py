"""The names that notes and slide templates may use: figures formatted as on the slides.

`{{ kpi.csat.latest }}` in a note reads exactly as the CSAT figure on the slides. The README lists
every name; a name not here is a content error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.read.months import month
from generator.story import formatting as fmt
from generator.story.figures import Figure, Figures, Kpi
from generator.story.model import Story


@dataclass(frozen=True)
class ScoreRow:
    """One line of the KPI scorecard: a KPI against its expectation."""

    label: str
    comparison: str
    """'at least' or 'at most'."""
    target: Figure
    actual: tuple[Figure, ...]
    """The figure(s) compared: one per KPI, response and resolution for a priority."""
    met: bool
    source: str


def scorecard(figures: Figures) -> list[ScoreRow]:
    """Return every KPI that has a target, and each priority's service levels, against expectation."""
    rows: list[ScoreRow] = []
    for kpi in figures.kpis.values():
        if kpi.target is None or kpi.key == "sla":
            continue
        comparison = "at least" if kpi.better == "higher" else "at most"
        rows.append(ScoreRow(kpi.label, comparison, kpi.target, (kpi.headline,), bool(kpi.met), kpi.source))
    for level in figures.service_levels:
        rows.append(ScoreRow(f"{level.priority} response / resolution", "at least", level.target,
                             (level.response, level.resolution), level.met, level.source))
    return rows


def context(story: Story, figures: Figures) -> dict[str, Any]:
    """Return the names notes and templates can use."""
    kpis = figures.kpis
    totals = kpis["calls"].values
    rows = scorecard(figures)
    return {
        "story": story,
        "kpi": kpis,
        "date": fmt.date(story.date),
        "period": {"first": month(figures.months[0]), "latest": month(figures.months[-1]),
                   "months": len(figures.months)},
        "services": story.services,
        "volume": {
            "channels": list(figures.channels),
            "total_tickets": Figure(sum(totals), "count", name="volume.total_tickets", source="volume.channels"),
            "self_service_share_first": _self_service_share(figures, 0),
            "self_service_share_latest": _self_service_share(figures, -1),
            "share": {name: Figure(100.0 * sum(v) / sum(totals), "pct", name=f"volume.share.{name}",
                                   source=f"volume.channels.{name}") for name, v in figures.channels.items()},
        },
        "changes": [{"month": month(s.month), "name": s.name, "what_changed": s.what_changed,
                     "call_types": list(s.call_types), "response": s.response, "volume": s.volume,
                     "spike": s.spike} for s in figures.spikes],
        "service_levels": figures.service_levels,
        "scorecard": {"rows": rows, "met": sum(r.met for r in rows), "total": len(rows)},
        "org": {"roles": len(story.org_chart), "proactive": sum(r.proactive for r in story.org_chart)},
        "currency": figures.currency,
    }


def headline(kpi: Kpi) -> dict[str, Any]:
    """Return what a summary tile needs to word a KPI: figure, label, start, end, target and status."""
    return {"key": kpi.key, "label": kpi.label, "figure": kpi.headline, "first": kpi.first, "latest": kpi.latest,
            "change": kpi.change, "target": kpi.target, "met": kpi.met, "of": kpi.extra.get("of")}


def _self_service_share(figures: Figures, index: int) -> Figure:
    """Return the share of tickets that came through self-service channels in one month."""
    total = sum(values[index] for values in figures.channels.values())
    own = sum(figures.channels[name][index] for name in figures.self_service_channels)
    which = "first" if index == 0 else "latest"
    return Figure(100.0 * own / total if total else 0.0, "pct", name=f"volume.self_service_share_{which}",
                  source="volume.channels / volume.self_service_channels", months=(figures.months[index],))
