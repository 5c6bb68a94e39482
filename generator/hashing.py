"""Hashes of files, folders and values: what every stage uses to tell whether something changed.

Cheap on purpose (hashlib, os): a build runs them before any rendering, so that a build with nothing
to do never imports python-pptx, matplotlib or the content schemas.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

MISSING = "missing"
"""The fingerprint recorded for a file that does not exist (so that creating it changes the key)."""


def file_hash(path: Path) -> str:
    """Return the SHA-256 of the file's bytes as hex, or MISSING when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError):
        return MISSING


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
    return {rel(path, relative_to): file_hash(path) for path in tree_files(folder)}


def folder_hash(folder: Path) -> str:
    """Return one hash of the names and contents of every file under `folder` ('' when it is missing)."""
    if not folder.is_dir():
        return ""
    return digest({path.relative_to(folder).as_posix(): file_hash(path) for path in tree_files(folder)})


def rel(path: Path, root: Path) -> str:
    """Return `path` relative to `root` with forward slashes (absolute when it lies outside)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def digest(parts: Mapping[str, object]) -> str:
    """Return the SHA-256 of `parts` written as canonical JSON."""
    return bytes_hash(json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str).encode())
