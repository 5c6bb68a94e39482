"""The fonts storypack measures text and draws charts with, and a hash of those installed."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

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
