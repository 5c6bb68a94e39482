"""The font files matplotlib draws a chart picture with: the deck's own (a `FontSet`) and the bundled ones, no other.

matplotlib finds a text's font by name, weight and slant among the fonts its font manager lists,
which it gathers from the system (through fontconfig) and keeps in a cache under MPLCONFIGDIR.
While a picture is drawn (`only_these_fonts`), that list holds exactly the files `generator.fonts`
knows, each under the family and style `generator.fonts` gives it, so matplotlib picks the file
`font_file` would: what is installed or cached decides nothing. The list is put back afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from generator.fonts import BUNDLED, STAND_IN, FontSet, font_file

if TYPE_CHECKING:
    from matplotlib.font_manager import FontEntry


def chart_face(candidates: tuple[str, ...], fonts: FontSet) -> str:
    """Return the family charts are drawn in: the first candidate with an exact face (its own or one with
    its metrics), else STAND_IN."""
    for name in candidates:
        found = font_file(name, fonts=fonts)
        if found.exact:
            return found.face
    return STAND_IN


@contextlib.contextmanager
def only_these_fonts(fonts: FontSet) -> Iterator[None]:
    """Within the block, matplotlib finds fonts among `fonts`' faces and the bundled ones only (in that order)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    saved, default = manager.ttflist, manager.defaultFamily.get("ttf")
    manager.ttflist, manager.defaultFamily["ttf"] = list(_entries(fonts)), STAND_IN
    _forget_lookups(fonts)
    try:
        yield
    finally:
        manager.ttflist = saved
        if default is not None:
            manager.defaultFamily["ttf"] = default
        _forget_lookups(None)


@lru_cache(maxsize=8)
def _entries(fonts: FontSet) -> tuple[FontEntry, ...]:
    """Return the font manager's entries of the faces: family and style as `generator.fonts` gives them.

    Weight and slant are set from the style (400 or 700, normal or italic) rather than read from the
    file, so that matplotlib's nearest match among a family's faces is `generator.fonts.nearest_face`'s.
    """
    from matplotlib.font_manager import FontEntry

    return tuple(FontEntry(fname=str(face.path), name=face.family, style="italic" if face.italic else "normal",
                           variant="normal", weight=700 if face.bold else 400, stretch="normal", size="scalable")
                 for face in (*fonts.faces, *BUNDLED))


_OPENED: list[FontSet] = []
"""The last deck's own fonts drawn with: matplotlib keeps their files open by name."""


def _forget_lookups(fonts: FontSet | None) -> None:
    """Drop matplotlib's remembered font lookups; with another deck's own fonts than last time, also the font
    files it keeps open by name (a content font edited under the same name must be read again)."""
    from matplotlib import font_manager

    found: Any = getattr(font_manager.FontManager, "_findfont_cached", None)
    if found is not None:
        found.cache_clear()
    if fonts is not None and fonts.faces and _OPENED != [fonts]:
        opened: Any = getattr(font_manager, "_get_font", None)
        if opened is not None:
            opened.cache_clear()
        _OPENED[:] = [fonts]
