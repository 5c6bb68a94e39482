"""Render the meeting pack: index, agenda and minutes pages, charts and calendar files."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.errors import ContentError, Problem
from generator.hashing import folder_hash
from generator.meetings import formatting
from generator.meetings.charts import kpi_chart
from generator.meetings.ical import meeting_calendar, next_meeting_calendar
from generator.meetings.model import (
    Account,
    ActionItem,
    Meeting,
    MeetingActions,
    NextMeetingTime,
    next_meeting_time,
)
from generator.meetings.money import money, percent
from generator.meetings.notes import render_notes
from generator.meetings.quotepage import quote_files, quote_page
from generator.meetings.quotes import QuoteRecord
from generator.meetings.report import OpsReport, ops_report
from generator.meetings.rules import dry_run_days, dry_run_window
from generator.meetings.status import page_globals
from generator.read.compiled import keeping_compiled
from generator.read.months import month
from generator.read.templates import failing_frame, render_error, syntax_error

SITE = "site"
"""The folder of output/ that holds the meeting pack."""
TEMPLATES = Path("templates/site")
"""Where a template error points when Jinja names no file."""
TEMPLATE_HINT = "fix the Jinja tag on this line (names: see the other site templates)"


@dataclass(frozen=True)
class MeetingPage:
    """Everything an agenda or minutes page shows of one meeting."""

    account: Account
    meeting: Meeting
    actions: MeetingActions
    report: OpsReport | None
    charts: tuple[str, ...]
    """File names of the report's KPI charts, in the report's order."""
    previous: Meeting | None
    next_meeting: NextMeetingTime | None
    overdue_on: dt.date
    """Open items due before this date are marked overdue: the meeting's date or the as-of date."""

    @property
    def folder(self) -> str:
        """Return the page's folder inside the site."""
        return f"{self.account.slug}/{self.meeting.slug}"


@dataclass(frozen=True)
class OpenItem:
    """An open action item on the index, with where it was raised."""

    account: Account
    item: ActionItem
    raised: Meeting


def render_index(accounts: list[Account], as_of: dt.date, templates: Path) -> dict[str, bytes]:
    """Return the site's style sheet and index page (site/style.css, site/index.html), which list every account."""
    folder = site_folder(templates)
    env = cached_environment(folder)
    return {f"{SITE}/style.css": (folder / "style.css").read_bytes(),
            f"{SITE}/index.html": _html(env, "index.html.j2", root="", as_of=as_of,
                                        accounts=index_order(accounts, as_of),
                                        upcoming=lambda a: upcoming(a, as_of), past=lambda a: past(a, as_of),
                                        planned=planned_next, open_items=open_items(accounts),
                                        open_quotes=open_quotes(accounts))}


def render_account(account: Account, as_of: dt.date, templates: Path, pdf: bool = False) -> dict[str, bytes]:
    """Return the files of every meeting of one account (site/SLUG/...): pages, KPI charts, calendar files,
    quote pages (and, with `pdf`, the quotes as PDF)."""
    folder = site_folder(templates)
    env = cached_environment(folder)
    style = (folder / "style.css").read_bytes() if pdf else None
    files: dict[str, bytes] = {}
    for meeting in account.meetings:
        files.update(meeting_files(env, meeting_page(account, meeting, as_of), as_of, style))
    return files


def site_folder(templates: Path) -> Path:
    """Return the site templates folder, templates/site, or raise a ContentError when it is missing."""
    folder = templates / "site"
    if not (folder / "style.css").is_file():
        raise ContentError([Problem(str(folder), None, "the meeting-pack templates are missing",
                                    "run from the project folder, or pass --templates DIR")])
    return folder


def meeting_page(account: Account, meeting: Meeting, as_of: dt.date) -> MeetingPage:
    """Return what the pages of `meeting` show."""
    previous = account.previous(meeting)
    report = None
    if account.metrics is not None:
        report = ops_report(account.metrics, meeting.date, previous.date if previous else None)
    charts = tuple(f"kpi-{i}.svg" for i in range(1, len(report.kpis) + 1)) if report else ()
    return MeetingPage(account, meeting, account.tracker.by_meeting[meeting.slug], report, charts, previous,
                       next_meeting_time(meeting) if meeting.held else None, min(meeting.date, as_of))


def meeting_files(env: jinja2.Environment, page: MeetingPage, as_of: dt.date,
                  style: bytes | None = None) -> dict[str, bytes]:
    """Return the agenda, minutes, charts, calendar files and quote page of one meeting (with the site's
    `style` sheet given, the quote as PDF too)."""
    base = f"{SITE}/{page.folder}"
    files = {f"{base}/agenda.html": _html(env, "agenda.html.j2", root="../../", as_of=as_of, page=page),
             f"{base}/meeting.ics": meeting_calendar(page.account, page.meeting, as_of)}
    if page.report is not None:
        for name, kpi in zip(page.charts, page.report.kpis):
            files[f"{base}/{name}"] = kpi_chart(kpi)
    if page.meeting.held:
        files[f"{base}/minutes.html"] = _html(env, "minutes.html.j2", root="../../", as_of=as_of, page=page)
    if page.next_meeting is not None:
        files[f"{base}/next-meeting.ics"] = next_meeting_calendar(page.account, page.meeting, page.next_meeting, as_of)
    quote = quote_page(page.account, page.meeting, page.report, style is not None)
    if quote is not None:
        files.update(quote_files(env, quote, base, as_of, style or b""))
    return files


