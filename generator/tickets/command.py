"""`storypack tickets summary FILE... --preset NAME`: the monthly figures of a ticket export.

Prints a table (figures by month), CSV (one row per figure, month and key), JSON (the whole summary
with its rules and sources) or, with --emit-yaml, the series as metrics.yaml fragments to paste.
Problems in the export exit with code 2, like content problems.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.errors import UsageError
from generator.read.fields import MONTH, check_time_zone
from generator.read.months import next_month
from generator.tickets.mapping import PRESET_NAMES, Mapping, SlaTarget, buckets_from_limits, day_length, sla_target
from generator.tickets.summary import Summary, summarize

FIGURE_NAMES = {"opened": "opened", "resolved": "resolved", "open_at_month_end": "open at month end",
                "support_debt_days": "support debt (days)", "level1_pct": "Level-1 %", "escalated": "escalated",
                "csat_pct": "CSAT %", "reopened_pct": "reopened %"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             content_command: Callable[[argparse.Namespace], int] | None = None) -> None:
    """Add `tickets summary` to the command line; `content_command` runs its `--content` form (what the decks
    and accounts of a content folder compute from their exports: the build stage knows them)."""
    tickets = subparsers.add_parser("tickets", help="monthly figures from a ticket system's export (tickets summary)")
    kinds = tickets.add_subparsers(dest="kind", required=True, metavar="ACTION")
    summary = kinds.add_parser("summary", help="print the monthly figures of ticket export files, or those the decks "
                               "and accounts of --content compute")
    summary.add_argument("files", nargs="*", type=Path, metavar="FILE",
                         help="export files: CSV, TSV, XLSX, Parquet or JSON lines (.csv.gz too)")
    summary.add_argument("--content", type=Path, default=None, metavar="DIR",
                         help="instead of FILEs: every deck and account of this content folder that names an export, "
                         "computed as the build computes it")
    summary.add_argument("--only", action="append", default=[], metavar="NAME",
                         help="with --content: only this deck or account, e.g. deck:main or kestrel-freight (repeatable)")
    summary.add_argument("--preset", choices=PRESET_NAMES, default=None, help="the ticket system's export layout")
    summary.add_argument("--mapping", type=Path, default=None, metavar="FILE",
                         help="YAML file with mapping keys (columns, priorities, channels, level1_groups ...)")
    summary.add_argument("--time-zone", default="UTC", metavar="TZ", help="time zone of the report (default: UTC)")
    summary.add_argument("--months", default=None, metavar="FROM:TO",
                         help="reporting months, e.g. 2026-01:2026-12 (default: those with tickets created)")
    summary.add_argument("--customer", default=None, metavar="NAME", help="only this organisation's tickets")
    summary.add_argument("--age-buckets", default="7,30,90", metavar="DAYS",
                         help="upper limits of the age buckets in days (default: 7,30,90)")
    summary.add_argument("--sla", action="append", default=[], metavar="PRIORITY=RESPONSE/RESOLUTION",
                         help="SLA targets, e.g. 'P1=15 minutes/4 hours' or 'P3=8 business hours/5 business days'")
    summary.add_argument("--date-format", default=None, metavar="FORMAT", help="how dates are written, e.g. %%d/%%m/%%Y")
    summary.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output (default: table)")
    summary.add_argument("--emit-yaml", action="store_true", help="print the series as metrics.yaml fragments")
    summary.add_argument("--cache", type=Path, default=None, metavar="DIR",
                         help="keep computed summaries here; an unchanged export is not read again")
    summary.set_defaults(command=run_summary, content_command=content_command)


def run_summary(args: argparse.Namespace) -> int:
    """Compute and print the summary; return the exit code."""
    if args.content is not None:
        if args.files:
            raise UsageError("give export FILEs or --content, not both")
        assert args.content_command is not None
        code: int = args.content_command(args)
        return code
    if not args.files:
        raise UsageError("give the export FILEs, or --content DIR for what a content folder's decks and accounts use")
    if args.only:
        raise UsageError("--only selects decks and accounts: use it with --content")
    mapping = _mapping(args.mapping)
    if args.date_format:
        mapping = mapping.model_copy(update={"date_format": args.date_format})
    if args.preset is None and not (mapping.columns.id and mapping.columns.created):
        raise UsageError("give --preset, or a --mapping file whose columns name at least id and created")
    try:
        zone = check_time_zone(args.time_zone)
        limits = tuple(int(part) for part in args.age_buckets.split(","))
        buckets = buckets_from_limits(limits)
        hours_per_day = day_length(mapping)
        targets = tuple(_target(text, hours_per_day) for text in args.sla)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    result = summarize([(path, str(path)) for path in args.files], args.preset, mapping, time_zone=zone,
                       months=_months(args.months), buckets=buckets, targets=targets, customer=args.customer,
                       cache_folder=args.cache)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if args.emit_yaml:
        print(emit_yaml(result, targets), end="")
    elif args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(as_csv(result), end="")
    else:
        print(as_table(result))
    return 0


def _mapping(path: Path | None) -> Mapping:
    """Return the mapping in a YAML file (its top level, or under tickets.mapping), checked with line numbers."""
    if path is None:
        return Mapping()
    from generator.read.source import read_yaml
    from generator.read.validate import validate

    doc = read_yaml(path)
    loc: tuple[str, ...] = ()
    if isinstance(doc.data, dict) and isinstance(doc.data.get("tickets"), dict):
        loc = ("tickets", "mapping") if "mapping" in doc.data["tickets"] else ("tickets",)
    return validate(doc, Mapping, loc=loc)


def _target(text: str, hours_per_day: float) -> SlaTarget:
    priority, _, targets = text.partition("=")
    response, _, resolution = targets.partition("/")
    if not priority.strip() or not targets.strip():
        raise ValueError(f"--sla {text!r}: write PRIORITY=RESPONSE/RESOLUTION, e.g. 'P1=15 minutes/4 hours'")
    return sla_target(priority.strip(), response.strip() or None, resolution.strip() or None, hours_per_day)


def _months(text: str | None) -> list[str] | None:
    if text is None:
        return None
    first, _, last = text.partition(":")
    last = last or first
    if not MONTH.match(first) or not MONTH.match(last) or last < first:
        raise UsageError(f"--months {text!r}: write FROM:TO as YYYY-MM:YYYY-MM, e.g. 2026-01:2026-12")
    months = [first]
    while months[-1] < last:
        months.append(next_month(months[-1]))
    return months


def rows(summary: Summary) -> list[tuple[str, list[Any]]]:
    """Return (label, value per month) for every figure, sub-keys (channels, buckets, priorities) indented."""
    months = summary.months
    found: list[tuple[str, list[Any]]] = []

    def add_dict(label: str, name: str) -> None:
        if all(getattr(m, name) is None for m in months):
            found.append((label, [None] * len(months)))
            return
        keys: list[str] = []
        for m in months:
            keys += [k for k in (getattr(m, name) or {}) if k not in keys]
        found.append((label, [""] * len(months)))
        found.extend((f"  {key}", [(getattr(m, name) or {}).get(key) for m in months]) for key in keys)

    for name in ("opened", "opened_by_channel", "resolved", "open_at_month_end", "open_by_age_bucket",
                 "support_debt_days", "level1_pct", "escalated", "response_met_pct", "resolution_met_pct",
                 "csat_pct", "reopened_pct", "mean_resolution_hours"):
        if name == "opened_by_channel":
            add_dict("  by channel", name)
        elif name == "open_by_age_bucket":
            add_dict("  by age", name)
        elif name in ("response_met_pct", "resolution_met_pct", "mean_resolution_hours"):
            add_dict({"response_met_pct": "response met %", "resolution_met_pct": "resolution met %",
                      "mean_resolution_hours": "mean resolution hours"}[name], name)
        else:
            found.append((FIGURE_NAMES[name], [getattr(m, name) for m in months]))
    return found


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def as_table(summary: Summary) -> str:
    """Return the figures as a text table: one row per figure, one column per month."""
    header = ["", *(m.month for m in summary.months)]
    body = [[label, *(_cell(v) for v in values)] for label, values in rows(summary)]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
             for row in [header, *body]]
    files = ", ".join(f.path for f in summary.files)
    lines.append(f"\n{summary.tickets} tickets from {files} ({summary.preset} layout, times in {summary.time_zone}"
                 f"{', customer ' + summary.customer if summary.customer else ''}); '-': no data")
    if summary.bad_rows:
        lines.append(f"{summary.bad_rows} bad rows left out (see the warnings above)")
    return "\n".join(lines)


def as_csv(summary: Summary) -> str:
    """Return the figures as CSV: month, figure, key, value, tickets (the number the figure is computed from)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "figure", "key", "value", "tickets"])
    for m in summary.months:
        for name in ("opened", "opened_by_channel", "resolved", "open_at_month_end", "open_by_age_bucket",
                     "support_debt_days", "level1_pct", "escalated", "response_met_pct", "resolution_met_pct",
                     "csat_pct", "reopened_pct", "mean_resolution_hours"):
            value = getattr(m, name)
            basis = m.tickets.get(name.replace("opened_by_channel", "opened").replace("open_by_age_bucket",
                                                                                        "open_at_month_end"), "")
            if isinstance(value, dict):
                for key, item in value.items():
                    count = m.tickets.get(f"{name}.{key}", basis)
                    writer.writerow([m.month, name, key, "" if item is None else item, count])
            else:
                writer.writerow([m.month, name, "", "" if value is None else value, basis])
    return out.getvalue()


