"""Fingerprints of what an output is made from: content files, templates, the tool's own code.

Everything here is cheap on purpose (hashlib, os): it runs before any rendering, so that a build
with nothing to do never imports python-pptx, matplotlib or the content schemas.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import generator

MISSING = "missing"
"""The fingerprint recorded for a file that does not exist (so that creating it changes the key)."""

PACKAGE = Path(generator.__file__).resolve().parent


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


def source_hashes() -> dict[str, str]:
    """Return {path inside the generator package: SHA-256} for each of its Python source files."""
    return {path.relative_to(PACKAGE).as_posix(): file_hash(path)
            for path in tree_files(PACKAGE) if path.suffix == ".py"}


def code_hash(sources: Mapping[str, str], excluded: Iterable[str] = ()) -> str:
    """Return a hash of the generator's `sources` (from source_hashes) and the installed packages' versions.

    `excluded` names subpackages of `generator` that the output does not depend on (e.g. 'meetings'
    for a deck), so that editing the meeting pack does not rebuild every deck.
    """
    skip = tuple(excluded)
    kept = {name: value for name, value in sources.items() if name.split("/")[0] not in skip}
    return digest({"version": generator.__version__, "python": sys.version, "sources": kept,
                   "packages": installed_packages()})


def installed_packages() -> list[str]:
    """Return the names of the installed distributions with their versions (their dist-info folders)."""
    found: set[str] = set()
    for entry in sys.path:
        if not entry.rstrip("/").endswith(("site-packages", "dist-packages")):
            continue  # the working folder and the like: what they hold depends on how storypack was started
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        found.update(name for name in names if name.endswith(".dist-info"))
    return sorted(found)


FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local/share/fonts")
"""Where installed fonts live (the deck's text is measured, and its charts drawn, with them)."""


@functools.lru_cache(maxsize=1)
def installed_fonts() -> str:
    """Return a hash of the font files in FONT_DIRS (paths, sizes, times): it changes when fonts are installed."""
    found = hashlib.sha256()
    for folder in FONT_DIRS:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.suffix.lower() in (".ttf", ".otf", ".ttc", ".pfb", ".woff", ".woff2"):
                    stat = path.stat()
                    found.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return found.hexdigest()
