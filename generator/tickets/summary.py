"""The monthly summary of a ticket export: one pure function from export files and rules to figures.

Definitions (all times in the report's time zone; a month runs from its first midnight to the next
month's):

- **opened**: tickets whose created time falls in the month; `opened_by_channel` splits them by channel.
- **resolved**: tickets whose resolved time (the closed time when there is none) falls in the month.
- **open at month end**: created before the month's end and not resolved by it (resolved at or after the
  end, or not at all).
- **age** of an open ticket at a month end: the whole days (24 hours) from its created time to the
  month end, rounded down (a ticket opened 30 hours before the end is 1 day old).
- **open by age bucket**: open tickets at the month end by age; a bucket holds ages above the previous
  bucket's limit up to its own (`AgeBucket.up_to_days`, inclusive); the last has no limit.
- **support debt** (days): the sum of the ages of all tickets open at the month end.
- **Level-1 %**: tickets resolved in the month whose assignment group is one of `level1_groups` and that
  were never escalated, over all tickets resolved in the month (None without `level1_groups`).
- **escalated**: tickets opened in the month that carry the escalation mark (the preset's or mapping's
  rule, e.g. ServiceNow reassigned at least once, Zendesk through more than one group); exports hold no
  escalation time, so an escalation counts in the month the ticket was opened.
- **response met %** per priority: of the tickets first responded to in the month (the created month
  when the export only has an SLA mark), the share within the priority's response target: the response
  time (first response - created, in calendar hours, or business hours for a business-hours target),
  or the export's own SLA mark where it has one. **Resolution met %** likewise, over tickets resolved in
  the month, with resolved - created. None where the export has neither times with a target nor marks.
- **CSAT %**: satisfied ratings over all ratings of tickets resolved in the month (surveys are sent on
  resolution; exports do not date the answer).
- **reopened %**: tickets resolved in the month that were reopened at least once, over the resolved
  tickets whose reopen count is known.
- **mean resolution hours** per priority: the mean calendar hours from created to resolved of the
  tickets resolved in the month (mean time to restore).

Each month's `tickets` says how many tickets each figure was computed from; `Summary.rules` says the
rule in words and `Summary.files` which files (with their SHA-256). Results are cached by the files'
hashes and everything else that decides them, so a rebuild with an unchanged export does not read it;
and so are an export's parsed rows (`parse`), by the files and the rules that read them, so the decks and
accounts that share an export (with other customers, months or targets) parse it once between them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import cache, hashing
from generator.errors import ContentError, Problem
from generator.read.fields import check_time_zone
from generator.read.months import next_month
from generator.tickets.figures import MonthFigures
from generator.tickets.mapping import AgeBucket, Mapping, SlaTarget, buckets_from_limits
from generator.tickets.presets import Layout, layout

if TYPE_CHECKING:
    import duckdb

VERSION = "tickets-2"
"""Part of every cache key: raise it when a definition changes."""


@dataclass(frozen=True)
class SourceFile:
    """An export file a summary was computed from."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Summary:
    """The monthly figures of an export, with what they were computed from and by which rules."""

    months: tuple[MonthFigures, ...]
    files: tuple[SourceFile, ...]
    preset: str
    time_zone: str
    customer: str | None
    rules: dict[str, str]
    rows: int
    """Rows read (after the customer filter; an event log's rows of every update)."""
    tickets: int
    """Tickets the figures were computed from."""
    bad_rows: int
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain JSON data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        """Return a summary from `to_dict`'s data."""
        return cls(months=tuple(MonthFigures(**m) for m in data["months"]),
                   files=tuple(SourceFile(**f) for f in data["files"]), preset=data["preset"],
                   time_zone=data["time_zone"], customer=data["customer"], rules=data["rules"], rows=data["rows"],
                   tickets=data["tickets"], bad_rows=data["bad_rows"], warnings=tuple(data["warnings"]))


