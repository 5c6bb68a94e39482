"""The build cache beside the output folder: pictures that are costly to draw, keyed by what decides their bytes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

KEEP_DAYS = 30
"""A cached picture no build has used for this many days is deleted (the cache does not grow without end)."""


def drawing_versions(modules: Iterable[ModuleType], packages: tuple[str, ...]) -> tuple[str, ...]:
    """Return the hash of the drawing code (the source files of `modules`) and the versions of `packages`.

    Modules are named by object, not by file name, so moving one cannot silently leave it out of the key.
    """
    from importlib.metadata import PackageNotFoundError, version

    code = hashlib.sha256(b"".join(Path(str(module.__file__)).read_bytes() for module in modules))
    found = [code.hexdigest()]
    for package in packages:
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} ?")
    return tuple(found)


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically (parallel workers may store the same one); a failure only costs a redraw."""
    handle = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        if handle is not None:
            with contextlib.suppress(OSError):
                os.unlink(handle.name)


def touch(path: Path) -> None:
    """Mark a cache file as used now (what `prune` goes by); a failure changes nothing."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune(folder: Path | None, days: float = KEEP_DAYS) -> int:
    """Delete the files of `folder` that no build used for `days` days (and abandoned temporary files);
    return how many were deleted."""
    if folder is None or not folder.is_dir():
        return 0
    cutoff = time.time() - days * 86400
    deleted = 0
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                deleted += 1
    return deleted
