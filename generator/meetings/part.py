"""The meeting pack as one part of the build: content/accounts/ in, output/site/ out."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from generator.errors import Problem
from generator.meetings.reader import has_accounts, load_accounts
from generator.meetings.rules import warnings
from generator.meetings.site import render_site

if TYPE_CHECKING:
    from generator.build import BuildSettings, Part


def meeting_pack_part() -> Part:
    """Return the build part that makes the meeting pack when content/ has an accounts/ folder."""
    from generator.build import Part

    return Part("meeting pack", has_accounts, render)


def render(settings: BuildSettings) -> dict[str, bytes]:
    """Return the meeting-pack files; warn on stderr about rules broken by meetings still to come."""
    accounts = load_accounts(settings.content)
    files = render_site(accounts, settings.as_of, settings.templates)
    report_warnings(warnings(accounts, settings.as_of, settings.content))
    return files


def report_warnings(found: Iterable[Problem], stream: TextIO | None = None) -> None:
    """Print each warning as 'warning: file:line: message' with its fix, to stderr by default."""
    for problem in found:
        print(f"warning: {problem}", file=stream or sys.stderr)
