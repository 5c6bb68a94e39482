"""The meeting pack split into units of work: one account's pages, and the site index.

`generator.meetings.site.render_site` renders the whole site at once; these functions render the
same files in two independent pieces, so that a build can skip or parallelise accounts. Together
they give exactly `render_site`'s files (tests/test_incremental.py checks it byte for byte).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from generator.errors import ContentError, Problem
from generator.meetings.part import report_warnings
from generator.meetings.reader import load_account, load_accounts
from generator.meetings.rules import warnings
from generator.meetings.site import (SITE, environment, index_order, meeting_files, meeting_page, open_items, past,
                                     planned_next, upcoming)
from generator.meetings.tracker import track


def render_account_pages(content: Path, slug: str, as_of: dt.date, templates: Path) -> tuple[dict[str, bytes], str]:
    """Return the files of every meeting of account `slug` (site/SLUG/...) and its warnings as text."""
    folder = site_templates(templates)
    account = load_account(content, slug)
    env = environment(folder)
    tracker = track(account)
    files: dict[str, bytes] = {}
    for meeting in account.meetings:
        files.update(meeting_files(env, meeting_page(account, meeting, tracker, as_of), as_of))
    stream = io.StringIO()
    report_warnings(warnings([account], as_of, content), stream)
    return files, stream.getvalue()


def render_index(content: Path, as_of: dt.date, templates: Path) -> dict[str, bytes]:
    """Return the site's index page and style sheet, which depend on every account."""
    folder = site_templates(templates)
    accounts = load_accounts(content)
    env = environment(folder)
    trackers = {account.slug: track(account) for account in accounts}
    page = env.get_template("index.html.j2").render(
        root="", as_of=as_of, accounts=index_order(accounts, as_of), upcoming=lambda a: upcoming(a, as_of),
        past=lambda a: past(a, as_of), planned=planned_next, open_items=open_items(accounts, trackers))
    return {f"{SITE}/style.css": (folder / "style.css").read_bytes(), f"{SITE}/index.html": page.encode("utf-8")}


def site_templates(templates: Path) -> Path:
    """Return the site templates folder, or raise the ContentError render_site raises when it is missing."""
    folder = templates / "site"
    if not (folder / "style.css").is_file():
        raise ContentError([Problem(str(folder), None, "the meeting-pack templates are missing",
                                    "run from the project folder, or pass --templates DIR")])
    return folder
