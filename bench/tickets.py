"""Write a realistic ticket export in a ticket system's default layout, for example content and benchmarks.

    python bench/tickets.py --tickets 60000 --preset zendesk --output exports/tickets.csv
    python bench/tickets.py --tickets 1000000 --output /tmp/tickets-1m.csv      # about 140 MB
    python bench/tickets.py --tickets 10000000 --output /tmp/tickets-10m.parquet  # Parquet (needs DuckDB)

The same arguments give the same bytes (a fixed seed, no clock; `.gz` files carry no name or time).
Times are written without a zone. content/exports/README.md gives the command that wrote the example's
export. What an export holds, so its summary can be checked:

- `--tickets` tickets created over `--months` months from `--start`, exactly as many each month as the
  volume curve says: it changes `--trend` percent a month, and the release month (`--spike`, 0-based,
  default the 7th month) has `--spike-size` times the volume (the extra tickets are about the release),
  the month after it a quarter as much extra;
- channels: Phone, E-mail, Portal, Chat; Portal and Chat carry `--self-service` percent (first month to
  last, e.g. `29:40`), Phone three fifths of the rest; priorities P1 3%, P2 12%, P3 55%, P4 30%;
- `--escalated` percent of tickets (first to last month, plus 4 points in the release month) move from
  the Level-1 group 'Service Desk' to 'Level 2' (a quarter of them on to 'Level 3'); the others stay
  with the Service Desk, so the Level-1 share of resolved tickets is about 100 minus that;
- first response: exponential, mean 4 minutes, 10 minutes, 1.5 hours and 8 hours for P1-P4;
  resolution: log-normal, median 1, 2.2, 20 and 60 hours for P1-P4 (times 1.3, 1.6, 2.2, 2.0 when
  escalated); both shrink by `--faster` percent from the first month to the last and are 35% longer
  in the release month; `--stale` percent of P3 and P4 tickets (first to last month) wait on a vendor
  or a change: resolved after 8 days plus an exponential wait of mean 40 days (the aging backlog);
  tickets resolved after the last month's end are still open;
- `--lead-in` months before `--start` whose tickets were still open at its start are written too (the
  backlog carried into the period): their created times lie before `--start`;
- 6% are reopened once; 25% of resolved tickets are rated, `--satisfied` percent of those satisfied
  (first to last month, 4 points fewer in the release month; 4-5 of 5, or Good);
- customers: 'Kestrel Freight' about 12% of tickets, 'Brightwater Clinics' about 7%, 38 others the rest.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

import numpy as np

CHANNELS = ("Phone", "E-mail", "Portal", "Chat")
PRIORITIES = ("P1", "P2", "P3", "P4")
PRIORITY_SHARE = (0.03, 0.12, 0.55, 0.30)
RESPONSE_MEAN_H = (4 / 60, 10 / 60, 1.5, 8.0)
RESOLUTION_MEDIAN_H = (1.0, 2.2, 20.0, 60.0)
RESOLUTION_SIGMA = 0.9
ESCALATED_SLOWER = (1.3, 1.6, 2.2, 2.0)
RELEASE = 1.35
"""How much longer responses and resolutions take in the release month."""
STALE_DAYS = (8.0, 40.0)
"""A ticket waiting on a vendor or a change is resolved after 8 days plus an exponential wait of mean 30 days."""
REOPENED, RATED = 0.06, 0.25
SUBJECTS = ("Cannot log in to the VPN", "Password reset", "Outlook keeps asking for credentials",
            "Printer on floor 3 offline", "New laptop request", "Access to shared drive", "Teams call drops",
            "Invoice PDF does not open", "Mobile device enrolment", "Software install: Visio",
            "Error after the release: order screen blank", "Slow network in the warehouse")
COMPANIES = ("Kestrel Freight", "Brightwater Clinics", *(f"Customer {i:02d}" for i in range(1, 39)))
COMPANY_SHARE = np.array([0.12, 0.07, *(0.81 * w / sum(1 / (k + 2) ** 0.8 for k in range(38))
                                         for w in (1 / (k + 2) ** 0.8 for k in range(38)))])

LAYOUTS: dict[str, dict[str, object]] = {
    "zendesk": {"header": ["Id", "Subject", "Status", "Priority", "Via", "Group", "Organization", "Created at",
                           "Solved at", "Reopens", "Satisfaction Score", "Group stations",
                           "First reply time in minutes"],
                "priority": {"P1": "Urgent", "P2": "High", "P3": "Normal", "P4": "Low"},
                "channel": {"Phone": "Phone call (inbound)", "E-mail": "Mail", "Portal": "Web form", "Chat": "Chat"}},
    "servicenow": {"header": ["number", "short_description", "state", "priority", "contact_type", "assignment_group",
                              "company", "opened_at", "resolved_at", "closed_at", "reopen_count", "reassignment_count",
                              "made_sla"],
                   "priority": {"P1": "1 - Critical", "P2": "2 - High", "P3": "3 - Moderate", "P4": "4 - Low"},
                   "channel": {"Phone": "Phone", "E-mail": "Email", "Portal": "Self-service", "Chat": "Chat"}},
    "freshdesk": {"header": ["Ticket ID", "Subject", "Status", "Priority", "Source", "Group", "Company Name",
                             "Created time", "Resolved time", "Closed time", "Initial response time",
                             "Survey results", "First response status", "Resolution status"],
                  "priority": {"P1": "Urgent", "P2": "High", "P3": "Medium", "P4": "Low"},
                  "channel": {"Phone": "Phone", "E-mail": "Email", "Portal": "Portal", "Chat": "Chat"}},
    "jira-service-management": {"header": ["Issue key", "Summary", "Status", "Priority", "Custom field (Source)",
                                           "Custom field (Organizations)", "Created", "Resolved",
                                           "Satisfaction rating"],
                                "priority": {"P1": "Highest", "P2": "High", "P3": "Medium", "P4": "Low"},
                                "channel": {"Phone": "Phone", "E-mail": "Email", "Portal": "Portal", "Chat": "Chat"}},
}


def span(text: str) -> tuple[float, float]:
    """Return (first, last) of 'FIRST[:LAST]', in percent."""
    first, _, last = text.partition(":")
    return float(first), float(last or first)


def volumes(count: int, months: int, trend: float, spike: int, spike_size: float) -> np.ndarray:
    """Return how many tickets each month gets: the volume curve, rounded so that they add up to `count`."""
    weights = (1 + trend / 100) ** np.arange(months)
    if 0 <= spike < months:
        weights[spike] *= spike_size
        if spike + 1 < months:
            weights[spike + 1] *= 1 + (spike_size - 1) / 4
    exact = count * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    counts[np.argsort(counts - exact, kind="stable")[:count - int(counts.sum())]] += 1
    return counts


def generate(count: int, start: str, months: int, spike: int, seed: int, *, trend: float = -1.0,
             spike_size: float = 1.6, escalated: tuple[float, float] = (22, 22), satisfied: tuple[float, float] = (86, 86),
             self_service: tuple[float, float] = (35, 35), faster: float = 0.0, stale: tuple[float, float] = (0.5, 0.5),
             lead_in: int = 0) -> dict[str, np.ndarray]:
    """Return the tickets as columns (numpy arrays), created times in seconds since the epoch, sorted."""
    rng = np.random.Generator(np.random.PCG64(seed))
    first = np.datetime64(f"{start}-01", "M")
    bounds = (np.arange(-lead_in, months + 1) + first).astype("datetime64[s]").astype(np.int64)
    per_month = volumes(count, months, trend, spike, spike_size)
    per_month = np.concatenate([np.full(lead_in, per_month[0]), per_month]) if lead_in else per_month
    total = int(per_month.sum())
    month = np.repeat(np.arange(lead_in + months), per_month)
    created = bounds[month] + (rng.random(total) * (bounds[month + 1] - bounds[month])).astype(np.int64)
    order = np.argsort(created, kind="stable")
    created, month = created[order], month[order]
    reported = np.clip(month - lead_in, 0, months - 1)  # the lead-in months behave like the first
    progress = reported / max(months - 1, 1)
    release_month = (month - lead_in == spike)

    def along(pair: tuple[float, float]) -> np.ndarray:
        return (pair[0] + (pair[1] - pair[0]) * progress) / 100

    # The release month's extra tickets are about the release.
    extra = 1 - 1 / spike_size if spike_size > 1 else 0.0
    release = release_month & (rng.random(total) < extra)
    own = along(self_service)
    shares = np.stack([(1 - own) * 0.6, (1 - own) * 0.4, own * 0.7, own * 0.3], axis=1)
    channel = (rng.random(total)[:, None] > np.cumsum(shares, axis=1)).sum(axis=1).clip(0, 3)
    priority = rng.choice(len(PRIORITIES), size=total, p=PRIORITY_SHARE)
    is_escalated = rng.random(total) < along(escalated) + np.where(release_month, 0.04, 0.0)
    level3 = is_escalated & (rng.random(total) < 0.25)
    pace = (1 - faster / 100 * progress) * np.where(release_month, RELEASE, 1.0)
    response_h = rng.exponential(np.array(RESPONSE_MEAN_H)[priority]) * pace
    resolution_h = rng.lognormal(np.log(np.array(RESOLUTION_MEDIAN_H)[priority]), RESOLUTION_SIGMA) * pace
    resolution_h *= np.where(is_escalated, np.array(ESCALATED_SLOWER)[priority], 1.0)
    waiting = (priority >= 2) & (rng.random(total) < along(stale))
    resolution_h = np.where(waiting, 24 * (STALE_DAYS[0] + rng.exponential(STALE_DAYS[1], size=total)), resolution_h)
    resolution_h = np.maximum(resolution_h, response_h + 0.05)
    resolved = created + (resolution_h * 3600).astype(np.int64)
    unresolved = resolved >= bounds[-1]
    kept = (month >= lead_in) | (resolved >= bounds[lead_in])  # lead-in tickets: only those open at the start
    happy = rng.random(total) < along(satisfied) - np.where(release_month, 0.04, 0.0)
    columns = {"created": created, "channel": channel, "priority": priority, "escalated": is_escalated,
               "level3": level3, "response": created + (response_h * 3600).astype(np.int64), "resolved": resolved,
               "unresolved": unresolved, "reopened": ~unresolved & (rng.random(total) < REOPENED),
               "rated": ~unresolved & (rng.random(total) < RATED), "satisfied": happy,
               "score": np.where(happy, rng.integers(4, 6, size=total), rng.integers(1, 4, size=total)),
               "company": rng.choice(len(COMPANIES), size=total, p=COMPANY_SHARE / COMPANY_SHARE.sum()),
               "subject": rng.integers(0, len(SUBJECTS), size=total),
               "minutes": np.round(response_h * 60).astype(np.int64), "release": release}
    return {name: values[kept] for name, values in columns.items()}


def _iso(seconds: np.ndarray) -> list[str]:
    return [s.replace("T", " ") for s in np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")]


def rows(preset: str, t: dict[str, np.ndarray]) -> Iterator[list[object]]:
    """Yield the header, then each ticket as a row of `preset`'s layout."""
    spec = LAYOUTS[preset]
    prio, chan = spec["priority"], spec["channel"]
    assert isinstance(prio, dict) and isinstance(chan, dict) and isinstance(spec["header"], list)
    yield list(spec["header"])
    for first in range(0, len(t["created"]), CHUNK):
        part = {name: values[first:first + CHUNK] for name, values in t.items()}
        yield from _chunk(preset, part, first, prio, chan)