def index_order(accounts: list[Account], as_of: dt.date) -> list[Account]:
    """Return the accounts, the one with the soonest upcoming meeting first, then by name."""
    far = dt.date.max
    return sorted(accounts, key=lambda a: (min((m.date for m in upcoming(a, as_of)), default=far), a.file.name))


def upcoming(account: Account, as_of: dt.date) -> list[Meeting]:
    """Return the meetings on or after `as_of`, next first."""
    return [m for m in account.meetings if m.date >= as_of]


def past(account: Account, as_of: dt.date) -> list[Meeting]:
    """Return the meetings before `as_of`, latest first."""
    return [m for m in reversed(account.meetings) if m.date < as_of]


def planned_next(account: Account) -> NextMeetingTime | None:
    """Return the next meeting agreed in the latest minutes when no file exists for it yet."""
    held = [m for m in account.meetings if m.held]
    when = next_meeting_time(held[-1]) if held else None
    if when is None or any(m.date >= when.start.date() for m in account.meetings):
        return None
    return when


def open_items(accounts: list[Account]) -> list[OpenItem]:
    """Return every open action item across accounts, earliest due first."""
    found = [OpenItem(account, item, _meeting(account, item.raised_in))
             for account in accounts for item in account.tracker.open_items()]
    return sorted(found, key=lambda o: (o.item.due, o.account.file.name, o.item.id))


def open_quotes(accounts: list[Account]) -> list[tuple[Account, QuoteRecord]]:
    """Return every quote without an outcome across accounts, by account name and the day it was made."""
    found = [(account, record) for account in accounts for record in account.quotes.undecided()]
    return sorted(found, key=lambda pair: (pair[0].file.name, pair[1].quote.date, pair[1].quote.number))


def _meeting(account: Account, slug: str) -> Meeting:
    """Return the meeting of `account` with file name `slug`."""
    return next(m for m in account.meetings if m.slug == slug)


class PageTemplate(jinja2.Template):
    """A site template whose render errors are content errors at the template's file and line."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Return the rendered page, or raise a ContentError naming the template line that failed."""
        try:
            return super().render(*args, **kwargs)
        except jinja2.TemplateSyntaxError as exc:  # in a template it extends or imports
            raise syntax_error(exc, TEMPLATES, TEMPLATE_HINT) from None
        except jinja2.TemplateError as exc:
            file, line = failing_frame(exc, lambda name: name.endswith(".j2")) or (None, None)
            raise render_error(exc, Path(file) if file else TEMPLATES, line, TEMPLATE_HINT) from None


class SiteEnvironment(jinja2.Environment):
    """The site templates' environment: a template that cannot be parsed is a content error."""

    template_class = PageTemplate

    def get_template(self, *args: Any, **kwargs: Any) -> jinja2.Template:
        """Return the named template, or raise a ContentError at its syntax error."""
        try:
            return super().get_template(*args, **kwargs)
        except jinja2.TemplateSyntaxError as exc:
            raise syntax_error(exc, TEMPLATES, TEMPLATE_HINT) from None


def environment(folder: Path) -> jinja2.Environment:
    """Return the Jinja environment of the site templates in `folder`: strict, autoescaping, with the formats;
    the code its templates compile to is kept within `compiled_templates(folder)`."""
    env = SiteEnvironment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=True, auto_reload=False)  # cached_environment checks the files
    env.filters.update(day=formatting.day, month=month, iso=formatting.iso, value=formatting.value,
                       change=formatting.change, target=formatting.target, chart_alt=formatting.chart_alt,
                       money=money, percent=percent,
                       markdown=lambda text: Markup(render_notes(text)))
    env.globals.update(time_span=formatting.time_span, dry_run_days=dry_run_days, dry_run_window=dry_run_window,
                       timedelta=lambda minutes: dt.timedelta(minutes=minutes), **page_globals())
    return keeping_compiled(env)


def cached_environment(folder: Path) -> jinja2.Environment:
    """Return the environment of the site templates in `folder`, made once per process for the same templates.

    Compiling the templates takes far longer than rendering a page, so an environment (which keeps its
    compiled templates) is reused as long as no file of the folder changed.
    """
    return _environment_for(folder, folder.resolve(), folder_hash(folder))


@functools.lru_cache(maxsize=4)
def _environment_for(folder: Path, resolved: Path, fingerprint: str) -> jinja2.Environment:
    """Return a new environment of `folder` (the other arguments only key the cache)."""
    return environment(folder)


def _html(env: jinja2.Environment, template: str, **context: Any) -> bytes:
    """Return a rendered page as UTF-8 bytes."""
    return env.get_template(template).render(**context).encode("utf-8")
