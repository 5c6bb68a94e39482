"""Jinja errors as content problems at the template's file and line: slide templates, notes and site pages.

A template that cannot be parsed is reported at the line Jinja names (`syntax_error`); one that fails
while rendering at the line of the template frame its traceback passes through (`failing_frame`,
`render_error`). With the names the template was given, an undefined name is reported as the dotted
expression written in the template, with the closest known name as the fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import ContentError, problem_at


def syntax_error(exc: jinja2.TemplateSyntaxError, path: Path, hint: str, *, first_line: int = 1,
                 lines: Sequence[str] | None = None) -> ContentError:
    """Return the ContentError of a template that cannot be parsed.

    It points at the file Jinja names (an imported or extended template), else at `path`, whose
    template text starts on `first_line` and whose text lines are `lines` (None: read from the file).
    """
    named = exc.filename if exc.filename and not exc.filename.startswith("<") else None
    return ContentError([problem_at(Path(named) if named else path, (exc.lineno or 1) + first_line - 1,
                                    f"template syntax error: {exc.message}", hint, lines=None if named else lines)])


def failing_frame(exc: BaseException, in_template: Callable[[str], bool]) -> tuple[str, int] | None:
    """Return the file name and line of the innermost frame of `exc`'s traceback that `in_template` accepts.

    Jinja compiles a template to Python code whose frames carry the template's file name (`<template>`
    for a template made from a string) and line.
    """
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if in_template(tb.tb_frame.f_code.co_filename):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_error(exc: Exception, path: Path, line: int | None, hint: str, *,
                 names: dict[str, Any] | None = None, lines: Sequence[str] | None = None) -> ContentError:
    """Return the ContentError of a template that failed while rendering at `path`:`line`.

    With `names` (what the template was given), Jinja's message is shown as it is and an undefined
    name becomes "unknown name 'a.b.c'" with the closest known name as the fix; without them the
    message is "template error: <Jinja's message>". `lines` are `path`'s text lines (None: read from the file).
    """
    if names is None:
        message = f"template error: {exc.message if isinstance(exc, jinja2.TemplateError) else exc}"
        return ContentError([problem_at(path, line, message, hint, lines=lines)])
    message = str(exc)
    match = re.match(r"'(.+?)' has no attribute '(.+?)'", message) or re.match(r"'(.+?)' is undefined", message)
    if match:
        unknown = match.group(match.lastindex or 1)
        dotted = _dotted_name(_line_text(path, line, lines), unknown)
        message = f"unknown name {dotted or unknown!r}"
        close = _close_names(dotted, unknown, names)
        if close:
            hint = f"did you mean {close!r}?"
    return ContentError([problem_at(path, line, message, hint, lines=lines)])


def _line_text(path: Path, line: int | None, lines: Sequence[str] | None) -> str | None:
    """Return line `line` (the first when None) of `path`, from `lines` or else the file; None if there is none."""
    if lines is None:
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except OSError:
            return None
    index = (line or 1) - 1
    return lines[index] if 0 <= index < len(lines) else None


def _dotted_name(text: str | None, unknown: str) -> str:
    """Return the dotted expression in `text` that contains `unknown` (e.g. 'kpi.cstat.latest'), or ''."""
    for expression in re.findall(r"[A-Za-z_][\w.]*", text or ""):
        if unknown in str(expression).split("."):
            return str(expression)
    return ""


def _close_names(dotted: str, unknown: str, names: dict[str, Any]) -> str:
    """Return the known name closest to the mistyped part of `dotted`, with its prefix, or ''."""
    parts = dotted.split(".") if dotted else [unknown]
    position = parts.index(unknown)
    scope: Any = names
    for part in parts[:position]:
        scope = scope.get(part) if isinstance(scope, dict) else getattr(scope, part, None)
    if isinstance(scope, dict):
        options = [str(k) for k in scope]
    else:
        options = [n for n in dir(scope) if not n.startswith("_")]
    close = difflib.get_close_matches(unknown, options, n=1)
    return ".".join(parts[:position] + close + parts[position + 1:]) if close else ""
