"""User-facing errors: every problem names its file, its line and what to do about it."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, pointing at its source."""

    file: str
    line: int | None
    message: str
    hint: str = ""
    source_line: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        if self.source_line.strip():
            text += f"\n    {self.source_line.rstrip()}"
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class StorypackError(Exception):
    """Base class for errors the user can act on (exit code 2 for content, 1 otherwise)."""

    exit_code = 1


class ContentError(StorypackError):
    """One or more problems in content/ or templates/; the build wrote nothing."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
        super().__init__(self.report())

    def report(self) -> str:
        """Return every problem, one block each, and a count."""
        blocks = [str(p) for p in self.problems]
        count = len(self.problems)
        blocks.append(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.")
        return "\n".join(blocks)


class OutputError(StorypackError):
    """The output folder cannot be written safely."""


class UsageError(StorypackError):
    """The command was asked for something it cannot do (exit code 1)."""


class SelectionError(StorypackError):
    """--only or --shard selects nothing that exists, or is malformed."""

    exit_code = 2


class Parsed(Protocol):
    """A file read and parsed (`generator.read.source.SourceDoc`, `MarkdownDoc`), which keeps its text lines."""

    @property
    def path(self) -> Path:
        """The file."""

    @property
    def text_lines(self) -> Sequence[str] | None:
        """The file's text, line by line (None when not known: the file is read again)."""


def problem_at(path: Path | str, line: int | None, message: str, hint: str = "", *, root: Path | None = None,
               lines: Sequence[str] | None = None) -> Problem:
    """Return a Problem for `path`, shown relative to `root`, quoting the offending line.

    The line is taken from `lines`, the file's text as parsed; without them the file is read again
    (a template, or a file that could not be parsed).
    """
    path = Path(path)
    shown = _display_path(path, root)
    source = ""
    if line:
        if lines is None:
            try:
                lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
            except OSError:
                lines = ()
        if 0 < line <= len(lines):
            source = lines[line - 1]
    return Problem(shown, line, message, hint, source)


def display_path(path: Path, root: Path | None = None) -> str:
    """Return `path` as problems show it: relative to the working directory when possible."""
    return _display_path(path, root)


def _display_path(path: Path, root: Path | None) -> str:
    """Return `path` as the user typed it: relative to the working directory when possible."""
    absolute = Path(os.path.abspath(path))  # not resolved: a symbolic link is shown as itself
    for base in (Path.cwd(), root.parent if root else None):
        if base is None:
            continue
        for inside, folder in ((absolute, Path(os.path.abspath(base))), (path.resolve(), base.resolve())):
            if inside.is_relative_to(folder):
                return str(inside.relative_to(folder))
    return str(path)


class Problems:
    """Collects problems across files so that one run reports all of them."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.items: list[Problem] = []

    def add(self, where: Path | str | Parsed, line: int | None, message: str, hint: str = "") -> None:
        """Record one problem in a file, or in a parsed document (whose text gives the line quoted)."""
        if isinstance(where, (Path, str)):
            self.items.append(problem_at(where, line, message, hint, root=self.root))
        else:
            self.items.append(problem_at(where.path, line, message, hint, root=self.root, lines=where.text_lines))

    def extend(self, error: ContentError) -> None:
        """Record every problem of an earlier ContentError."""
        self.items.extend(error.problems)

    def collect(self, step: Callable[[], T]) -> T | None:
        """Return step()'s value, or None after recording the problems of its ContentError."""
        try:
            return step()
        except ContentError as exc:
            self.extend(exc)
            return None

    def raise_if_any(self) -> None:
        """Raise a ContentError carrying everything recorded so far."""
        if self.items:
            raise ContentError(self.items)
