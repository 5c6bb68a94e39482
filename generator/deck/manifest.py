"""The deck's manifest: each slide's title, text and figures (with their source keys), as reviewable JSON.

A figure computed from a series of a ticket export also says, under `export`, for each such series:
its key, the export files, the rule, the months used and how many tickets are behind the figure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from generator.story.exports import Computed, Exported
from generator.story.figures import Figure

MANIFEST_FILE = "success-story.json"


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_SHAPES = {f"{_P}sp", f"{_P}grpSp", f"{_P}graphicFrame", f"{_P}cxnSp", f"{_P}pic", f"{_P}contentPart"}


def slide_entry(number: int, kind: str, layout: str | None, slide: Any, figures: Sequence[Figure],
                computed: Mapping[str, Computed] | None = None) -> dict[str, Any]:
    """Return the manifest entry of one built slide (its XML read directly: the same text python-pptx reads).

    `computed` traces the series computed from a ticket export (`Exported.computed`)."""
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
        "figures": _figures(figures, computed or {}),
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


def _figures(figures: Sequence[Figure], computed: Mapping[str, Computed]) -> list[dict[str, Any]]:
    """Return each distinct named figure once, in the order it appears."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for figure in figures:
        if not figure.name:
            continue
        key = (figure.name, str(figure))
        if key not in seen:
            seen[key] = {"name": figure.name, "text": key[1], "value": round(figure.value, 6), "source": figure.source}
            traced = trace(figure, computed)
            if traced:
                seen[key]["export"] = traced
    return list(seen.values())


def trace(figure: Figure, computed: Mapping[str, Computed]) -> list[dict[str, Any]]:
    """Return, for each series of the figure's source computed from a ticket export, where its value comes from.

    A source part names a series exactly ('resolution.level1_pct') or a group of them ('service_levels' for
    every priority's attainment); a figure of no months (a target) traces to nothing.
    """
    if figure.months == () or not computed:
        return []
    found = []
    for part in (p.strip() for p in figure.source.split("/")):
        keys = [part] if part in computed else [k for k in computed if k.startswith((part + ".", part + "["))]
        for key in keys:
            series = computed[key]
            months = list(series.tickets) if figure.months is None else [m for m in figure.months if m in series.tickets]
            found.append({"key": key, "files": list(series.files), "rule": series.rule, "months": months,
                          "tickets": sum(series.tickets[m] for m in months)})
    return found


def manifest_bytes(deck_file: str, slides: list[dict[str, Any]], exported: Exported | None = None) -> bytes:
    """Return the manifest as stable, diff-friendly JSON (with the ticket export a deck's series come from)."""
    document: dict[str, Any] = {"deck": deck_file}
    if exported is not None:
        summary = exported.summary
        document["tickets"] = {
            "files": [{"path": name, "sha256": source.sha256} for name, source in zip(exported.files.names,
                                                                                       summary.files)],
            "preset": summary.preset, "time_zone": summary.time_zone, "customer": summary.customer,
            "tickets": summary.tickets, "bad_rows": summary.bad_rows,
            "series": sorted(exported.computed)}
    document["slides"] = slides
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
