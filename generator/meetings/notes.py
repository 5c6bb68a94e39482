"""Markdown notes to safe HTML: rendered as users expect, then sanitised so no script can run."""

from __future__ import annotations

import functools
import re

import markdown
import nh3

TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "a",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"http", "https", "mailto"}
HEADING = re.compile(r"<(/?)h([1-6])>")
MAX_NESTING = 20
"""Most lists and quotes inside one another that notes may hold (the Markdown renderer recurses per level)."""
LEADING = re.compile(r"^[ \t>]*")
FENCE = re.compile(r"^\s*(```|~~~)")
DEAD_LINK = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)
"""A link whose address the sanitiser removed (e.g. javascript:): kept as its text."""


@functools.lru_cache(maxsize=16)
def render_notes(text: str) -> str:
    """Return the HTML of Markdown `text`, sanitised, its headings placed under the page's own.

    Cached: a meeting's notes appear on its agenda and its minutes, and may run to megabytes.
    """
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                      clean_content_tags={"script", "style"}, link_rel="noopener noreferrer")
    clean = DEAD_LINK.sub(r"\1", clean).replace("<p></p>", "")
    return HEADING.sub(_shift_heading, clean).strip()


def too_deep(text: str, first_line: int = 1) -> int | None:
    """Return the line of `text` whose lists or quotes nest deeper than MAX_NESTING levels, or None."""
    fenced = False
    for number, line in enumerate(text.split("\n"), start=first_line):
        if FENCE.match(line):
            fenced = not fenced
        indent = LEADING.match(line).group()  # type: ignore[union-attr]  # matches every line
        if fenced or not line[len(indent):].strip():
            continue
        depth = indent.count(">") + len(indent.rsplit(">", 1)[-1].expandtabs(4)) // 2
        if depth > MAX_NESTING:
            return number
    return None


def _shift_heading(match: re.Match[str]) -> str:
    """Return a heading tag moved below the page's h2 sections (# and ## become h3)."""
    level = min(max(int(match.group(2)), 2) + 1, 6)
    return f"<{match.group(1)}h{level}>"
