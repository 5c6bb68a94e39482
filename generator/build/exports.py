"""`storypack tickets summary --content DIR`: what each deck and account of a content folder computes from its
ticket export, computed exactly as the build computes it (the same files, months, time zone, customer, age
buckets and SLA targets), with the series or KPIs it takes from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build.units import discover, select
from generator.errors import ContentError, Problem, Problems
from generator.tickets.command import as_csv, as_table
from generator.tickets.summary import Summary


@dataclass(frozen=True)
class UnitExport:
    """What one deck or account computes from its ticket export."""

    unit: str
    summary: Summary
    uses: dict[str, list[Any]]
    """What it takes from the summary: metrics.yaml series (deck) or KPIs (account) -> a value per month."""


def summaries(content: Path, only: tuple[str, ...] = (), cache: Path | None = None) -> list[UnitExport]:
    """Return, for every selected deck and account that names a ticket export, what it computes from it."""
    from generator.meetings.exports import with_export_kpis
    from generator.meetings.reader import load_account
    from generator.story.load import load_metrics

    problems = Problems(content)
    found: list[UnitExport] = []
    for unit in select(discover(content), only):
        if unit.kind == "deck":
            loaded = problems.collect(lambda: load_metrics(unit.folder, tickets_cache=cache))
            if loaded is not None and loaded[1] is not None:
                metrics, exported = loaded[0], loaded[1]
                data = metrics.model_dump()
                uses = {key: _series(data, key) for key in sorted(exported.computed) if key != "volume.channels"}
                found.append(UnitExport(unit.name, exported.summary, uses))
        elif unit.kind == "account":
            account = problems.collect(lambda: load_account(content, unit.short))
            done = problems.collect(lambda: with_export_kpis(account, content, cache)) if account else None
            if done is not None and done[2] is not None and done[0].metrics is not None:
                kpis = done[0].metrics.kpis
                partial = account.file.metrics if account else None
                computed = {kpi.name for kpi in (partial.kpis if partial else []) if kpi.from_export is not None}
                found.append(UnitExport(unit.name, done[2], {k.name: list(k.values) for k in kpis if k.name in computed}))
    problems.raise_if_any()
    return found


def _series(data: Any, key: str) -> list[Any]:
    """Return the value at dotted `key` ('service_levels[0].response_met_pct', 'volume.channels.Phone') of `data`."""
    for part in key.replace("[", ".[").split("."):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return list(data)


def print_summaries(content: Path, only: tuple[str, ...], form: str, cache: Path | None) -> int:
    """Print what the decks and accounts of `content` compute from their exports, as `form`; return the exit code."""
    if not content.is_dir():
        raise ContentError([Problem(str(content), None, "content folder not found", "pass --content DIR")])
    found = summaries(content, only, cache)
    if form == "json":
        print(json.dumps({f.unit: {**f.summary.to_dict(), "uses": f.uses} for f in found}, indent=2, ensure_ascii=False))
    elif form == "csv":
        lines = []
        for i, f in enumerate(found):
            body = as_csv(f.summary).splitlines()
            lines += [("unit," + body[0]) if i == 0 else None, *(f"{f.unit},{line}" for line in body[1:])]
        print("\n".join(line for line in lines if line is not None))
    else:
        blocks = [f"{f.unit}\n\n{as_table(f.summary)}\n\n{_uses(f)}" for f in found]
        print("\n\n".join(blocks) if blocks else f"no deck or account of {content}/ names a ticket export")
    return 0


def _uses(found: UnitExport) -> str:
    """Return what the unit takes from the summary, one line per series or KPI."""
    width = max(len(name) for name in found.uses) if found.uses else 0
    what = "metrics.yaml series" if found.unit.startswith("deck:") else "KPIs"
    lines = [f"{found.unit} uses these {what}, one value per month:"]
    lines += [f"  {name.ljust(width)}  {', '.join(_cell(v) for v in values)}" for name, values in found.uses.items()]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "[" + " ".join(_cell(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)
