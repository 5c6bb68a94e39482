"""The deck's manifest: each slide's title, text and figures (with their source keys), as reviewable JSON."""

from __future__ import annotations

import json
from typing import Any

from generator.figures import Figure

MANIFEST_FILE = "success-story.json"


def slide_entry(number: int, kind: str, layout: str | None, slide: Any, figures: list[Figure]) -> dict[str, Any]:
    """Return the manifest entry of one built slide."""
    texts: list[str] = []
    charts: list[dict[str, str]] = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            texts.extend(" | ".join(cell.text for cell in row.cells) for row in shape.table.rows)
        descr = shape._element.xpath("./*[1]/p:cNvPr/@descr")
        if descr:
            charts.append({"shape": shape.name, "alt": str(descr[0])})
    title = next((s.text_frame.text for s in slide.shapes if s.name == "Title" and s.has_text_frame),
                 texts[0] if texts else "")
    return {
        "number": number,
        "kind": kind,
        "layout": layout,
        "title": title,
        "text": texts,
        "charts": charts,
        "figures": _figures(figures),
        "notes": slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "",
    }


def _figures(figures: list[Figure]) -> list[dict[str, Any]]:
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
