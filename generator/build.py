"""The build: read and check all content, render every document, then write output/ in one step."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ContentError, Problem, Problems
from generator.meetings.part import meeting_pack_part
from generator.output import publish


@dataclass(frozen=True)
class BuildSettings:
    """What a build reads, where it writes, and the date it judges 'overdue' against."""

    content: Path
    output: Path
    as_of: dt.date
    templates: Path = Path("templates")


@dataclass(frozen=True)
class Part:
    """One kind of document the build can make from a content folder."""

    name: str
    present: Callable[[Path], bool]
    render: Callable[[BuildSettings], dict[str, bytes]]
    """Reads and checks its content, then returns output files (relative path -> bytes)."""


def _deck_part() -> Part:
    from generator import story

    def render(settings: BuildSettings) -> dict[str, bytes]:
        from generator.deck import render_story
        return render_story(story.load_story(settings.content), settings.templates)

    return Part("success story", story.has_story, render)


PARTS: list[Callable[[], Part]] = [_deck_part]
"""The document kinds, each found and built independently; meeting pages register here too."""


def resolve_as_of(given: dt.date | None = None) -> dt.date:
    """Return the build's as-of date: the one given, else SOURCE_DATE_EPOCH's (UTC), else today."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def gather(settings: BuildSettings) -> dict[str, bytes]:
    """Return every output file, or raise a ContentError with the problems of all parts."""
    content = settings.content
    if not content.is_dir():
        raise ContentError([Problem(str(content), None, "content folder not found",
                                    "run from the project folder or pass --content DIR")])
    parts = [make() for make in PARTS]
    present = [part for part in parts if part.present(content)]
    if not present:
        raise ContentError([Problem(str(content), None, "holds nothing to build",
                                    "add story.yaml (the success story) or accounts/ (meeting pages)")])
    problems = Problems(content)
    files: dict[str, bytes] = {}
    for part in present:
        try:
            files.update(part.render(settings))
        except ContentError as exc:
            problems.extend(exc)
    problems.raise_if_any()
    return files


def build(settings: BuildSettings) -> list[str]:
    """Build everything into settings.output atomically; return the names of the files written."""
    files = gather(settings)
    publish(files, settings.output)
    return sorted(files)


def check(settings: BuildSettings) -> None:
    """Read, validate and render everything in memory, writing nothing; raise ContentError on problems."""
    gather(settings)


PARTS.append(meeting_pack_part)
