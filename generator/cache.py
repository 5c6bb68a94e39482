"""The build cache beside the output folder: pictures that are costly to draw, keyed by what decides their bytes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


def drawing_versions(folder: Path, sources: tuple[str, ...], packages: tuple[str, ...]) -> tuple[str, ...]:
    """Return the hash of the drawing code (`sources` in `folder`) and the versions of `packages`."""
    from importlib.metadata import PackageNotFoundError, version

    code = hashlib.sha256(b"".join((folder / name).read_bytes() for name in sources))
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
