"""Units of work: the independent pieces a build renders, each with a stable name.

A content folder holds decks (`content/story.yaml` is `deck:main`, `content/stories/NAME/story.yaml`
is `deck:NAME`) and accounts (`content/accounts/NAME/` is `account:NAME`), plus the site index
(`site:index`), which depends on every account. Each unit renders on its own, possibly in another
process, and is skipped when nothing it is made from changed.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import ContentError, Problem, StorypackError
from generator.fingerprint import file_hash, rel
from generator.layout import ACCOUNTS, MAIN_STORY, STORIES, STORY_FILE

if TYPE_CHECKING:
    from generator.build import BuildSettings

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DECK_FILE = "success-story.pptx"


@dataclass(frozen=True, order=True)
class Unit:
    """One independently built piece of the output: a deck, one account's pages, the index."""

    name: str
    """Stable name used by --only, --shard and the manifest: 'deck:main', 'account:kestrel-freight'."""
    kind: str
    folder: Path
    """The content folder the unit reads: the story's folder, the account's folder, or accounts/."""

    @property
    def short(self) -> str:
        """Return the name without its kind: 'main', 'kestrel-freight'."""
        return self.name.split(":", 1)[1]


@dataclass
class UnitResult:
    """What rendering one unit gave: its files, or the problems that stopped it."""

    name: str
    files: dict[str, bytes] = field(default_factory=dict)
    reads: dict[str, str] | None = None
    """The content files it read (relative path -> SHA-256), for kinds that learn them while rendering."""
    warnings: str = ""
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Kind:
    """How one kind of unit is rendered and what, besides its content, it depends on."""

    templates: str
    """The templates subfolder it reads ('' for the whole templates folder)."""
    code_excluded: tuple[str, ...]
    """Subpackages of `generator` it never imports, so that editing them does not rebuild it."""
    uses_as_of: bool
    watches_folder: bool
    """True: it reads every file in its folder. False: it reads the files it names (recorded at build)."""
    render: Callable[[Unit, BuildSettings], UnitResult]


class SelectionError(StorypackError):
    """--only or --shard selects nothing that exists, or is malformed."""

    exit_code = 2


def discover(content: Path) -> list[Unit]:
    """Return every unit of the content folder, sorted by name, or raise a ContentError."""
    problems: list[Problem] = []
    units = [Unit(f"deck:{name}", "deck", folder) for name, folder in story_folders(content).items()]
    if (content / STORY_FILE).exists() and (content / STORIES / MAIN_STORY).is_dir():
        problems.append(Problem(str(content / STORIES / MAIN_STORY), None,
                                f"the name '{MAIN_STORY}' is taken by {STORY_FILE} of the content folder",
                                "rename the folder"))
    accounts = content / ACCOUNTS
    if accounts.is_dir():
        units += [Unit(f"account:{p.name}", "account", p) for p in sorted(accounts.iterdir())
                  if p.is_dir() and not p.name.startswith(".")]
        units.append(Unit("site:index", "index", accounts))
    for unit in units:
        if unit.kind == "deck" and unit.folder != content and not NAME.match(unit.short):
            problems.append(Problem(str(unit.folder), None, f"story folder name {unit.short!r} is not usable as a name",
                                    "rename it with lower-case letters, digits and hyphens only, e.g. emea"))
    if problems:
        raise ContentError(problems)
    return sorted(units)


def story_folders(content: Path) -> dict[str, Path]:
    """Return the decks of a content folder by name: 'main' (content/story.yaml) and each stories/NAME/.

    A folder under stories/ counts whether or not it holds a story.yaml; building it reports a missing one.
    """
    found = {MAIN_STORY: content} if (content / STORY_FILE).exists() else {}
    folder = content / STORIES
    if folder.is_dir():
        found.update((p.name, p) for p in sorted(folder.iterdir())
                     if p.is_dir() and not p.name.startswith(".") and p.name not in found)
    return found


def select(units: Sequence[Unit], only: Sequence[str] = (), shard: tuple[int, int] | None = None) -> list[Unit]:
    """Return the units matching any --only pattern (all when none) and falling in shard I of N."""
    chosen = list(units)
    if only:
        for pattern in only:
            if not any(_matches(unit, pattern) for unit in units):
                raise SelectionError(f"--only {pattern}: no such deck or account{_did_you_mean(pattern, units)}")
        chosen = [unit for unit in units if any(_matches(unit, pattern) for pattern in only)]
    if shard is not None:
        index, count = shard
        chosen = [unit for unit in chosen if shard_of(unit.name, count) == index]
    return chosen


def shard_of(name: str, count: int) -> int:
    """Return the shard (1..count) of the unit called `name`: stable across runs, machines and Pythons."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:16], 16) % count + 1


def parse_shard(text: str) -> tuple[int, int]:
    """Return (I, N) from 'I/N', 1 <= I <= N, or raise SelectionError."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise SelectionError(f"--shard {text}: write I/N with 1 <= I <= N, e.g. 2/4")
    return int(match.group(1)), int(match.group(2))


