"""The words of the deck: Markdown notes and slide templates rendered with the computed figures.

Notes are user content, so they render in Jinja's sandbox; slide templates live in templates/deck/.
Both use StrictUndefined: a name that does not exist is a content error at its file and line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from generator.errors import ContentError, problem_at
from generator.read.source import MarkdownDoc

LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(.*)$")


@dataclass(frozen=True)
class Note:
    """A rendered notes file: the points shown on the slide and the words said over it."""

    points: tuple[str, ...]
    speech: str


@dataclass(frozen=True)
class SlideText:
    """A rendered slide template: title, optional subtitle, points and named sections of lines."""

    title: str
    subtitle: str = ""
    points: tuple[str, ...] = ()
    sections: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def section(self, name: str) -> list[tuple[str, ...]]:
        """Return the lines of every section called `name`, in order."""
        return [lines for key, lines in self.sections if key == name]

    def first(self, name: str) -> tuple[str, ...]:
        """Return the lines of the first section called `name`, or nothing."""
        found = self.section(name)
        return found[0] if found else ()


def render_note(doc: MarkdownDoc, context: dict[str, Any]) -> Note:
    """Return the note with its {{ figures }} filled in; list items become points, paragraphs speech."""
    text = _render(_note_environment(), doc.body, context, doc.path, doc.body_line)
    return split_note(text)


@functools.lru_cache(maxsize=1)
def _note_environment() -> jinja2.Environment:
    """Return the sandbox notes are rendered in (one per process: it keeps no state between notes)."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)


@functools.lru_cache(maxsize=512)
def _compiled(env: jinja2.Environment, source: str) -> jinja2.Template:
    """Return `source` compiled in `env`, once per process (decks of one tree often share notes)."""
    return env.from_string(source)


def split_note(text: str) -> Note:
    """Return the points (top-level list items) and the speech (everything else, as plain text)."""
    points: list[str] = []
    paragraphs: list[str] = []
    current: list[str] = []
    in_item = False
    for line in text.split("\n"):
        item = LIST_ITEM.match(line)
        if item:
            _flush(current, paragraphs)
            points.append(plain(item.group(1)))
            in_item = True
        elif in_item and line.startswith((" ", "\t")) and line.strip():
            points[-1] = f"{points[-1]} {plain(line.strip())}"
        elif not line.strip():
            _flush(current, paragraphs)
            in_item = False
        else:
            in_item = False
            current.append(line.strip())
    _flush(current, paragraphs)
    speech = "\n\n".join(paragraphs) if paragraphs else "\n".join(points)
    return Note(tuple(points), speech)


def _flush(current: list[str], paragraphs: list[str]) -> None:
    if current:
        paragraphs.append(plain(" ".join(current)))
        current.clear()


