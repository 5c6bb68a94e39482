"""Test fonts: a bundled font file renamed to a family storypack does not bring (a team's 'corporate' face)."""

from __future__ import annotations

from pathlib import Path

from generator.fonts import ASSETS

STYLES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "Bold Italic"}


def corporate_font(target: Path, family: str = "Corporate Sans", bold: bool = False, italic: bool = False,
                   source: str = "") -> Path:
    """Write a copy of a bundled Caladea face, renamed to `family` in the style, to `target`; return `target`.

    Caladea is narrower than Carlito and DejaVu Sans, so text measured with it is told apart.
    """
    from fontTools.ttLib import TTFont

    style = STYLES[(bold, italic)]
    font = TTFont(ASSETS / (source or f"Caladea-{style.replace(' ', '')}.ttf"))
    names = {1: family, 2: style, 4: f"{family} {style}", 6: f"{family}-{style}".replace(" ", "")}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


def template_with_font(source: Path, target: Path, family: str = "Corporate Sans") -> Path:
    """Write a copy of the template `source` whose theme sets headings and body text in `family`; return `target`."""
    import re
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("ppt/theme/theme"):
                data = re.sub(rb'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*"',
                              rb"\g<1>" + family.encode() + b'"', data)
            new.writestr(item, data)
    return target
