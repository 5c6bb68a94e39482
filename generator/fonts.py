"""The fonts storypack measures text and draws charts with: the files it brings and a team's own, nothing else.

`font_file` finds a family's file among the fonts the package brings (BUNDLED, in `assets/fonts/`)
and the content's own (`design.fonts`, a `FontSet`), never among the fonts a machine has installed,
so that the same content gives the same bytes everywhere. Where the family is not there, a face
with the same metrics stands in (Carlito for Calibri, METRIC_FACES); failing both, DejaVu Sans, a
wide face, so text measured with it fits in most others. The deck measures its text with it, the
chart pictures draw with exactly these files, and the meeting pages' KPI charts measure their labels
in the bundled DejaVu Sans. A deck's own fonts are passed as a `FontSet`, or are in force within
`using(fonts)`. Nothing here imports matplotlib or Pillow.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from generator.hashing import digest, file_hash

ASSETS = Path(__file__).resolve().parent / "assets" / "fonts"
"""The font files storypack brings (package data; their provenance and licences are in its README.md)."""


@dataclass(frozen=True)
class Face:
    """A font file and the family and style it sets."""

    path: Path
    family: str
    bold: bool = False
    italic: bool = False
    source: str = ""
    """How design.fonts names the file ('brand/Corporate-Regular.ttf'); '' for a face storypack brings."""
    digest: str = ""
    """The SHA-256 of a content font's bytes ('' for a bundled one: the code fingerprint covers those)."""


def _family(family: str, regular: str, bold: str, italic: str, bold_italic: str) -> tuple[Face, ...]:
    """Return the four faces of a bundled family, from their file names without '.ttf'."""
    return (Face(ASSETS / f"{regular}.ttf", family), Face(ASSETS / f"{bold}.ttf", family, bold=True),
            Face(ASSETS / f"{italic}.ttf", family, italic=True),
            Face(ASSETS / f"{bold_italic}.ttf", family, bold=True, italic=True))


STAND_IN = "DejaVu Sans"
"""The face text is measured and drawn with where a family is neither bundled nor the content's, nor has a stand-in."""
BUNDLED: tuple[Face, ...] = (
    *_family("Carlito", "Carlito-Regular", "Carlito-Bold", "Carlito-Italic", "Carlito-BoldItalic"),
    *_family("Caladea", "Caladea-Regular", "Caladea-Bold", "Caladea-Italic", "Caladea-BoldItalic"),
    *_family("Liberation Sans", "LiberationSans-Regular", "LiberationSans-Bold", "LiberationSans-Italic",
             "LiberationSans-BoldItalic"),
    *_family(STAND_IN, "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
)
"""Every font file storypack brings, with the family and style it sets."""
METRIC_FACES = {"calibri": "Carlito", "calibri light": "Carlito", "cambria": "Caladea", "arial": "Liberation Sans"}
"""Family (case-folded) -> the bundled face that sets text exactly as wide, used where the family itself is not there."""


@dataclass(frozen=True)
class FontSet:
    """A deck's own fonts (design.fonts): looked in before the bundled ones."""

    faces: tuple[Face, ...] = ()

    def key(self) -> tuple[tuple[str, bool, bool, str], ...]:
        """Return what of the fonts decides a chart's pixels: each face's family, style and bytes (not where it lies)."""
        return tuple((face.family, face.bold, face.italic, face.digest) for face in self.faces)


NO_FONTS = FontSet()
"""No fonts of a deck's own: only the bundled ones."""


@dataclass(frozen=True)
class FontFile:
    """The file that sets a family: `face` is the family the file holds; `exact` whether it sets text as wide as asked.

    `source` is how design.fonts names a content font, '' for a bundled one; `digest` the content font's hash.
    """

    path: Path
    face: str
    exact: bool
    source: str = ""
    digest: str = ""


_CURRENT: ContextVar[FontSet] = ContextVar("storypack_fonts", default=NO_FONTS)
"""The deck's own fonts while it is built (`using`)."""


@contextlib.contextmanager
def using(fonts: FontSet) -> Iterator[FontSet]:
    """Within the block, lookups that are given no FontSet look in `fonts` first (reset after, even on error)."""
    token = _CURRENT.set(fonts)
    try:
        yield fonts
    finally:
        _CURRENT.reset(token)


def current() -> FontSet:
    """Return the fonts in force (`using`); NO_FONTS outside any."""
    return _CURRENT.get()


def font_file(family: str, bold: bool = False, italic: bool = False, fonts: FontSet | None = None) -> FontFile:
    """Return the file to set `family` in the style with: `fonts`' (default: those in force) or a bundled one's.

    The family itself is looked for first among `fonts`, then among the bundled faces; then the face
    with its metrics (METRIC_FACES); failing all, STAND_IN (not exact). Within a family the face of
    the style asked is taken, else the nearest (`nearest_face`).
    """
    return _lookup(family, bold, italic, _CURRENT.get() if fonts is None else fonts)


@functools.lru_cache(maxsize=4096)
def _lookup(family: str, bold: bool, italic: bool, fonts: FontSet) -> FontFile:
    wanted = family.strip().casefold()
    for name in (wanted, METRIC_FACES.get(wanted, "").casefold()):
        face = nearest_face((*fonts.faces, *BUNDLED), name, bold, italic) if name else None
        if face is not None:
            return FontFile(face.path, face.family, (face.bold, face.italic) == (bold, italic), face.source, face.digest)
    face = nearest_face(BUNDLED, STAND_IN.casefold(), bold, italic)
    assert face is not None
    return FontFile(face.path, STAND_IN, False)


def nearest_face(faces: tuple[Face, ...], family: str, bold: bool, italic: bool) -> Face | None:
    """Return the face of `family` (case-folded) nearest the style, or None: as matplotlib chooses among them.

    Another slant costs more than another weight; of equals, the first in `faces` wins (a deck's own
    fonts come before the bundled ones).
    """
    found = [(face.italic != italic, face.bold != bold, i) for i, face in enumerate(faces)
             if face.family.casefold() == family]
    return faces[min(found)[2]] if found else None


@functools.lru_cache(maxsize=1)
def bundled_digest() -> str:
    """Return one hash of the bundled font files' names and bytes (they decide the chart pictures' pixels)."""
    return digest({face.path.name: file_hash(face.path) for face in BUNDLED})