CHUNK = 100_000
"""Tickets formatted at a time (dates are formatted a chunk at once, rows written as they are made)."""


def _chunk(preset: str, t: dict[str, np.ndarray], offset: int, prio: dict[str, str],
           chan: dict[str, str]) -> Iterator[list[object]]:
    created, response, resolved = _iso(t["created"]), _iso(t["response"]), _iso(t["resolved"])
    if preset == "jira-service-management":
        def jira(seconds: np.ndarray) -> list[str]:
            return [dt.datetime.fromtimestamp(int(s), dt.timezone.utc).strftime("%d/%b/%y %I:%M %p") for s in seconds]
        created, resolved = jira(t["created"]), jira(t["resolved"])
    for i in range(len(created)):
        number = offset + i + 1
        open_ = bool(t["unresolved"][i])
        p, c = prio[PRIORITIES[t["priority"][i]]], chan[CHANNELS[t["channel"][i]]]
        group = ("Level 3" if t["level3"][i] else "Level 2") if t["escalated"][i] else "Service Desk"
        subject = SUBJECTS[10 if t["release"][i] else t["subject"][i]]
        company, done = COMPANIES[t["company"][i]], "" if open_ else resolved[i]
        rated, good = bool(t["rated"][i]), bool(t["satisfied"][i])
        if preset == "zendesk":
            yield [number, subject, "Open" if open_ else "Solved", p, c, group, company, created[i], done,
                   int(t["reopened"][i]), ("Good" if good else "Bad") if rated else
                   ("Offered" if not open_ else "Not Offered"), 1 + int(t["escalated"][i]) + int(t["level3"][i]),
                   int(t["minutes"][i])]
        elif preset == "servicenow":
            yield [f"INC{number:07d}", subject, "In Progress" if open_ else "Resolved", p, c, group, company,
                   created[i], done, "", int(t["reopened"][i]), int(t["escalated"][i]) + int(t["level3"][i]),
                   "true" if t["priority"][i] >= 2 or not t["escalated"][i] else "false"]
        elif preset == "freshdesk":
            yield [number, subject, "Open" if open_ else "Resolved", p, c, group, company, created[i], done,
                   "", response[i], ("Awesome" if good else "Not Good") if rated else "",
                   "Within SLA", "SLA Violated" if t["escalated"][i] else "Within SLA"]
        else:
            yield [f"HELP-{number}", subject, "Open" if open_ else "Resolved", p, c, company, created[i], done,
                   int(t["score"][i]) if rated else ""]


