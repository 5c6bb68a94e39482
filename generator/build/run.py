"""Run a build: find the units of content/, then build the changed ones into output/ (`build_report`) or
render them all in memory and write nothing (`check`, `gather`)."""

from __future__ import annotations

import dataclasses

from generator.build.incremental import incremental_build
from generator.build.progress import Progress
from generator.build.settings import (
    BuildOptions,
    BuildReport,
    BuildSettings,
    default_jobs,
)
from generator.build.units import Unit, discover, raise_problems, select
from generator.errors import ContentError, Problem


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
    from generator.build.workers import render_all

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
    options = options or BuildOptions()
    units, chosen = find_units(settings, options)
    return incremental_build(settings, options, units, chosen, progress or Progress(quiet=True))


def check(settings: BuildSettings, options: BuildOptions | None = None) -> None:
    """Read, validate and render everything in memory, writing nothing; raise ContentError on problems."""
    gather(dataclasses.replace(settings, cache=False), options)
