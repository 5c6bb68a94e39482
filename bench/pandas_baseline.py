"""The monthly figures of a Zendesk ticket export computed with pandas: the baseline `make bench` compares
storypack's DuckDB summary with (pandas is not a dependency of storypack; the bench skips this without it).

    python bench/pandas_baseline.py tickets.csv [--months 2026-01:2026-12]

Computes what `storypack tickets summary FILE --preset zendesk` computes, by the same definitions
(generator/tickets/summary.py), in UTC: tickets opened by channel, resolved, open at each month end by
age bucket with the support debt, the Level-1 share, escalations, response and resolution attainment
per priority, CSAT and the mean resolution hours per priority. It reads the export as a data scientist
would (pandas' CSV reader and date parser) and checks nothing: no bad rows, no repeated ids.
Prints the figures as CSV (month, figure, key, value).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

CHANNELS = {"Web form": "Portal", "Web Widget": "Portal", "Help Center": "Portal", "Mail": "E-mail", "Email": "E-mail",
            "Phone call (inbound)": "Phone", "Phone call (outbound)": "Phone", "Voicemail": "Phone", "Chat": "Chat",
            "Messaging": "Chat"}
PRIORITIES = {"Urgent": "P1", "High": "P2", "Normal": "P3", "Low": "P4"}
TARGETS = {"P1": (0.25, 4.0), "P2": (0.5, 8.0), "P3": (4.0, 72.0), "P4": (24.0, 240.0)}
"""Response and resolution targets in hours (the example's SLA), as `make bench` passes them to storypack."""
BUCKETS = ((7, "0-7 days"), (30, "8-30 days"), (90, "31-90 days"), (None, "over 90 days"))


def figures(path: str, months: list[str]) -> list[tuple[str, str, str, float]]:
    """Return (month, figure, key, value) for every figure of every month."""
    frame = pd.read_csv(path, usecols=["Id", "Created at", "Solved at", "Priority", "Via", "Group",
                                       "Satisfaction Score", "Group stations", "First reply time in minutes"])
    created = pd.to_datetime(frame["Created at"], format="%Y-%m-%d %H:%M:%S")
    solved = pd.to_datetime(frame["Solved at"], format="%Y-%m-%d %H:%M:%S")
    priority = frame["Priority"].map(PRIORITIES)
    channel = frame["Via"].map(CHANNELS)
    escalated = frame["Group stations"] > 1
    level1 = (frame["Group"].str.strip().str.lower() == "service desk") & ~escalated
    response = created + pd.to_timedelta(frame["First reply time in minutes"], unit="min")
    response_h = frame["First reply time in minutes"] / 60
    resolution_h = (solved - created).dt.total_seconds() / 3600
    rating = frame["Satisfaction Score"].map({"Good": True, "Bad": False})
    created_m, solved_m, response_m = (s.dt.strftime("%Y-%m") for s in (created, solved, response))
    targets = pd.DataFrame(TARGETS, index=["response", "resolution"]).T
    found: list[tuple[str, str, str, float]] = []
    for month in months:
        end = pd.Timestamp(month + "-01") + pd.offsets.MonthBegin(1)
        new = created_m == month
        done = solved_m == month
        for name, count in channel[new].value_counts().items():
            found.append((month, "opened_by_channel", str(name), float(count)))
        found.append((month, "resolved", "", float(done.sum())))
        found.append((month, "level1_pct", "", round(100 * level1[done].mean(), 1) if done.any() else np.nan))
        found.append((month, "escalated", "", float(escalated[new].sum())))
        still = (created < end) & (solved.isna() | (solved >= end))
        ages = ((end - created[still]).dt.total_seconds() // 86400).astype(int)
        low = -1
        for limit, name in BUCKETS:
            inside = ages > low if limit is None else (ages > low) & (ages <= limit)
            found.append((month, "open_by_age_bucket", name, float(inside.sum())))
            low = limit if limit is not None else low
        found.append((month, "support_debt_days", "", float(ages.sum())))
        for kind, hours, when in (("response", response_h, response_m), ("resolution", resolution_h, solved_m)):
            inside = when == month
            limit = priority[inside].map(targets[kind])
            met = (hours[inside] <= limit).groupby(priority[inside]).mean()
            found += [(month, f"{kind}_met_pct", str(p), round(100 * v, 1)) for p, v in met.items()]
        rated = rating[done].dropna()
        found.append((month, "csat_pct", "", round(100 * rated.astype(float).mean(), 1) if len(rated) else np.nan))
        means = resolution_h[done].groupby(priority[done]).mean()
        found += [(month, "mean_resolution_hours", str(p), round(v, 2)) for p, v in means.items()]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--months", default="2026-01:2026-12", metavar="FROM:TO")
    args = parser.parse_args(argv)
    first, _, last = args.months.partition(":")
    months = [str(p) for p in pd.period_range(first, last or first, freq="M")]
    out = sys.stdout
    out.write("month,figure,key,value\n")
    for month, figure, key, value in figures(args.file, months):
        out.write(f"{month},{figure},{key},{value}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