def emit_yaml(summary: Summary, targets: tuple[SlaTarget, ...]) -> str:
    """Return the computed series as metrics.yaml fragments (figures the export lacks are left out, noted)."""
    import yaml

    months = summary.months
    data: dict[str, Any] = {"months": [m.month for m in months]}
    if all(m.opened_by_channel is not None for m in months):
        channels = list(dict.fromkeys(k for m in months for k in (m.opened_by_channel or {})))
        data["volume"] = {"channels": {c: [(m.opened_by_channel or {}).get(c, 0) for m in months] for c in channels}}
    resolution: dict[str, Any] = {}
    if any(m.level1_pct is not None for m in months):
        resolution["level1_pct"] = [m.level1_pct for m in months]
    if any(m.escalated is not None for m in months):
        resolution["escalated_level2"] = [m.escalated for m in months]
    if resolution:
        data["resolution"] = resolution
    names = list(months[0].open_by_age_bucket) if months else []
    data["backlog"] = {"age_buckets": names, "open_tickets": [[m.open_by_age_bucket[n] for n in names] for m in months],
                       "support_debt_days": [m.support_debt_days for m in months]}
    levels = []
    for target in targets:
        level: dict[str, Any] = {"priority": target.priority}
        for kind in ("response", "resolution"):
            series = [(getattr(m, f"{kind}_met_pct") or {}).get(target.priority) for m in months]
            if any(v is not None for v in series):
                level[f"{kind}_met_pct"] = series
        levels.append(level)
    if levels:
        data["service_levels"] = levels
    if any(m.csat_pct is not None for m in months):
        data["satisfaction"] = {"csat_pct": [m.csat_pct for m in months]}
    left_out = [name for name, missing in (("level1_pct", "level1_pct" not in resolution),
                                           ("csat_pct", "satisfaction" not in data)) if missing]
    head = (f"# computed by storypack tickets summary from {', '.join(f.path for f in summary.files)}\n"
            f"# ({summary.tickets} tickets, {summary.preset} layout, times in {summary.time_zone});\n"
            "# null: no tickets to compute the figure from that month (metrics.yaml needs a number there)\n")
    if left_out:
        head += f"# not in the export: {', '.join(left_out)}\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=120)
