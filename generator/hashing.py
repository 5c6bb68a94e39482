"""Hashes of files, folders and values: what every stage uses to tell whether something changed.

Cheap on purpose (hashlib, os): a build runs them before any rendering, so that a build with nothing
to do never imports python-pptx, matplotlib or the content schemas.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

MISSING = "missing"
"""The fingerprint recorded for a file that does not exist (so that creating it changes the key)."""

KEEP_AT_MOST = 1 << 20
"""Largest file kept in memory by `keeping` (bytes): larger ones (ticket exports) are hashed as they stream."""
SERVED = "generator.read"
"""The audit event raised when a reader is given a kept file's bytes instead of opening it (args: the path)."""
_kept: dict[str, tuple[bytes | None, str]] | None = None
"""While `keeping`: the files read so far, by absolute path -> (their bytes, or None when too large; SHA-256)."""


@contextlib.contextmanager
def keeping() -> Iterator[None]:
    """Within this block each file is read from disk once: whoever hashes or reads it again in this process
    (or in a worker forked meanwhile) gets the bytes read first. A build keeps its content files so; outside
    the block every read goes to disk, so that a long-running process never sees a file as an earlier build did."""
    global _kept
    outer = _kept
    _kept = {} if outer is None else outer
    try:
        yield
    finally:
        _kept = outer


def file_hash(path: Path) -> str:
    """Return the SHA-256 of the file's bytes as hex, or MISSING when it cannot be read."""
    held = _kept.get(os.path.abspath(path)) if _kept is not None else None
    if held is not None:
        return held[1]
    try:
        with open(path, "rb") as handle:
            if _kept is None or os.fstat(handle.fileno()).st_size > KEEP_AT_MOST:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
                if _kept is not None:
                    _kept[os.path.abspath(path)] = (None, digest)
                return digest
            data = handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError):
        return MISSING
    return _keep(path, data)[1]


def hashed_meanwhile(paths: list[Path]) -> Callable[[], list[str]]:
    """Start hashing `paths` (as `file_hash`) in a thread and return the function that waits for the hashes.
    hashlib lets go of the interpreter lock while it hashes, so that work in C meanwhile (a DuckDB query) and the
    hashing share the machine's cores."""
    found: list[str] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            found.extend(file_hash(path) for path in paths)
        except BaseException as exc:  # handed to the caller that waits, as if it had hashed them itself
            failed.append(exc)

    thread = threading.Thread(target=work, name="storypack-hash", daemon=True)
    thread.start()

    def wait() -> list[str]:
        thread.join()
        if failed:
            raise failed[0]
        return found
    return wait


def read_bytes(path: Path) -> bytes:
    """Return the file's bytes, read from disk once while `keeping` (OSError as `Path.read_bytes` raises it)."""
    held = _kept.get(os.path.abspath(path)) if _kept is not None else None
    if held is not None and held[0] is not None:
        sys.audit(SERVED, path)
        return held[0]
    data = path.read_bytes()
    if _kept is not None and len(data) <= KEEP_AT_MOST:
        _keep(path, data)
    return data


def _keep(path: Path, data: bytes) -> tuple[bytes, str]:
    """Keep `data` as the bytes of `path` for the rest of the `keeping` block; return it with its SHA-256."""
    held = (data, hashlib.sha256(data).hexdigest())
    if _kept is not None:
        _kept[os.path.abspath(path)] = held
    return held


def bytes_hash(data: bytes) -> str:
    """Return the SHA-256 of `data` as hex."""
    return hashlib.sha256(data).hexdigest()


def tree_files(folder: Path) -> list[Path]:
    """Return every file under `folder` (hidden names and __pycache__ skipped), sorted; [] if absent."""
    found: list[Path] = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found += [Path(base) / name for name in names if not name.startswith(".")]
    return sorted(found)


def tree_hashes(folder: Path, relative_to: Path) -> dict[str, str]:
    """Return {path relative to `relative_to`: SHA-256} for every file under `folder`."""
    return {name: file_hash(path) for name, path in tree_names(folder, relative_to)}


def tree_names(folder: Path, relative_to: Path) -> list[tuple[str, Path]]:
    """Return every file under `folder` (as `tree_files`) with its name relative to `relative_to` (as `rel`).

    Only the folder is resolved, and the files that are links: os.walk enters no linked folder.
    """
    base = rel(folder, relative_to)
    prefix = "" if base == "." else base + "/"
    return [(rel(path, relative_to) if path.is_symlink() else prefix + path.relative_to(folder).as_posix(), path)
            for path in tree_files(folder)]


def folder_hash(folder: Path) -> str:
    """Return one hash of the names and contents of every file under `folder` ('' when it is missing); while
    `keeping`, each folder's is computed once."""
    key = "\0" + os.path.abspath(folder)  # no file's path starts so
    held = _kept.get(key) if _kept is not None else None
    if held is not None:
        return held[1]
    found = digest({path.relative_to(folder).as_posix(): file_hash(path) for path in tree_files(folder)}
                   ) if folder.is_dir() else ""
    if _kept is not None:
        _kept[key] = (None, found)
    return found


def rel(path: Path, root: Path) -> str:
    """Return `path` relative to `root` with forward slashes (absolute when it lies outside)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def digest(parts: Mapping[str, object]) -> str:
    """Return the SHA-256 of `parts` written as canonical JSON."""
    return bytes_hash(json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str).encode())