def rules(plan: Layout, buckets: tuple[AgeBucket, ...], targets: tuple[SlaTarget, ...]) -> dict[str, str]:
    """Return each figure's rule in words, with the layout's particulars filled in."""
    if plan.escalated_above is not None:
        escalation = f"its {plan.columns.get('escalated', ('?',))[0]!r} is above {plan.escalated_above}"
    else:
        escalation = f"its {plan.columns.get('escalated', ('escalation',))[0]!r} mark says yes"
    groups = ", ".join(plan.level1_groups or ()) or "(no level1_groups given: not computed)"
    limits = ", ".join(f"{b.name} (up to {b.up_to_days} days)" if b.up_to_days is not None else f"{b.name} (older)"
                       for b in buckets)
    target_text = "; ".join(f"{t.priority}: response {t.response_hours}h, resolution {t.resolution_hours}h"
                            f"{' (business hours)' if t.business else ''}" for t in targets) or "none given"
    return {
        "opened": "tickets created in the month",
        "resolved": "tickets resolved in the month (closed time when no resolved time)",
        "open_at_month_end": "created before the month end and not resolved by it",
        "open_by_age_bucket": f"open tickets at the month end by whole days since created: {limits}",
        "support_debt_days": "sum of the whole-day ages of the tickets open at the month end",
        "level1_pct": f"resolved in the month by a Level-1 group ({groups}) and never escalated / resolved",
        "escalated": f"tickets created in the month that were escalated: {escalation}",
        "response_met_pct": f"first responses in the month within the priority's target ({target_text}), "
                            "or the export's own first-response SLA mark",
        "resolution_met_pct": "tickets resolved in the month within the priority's resolution target, "
                              "or the export's own resolution SLA mark",
        "csat_pct": "satisfied ratings / all ratings, tickets resolved in the month",
        "reopened_pct": "tickets resolved in the month that were reopened / those resolved with a known reopen count",
        "mean_resolution_hours": "mean calendar hours from created to resolved, tickets resolved in the month, "
                                 "by priority",
    }


MEMORY_LIMIT = "768MB"
"""What DuckDB may hold in memory while it summarises an export; beyond it, it spills to a temporary folder
(tens of millions of tickets then take about 1 GiB of memory, not several)."""

SCANS = 0
"""How many summaries were computed (not served from the cache): tests check a rebuild computes none."""


def summarize(files: list[tuple[Path, str]], preset: str | None, mapping: Mapping = Mapping(), *,
              time_zone: str = "UTC", months: list[str] | None = None,
              buckets: tuple[AgeBucket, ...] = buckets_from_limits(), targets: tuple[SlaTarget, ...] = (),
              customer: str | None = None, cache_folder: Path | None = None) -> Summary:
    """Return the monthly summary of the export `files` ((path, name shown in problems) pairs).

    `months` are YYYY-MM (default: every month from the first created to the last); `targets` the SLA
    targets by priority; `customer` keeps only that organisation's tickets. Raise ValueError for an unknown
    time zone, ContentError for a missing column, an ambiguous date format or bad rows beyond `max_bad_rows`.
    With `cache_folder` the result is stored there, keyed by the files' SHA-256 and every argument, and so
    are the export's parsed rows, keyed by the files and the rules that read them: the summaries of other
    customers, months or targets (the decks and accounts that share an export) read those, not the files.
    """
    check_time_zone(time_zone)
    plan = layout(preset, mapping)
    if cache_folder is None:  # nothing to look up: the files are hashed (for `Summary.files`) while DuckDB reads them
        _check_found([(shown, _readable(path)) for path, shown in files])
        return _compute(files, hashing.hashed_meanwhile([path for path, _ in files]), plan, time_zone, months,
                        buckets, targets, customer, None)
    shas = [hashing.file_hash(path) for path, _ in files]
    _check_found([(shown, sha != hashing.MISSING) for (_, shown), sha in zip(files, shas)])
    key = hashing.digest({"version": VERSION, "code": _code_hash(), "files": shas, "layout": plan.key(),
                          "zone": time_zone, "months": months, "buckets": [asdict(b) for b in buckets],
                          "targets": [asdict(t) for t in targets], "customer": customer})
    stored = cache_folder / f"tickets-{key}.json" if cache_folder else None
    if stored is not None and stored.is_file():
        try:
            result = Summary.from_dict(json.loads(stored.read_text(encoding="utf-8")))
            cache.touch(stored)
            return result
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache file is recomputed and replaced
    result = _compute(files, lambda: shas, plan, time_zone, months, buckets, targets, customer, cache_folder)
    if stored is not None:
        cache.store(stored, json.dumps(result.to_dict(), sort_keys=True).encode())
    return result


def _readable(path: Path) -> bool:
    """Return True when `path` is a file this process may read (what `hashing.file_hash` needs)."""
    return path.is_file() and os.access(path, os.R_OK)


