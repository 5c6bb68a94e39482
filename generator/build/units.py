"""Units of work: the independent pieces a build renders, each with a stable name.

A content folder holds decks (`content/story.yaml` is `deck:main`, `content/stories/NAME/story.yaml`
is `deck:NAME`) and accounts (`content/accounts/NAME/` is `account:NAME`), plus the site index
(`site:index`), which depends on every account. Each unit renders on its own, possibly in another
process, and is skipped when nothing it is made from changed.
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, Problem, Problems, SelectionError
from generator.read.layout import ACCOUNTS, MAIN_STORY, STORIES, STORY_FILE

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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
    written: dict[str, str] | None = None
    """Files a worker wrote into the build's new output folder itself (name -> SHA-256): then `files` is empty."""
    reads: dict[str, str] | None = None
    """The content files it read (relative path -> SHA-256), for kinds that learn them while rendering."""
    warnings: str = ""
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


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
    names = [unit.name for unit in units]
    close = difflib.get_close_matches(pattern, names + [unit.short for unit in units], n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; the units are: {', '.join(names[:10])}{' ...' if len(names) > 10 else ''}"


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
