"""The build's entry to the meeting pack: one account's pages, and the site index, as separate units of work.

`render_account_pages` renders one account (site/SLUG/...) and `render_site_index` the index and the
style sheet, which depend on every account; a build calls them separately, so that it can skip or
parallelise accounts. Accounts read once are kept for the rest of the process, as long as their folder
(and the service catalogue) is unchanged, and the index keeps them in the build cache for the next build
(`accountcache`), so that a rebuild after one page changed reads only that page's account. Together the
units give the whole site (tests/test_incremental.py checks it byte for byte).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import ContentError
from generator.hashing import file_hash, folder_hash
from generator.meetings.accountcache import AccountCache
from generator.meetings.exports import with_export_kpis
from generator.meetings.model import Account
from generator.meetings.reader import account_slugs, load_account, load_accounts
from generator.meetings.rules import report_warnings, warnings
from generator.meetings.site import render_account, render_index, site_folder
from generator.read.layout import ACCOUNTS, CATALOGUE_FILE

if TYPE_CHECKING:
    from generator.tickets.content import ExportFiles


def render_account_pages(content: Path, slug: str, as_of: dt.date, templates: Path, tickets_cache: Path | None = None,
                         pdf: bool = False, kept: AccountCache | None = None) -> tuple[dict[str, bytes], str,
                                                                                     ExportFiles | None]:
    """Return the files of every meeting of account `slug` (site/SLUG/...), its warnings as text, and the ticket
    export files its KPIs were computed from (None when it names none); the export's summary is kept in
    `tickets_cache`, the account read in `kept`. With `pdf`, its quotes are printed to PDF too."""
    site_folder(templates)
    account, exports, summary = with_export_kpis(_load(content, slug, kept), content, tickets_cache)
    files = render_account(account, as_of, templates, pdf)
    stream = io.StringIO()
    stream.write("".join(f"{warning}\n" for warning in (summary.warnings if summary else ())))
    report_warnings(warnings([account], as_of, content), stream)
    return files, stream.getvalue(), exports


def render_site_index(content: Path, as_of: dt.date, templates: Path,
                      kept: AccountCache | None = None) -> dict[str, bytes]:
    """Return the site's index page and style sheet, which depend on every account (those read by an earlier
    build taken from `kept` when their files are unchanged)."""
    site_folder(templates)
    return render_index(_load_all(content, kept), as_of, templates)


_LOADED: dict[tuple[Path, str], tuple[str, Account, Path | None]] = {}
"""Accounts this process has read, with a hash of their folder and the account cache known to hold them: the
index and an account's unit share them."""
_KEPT = 1000


def _load(content: Path, slug: str, cache: AccountCache | None = None, keep: bool = False) -> Account:
    """Return account `slug`, read again only when a file in its folder changed since this process (or, with a
    `cache`, an earlier build) read it; with `keep`, the account is put in the cache when it is not there yet
    (the index does so for every account, so an account's unit need not)."""
    key = (content.resolve(), slug)
    catalogue = content / CATALOGUE_FILE  # its quotes are priced from the catalogue, outside the folder
    stamp = folder_hash(content / ACCOUNTS / slug) + (file_hash(catalogue) if catalogue.is_file() else "")
    name = cache.key(key[0], slug, stamp) if cache is not None else ""
    folder = cache.folder if cache is not None else None
    held = _LOADED.get(key)
    if held is not None and held[0] == stamp:
        account, kept = held[1], held[2]
    else:
        found = cache.get(name) if cache is not None else None
        account, kept = found or load_account(content, slug), folder if found is not None else None
    if cache is not None and keep and kept != folder:
        cache.put(name, account)
        kept = folder
    if len(_LOADED) >= _KEPT and key not in _LOADED:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = (stamp, account, kept)
    return account


def _load_all(content: Path, cache: AccountCache | None = None) -> list[Account]:
    """Return every account, as `load_accounts` does (which reports every problem when one fails to load)."""
    try:
        accounts = [_load(content, slug, cache, keep=True) for slug in account_slugs(content)]
    except ContentError:
        accounts = []
    return accounts or load_accounts(content)
