"""The `storypack` command line: build, watch, check (and the meeting-pack and template commands)."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator import __version__
from generator.errors import StorypackError

if TYPE_CHECKING:
    from generator.build.settings import BuildOptions, BuildReport, BuildSettings

Command = Callable[[argparse.Namespace], int]


def run() -> NoReturn:
    """Run the `storypack` command (and `python -m generator`) and end the process with its exit code.

    What the command made is first put out of the garbage collector's reach (`gc.freeze`): the
    interpreter's last collection at exit would otherwise walk every object of a finished build (about
    0.1 s after a site build) only to free memory that the ending process gives back anyway. Objects
    are still released as the interpreter ends; files are closed by the code that writes them.
    """
    code = main()
    gc.freeze()
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 content error, 1 anything else)."""
    arguments = _default_to_build(list(sys.argv[1:] if argv is None else argv))
    parser = _parser(extra=not arguments or arguments[0] not in ("build", "check", "watch"),
                     only=arguments[0] if arguments else None)
    args = parser.parse_args(arguments)
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


def _parser(extra: bool = True, only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser; `extra` adds the further commands (skipped for speed when not needed): only the
    one named `only` when it is one of them (each loads its own modules), else all."""
    parser = argparse.ArgumentParser(prog="storypack", description=(
        "Build the support success-story deck and the operations-review meeting pages from content/."))
    parser.add_argument("--version", action="version", version=f"storypack {__version__}")
    sub = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="check content/ and write every document to output/ (default)")
    _content_options(build)
    build.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output)")
    _unit_options(build)
    build.add_argument("--force", action="store_true", help="rebuild the selected decks and pages even if unchanged")
    build.add_argument("--pdf", action="store_true",
                       help="also write each deck (needs LibreOffice) and each quote (needs Chromium) as PDF")
    build.add_argument("--thumbnails", action="store_true",
                       help="also write a PNG of every slide to thumbnails/ (needs LibreOffice and poppler)")
    build.set_defaults(command=_build)
    watch = sub.add_parser("watch", help="build, then rebuild what changed whenever content/ or templates/ change")
    _content_options(watch)
    watch.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output)")
    _unit_options(watch)
    watch.set_defaults(command=_watch)
    check = sub.add_parser("check", help="check content/ and report every problem; write nothing")
    _content_options(check)
    _unit_options(check)
    check.set_defaults(command=_check)
    named = [register for names, register in EXTRA_COMMANDS if only in names]
    for register in (named or [register for _, register in EXTRA_COMMANDS]) if extra else []:
        register(sub)
    return parser


EXTRA_COMMANDS: list[tuple[tuple[str, ...], Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]]] = []
"""The further subcommands: (the command names it adds, the function that adds them), e.g. `new meeting`."""


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    parser.add_argument("--templates", type=Path, default=Path("templates"),
                        help="templates folder (default: templates)")
    parser.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="date that 'overdue' is judged against (default: SOURCE_DATE_EPOCH, else today)")


def _unit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                        help="build N decks or accounts at once (default: the number of cores)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="build only this deck or account, e.g. deck:emea, kestrel-freight or 'deck:*' (repeatable)")
    parser.add_argument("--shard", default=None, metavar="I/N",
                        help="build only shard I of N (a stable share of the decks and accounts, for CI matrices)")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _settings(args: argparse.Namespace) -> BuildSettings:
    from generator.build.settings import BuildSettings, resolve_as_of
    return BuildSettings(args.content, getattr(args, "output", Path("output")), resolve_as_of(args.as_of),
                         args.templates, getattr(args, "pdf", False), getattr(args, "thumbnails", False))


def _options(args: argparse.Namespace) -> BuildOptions:
    from generator.build.settings import BuildOptions
    from generator.build.units import parse_shard
    return BuildOptions(jobs=args.jobs, only=tuple(args.only), shard=parse_shard(args.shard) if args.shard else None,
                        force=getattr(args, "force", False))


def _build(args: argparse.Namespace) -> int:
    from generator.build.progress import Progress
    from generator.build.run import build_report
    settings = _settings(args)
    report = build_report(settings, _options(args), Progress())
    print(_summary(report, settings))
    return 0


def _watch(args: argparse.Namespace) -> int:
    from generator.build.watch import watch
    return watch(_settings(args), _options(args), _summary)


def _summary(report: BuildReport, settings: BuildSettings) -> str:
    """Return the closing lines of a build: what was built, kept, removed, and where."""
    where = f"{settings.output}/ (as of {settings.as_of.isoformat()})"
    lines = [f"removed the output of {name} (its content is gone)" for name in report.removed]
    if report.kept:
        lines.append(f"kept {len(report.kept)} unit(s) not selected by --only/--shard as they were")
    if not report.written:
        lines.append(f"{where} is up to date: {len(report.up_to_date)} unit(s), {len(report.files)} files")
    else:
        lines.append(f"built {len(report.built)} unit(s), {len(report.up_to_date)} up to date, into {where}: "
                     f"{len(report.files)} files")
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    from generator.build.run import check
    check(_settings(args), _options(args))
    print(f"{args.content}/ is valid")
    return 0


def _register_meeting_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the meeting pack's commands (imported only when needed: it loads the content schemas)."""
    from generator.meetings.command import register
    register(subparsers)


EXTRA_COMMANDS.append((("new", "send"), _register_meeting_commands))


def _register_template_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `template inspect` (python-pptx is imported only when the command runs)."""
    from generator.deck.inspect import register
    register(subparsers)


EXTRA_COMMANDS.append((("template",), _register_template_commands))


def _register_ticket_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `tickets summary` (DuckDB and the tickets stage are imported only when the command runs)."""
    from generator.tickets.command import register
    register(subparsers, content_command=_tickets_of_content)


def _tickets_of_content(args: argparse.Namespace) -> int:
    """Run `tickets summary --content DIR`: what the content folder's decks and accounts compute from their exports."""
    from generator.build.exports import print_summaries
    return print_summaries(args.content, tuple(args.only), args.format, args.cache)


EXTRA_COMMANDS.append((("tickets",), _register_ticket_commands))
