"""The words of the deck: Markdown notes and slide templates rendered with the computed figures.

Notes are user content, so they render in Jinja's sandbox; slide templates live in templates/deck/.
Both use StrictUndefined: a name that does not exist is a content error at its file and line.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from generator.errors import ContentError, problem_at
from generator.read.compiled import keeping_compiled
from generator.read.source import MarkdownDoc
from generator.read.templates import failing_frame, render_error, syntax_error
from generator.story.figures import Figure
from generator.story.quoting import noting_figures, quoting

LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(.*)$")
NAMES_HINT = "use a figure name listed in the README (e.g. kpi.csat.latest)"
SANDBOX_HINT = "notes may quote the figures and text listed in the README, nothing else; remove this expression"


@dataclass(frozen=True)
class Note:
    """A rendered notes file: the points shown on the slide and the words said over it."""

    points: tuple[str, ...]
    speech: str
    figures: tuple[Figure, ...] = ()
    """The figures the note quotes, in order (for the deck's manifest)."""


@dataclass(frozen=True)
class SlideText:
    """A rendered slide template: title, optional subtitle, points and named sections of lines."""

    title: str
    subtitle: str = ""
    points: tuple[str, ...] = ()
    sections: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    figures: tuple[Figure, ...] = ()
    """The figures the template quotes, in order (for the deck's manifest)."""

    def section(self, name: str) -> list[tuple[str, ...]]:
        """Return the lines of every section called `name`, in order."""
        return [lines for key, lines in self.sections if key == name]

    def first(self, name: str) -> tuple[str, ...]:
        """Return the lines of the first section called `name`, or nothing."""
        found = self.section(name)
        return found[0] if found else ()


def render_note(doc: MarkdownDoc, context: dict[str, Any]) -> Note:
    """Return the note with its {{ figures }} filled in; list items become points, paragraphs speech."""
    with quoting() as quoted:
        text = _render(_note_environment(), doc.body, context, doc.path, doc.body_line, doc.text_lines)
    return dataclasses.replace(split_note(text), figures=tuple(quoted))


@functools.lru_cache(maxsize=1)
def _note_environment() -> jinja2.Environment:
    """Return the sandbox notes are rendered in (one per process: it keeps no state between notes)."""
    return noting_figures(SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                               keep_trailing_newline=True))


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
    """Return a new environment of the slide templates in `folder`; the code they compile to is kept within
    `compiled_templates(folder)`."""
    return keeping_compiled(noting_figures(jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)))


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
        raise syntax_error(exc, path, "fix the Jinja tag on this line") from None
    try:
        with quoting() as quoted:
            text = template.render(context)
    except jinja2.TemplateSyntaxError as exc:  # in a template it imports, e.g. _charts.j2
        raise syntax_error(exc, path, "fix the Jinja tag on this line") from None
    except jinja2.TemplateError as exc:
        raise _runtime_error(exc, path, 1, context) from None
    return dataclasses.replace(parse_slide_text(text), figures=tuple(quoted))


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
        elif item := LIST_ITEM.match(line):
            points.append(plain(item.group(1)))
        else:
            points.append(plain(line))
    return SlideText(title, subtitle, tuple(points), tuple((k, tuple(v)) for k, v in sections))


def _render(env: jinja2.Environment, source: str, context: dict[str, Any], path: Path, first_line: int,
            lines: Sequence[str] | None = None) -> str:
    """Return `source` rendered, or raise a ContentError at the offending line of `path` (text lines `lines`)."""
    try:
        return _compiled(env, source).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(exc, path, "fix the {{ }} or {% %} tag on this line", first_line=first_line,
                           lines=lines) from None
    except jinja2.TemplateError as exc:  # SecurityError too: the sandbox refused an expression
        raise _runtime_error(exc, path, first_line, context, lines) from None


def _runtime_error(exc: jinja2.TemplateError, path: Path, first_line: int, context: dict[str, Any],
                   lines: Sequence[str] | None = None) -> ContentError:
    """Return a ContentError for a failed render, at the line of `path` Jinja's traceback points to last."""
    frame = failing_frame(exc, lambda name: name in ("<template>", str(path)))
    line = frame[1] + first_line - 1 if frame else None
    hint = SANDBOX_HINT if isinstance(exc, SecurityError) else NAMES_HINT
    return render_error(exc, path, line, hint, names=context, lines=lines)