def plain(text: str) -> str:
    """Return Markdown inline text as plain text: emphasis and code marks dropped, links as 'text (url)'."""
    text = re.sub(r"!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)", lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return re.sub(r"^#+\s*", "", text).strip()


def slide_environment(templates: Path) -> jinja2.Environment:
    """Return the Jinja environment of the slide templates in `templates`/deck (one per folder and process).

    Jinja's loader checks each template file's modification time, so a changed template is recompiled.
    """
    return _environment(str(templates.resolve() / "deck"))


@functools.lru_cache(maxsize=8)
def _environment(folder: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
                              autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_slide_text(env: jinja2.Environment, name: str, context: dict[str, Any]) -> SlideText:
    """Return the parsed text of template `name`: '# title', '## subtitle', '- point', '### section' lines."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    path = Path(loader.searchpath[0]) / name
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise ContentError([problem_at(path, None, "slide template not found",
                                       f"create {name} in the templates folder")]) from None
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(exc, path) from None
    try:
        text = template.render(context)
    except jinja2.TemplateSyntaxError as exc:  # in a template it imports, e.g. _charts.j2
        raise _syntax_error(exc, path) from None
    except jinja2.TemplateError as exc:
        raise _runtime_error(exc, path, 1, exc.__traceback__, context) from None
    return parse_slide_text(text)


def _syntax_error(exc: jinja2.TemplateSyntaxError, path: Path) -> ContentError:
    """Return a slide template's syntax error at the file and line Jinja names (`path` if none)."""
    where = Path(exc.filename) if exc.filename and not exc.filename.startswith("<") else path
    return ContentError([problem_at(where, exc.lineno, f"template syntax error: {exc.message}",
                                    "fix the Jinja tag on this line")])


def parse_slide_text(text: str) -> SlideText:
    """Return the SlideText of a rendered template."""
    title, subtitle = "", ""
    points: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("### "):
            sections.append((line[4:].strip(), []))
        elif line.startswith("## ") and not sections:
            subtitle = plain(line[3:])
        elif line.startswith("# ") and not sections:
            title = plain(line[2:])
        elif sections:
            sections[-1][1].append(plain(line[2:]) if LIST_ITEM.match(line) else plain(line))
        elif LIST_ITEM.match(line):
            points.append(plain(LIST_ITEM.match(line).group(1)))  # type: ignore[union-attr]
        else:
            points.append(plain(line))
    return SlideText(title, subtitle, tuple(points), tuple((k, tuple(v)) for k, v in sections))


def _render(env: jinja2.Environment, source: str, context: dict[str, Any], path: Path, first_line: int) -> str:
    """Return `source` rendered, or raise a ContentError at the offending line of `path`."""
    offset = first_line - 1
    try:
        return _compiled(env, source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError([problem_at(path, (exc.lineno or 1) + offset, f"template syntax error: {exc.message}",
                                       "fix the {{ }} or {% %} tag on this line")]) from None
    except (jinja2.TemplateError, jinja2.sandbox.SecurityError) as exc:
        raise _runtime_error(exc, path, first_line, exc.__traceback__, context) from None


def _runtime_error(exc: Exception, path: Path, first_line: int, tb: TracebackType | None,
                   context: dict[str, Any] | None = None) -> ContentError:
    """Return a ContentError for a failed render, at the template line Jinja's traceback points to."""
    line = None
    names = {"<template>", str(path)}
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in names:
            line = tb.tb_lineno + first_line - 1
        tb = tb.tb_next
    message = str(exc)
    hint = "use a figure name listed in the README (e.g. kpi.csat.latest)"
    if isinstance(exc, jinja2.sandbox.SecurityError):
        hint = "notes may quote the figures and text listed in the README, nothing else; remove this expression"
    match = re.match(r"'(.+?)' has no attribute '(.+?)'", message) or re.match(r"'(.+?)' is undefined", message)
    if match:
        unknown = match.group(match.lastindex or 1)
        dotted = _dotted_name(path, line, unknown)
        message = f"unknown name {dotted or unknown!r}"
        close = _close_names(dotted, unknown, context or {})
        if close:
            hint = f"did you mean {close!r}?"
    return ContentError([problem_at(path, line, message, hint)])


def _dotted_name(path: Path, line: int | None, unknown: str) -> str:
    """Return the dotted expression on `line` of `path` that contains `unknown` (e.g. 'kpi.cstat.latest')."""
    try:
        text = path.read_text(encoding="utf-8").split("\n")[(line or 1) - 1]
    except (OSError, IndexError):
        return ""
    for expression in re.findall(r"[A-Za-z_][\w.]*", text):
        if unknown in expression.split("."):
            return expression
    return ""


def _close_names(dotted: str, unknown: str, context: dict[str, Any]) -> str:
    """Return the known name closest to the mistyped part of `dotted`, with its prefix, or ''."""
    import difflib

    parts = dotted.split(".") if dotted else [unknown]
    position = parts.index(unknown)
    scope: Any = context
    for part in parts[:position]:
        scope = scope.get(part) if isinstance(scope, dict) else getattr(scope, part, None)
    if isinstance(scope, dict):
        options = [str(k) for k in scope]
    else:
        options = [n for n in dir(scope) if not n.startswith("_")]
    close = difflib.get_close_matches(unknown, options, n=1)
    return ".".join(parts[:position] + close + parts[position + 1:]) if close else ""
