"""Write a realistic ticket export in a ticket system's default layout, for example content and benchmarks.

    python bench/tickets.py --tickets 60000 --preset zendesk --output exports/tickets.csv
    python bench/tickets.py --tickets 1000000 --output /tmp/tickets-1m.csv      # about 150 MB

The same arguments give the same bytes (a fixed seed, no clock). Times are written without a zone
(read them with --time-zone UTC). What the export holds, so its summary can be checked:

- `--tickets` tickets created over `--months` months from `--start`: volume falls about 1% a month,
  and the release month (`--spike`, 0-based, default the 7th month) has 60% more tickets, most of
  them by phone and e-mail about the release;
- channels: Phone 35%, E-mail 30%, Portal 25%, Chat 10%; priorities P1 3%, P2 12%, P3 55%, P4 30%;
- 22% of tickets are escalated from the Level-1 group 'Service Desk' to 'Level 2' (or 'Level 3');
  the others stay with the Service Desk: Level-1 share of resolved tickets about 78%;
- first response: exponential, mean 0.25/1/4/8 hours for P1-P4; resolution: log-normal, median
  2/8/30/80 hours for P1-P4, six times longer when escalated; 3% are never resolved (the aging
  backlog), and tickets whose resolution falls after the last month's end are still open;
- 6% are reopened once; 25% of resolved tickets are rated, 86% of those satisfied (4-5 of 5, or Good);
- customers: 40 organisations, the largest 'Kestrel Freight' with about 8% of tickets.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np

CHANNELS = ("Phone", "E-mail", "Portal", "Chat")
CHANNEL_SHARE = (0.35, 0.30, 0.25, 0.10)
PRIORITIES = ("P1", "P2", "P3", "P4")
PRIORITY_SHARE = (0.03, 0.12, 0.55, 0.30)
RESPONSE_MEAN_H = (0.25, 1.0, 4.0, 8.0)
RESOLUTION_MEDIAN_H = (2.0, 8.0, 30.0, 80.0)
ESCALATED, NEVER_RESOLVED, REOPENED, RATED, SATISFIED = 0.22, 0.03, 0.06, 0.25, 0.86
SUBJECTS = ("Cannot log in to the VPN", "Password reset", "Outlook keeps asking for credentials",
            "Printer on floor 3 offline", "New laptop request", "Access to shared drive", "Teams call drops",
            "Invoice PDF does not open", "Mobile device enrolment", "Software install: Visio",
            "Error after the release: order screen blank", "Slow network in the warehouse")
COMPANIES = ("Kestrel Freight", *(f"Customer {i:02d}" for i in range(1, 40)))

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


def generate(count: int, start: str, months: int, spike: int, seed: int) -> dict[str, np.ndarray]:
    """Return the tickets as columns (numpy arrays), created times in seconds since the epoch, sorted."""
    rng = np.random.Generator(np.random.PCG64(seed))
    first = np.datetime64(f"{start}-01", "M")
    bounds = (np.arange(months + 1) + first).astype("datetime64[s]").astype(np.int64)
    weights = 0.99 ** np.arange(months)
    weights[spike] *= 1.6
    month = rng.choice(months, size=count, p=weights / weights.sum())
    created = np.sort(bounds[month] + (rng.random(count) * (bounds[month + 1] - bounds[month])).astype(np.int64))
    month = np.searchsorted(bounds, created, side="right") - 1
    channel = rng.choice(len(CHANNELS), size=count, p=CHANNEL_SHARE)
    release = (month == spike) & (rng.random(count) < 0.35)
    channel[release] = rng.choice(2, size=int(release.sum()))  # the spike comes by phone and e-mail
    priority = rng.choice(len(PRIORITIES), size=count, p=PRIORITY_SHARE)
    escalated = rng.random(count) < ESCALATED
    level3 = escalated & (rng.random(count) < 0.25)
    response_h = rng.exponential(np.array(RESPONSE_MEAN_H)[priority])
    resolution_h = rng.lognormal(np.log(np.array(RESOLUTION_MEDIAN_H)[priority]), 0.9) * np.where(escalated, 6, 1)
    resolution_h = np.maximum(resolution_h, response_h + 0.05)
    export_end = bounds[-1]
    resolved = created + (resolution_h * 3600).astype(np.int64)
    unresolved = (rng.random(count) < NEVER_RESOLVED) | (resolved >= export_end)
    rated = ~unresolved & (rng.random(count) < RATED)
    satisfied = rng.random(count) < SATISFIED
    company = np.minimum(rng.zipf(1.6, size=count) - 1, len(COMPANIES) - 1)
    return {"created": created, "channel": channel, "priority": priority, "escalated": escalated, "level3": level3,
            "response": created + (response_h * 3600).astype(np.int64), "resolved": resolved,
            "unresolved": unresolved, "reopened": ~unresolved & (rng.random(count) < REOPENED), "rated": rated,
            "satisfied": satisfied, "score": np.where(satisfied, rng.integers(4, 6, size=count),
                                                      rng.integers(1, 4, size=count)),
            "company": company, "subject": rng.integers(0, len(SUBJECTS), size=count),
            "minutes": np.round(response_h * 60).astype(np.int64), "release": release}


def _iso(seconds: np.ndarray) -> list[str]:
    return [s.replace("T", " ") for s in np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")]


def write(path: Path | None, preset: str, t: dict[str, np.ndarray]) -> None:
    """Write the tickets in `preset`'s layout to `path` (stdout when None)."""
    spec = LAYOUTS[preset]
    prio, chan = spec["priority"], spec["channel"]
    assert isinstance(prio, dict) and isinstance(chan, dict) and isinstance(spec["header"], list)
    created, response, resolved = _iso(t["created"]), _iso(t["response"]), _iso(t["resolved"])
    if preset == "jira-service-management":
        def jira(seconds: np.ndarray) -> list[str]:
            return [dt.datetime.fromtimestamp(int(s), dt.timezone.utc).strftime("%d/%b/%y %I:%M %p") for s in seconds]
        created, resolved = jira(t["created"]), jira(t["resolved"])
    handle = open(path, "w", encoding="utf-8", newline="") if path else sys.stdout
    try:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(spec["header"])
        for i in range(len(created)):
            open_ = bool(t["unresolved"][i])
            p, c = prio[PRIORITIES[t["priority"][i]]], chan[CHANNELS[t["channel"][i]]]
            group = ("Level 3" if t["level3"][i] else "Level 2") if t["escalated"][i] else "Service Desk"
            subject = SUBJECTS[11 if t["release"][i] else t["subject"][i]]
            company, done = COMPANIES[t["company"][i]], "" if open_ else resolved[i]
            rated, good = bool(t["rated"][i]), bool(t["satisfied"][i])
            if preset == "zendesk":
                out.writerow([i + 1, subject, "Open" if open_ else "Solved", p, c, group, company, created[i], done,
                              int(t["reopened"][i]), ("Good" if good else "Bad") if rated else
                              ("Offered" if not open_ else "Not Offered"), 1 + int(t["escalated"][i]) + int(t["level3"][i]),
                              t["minutes"][i]])
            elif preset == "servicenow":
                out.writerow([f"INC{i + 1:07d}", subject, "In Progress" if open_ else "Resolved", p, c, group, company,
                              created[i], done, "", int(t["reopened"][i]), int(t["escalated"][i]) + int(t["level3"][i]),
                              "true" if t["priority"][i] >= 2 or not t["escalated"][i] else "false"])
            elif preset == "freshdesk":
                out.writerow([i + 1, subject, "Open" if open_ else "Resolved", p, c, group, company, created[i], done,
                              "", response[i], ("Awesome" if good else "Not Good") if rated else "",
                              "Within SLA", "SLA Violated" if t["escalated"][i] else "Within SLA"])
            else:
                out.writerow([f"HELP-{i + 1}", subject, "Open" if open_ else "Resolved", p, c, company, created[i], done,
                              int(t["score"][i]) if rated else ""])
    finally:
        if path:
            handle.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=60_000)
    parser.add_argument("--preset", choices=sorted(LAYOUTS), default="zendesk")
    parser.add_argument("--start", default="2026-01", help="first month, YYYY-MM")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--spike", type=int, default=6, help="the release month, 0-based (default 6: the 7th)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    write(args.output, args.preset, generate(args.tickets, args.start, args.months, args.spike, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
