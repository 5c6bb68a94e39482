"""The build: find the units of content/, render those whose inputs changed, then write output/ in one step.

The flow: `units.discover` (decks, accounts, the site index) -> `units.select` (--only, --shard) ->
`manifest.Fingerprints` (what each unit is made from; unchanged units are kept as they are) ->
`units.render_unit` for the others, in parallel worker processes -> `output.Staging` (kept files
hard-linked from the previous output, new ones written, the manifest, then one atomic swap).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, Problem, Problems
from generator.progress import Progress
from generator.units import Unit, UnitResult, discover, select


@dataclass(frozen=True)
class BuildSettings:
    """What a build reads, where it writes, and the date it judges 'overdue' against."""

    content: Path
    output: Path
    as_of: dt.date
    templates: Path = Path("templates")
    pdf: bool = False
    """Also write each deck as PDF (needs LibreOffice)."""
    thumbnails: bool = False
    """Also write a PNG thumbnail of every slide (needs LibreOffice and poppler)."""
    cache: bool = True
    """Reuse and store chart pictures in .storypack-cache/ beside the output folder."""


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs: which units, how many at once, and whether to ignore what is up to date."""

    jobs: int | None = None
    """Worker processes; None: the number of cores this process may use."""
    only: tuple[str, ...] = ()
    """Build only the units matching one of these names or globs ('deck:emea', 'kestrel-freight', 'deck:*')."""
    shard: tuple[int, int] | None = None
    """(I, N): build only the units of shard I of N, chosen by a stable hash of their names."""
    force: bool = False
    """Rebuild the selected units even when their inputs are unchanged."""
    warm: bool = False
    """This process has built before and keeps what it loaded (watch): a few units are rebuilt in it, not in workers."""


@dataclass
class BuildReport:
    """What a build did, unit by unit."""

    files: list[str] = field(default_factory=list)
    """Every file of the output folder after the build (the manifest and marker aside), sorted."""
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Units not selected (--only, --shard) whose previous outputs were kept as they were."""
    removed: list[str] = field(default_factory=list)
    """Units whose content is gone: their outputs were removed."""
    written: bool = False
    """False when nothing changed and output/ was left alone."""


def resolve_as_of(given: dt.date | None = None) -> dt.date:
    """Return the build's as-of date: the one given, else SOURCE_DATE_EPOCH's (UTC), else today."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def default_jobs() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def find_units(settings: BuildSettings, options: BuildOptions) -> tuple[list[Unit], list[Unit]]:
    """Return every unit of the content folder and the selected ones, or raise a ContentError."""
    content = settings.content
    if not content.is_dir():
        raise ContentError([Problem(str(content), None, "content folder not found",
                                    "run from the project folder or pass --content DIR")])
    units = discover(content)
    if not units:
        raise ContentError([Problem(str(content), None, "holds nothing to build",
                                    "add story.yaml (the success story) or accounts/ (meeting pages)")])
    return units, select(units, options.only, options.shard)


def gather(settings: BuildSettings, options: BuildOptions | None = None,
           progress: Progress | None = None) -> dict[str, bytes]:
    """Return every output file of the selected units, rendered afresh, or raise a ContentError."""
    from generator.workers import render_all

    options = options or BuildOptions()
    _, chosen = find_units(settings, options)
    results = render_all([(unit, "check") for unit in chosen], settings, options.jobs or default_jobs(),
                         progress or Progress(quiet=True))
    raise_problems(results.values(), settings.content)
    files: dict[str, bytes] = {}
    for name in sorted(results):
        files.update(results[name].files)
    return files


def build(settings: BuildSettings, options: BuildOptions | None = None, progress: Progress | None = None) -> list[str]:
    """Build into settings.output atomically, skipping unchanged units; return the output's file names."""
    return build_report(settings, options, progress).files


def build_report(settings: BuildSettings, options: BuildOptions | None = None,
                 progress: Progress | None = None) -> BuildReport:
    """Build the selected units that changed into settings.output atomically; return what was done."""
    from generator.incremental import incremental_build

    options = options or BuildOptions()
    units, chosen = find_units(settings, options)
    return incremental_build(settings, options, units, chosen, progress or Progress(quiet=True))


def check(settings: BuildSettings, options: BuildOptions | None = None) -> None:
    """Read, validate and render everything in memory, writing nothing; raise ContentError on problems."""
    gather(dataclasses.replace(settings, cache=False), options)


def raise_problems(results: Iterable[UnitResult], content: Path) -> None:
    """Raise one ContentError with every unit's problems (each reported once), if there are any."""
    problems = Problems(content)
    seen: set[Problem] = set()
    for result in results:
        for problem in result.problems:
            if problem not in seen:
                seen.add(problem)
                problems.items.append(problem)
    problems.raise_if_any()
