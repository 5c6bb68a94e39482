"""Which content files a unit read: an audit hook records every file opened under the content folder."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

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


