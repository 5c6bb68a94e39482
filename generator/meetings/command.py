"""The meeting pack's commands: `storypack new meeting ACCOUNT --date YYYY-MM-DD` and the options of
`storypack send agenda|minutes ACCOUNT` (which `send.py` runs)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from generator.errors import ContentError, UsageError
from generator.read.layout import ACCOUNTS

OUTBOX = Path("outbox")
"""Where `storypack send` writes the messages for review (without --yes)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `new meeting` to the command line."""
    new = subparsers.add_parser("new", help="start a new content file (new meeting ACCOUNT --date YYYY-MM-DD)")
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    meeting = kinds.add_parser("meeting", help="start the next meeting of an account from its last one")
    meeting.add_argument("account", metavar="ACCOUNT", help="the account's folder name under content/accounts/")
    meeting.add_argument("--date", required=True, type=_date, metavar="YYYY-MM-DD", help="the meeting's date")
    meeting.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    meeting.set_defaults(command=new_meeting)
    register_send(subparsers)


def register_send(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `send agenda|minutes ACCOUNT` to the command line."""
    send = subparsers.add_parser("send", help="send a meeting's agenda or minutes by e-mail (send agenda ACCOUNT)")
    send.add_argument("what", choices=("agenda", "minutes"), metavar="agenda|minutes", help="what to send")
    send.add_argument("account", metavar="ACCOUNT", help="the account's folder name under content/accounts/")
    send.add_argument("--meeting", metavar="DATE", default=None,
                      help="the meeting (YYYY-MM-DD, or its file name); default: the next meeting's agenda, "
                           "the latest held meeting's minutes")
    send.add_argument("--yes", action="store_true", help="send; without it, show what would be sent and write "
                      "the messages to the outbox for review")
    send.add_argument("--resend", action="store_true",
                      help="also send a changed version to those who have an earlier one (an update of the invitation)")
    send.add_argument("--outbox", type=Path, default=OUTBOX, metavar="DIR",
                      help="where the messages are written for review without --yes (default: outbox)")
    send.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    send.add_argument("--templates", type=Path, default=Path("templates"), help="templates folder (default: templates)")
    send.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                      help="the date 'next' and 'held' are judged against (default: today)")
    send.set_defaults(command=_send)


def _send(args: argparse.Namespace) -> int:
    """Run `storypack send` (its modules, which load the mail and SMTP code, are imported only then)."""
    from generator.meetings.send import send_command

    return send_command(args)


def new_meeting(args: argparse.Namespace) -> int:
    """Write the new meeting file and say where; return the exit code."""
    from generator.meetings.reader import load_account  # loaded when the command runs, not by the command line
    from generator.meetings.scaffold import FILE_NAME, new_meeting_text

    root: Path = args.content
    account = load_account(root, args.account)
    target = root / ACCOUNTS / args.account / "meetings" / FILE_NAME.format(date=args.date.isoformat())
    if target.exists():
        raise UsageError(f"{target} already exists; edit it, or choose another --date")
    text = new_meeting_text(account, args.date)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    try:
        load_account(root, args.account)
    except ContentError:
        target.unlink()
        raise
    print(f"created {target}: fill in the purpose and the agenda, then run 'storypack check'")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None
