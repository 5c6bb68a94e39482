"""The fonts storypack measures text and draws charts with: one lookup of a family's font file, and a hash of them.

`font_file` finds the family's file in FONT_DIRS, or that of a face with the same metrics (Carlito for
Calibri, METRIC_FACES); failing both, it gives DejaVu Sans as matplotlib ships it, a wide face, so
text measured with it fits in any other. The deck measures its text with it, the chart pictures draw
in the first theme font it finds, and the meeting pages' KPI charts measure their labels in DejaVu
Sans with it. Nothing here imports matplotlib: its fonts are found where its package lies.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local/share/fonts")
"""Where installed fonts live (the deck's text is measured, and its charts drawn, with them)."""
METRIC_FACES = {
    "Calibri": ("Calibri", "Carlito"),
    "Calibri Light": ("Calibri Light", "CalibriLight", "Carlito"),
    "Cambria": ("Cambria", "Caladea"),
    "Arial": ("Arial", "LiberationSans", "Liberation Sans"),
}
"""Faces that set text exactly as wide as a family, in the order they are looked for (the family itself first)."""
FILE_STYLES = {
    (False, False): ("Regular", ""),
    (True, False): ("Bold",),
    (False, True): ("Italic", "Oblique"),
    (True, True): ("BoldItalic", "BoldOblique"),
}
"""(bold, italic) -> how a file names the style ('Carlito-Bold.ttf'); a regular one may not ('DejaVuSans.ttf')."""
STAND_IN = "DejaVu Sans"
"""The face text is measured and drawn with where a family is not installed: matplotlib's own copy."""


@dataclass(frozen=True)
class FontFile:
    """A family's font file: `face` is the family the file holds; `exact` whether it sets text as wide as asked."""

    path: Path
    face: str
    exact: bool


@functools.lru_cache(maxsize=None)
def font_file(family: str, bold: bool = False, italic: bool = False) -> FontFile:
    """Return the file to set `family` in the style with: installed, else of a metric-compatible face, else STAND_IN.

    A face's file is found by its name without spaces and the style ('Carlito-BoldItalic.ttf'), the
    first in sorted order under each of FONT_DIRS in turn. The stand-in is regular or bold, never italic.
    """
    for face in METRIC_FACES.get(family, (family,)):
        found = _installed(face, bold, italic)
        if found is not None:
            return FontFile(found, face, True)
    return FontFile(_stand_in(bold), STAND_IN, False)


def _installed(face: str, bold: bool, italic: bool) -> Path | None:
    """Return the file of the face in the style under FONT_DIRS, or None."""
    stem = face.replace(" ", "")
    for style in FILE_STYLES[(bold, italic)]:
        name = f"{stem}-{style}" if style else stem
        for folder in FONT_DIRS:
            if folder.is_dir():
                for found in sorted(folder.rglob(f"{name}.[ot]tf")):
                    return found
    return None


def _stand_in(bold: bool) -> Path:
    """Return matplotlib's copy of DejaVu Sans (regular or bold), found without importing matplotlib."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    spec = find_spec("matplotlib")  # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "mpl-data/fonts/ttf" / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name} not found: install matplotlib or DejaVu Sans (apt-get install fonts-dejavu-core)")


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