def _check_found(found: list[tuple[str, bool]]) -> None:
    """Raise ContentError naming each export file (shown name, found) that was not found."""
    missing = [Problem(shown, None, "file not found", "check the path of the export") for shown, ok in found if not ok]
    if missing:
        raise ContentError(missing)


def _code_hash() -> str:
    """Return a hash of this stage's source files: a code change recomputes cached summaries."""
    folder = Path(__file__).parent
    return hashing.digest({p.name: hashing.file_hash(p) for p in sorted(folder.glob("*.py"))})


def _compute(files: list[tuple[Path, str]], shas: Callable[[], list[str]], plan: Layout, zone: str,
             months: list[str] | None,
             buckets: tuple[AgeBucket, ...], targets: tuple[SlaTarget, ...], customer: str | None,
             folder: Path | None) -> Summary:
    """Return the summary, reading text files as UTF-8 at once (DuckDB checks the bytes it reads); only when
    DuckDB refuses one are the files read again with their encodings told from their whole bytes. `shas` gives
    the files' SHA-256 (waiting for them where they are hashed meanwhile)."""
    import duckdb

    from generator.tickets.encoding import not_utf8

    global SCANS
    SCANS += 1
    try:
        return _computed(files, shas, plan, zone, months, buckets, targets, customer, folder, checked=False)
    except duckdb.Error as exc:
        if not not_utf8(exc):
            raise
    return _computed(files, shas, plan, zone, months, buckets, targets, customer, folder, checked=True)


def _computed(files: list[tuple[Path, str]], shas: Callable[[], list[str]], plan: Layout, zone: str,
              months: list[str] | None,
              buckets: tuple[AgeBucket, ...], targets: tuple[SlaTarget, ...], customer: str | None,
              folder: Path | None, checked: bool) -> Summary:
    """Return the summary read in one DuckDB connection; `checked` False reads text files as UTF-8 unchecked
    (`export.reader`), so that DuckDB's refusal of one is raised for `_compute` to read them again checked."""
    import duckdb

    from generator.tickets import clean, figures, parse

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        with tempfile.TemporaryDirectory(prefix="storypack-tickets-") as scratch:
            con.execute(f"SET temp_directory = '{scratch}/spill'")
            export = parse.Files(con, files, plan, Path(scratch), checked)
            read_in = plan.time_zone or zone  # the zone of times written without one
            stored = folder / f"parsed-{_parse_key(plan, shas(), read_in)}.parquet" if folder else None
            parsed = parse.rows(export, read_in, customer, stored)
            cleaned = parse.select(con, parsed, plan, customer, files[0][1])
            if cleaned is None:  # a bad row or a repeated id: read the files again in file order, to say where
                con.execute("DROP TABLE IF EXISTS __parsed")
                cleaned = clean.clean(con, export.numbered(), plan, zone, customer)
            con.execute("SET preserve_insertion_order = false")
            wanted = months or _months_of_data(con, zone)
            computed = figures.compute(con, wanted, zone, buckets, targets, plan, cleaned.fields) if wanted else []
    finally:
        con.close()
    hashed = zip(files, shas(), strict=True)
    return Summary(months=tuple(computed), files=tuple(SourceFile(shown, sha) for (_, shown), sha in hashed),
                   preset=plan.name, time_zone=zone, customer=customer, rules=rules(plan, buckets, targets),
                   rows=cleaned.rows, tickets=cleaned.tickets, bad_rows=cleaned.bad_rows, warnings=cleaned.warnings)


def _parse_key(plan: Layout, shas: list[str], zone: str) -> str:
    """Return the key of an export's parsed rows: its files and the rules that read its rows (not those that
    pick or count them: customer, months, targets, bad rows allowed), and the zone of times written without one."""
    rules = {k: v for k, v in plan.key().items() if k not in ("max_bad_rows", "business_hours")}
    return hashing.digest({"version": VERSION, "code": _code_hash(), "files": shas, "rules": rules, "zone": zone})


def _months_of_data(con: duckdb.DuckDBPyConnection, zone: str) -> list[str]:
    """Return every month from the first created ticket's to the last's."""
    local = f"strftime(timezone('{zone}', timezone('UTC', make_timestamp({{}}))), '%Y-%m')"
    row = con.execute(f"SELECT {local.format('min(created)')}, {local.format('max(created)')} FROM tickets").fetchone()
    if not row or row[0] is None:
        return []
    start, end = str(row[0]), str(row[1])
    found = [start]
    while found[-1] < end and len(found) < 240:
        found.append(next_month(found[-1]))
    return found