def _matches(unit: Unit, pattern: str) -> bool:
    """Return True when `pattern` (a name or a glob) names the unit, in full or without its kind."""
    return fnmatch.fnmatchcase(unit.name, pattern) or fnmatch.fnmatchcase(unit.short, pattern)


def _did_you_mean(pattern: str, units: Sequence[Unit]) -> str:
    """Return '; did you mean ...?' for the closest unit name, or the list of names."""
    import difflib
    names = [unit.name for unit in units]
    close = difflib.get_close_matches(pattern, names + [unit.short for unit in units], n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; the units are: {', '.join(names[:10])}{' ...' if len(names) > 10 else ''}"


def render_unit(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the unit rendered (in this process): its files, or the problems found in its content."""
    started = time.perf_counter()
    try:
        result = KINDS[unit.kind].render(unit, settings)
    except ContentError as exc:
        result = UnitResult(unit.name, problems=list(exc.problems))
    result.seconds = time.perf_counter() - started
    return result


def _render_deck(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the deck of one story, with the files it read."""
    from generator.charts import chart_cache
    from generator.deck import render_story
    from generator.story import load_story

    with recording_reads(settings.content) as read, chart_cache(cache_folder(settings, "charts")):
        story = load_story(unit.folder)
        files = render_story(story, settings.templates)
    if settings.pdf or settings.thumbnails:
        from generator.deck import DECK_FILE
        from generator.deck.export import export_files
        from generator.deck.package import build_time

        files.update(export_files(files[DECK_FILE], build_time(story.story.date), settings.pdf, settings.thumbnails))
    read.update([story.story_doc.path, story.metrics_doc.path, *(note.path for note in story.notes.values())])
    prefix = "" if unit.short == MAIN_STORY else f"{STORIES}/{unit.short}/"
    return UnitResult(unit.name, {prefix + name: data for name, data in files.items()},
                      reads={rel(path, settings.content): file_hash(path) for path in sorted(read)})


CACHE = ".storypack-cache"
"""The folder beside the output folder that holds what a build may reuse (chart pictures); safe to delete."""


def cache_folder(settings: BuildSettings, kind: str) -> Path | None:
    """Return the cache folder of `kind` for builds into the output folder (OUTPUT/../.storypack-cache/KIND),
    or None when the build must write nothing but its output (check)."""
    return cache_root(settings) / kind if settings.cache else None


def cache_root(settings: BuildSettings) -> Path:
    """Return the folder beside the output folder that holds the caches of builds into it."""
    return settings.output.resolve().parent / CACHE


_RECORDERS: list[tuple[Path, set[Path]]] = []
_HOOKED = False


@contextlib.contextmanager
def recording_reads(content: Path) -> Iterator[set[Path]]:
    """Yield a set that fills with every file under `content` this process opens meanwhile.

    A deck reads story.yaml, the files it names and whatever the deck renderer opens (a PowerPoint
    template, pictures): an audit hook sees each open, so the manifest lists them all.
    """
    global _HOOKED
    if not _HOOKED:
        sys.addaudithook(_on_audit)
        _HOOKED = True
    found: set[Path] = set()
    _RECORDERS.append((content.resolve(), found))
    try:
        yield found
    finally:
        _RECORDERS.pop()
        found.intersection_update(path for path in list(found) if path.is_file())


def _on_audit(event: str, args: tuple[object, ...]) -> None:
    """Record files opened under the recording content folder (the 'open' audit event)."""
    if event != "open" or not _RECORDERS or not isinstance(args[0], (str, Path)):
        return
    root, found = _RECORDERS[-1]
    path = Path(os.path.abspath(args[0]))
    if path.is_relative_to(root):
        found.add(path)


def _render_account(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the pages of one account and its warnings."""
    from generator.site_units import render_account_pages

    files, warnings = render_account_pages(settings.content, unit.short, settings.as_of, settings.templates)
    return UnitResult(unit.name, files, warnings=warnings)


def _render_index(unit: Unit, settings: BuildSettings) -> UnitResult:
    """Return the site index and style sheet."""
    from generator.site_units import render_site_index

    return UnitResult(unit.name, render_site_index(settings.content, settings.as_of, settings.templates))


KINDS: dict[str, Kind] = {
    "deck": Kind("deck", ("meetings",), uses_as_of=False, watches_folder=False, render=_render_deck),
    "account": Kind("site", ("deck",), uses_as_of=True, watches_folder=True, render=_render_account),
    "index": Kind("site", ("deck",), uses_as_of=True, watches_folder=True, render=_render_index),
}
"""Each kind of unit: its templates, the code it does not depend on, how it is rendered."""
