"""Exports named by content files: `tickets:` in metrics.yaml or account.yaml, read as a build reads them.

`find_files` turns the `files` globs into export files inside the folder the content file's paths are
relative to (a problem at the YAML line for a glob that matches nothing, a file that does not exist
or lies outside it); `summary_of` computes the summary with the content's rules and reports the
export's problems as they are (file and line of the export) and the mapping's at `tickets.mapping`.
Both the deck (`story.exports`) and the meeting pack (`meetings.exports`) use them, so a deck and an
account compute their figures alike, and `storypack tickets summary --content` shows what they use.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ContentError, Problem, display_path
from generator.hashing import rel
from generator.read.source import Loc, SourceDoc
from generator.tickets.mapping import AgeBucket, SlaTarget, TicketsConfig
from generator.tickets.summary import Summary, summarize


@dataclass(frozen=True)
class ExportFiles:
    """The export files `tickets.files` names, in order, each once."""

    paths: tuple[Path, ...]
    names: tuple[str, ...]
    """Each file relative to the folder the content file's paths are relative to (as traceability names it)."""
    patterns: tuple[str, ...]
    """The globs as written (relative to the same folder): a new file matching one changes the input."""


def has_magic(pattern: str) -> bool:
    """Return True when `pattern` is a glob (holds *, ? or [ ... ]) rather than one file's name."""
    return glob.has_magic(pattern)


def find_files(config: TicketsConfig, root: Path, doc: SourceDoc, loc: Loc) -> ExportFiles:
    """Return the files `config.files` names under `root`, or raise a ContentError at the YAML line of each bad glob."""
    problems: list[Problem] = []
    found: dict[Path, str] = {}
    inside = root.resolve()
    for i, pattern in enumerate(config.files):
        line = doc.line_of((*loc, "files", i))
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            problems.append(doc.problem(line, f"{pattern!r} lies outside the content folder",
                                        "name the export with a path relative to the content folder", root=root))
            continue
        matches = sorted(root.glob(pattern)) if has_magic(pattern) else [root / pattern]
        matches = [m for m in matches if m.is_file() or not has_magic(pattern)]
        if not matches or not matches[0].exists():
            what = "no file matches" if has_magic(pattern) else "does not exist"
            problems.append(doc.problem(line, f"tickets.files: {pattern!r} {what}",
                                        "put the export into the content folder, or correct the path", root=root))
            continue
        for match in matches:
            if not match.resolve().is_relative_to(inside):
                problems.append(doc.problem(line, f"{rel(match, root)!r} is a link to a file outside the content "
                                            "folder", "copy the export into the content folder", root=root))
            elif not match.is_file():
                problems.append(doc.problem(line, f"{pattern!r} is a folder, not a file",
                                            "name the export files inside it, e.g. exports/*.csv", root=root))
            else:
                found.setdefault(match, match.relative_to(root).as_posix())
    if problems:
        raise ContentError(problems)
    return ExportFiles(tuple(found), tuple(found.values()), tuple(p for p in config.files if has_magic(p)))


def summary_of(config: TicketsConfig, files: ExportFiles, doc: SourceDoc, loc: Loc, *, zone: str,
               months: list[str] | None, buckets: tuple[AgeBucket, ...], targets: tuple[SlaTarget, ...],
               cache: Path | None, root: Path | None = None) -> Summary:
    """Return the summary of the export as a build computes it, or raise a ContentError.

    The export's own problems (a missing column, a bad row) name the export file and line; those of the
    rules (business hours for business-hours targets) the line of `tickets.mapping` in `doc`.
    """
    shown = [display_path(path, root) for path in files.paths]
    try:
        return summarize(list(zip(files.paths, shown)), config.preset, config.mapping, time_zone=zone, months=months,
                         buckets=buckets, targets=targets, customer=config.customer, cache_folder=cache)
    except ContentError as exc:
        raise ContentError([problem if problem.file in shown else
                            doc.problem(doc.line_of((*loc, "mapping")), problem.message, problem.hint, root=root)
                            for problem in exc.problems]) from None
    except ValueError as exc:
        raise ContentError([doc.problem(doc.line_of(loc), f"tickets: {exc}", "correct the tickets settings",
                                        root=root)]) from None
