"""Fingerprints of the tool itself: its source files and the fonts it brings, by folder, and the installed packages' versions.

A kind of unit depends on its own stage folders and on the shared code, never on another kind's
folders (`code_hash`), so editing the meeting pack does not rebuild the decks, nor the deck an account.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import generator
from generator.hashing import digest, file_hash, tree_files

PACKAGE = Path(generator.__file__).resolve().parent
ASSETS = "assets"
"""The package's data folder (the fonts text is measured and charts drawn with): every file in it counts as code."""


def source_hashes() -> dict[str, str]:
    """Return {path inside the generator package: SHA-256} for each of its Python source files and data files.

    The data files (ASSETS, e.g. assets/fonts/Carlito-Regular.ttf) lie outside every stage folder, so
    changing one rebuilds every kind of unit: the decks' text is measured and the pages' charts laid
    out with those fonts.
    """
    names = {path.relative_to(PACKAGE).as_posix(): path for path in tree_files(PACKAGE)}
    return {name: file_hash(path) for name, path in names.items()
            if path.suffix == ".py" or name.startswith(f"{ASSETS}/")}


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
