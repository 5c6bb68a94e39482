"""Markdown notes to safe HTML: rendered as users expect, then sanitised so no script can run."""

from __future__ import annotations

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
DEAD_LINK = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)
"""A link whose address the sanitiser removed (e.g. javascript:): kept as its text."""


def render_notes(text: str) -> str:
    """Return the HTML of Markdown `text`, sanitised, its headings placed under the page's own."""
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                      clean_content_tags={"script", "style"}, link_rel="noopener noreferrer")
    clean = DEAD_LINK.sub(r"\1", clean).replace("<p></p>", "")
    return HEADING.sub(_shift_heading, clean).strip()


def _shift_heading(match: re.Match[str]) -> str:
    """Return a heading tag moved below the page's h2 sections (# and ## become h3)."""
    level = min(max(int(match.group(2)), 2) + 1, 6)
    return f"<{match.group(1)}h{level}>"
