"""How many processes to render a build's units in: this one alone, unless sharing the units among workers
finishes sooner even counting what starting the workers costs.

A worker forked from a process that has loaded the code a unit needs starts at once; one that must load
it itself (python-pptx and matplotlib for a deck; Jinja, Markdown, iCalendar and the schemas for the
pages) first spends about as long as rendering a deck, or twenty accounts. So 80 accounts and their index
are shared between two workers forked after the meeting pack is loaded, while a changed page (its account
and the index, which reads every account anyway) is built in this process. The figures are rough costs on
a 2-core machine of the kind CI runs on; only their proportions matter.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.build.units import Unit
from generator.read.layout import ACCOUNTS

CODE = {"deck": "deck", "account": "site", "index": "site"}
"""The code each kind of unit runs: a process loads each once."""
LOAD_S = {"deck": 0.6, "site": 0.3}
"""About how long a process takes to load each code."""
MODULES = {"deck": "generator.deck.charts.picture", "site": "generator.meetings.pages"}
"""A module of each code: once it is loaded (as in a warm `storypack watch`), a forked worker has that code."""
PRELOAD = frozenset({"site"})
"""The codes this process loads before forking workers when every unit needs them. Not a deck's: a deck whose
figures come from a ticket export loads DuckDB when it summarises it, and DuckDB's threads do not survive a
fork (see workers.FORK_UNSAFE); preloading the other deck code was not measured."""
SECONDS = {"deck": 0.35, "account": 0.012, "index": 0.03}
"""About how long one unit of each kind takes to render once its code is loaded (a deck drawing its charts)."""
INDEX_PER_ACCOUNT_S = 0.0025
"""What the index adds for each account: it reads them all."""
FORK_S = 0.03
"""Forking the workers and collecting their results (a worker that inherits everything it needs)."""
SPAWN_S = 0.15
"""Starting a fresh worker process instead (no fork): it inherits nothing."""
MARGIN_S = 0.05
"""Workers are used only when they are expected to save at least this much."""


def costs(units: Sequence[Unit], accounts: int) -> list[tuple[str, float]]:
    """Return each unit's (code, seconds), in the order given; `accounts`: how many accounts the content has."""
    return [(CODE.get(unit.kind, "deck"),
             SECONDS.get(unit.kind, SECONDS["deck"]) + (INDEX_PER_ACCOUNT_S * accounts if unit.kind == "index" else 0))
            for unit in units]


def makespan(work: Sequence[tuple[str, float]], workers: int, loaded: frozenset[str], start: float) -> float:
    """Return how long `workers` processes take to render `work` handed out in order, each unit to the process
    that is free first; a process loads a code the first time it needs it unless it has it from the start."""
    free = [start] * workers
    has = [set(loaded) for _ in range(workers)]
    for code, seconds in work:
        i = min(range(workers), key=free.__getitem__)
        if code not in has[i]:
            free[i] += LOAD_S.get(code, 0.0)
            has[i].add(code)
        free[i] += seconds
    return max(free)


def plan(units: Sequence[Unit], jobs: int, accounts: int, forks: bool) -> tuple[int, frozenset[str]]:
    """Return how many processes to use for `units` (1: this one) and which codes to load here before forking.

    `forks`: workers are forked from this process (else started afresh); `jobs`: at most this many workers.
    """
    work = costs(units, accounts)
    here = frozenset(code for code in MODULES if _loaded(code))
    best, choice = makespan(work, 1, here, 0.0), (1, frozenset[str]())
    if jobs <= 1 or len(units) <= 1:
        return choice
    codes = {code for code, _ in work}
    preload = frozenset(codes - here) if forks and len(codes) == 1 and codes <= PRELOAD else frozenset[str]()
    inherited = (here | preload) if forks else frozenset[str]()
    before = sum(LOAD_S[code] for code in preload)
    for workers in range(2, min(jobs, len(units)) + 1):
        took = before + makespan(work, workers, inherited, FORK_S if forks else SPAWN_S)
        if took < best - MARGIN_S:
            best, choice = took, (workers, preload)
    return choice


def preload(codes: frozenset[str]) -> None:
    """Load `codes` in this process, so that the workers forked next have them."""
    for code in sorted(codes):
        importlib.import_module(MODULES[code])


def _loaded(code: str) -> bool:
    """Return True when this process has loaded `code`."""
    return MODULES[code] in sys.modules


def account_count(content: Path) -> int:
    """Return how many account folders the content folder has (what the index reads)."""
    try:
        return sum(1 for p in (content / ACCOUNTS).iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return 0
