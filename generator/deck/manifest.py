"""The deck's manifest: each slide's title, text and figures (with their source keys), as reviewable JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.story.figures import Figure

MANIFEST_FILE = "success-story.json"


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_SHAPES = {f"{_P}sp", f"{_P}grpSp", f"{_P}graphicFrame", f"{_P}cxnSp", f"{_P}pic", f"{_P}contentPart"}


def slide_entry(number: int, kind: str, layout: str | None, slide: Any, figures: Sequence[Figure]) -> dict[str, Any]:
    """Return the manifest entry of one built slide (its XML read directly: the same text python-pptx reads)."""
    texts: list[str] = []
    charts: list[dict[str, str]] = []
    title: str | None = None
    for shape in _shapes(slide.shapes._spTree):
        properties = shape.find(f"./*[1]/{_P}cNvPr")
        body = shape.find(f"{_P}txBody") if shape.tag == f"{_P}sp" else None
        if body is not None:
            text = _text(body)
            if text.strip():
                texts.append(text)
            if title is None and properties is not None and properties.get("name") == "Title":
                title = text
        for row in shape.iterfind(f"{_A}graphic/{_A}graphicData/{_A}tbl/{_A}tr"):
            texts.append(" | ".join(_text(cell.find(f"{_A}txBody")) for cell in row.iterfind(f"{_A}tc")))
        if properties is not None and properties.get("descr") and _is_chart(shape):
            charts.append({"shape": properties.get("name", ""), "alt": properties.get("descr", "")})
    return {
        "number": number,
        "kind": kind,
        "layout": layout,
        "title": title if title is not None else (texts[0] if texts else ""),
        "text": texts,
        "charts": charts,
        "figures": _figures(figures),
        "notes": slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "",
    }


def _is_chart(shape: Any) -> bool:
    """Whether `shape` is a chart: a picture (as charts are drawn) or a chart frame (a table or group is not)."""
    return bool(shape.tag == f"{_P}pic" or shape.find(f"{_A}graphic/{_A}graphicData[@uri='{_CHART}']") is not None)


_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _shapes(tree: Any) -> Any:
    """Yield the shapes of a shape tree in order, a group followed by its own shapes."""
    for element in tree.iterchildren():
        if element.tag in _SHAPES:
            yield element
            if element.tag == f"{_P}grpSp":
                yield from _shapes(element)


def _text(body: Any) -> str:
    """Return the text of a text body as python-pptx reads it: paragraphs joined by newlines, breaks as '\\v'."""
    if body is None:
        return ""
    return "\n".join("".join("\v" if child.tag == f"{_A}br" else (child.findtext(f"{_A}t") or "")
                              for child in paragraph if child.tag in (f"{_A}r", f"{_A}br", f"{_A}fld"))
                      for paragraph in body.iterfind(f"{_A}p"))


def _figures(figures: Sequence[Figure]) -> list[dict[str, Any]]:
    """Return each distinct named figure once, in the order it appears."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for figure in figures:
        if not figure.name:
            continue
        key = (figure.name, str(figure))
        seen.setdefault(key, {"name": figure.name, "text": key[1], "value": round(figure.value, 6),
                              "source": figure.source})
    return list(seen.values())


def manifest_bytes(deck_file: str, slides: list[dict[str, Any]]) -> bytes:
    """Return the manifest as stable, diff-friendly JSON."""
    document = {"deck": deck_file, "slides": slides}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
