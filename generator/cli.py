"""The `storypack` command line: build, check (and the meeting-pack commands)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.errors import StorypackError

if TYPE_CHECKING:
    from generator.build import BuildSettings

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 content error, 1 anything else)."""
    parser = _parser()
    args = parser.parse_args(_default_to_build(list(sys.argv[1:] if argv is None else argv)))
    try:
        command: Command = args.command
        return command(args)
    except StorypackError as exc:
        print(f"error: {exc}" if exc.exit_code != 2 else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; output/ is unchanged", file=sys.stderr)
        return 130


def _default_to_build(argv: list[str]) -> list[str]:
    """Return argv with 'build' inserted when no subcommand is given."""
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return ["build", *argv]
    return argv


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="storypack", description=(
        "Build the support success-story deck and the operations-review meeting pages from content/."))
    parser.add_argument("--version", action="version", version=f"storypack {__version__}")
    sub = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="check content/ and write every document to output/ (default)")
    _content_options(build)
    build.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output)")
    build.set_defaults(command=_build)
    check = sub.add_parser("check", help="check content/ and report every problem; write nothing")
    _content_options(check)
    check.set_defaults(command=_check)
    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []
"""Functions that add further subcommands (the meeting pack's `new meeting`)."""


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    parser.add_argument("--templates", type=Path, default=Path("templates"),
                        help="templates folder (default: templates)")
    parser.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="date that 'overdue' is judged against (default: SOURCE_DATE_EPOCH, else today)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _settings(args: argparse.Namespace) -> BuildSettings:
    from generator.build import BuildSettings, resolve_as_of
    return BuildSettings(args.content, getattr(args, "output", Path("output")), resolve_as_of(args.as_of),
                         args.templates)


def _build(args: argparse.Namespace) -> int:
    from generator.build import build
    settings = _settings(args)
    written = build(settings)
    print(f"built {len(written)} files into {settings.output}/ (as of {settings.as_of.isoformat()})")
    for name in written:
        print(f"  {name}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from generator.build import check
    check(_settings(args))
    print(f"{args.content}/ is valid")
    return 0


from generator.meetings.command import register as _register_meeting_commands  # noqa: E402

EXTRA_COMMANDS.append(_register_meeting_commands)