def write(path: Path | None, preset: str, t: dict[str, np.ndarray]) -> None:
    """Write the tickets in `preset`'s layout to `path` (stdout when None): CSV, `.csv.gz` or `.parquet`."""
    if path is not None and path.suffix.lower() == ".parquet":
        if preset != "zendesk":
            raise SystemExit("bench/tickets.py: Parquet is written in the zendesk layout only")
        parquet(path, t)
        return
    raw: BinaryIO | None = None
    if path is None:
        handle: TextIO = sys.stdout
    elif path.suffix.lower() == ".gz":
        raw = open(path, "wb")
        zipped = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
        handle = io.TextIOWrapper(zipped, encoding="utf-8", newline="")
    else:
        handle = open(path, "w", encoding="utf-8", newline="")
    try:
        csv.writer(handle, lineterminator="\n").writerows(rows(preset, t))
    finally:
        if path is not None:
            handle.close()
        if raw is not None:
            raw.close()


def parquet(path: Path, t: dict[str, np.ndarray]) -> None:
    """Write the tickets as a Parquet file in the zendesk layout, typed as a data pipeline writes it (times as
    timestamps, counts as integers), straight from the arrays with DuckDB: no row is made in Python."""
    import duckdb

    spec = LAYOUTS["zendesk"]
    prio, chan = spec["priority"], spec["channel"]
    assert isinstance(prio, dict) and isinstance(chan, dict)

    def names(values: Sequence[str]) -> str:
        return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"

    data = {name: t[name] for name in ("created", "resolved", "unresolved", "priority", "channel", "escalated", "level3",
                                        "release", "company", "subject", "reopened", "rated", "satisfied", "minutes")}
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.register("tickets", data)
    target = str(path).replace("'", "''")
    con.execute(f"""COPY (SELECT row_number() OVER () AS "Id",
        CASE WHEN release THEN 'Error after the release: order screen blank'
             ELSE {names(SUBJECTS)}[subject + 1] END AS "Subject",
        CASE WHEN unresolved THEN 'Open' ELSE 'Solved' END AS "Status",
        {names([prio[p] for p in PRIORITIES])}[priority + 1] AS "Priority",
        {names([chan[c] for c in CHANNELS])}[channel + 1] AS "Via",
        CASE WHEN NOT escalated THEN 'Service Desk' WHEN level3 THEN 'Level 3' ELSE 'Level 2' END AS "Group",
        {names(COMPANIES)}[company + 1] AS "Organization",
        make_timestamp(created * 1000000) AS "Created at",
        CASE WHEN unresolved THEN NULL ELSE make_timestamp(resolved * 1000000) END AS "Solved at",
        CAST(reopened AS INTEGER) AS "Reopens",
        CASE WHEN rated THEN CASE WHEN satisfied THEN 'Good' ELSE 'Bad' END
             WHEN unresolved THEN 'Not Offered' ELSE 'Offered' END AS "Satisfaction Score",
        1 + CAST(escalated AS INTEGER) + CAST(level3 AS INTEGER) AS "Group stations",
        minutes AS "First reply time in minutes"
        FROM tickets) TO '{target}' (FORMAT parquet, COMPRESSION zstd)""")
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=60_000)
    parser.add_argument("--preset", choices=sorted(LAYOUTS), default="zendesk")
    parser.add_argument("--start", default="2026-01", help="first month, YYYY-MM")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--spike", type=int, default=6, help="the release month, 0-based (default 6: the 7th)")
    parser.add_argument("--spike-size", type=float, default=1.6, help="volume of the release month against the trend")
    parser.add_argument("--trend", type=float, default=-1.0, help="change of volume per month, in percent")
    parser.add_argument("--escalated", type=span, default=(22.0, 22.0), metavar="FIRST[:LAST]",
                        help="percent of tickets escalated, first month to last (default 22)")
    parser.add_argument("--satisfied", type=span, default=(86.0, 86.0), metavar="FIRST[:LAST]",
                        help="percent of ratings that are satisfied (default 86)")
    parser.add_argument("--self-service", type=span, default=(35.0, 35.0), metavar="FIRST[:LAST]",
                        help="percent of tickets through Portal and Chat (default 35)")
    parser.add_argument("--faster", type=float, default=0.0, help="percent by which response and resolution times "
                        "shrink from the first month to the last")
    parser.add_argument("--stale", type=span, default=(0.5, 0.5), metavar="FIRST[:LAST]",
                        help="percent of tickets that wait 20-240 days on a vendor or a change (default 0.5)")
    parser.add_argument("--lead-in", type=int, default=0, help="months before --start whose still-open tickets "
                        "are written (the backlog carried in)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--output", type=Path, default=None,
                        help="file to write: .csv, .csv.gz or .parquet (default: CSV to stdout)")
    args = parser.parse_args(argv)
    tickets = generate(args.tickets, args.start, args.months, args.spike, args.seed, trend=args.trend,
                       spike_size=args.spike_size, escalated=args.escalated, satisfied=args.satisfied,
                       self_service=args.self_service, faster=args.faster, stale=args.stale, lead_in=args.lead_in)
    write(args.output, args.preset, tickets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
