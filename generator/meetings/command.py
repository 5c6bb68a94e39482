"""The `storypack new meeting ACCOUNT --date YYYY-MM-DD` command."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from generator.errors import ContentError, UsageError
from generator.meetings.reader import load_account
from generator.meetings.scaffold import FILE_NAME, new_meeting_text
from generator.read.layout import ACCOUNTS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `new meeting` to the command line."""
    new = subparsers.add_parser("new", help="start a new content file (new meeting ACCOUNT --date YYYY-MM-DD)")
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    meeting = kinds.add_parser("meeting", help="start the next meeting of an account from its last one")
    meeting.add_argument("account", metavar="ACCOUNT", help="the account's folder name under content/accounts/")
    meeting.add_argument("--date", required=True, type=_date, metavar="YYYY-MM-DD", help="the meeting's date")
    meeting.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    meeting.set_defaults(command=new_meeting)


def new_meeting(args: argparse.Namespace) -> int:
    """Write the new meeting file and say where; return the exit code."""
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
