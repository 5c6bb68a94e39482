"""The speed targets `make bench` checks (issue 14): each compares storypack with a peer measured in the same
run, as a ratio, and says whether the target is met.

Every target is read from the rows `bench/run.py` measured, found by their names; a target whose rows are
missing (Pandoc or Hugo not installed) is shown as not measured. Nothing here times anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Measured(Protocol):
    """A row of the bench's table: what was measured and how long it took."""

    what: str
    seconds: float | None


@dataclass(frozen=True)
class Verdict:
    """One target against the run's figures."""

    target: str
    ours: str
    peer: str
    ratio: float | None
    goal: str
    met: bool | None
    """None when the run lacks a figure the target needs."""


@dataclass(frozen=True)
class Target:
    """storypack's row against a peer's row: met when ours / peer stays under (or at) `goal`."""

    target: str
    ours: str
    """A pattern matching the name of storypack's row."""
    peer: str
    """A pattern matching the name of the peer's row."""
    peer_name: str
    goal: float
    inclusive: bool = False
    """True: the ratio may equal the goal (<=); False: it must stay below it (<)."""

    def judge(self, rows: Sequence[Measured]) -> Verdict:
        """Return the verdict of this target on the run's `rows`."""
        ours, peer = seconds_of(rows, self.ours), seconds_of(rows, self.peer)
        goal = f"{'<=' if self.inclusive else '<'} {self.goal:g}x"
        if ours is None or peer is None or peer <= 0:
            return Verdict(self.target, _s(ours), f"{self.peer_name}: {_s(peer)}", None, goal, None)
        ratio = ours / peer
        met = ratio <= self.goal if self.inclusive else ratio < self.goal
        return Verdict(self.target, _s(ours), f"{self.peer_name}: {_s(peer)}", ratio, goal, met)


@dataclass(frozen=True)
class FloorTarget:
    """A cold build against the floor (a process that only imports what a build imports) plus what drawing its own
    charts takes: the cold build less the same build with its charts cached. Met when (cold - charts) / floor
    stays at or under `goal`."""

    target: str
    cold: str
    cached: str
    floor: str
    goal: float

    def judge(self, rows: Sequence[Measured]) -> Verdict:
        """Return the verdict of this target on the run's `rows`."""
        cold, cached, floor = (seconds_of(rows, p) for p in (self.cold, self.cached, self.floor))
        goal = f"<= {self.goal:g}x floor + charts"
        if cold is None or cached is None or floor is None or floor <= 0:
            return Verdict(self.target, _s(cold), f"floor: {_s(floor)}", None, goal, None)
        charts = max(0.0, cold - cached)
        ratio = (cold - charts) / floor
        return Verdict(self.target, f"{_s(cold)} (charts {_s(charts)})", f"floor: {_s(floor)}", ratio, goal,
                       ratio <= self.goal)


PANDOC = r"Pandoc, \d+ decks \(one call each, estimated\)"
HUGO = r"Hugo, the same \d+ pages, cold"
TARGETS: tuple[Target | FloorTarget, ...] = (
    Target("decks, distinct picture charts", r"\d+ decks, \d+ workers", PANDOC, "Pandoc, no charts", 1.0),
    Target("decks, charts cached", r"\d+ decks, \d+ workers, charts cached", PANDOC, "Pandoc, no charts", 1.0),
    Target("decks, native charts", r"\d+ decks, native charts, \d+ workers", PANDOC, "Pandoc, no charts", 1.0),
    Target("meeting pages, cold", r"\d+ meeting pages \(\d+ accounts\), \d+ workers", HUGO, "Hugo, the same pages",
           2.0, inclusive=True),
    Target("site, one page changed", r"site: rebuild after one page changes", HUGO, "Hugo, full build", 1.0),
    FloorTarget("cold build of the example", r"cold build of the example", r"cold build of the example, its charts cached",
                r"floor: .*", 1.2),
)
"""The targets of issue 14, in the order of its table."""


def seconds_of(rows: Sequence[Measured], pattern: str) -> float | None:
    """Return the seconds of the first row whose whole name matches `pattern`, or None."""
    regex = re.compile(pattern)
    return next((row.seconds for row in rows if regex.fullmatch(row.what)), None)


def verdicts(rows: Sequence[Measured], targets: Sequence[Target | FloorTarget] = TARGETS) -> list[Verdict]:
    """Return the verdict of every target on the run's `rows`."""
    return [target.judge(rows) for target in targets]


def table(rows: Sequence[Measured], targets: Sequence[Target | FloorTarget] = TARGETS) -> str:
    """Return the targets as a Markdown table: target, storypack, peer, ratio, goal, met or missed."""
    lines = ["| target | storypack | peer | ratio | goal | verdict |", "|---|---:|---|---:|---|---|"]
    words: dict[bool | None, str] = {True: "met", False: "missed", None: "not measured"}
    for v in verdicts(rows, targets):
        ratio = "-" if v.ratio is None else f"{v.ratio:.2f}x"
        lines.append(f"| {v.target} | {v.ours} | {v.peer} | {ratio} | {v.goal} | {words[v.met]} |")
    return "\n".join(lines)


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"

