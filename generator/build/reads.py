"""Which content files a unit read: an audit hook records every file opened under the content folder.

DuckDB opens ticket exports in its own code, where the hook sees nothing: the units that read an
export record its files themselves, and each glob of `tickets.files` as a `glob:` entry whose hash is
that of the list of files it matches, so that a new export file matching it rebuilds the unit.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.hashing import SERVED, digest, file_hash, rel

GLOB = "glob:"
"""The prefix of an input that is a glob of content files (relative to the content folder), not one file."""


def glob_hash(content: Path, pattern: str) -> str:
    """Return the hash of the files under `content` that `pattern` matches (their names, sorted)."""
    matches = sorted(rel(path, content) for path in content.glob(pattern) if path.is_file())
    return "glob-" + digest({"matches": matches})


def export_inputs(content: Path, folder: Path, paths: Iterable[Path], patterns: Iterable[str]) -> dict[str, str]:
    """Return the inputs of ticket export files `paths` and globs `patterns` (relative to `folder`)."""
    found = {rel(path, content): file_hash(path) for path in paths}
    base = rel(folder, content)
    for pattern in patterns:
        name = pattern if base in ("", ".") else f"{base}/{pattern}"
        if glob.has_magic(name):
            found[GLOB + name] = glob_hash(content, name)
    return found

_RECORDERS: list[tuple[Path, set[Path]]] = []
_HOOKED = False


@contextlib.contextmanager
def recording_reads(content: Path) -> Iterator[set[Path]]:
    """Yield a set that fills with every file under `content` this process opens meanwhile.

    A deck reads story.yaml, the files it names and whatever the deck renderer opens (a PowerPoint
    template, pictures): an audit hook sees each open, and each file the build had read already and
    hands on from memory, so the manifest lists them all.
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
    """Record files opened under the recording content folder (the 'open' audit event), and those whose bytes
    a reader was given from memory because the build had read them already (SERVED)."""
    if event not in ("open", SERVED) or not _RECORDERS or not isinstance(args[0], (str, Path)):
        return
    root, found = _RECORDERS[-1]
    path = Path(os.path.abspath(args[0]))
    if path.is_relative_to(root):
        found.add(path)


