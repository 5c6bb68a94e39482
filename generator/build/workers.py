"""Render units in parallel worker processes, reporting each as it finishes.

Each unit renders independently and deterministically, so the bytes do not depend on the number
of workers or the order they finish in; callers assemble results by unit name.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.kinds import render_unit
from generator.build.output import Folder
from generator.build.progress import Progress
from generator.build.settings import BuildSettings
from generator.build.units import Unit, UnitResult
from generator.build.workload import account_count, plan, preload

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future

COST = {"index": 0, "deck": 1, "account": 2}
"""Order in which kinds are handed to workers: the longest first, so the last to finish are short."""


def render_all(work: Sequence[tuple[Unit, str]], settings: BuildSettings, jobs: int,
               progress: Progress, into: Path | None = None) -> dict[str, UnitResult]:
    """Return the result of each (unit, why it is rebuilt), by unit name, using up to `jobs` processes: as many
    as finish soonest (`workload.plan`), often this one alone.

    With `into` (the build's new output folder), each worker writes its units' files there itself, in parallel,
    and hands back their hashes (`UnitResult.written`) instead of their bytes; this process's units keep theirs.
    """
    order = sorted(work, key=lambda pair: (COST.get(pair[0].kind, 9), pair[0].name))
    reasons = {unit.name: reason for unit, reason in order}
    units = [unit for unit, _ in order]
    workers, codes = plan(units, jobs, account_count(settings.content), _forks())
    progress.start([unit.name for unit in units], workers)
    results: dict[str, UnitResult] = {}
    try:
        if workers <= 1:
            for unit in units:
                _finish(render_unit(unit, settings), reasons, progress, results)
        else:
            preload(codes)
            _in_pool(units, settings, workers, reasons, progress, results, into)
    finally:
        progress.close()
    return results


def _in_pool(units: list[Unit], settings: BuildSettings, jobs: int, reasons: dict[str, str],
             progress: Progress, results: dict[str, UnitResult], into: Path | None) -> None:
    """Render `units` in a pool of `jobs` processes, filling `results`."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # only when a pool is worth it

    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                             initializer=_adopt_environment, initargs=(dict(os.environ),)) as pool:
        pending: set[Future[UnitResult]] = {pool.submit(_render_into, unit, settings, into) for unit in units}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                _finish(future.result(), reasons, progress, results)


_FOLDERS: dict[Path, Folder] = {}
"""The output folders this worker writes into: each remembers the folders it has made."""


def _render_into(unit: Unit, settings: BuildSettings, into: Path | None) -> UnitResult:
    """Render `unit` (in a worker); with `into`, write its files there and return their hashes instead."""
    result = render_unit(unit, settings)
    if into is not None and not result.problems:
        folder = _FOLDERS.get(into) or _FOLDERS.setdefault(into, Folder(into))
        result.written, result.files = folder.write_all(result.files), {}
    return result


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


def _forks() -> bool:
    """Return True when workers would be forked from this process (what `_context` picks), without loading
    multiprocessing: everywhere but Windows, unless a library that forking would break is loaded."""
    return sys.platform != "win32" and not any(name in sys.modules for name in FORK_UNSAFE)


def _context() -> multiprocessing.context.BaseContext:
    """Return the 'fork' context where there is one (workers start at once, sharing what is loaded), unless
    this process has loaded a library that forking would break (then 'forkserver', else the default)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if _forks() and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()
