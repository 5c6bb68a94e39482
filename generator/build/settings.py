"""What a build is asked to do (settings, options) and what it did (report); where its caches live."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path


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


CACHE = ".storypack-cache"
"""The folder beside the output folder that holds what a build may reuse (chart pictures); safe to delete."""


def cache_folder(settings: BuildSettings, kind: str) -> Path | None:
    """Return the cache folder of `kind` for builds into the output folder (OUTPUT/../.storypack-cache/KIND),
    or None when the build must write nothing but its output (check)."""
    return cache_root(settings) / kind if settings.cache else None


def cache_root(settings: BuildSettings) -> Path:
    """Return the folder beside the output folder that holds the caches of builds into it."""
    return settings.output.resolve().parent / CACHE


