"""Render units in parallel worker processes, reporting each as it finishes.

Each unit renders independently and deterministically, so the bytes do not depend on the number
of workers or the order they finish in; callers assemble results by unit name.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from generator.build.kinds import render_unit
from generator.build.progress import Progress
from generator.build.settings import BuildSettings
from generator.build.units import Unit, UnitResult

COST = {"index": 0, "deck": 1, "account": 2}
"""Order in which kinds are handed to workers: the longest first, so the last to finish are short."""


WARM_SERIAL = 4
"""In a warm process (watch), up to this many units are rebuilt in it: new workers would load everything again."""


def render_all(work: Sequence[tuple[Unit, str]], settings: BuildSettings, jobs: int,
               progress: Progress, warm: bool = False) -> dict[str, UnitResult]:
    """Return the result of each (unit, why it is rebuilt), by unit name, using up to `jobs` processes."""
    order = sorted(work, key=lambda pair: (COST.get(pair[0].kind, 9), pair[0].name))
    reasons = {unit.name: reason for unit, reason in order}
    progress.start([unit.name for unit, _ in order], jobs)
    results: dict[str, UnitResult] = {}
    try:
        if jobs <= 1 or len(order) <= 1 or (warm and len(order) <= WARM_SERIAL):
            for unit, _ in order:
                _finish(render_unit(unit, settings), reasons, progress, results)
        else:
            _in_pool([unit for unit, _ in order], settings, jobs, reasons, progress, results)
    finally:
        progress.close()
    return results


def _in_pool(units: list[Unit], settings: BuildSettings, jobs: int, reasons: dict[str, str],
             progress: Progress, results: dict[str, UnitResult]) -> None:
    """Render `units` in a pool of min(jobs, len(units)) processes, filling `results`."""
    with ProcessPoolExecutor(max_workers=min(jobs, len(units)), mp_context=_context(),
                             initializer=_adopt_environment, initargs=(dict(os.environ),)) as pool:
        pending: set[Future[UnitResult]] = {pool.submit(render_unit, unit, settings) for unit in units}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                _finish(future.result(), reasons, progress, results)


def _finish(result: UnitResult, reasons: dict[str, str], progress: Progress, results: dict[str, UnitResult]) -> None:
    """Record one unit's result, print its warnings to stderr and report it."""
    results[result.name] = result
    if result.warnings:
        sys.stderr.write(result.warnings)
    progress.finished(result.name, result.seconds, reasons[result.name], ok=not result.problems)


def _adopt_environment(environment: dict[str, str]) -> None:
    """Give a worker the environment of the build that started it (SOURCE_DATE_EPOCH, STORYPACK_CHART_CACHE ...):
    a worker started by a fork server has the server's, which may be older."""
    os.environ.clear()
    os.environ.update(environment)


FORK_UNSAFE = ("duckdb",)
"""Libraries whose threads do not survive a fork: once one is loaded, workers start from a fresh process."""


def _context() -> multiprocessing.context.BaseContext:
    """Return the 'fork' context where there is one (workers start at once, sharing what is loaded), unless
    this process has loaded a library that forking would break (then 'forkserver', else the default)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and not any(name in sys.modules for name in FORK_UNSAFE):
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()
