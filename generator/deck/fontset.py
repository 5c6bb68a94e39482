"""A deck's own fonts (`design.fonts`): each file checked and read for its family and style, in force while it is built.

A team whose template uses a font storypack does not bring (a corporate face) lists its files in
story.yaml; `content_fonts` makes them the fonts text is measured and charts drawn with for their
family while the deck renders (`generator.fonts.using`). A file that lies outside the content
folder, does not exist, is no TrueType or OpenType font, or repeats a style is a problem at its line.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.errors import ContentError, Problem
from generator.fonts import Face, FontSet, using
from generator.hashing import bytes_hash
from generator.read.source import SourceDoc, resolve_inside
from generator.story.load import StoryContent

FONT_SUFFIXES = (".ttf", ".otf")
SFNT_TAGS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
"""How a TrueType or OpenType font file begins."""
PLAIN_STYLE_WORDS = {"regular", "book", "normal", "roman", "plain"}
"""Words of a style name that say neither bold nor italic ('Book' is DejaVu's regular)."""


class NotAFont(Exception):
    """A file of design.fonts that cannot be used: what is wrong and what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@contextlib.contextmanager
def content_fonts(content: StoryContent) -> Iterator[FontSet]:
    """Within the block, the story's design.fonts are the fonts looked in first (ContentError if one is unusable)."""
    with using(open_fonts(content.root, content.story.design.fonts, content.story_doc)) as fonts:
        yield fonts


def open_fonts(root: Path, names: Sequence[str], doc: SourceDoc) -> FontSet:
    """Return the faces of the font files `names` (relative to `root`, listed in `doc` under design.fonts).

    Raises a ContentError with a problem at the line of every file that cannot be used.
    """
    fonts, problems = read_fonts(root, names, doc)
    if problems:
        raise ContentError(problems)
    return fonts


def read_fonts(root: Path, names: Sequence[str], doc: SourceDoc) -> tuple[FontSet, list[Problem]]:
    """Return the faces of the font files `names` that can be used, and a problem for each of the others."""
    faces: list[Face] = []
    problems: list[Problem] = []
    for i, name in enumerate(names):
        line = doc.line_of(("design", "fonts", i))
        try:
            face = read_face(resolve_inside(root, name, doc, line), name)
            same = [f for f in faces if (f.family.casefold(), f.bold, f.italic) ==
                    (face.family.casefold(), face.bold, face.italic)]
            if same:
                raise NotAFont(f"{name!r} sets {describe(face)}, as {same[0].source!r} does",
                               "list one file for each style of a family")
        except ContentError as exc:
            problems.extend(exc.problems)
        except NotAFont as exc:
            problems.append(doc.problem(line, f"design.fonts: {exc.message}", exc.hint, root=root))
        else:
            faces.append(face)
    return FontSet(tuple(faces)), problems


def read_face(path: Path, source: str) -> Face:
    """Return the face of the TrueType or OpenType file at `path`: the family and style it names itself (Pillow).

    Raises NotAFont when it is not such a file, or holds a style other than regular, bold, italic and
    bold italic (the only ones a deck's text and charts use).
    """
    if path.suffix.lower() not in FONT_SUFFIXES:
        raise NotAFont(f"{source!r} is not a .ttf or .otf file", "name the TrueType (.ttf) or OpenType (.otf) file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotAFont(f"{source!r} cannot be read ({exc.strerror})", "make the file readable") from None
    if data[:4] not in SFNT_TAGS:
        raise NotAFont(f"{source!r} is not a TrueType or OpenType font",
                       "use the font file itself, e.g. Corporate-Regular.ttf from the font's download")
    from PIL import ImageFont

    try:
        family, style = ImageFont.truetype(io.BytesIO(data), 10).getname()
    except (OSError, ValueError):
        raise NotAFont(f"{source!r} is damaged: it cannot be read as a font", "copy the font file again") from None
    words = (style or "").casefold().replace("-", " ").split()
    bold, italic = "bold" in words, bool({"italic", "oblique"} & set(words))
    if not family or set(words) - PLAIN_STYLE_WORDS - {"bold", "italic", "oblique"}:
        raise NotAFont(f"{source!r} is {family or 'a font without a family name'} {style or ''}".rstrip() +
                       ": a deck uses only the regular, bold, italic and bold italic faces of a family",
                       "list only those files of the family")
    return Face(path, family, bold, italic, source, bytes_hash(data))


def describe(face: Face) -> str:
    """Return the family and style of a face ('Corporate Sans Bold Italic')."""
    style = " ".join(word for word, on in (("Bold", face.bold), ("Italic", face.italic)) if on) or "Regular"
    return f"{face.family} {style}"
