"""The deck's language on its text, so that spelling check and screen readers use the right one.

Every run storypack writes (on the slides and in the speaker notes) and every paragraph end gets `lang`;
so do the presentation's default text style and the masters' text styles, which text typed later takes.
"""

from __future__ import annotations

from typing import Any

from pptx.oxml.ns import qn

_RUN_PROPERTIES = {qn("a:r"): qn("a:rPr"), qn("a:fld"): qn("a:rPr")}


def set_language(presentation: Any, language: str) -> None:
    """Mark the text of `presentation` as written in `language` (a BCP 47 tag such as en-GB)."""
    styles = presentation._element.find(qn("p:defaultTextStyle"))
    if styles is not None:
        _style_levels(styles, language)
    for master in presentation.slide_masters:
        for style in master._element.iterfind(f"{qn('p:txStyles')}/*"):
            _style_levels(style, language)
    for slide in presentation.slides:
        mark_text(slide._element, language)
        if slide.has_notes_slide:
            mark_text(slide.notes_slide._element, language)


def mark_text(root: Any, language: str) -> None:
    """Set `lang` on every run's properties and every paragraph's end properties under `root`."""
    for paragraph in root.iter(qn("a:p")):
        for child in paragraph:
            tag = _RUN_PROPERTIES.get(child.tag)
            if tag is None:
                continue
            properties = child.find(tag)
            if properties is None:
                properties = child.makeelement(tag, {})
                child.insert(0, properties)
            properties.set("lang", language)
        end = paragraph.find(qn("a:endParaRPr"))
        if end is None:
            end = paragraph.makeelement(qn("a:endParaRPr"), {})
            paragraph.append(end)
        end.set("lang", language)


def _style_levels(style: Any, language: str) -> None:
    """Set `lang` on the default run properties of each level of a text style (adding them where missing)."""
    for level in style:
        if not level.tag.lower().endswith("ppr"):
            continue
        properties = level.find(qn("a:defRPr"))
        if properties is None:
            properties = level.makeelement(qn("a:defRPr"), {})
            extension = level.find(qn("a:extLst"))
            if extension is not None:
                extension.addprevious(properties)
            else:
                level.append(properties)
        properties.set("lang", language)
