"""Read content/accounts/ into checked `Account`s, or report every problem with its file and line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

from generator.errors import ContentError, Problems
from generator.meetings.catalogue import Catalogue, read_catalogue
from generator.meetings.model import Account, ActionUpdate, Issue, Meeting
from generator.meetings.notes import MAX_NESTING, too_deep
from generator.meetings.pricing import check_prices
from generator.meetings.quadrants import check_people_quadrants
from generator.meetings.quotebook import keep_book
from generator.meetings.quotes import QuoteBook
from generator.meetings.schema import AccountFile, AccountMetrics, ActionEntry, MeetingFront
from generator.meetings.sentlog import SENT_LOG, SentLog, read_log
from generator.meetings.tasklist import split_tasks
from generator.meetings.tracker import track
from generator.read.layout import ACCOUNT_FILE, ACCOUNTS, CATALOGUE_FILE
from generator.read.months import next_month
from generator.read.source import MarkdownDoc, SourceDoc, read_markdown, read_yaml
from generator.read.validate import validate

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MEETING_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*$")


def account_slugs(root: Path) -> list[str]:
    """Return the names of the account folders, sorted."""
    return sorted(p.name for p in (root / ACCOUNTS).iterdir() if p.is_dir() and not p.name.startswith("."))


def load_accounts(root: Path) -> list[Account]:
    """Return every account under content/accounts/, or raise a ContentError with every problem."""
    problems = Problems(root)
    accounts = [problems.collect(lambda: load_account(root, slug)) for slug in account_slugs(root)]
    if not accounts:
        problems.add(root / ACCOUNTS, None, "holds no account folders",
                     "add accounts/<account-name>/account.yaml, or remove the accounts folder")
    problems.raise_if_any()
    return [a for a in accounts if a is not None]


def load_account(root: Path, slug: str) -> Account:
    """Return the account in folder `slug` with its meetings, or raise a ContentError."""
    problems = Problems(root)
    folder = root / ACCOUNTS / slug
    if not SLUG.match(slug):
        problems.add(folder, None, f"account folder name {slug!r} is not usable in a web address",
                     "rename it with lower-case letters, digits and hyphens only, e.g. kestrel-freight")
    if not folder.is_dir():
        problems.add(root / ACCOUNTS, None, f"there is no account {slug!r}",
                     f"use one of: {', '.join(account_slugs(root)) or '(none yet)'}")
        problems.raise_if_any()
    doc = read_yaml(folder / ACCOUNT_FILE, root)
    account_file = problems.collect(lambda: validate(doc, AccountFile))
    meeting_paths = sorted((folder / "meetings").glob("*.md")) if (folder / "meetings").is_dir() else []
    if not meeting_paths:
        problems.add(folder, None, "the account has no meetings",
                     f"add meetings/<YYYY-MM-DD>-operations-review.md, e.g. with 'storypack new meeting {slug}'")
    if account_file is None:
        problems.raise_if_any()
    assert account_file is not None
    metrics = check_kpis(account_file, doc, problems)
    for path, line, message, hint in check_people_quadrants(account_file, doc):
        problems.add(doc, line, message, hint)
    sent = problems.collect(lambda: read_log(folder / SENT_LOG, root))
    fronts = [problems.collect(lambda: _read_front(path, root)) for path in meeting_paths]
    read = sorted((f for f in fronts if f is not None), key=lambda pair: (pair[1].date, pair[0].path.name))
    meetings: list[Meeting] = []
    issues: list[Issue] = []
    for i, (note, front) in enumerate(read):
        meeting, found = make_meeting(slug, account_file, note, front, first=(i == 0))
        meetings.append(meeting)
        issues += found
    tracker = track(meetings)
    catalogue, readable = _catalogue(root, account_file, meetings, doc, problems)
    quotes, quote_issues = keep_book(meetings, account_file, catalogue) if readable else (QuoteBook(), [])
    parsed = {note.path: note for note, _ in read}
    for path, line, message, hint in [*issues, *tracker.issues, *quote_issues]:
        problems.add(parsed.get(path, path), line, message, hint)
    problems.raise_if_any()
    return Account(slug, account_file, doc, tuple(meetings), tracker, metrics, sent=sent or SentLog(),
                   quotes=quotes, catalogue=catalogue)


def _catalogue(root: Path, file: AccountFile, meetings: list[Meeting], doc: SourceDoc,
               problems: Problems) -> tuple[Catalogue | None, bool]:
    """Return the service catalogue when the account agrees prices or a meeting quotes (None when it needs none or
    there is none), and False when it could not be read; record its problems and those of the account's prices."""
    if not file.prices and not any(m.front.quote for m in meetings):
        return None, True
    if not (root / CATALOGUE_FILE).is_file():
        if file.prices:
            problems.add(doc, doc.line_of(("prices",)), f"the account agrees prices, but {CATALOGUE_FILE} is missing",
                         f"add {CATALOGUE_FILE} to the content folder with the services you quote (see README)")
        return None, True
    catalogue = problems.collect(lambda: read_catalogue(root))
    for loc, message, hint in check_prices(file, catalogue) if catalogue else []:
        problems.add(doc, doc.line_of(loc), message, hint)
    return catalogue, catalogue is not None


def _read_front(path: Path, root: Path) -> tuple[MarkdownDoc, MeetingFront]:
    """Return a meeting file and its validated front matter."""
    note = read_markdown(path, root)
    if note.front is None or not isinstance(note.front.data, dict):
        raise ContentError([note.problem(1, "a meeting file needs YAML front matter",
                                         "start the file with '---', the meeting's fields, and '---'", root=root)])
    return note, validate(note.front, MeetingFront)


def make_meeting(account: str, file: AccountFile, note: MarkdownDoc, front: MeetingFront,
                 *, first: bool) -> tuple[Meeting, list[Issue]]:
    """Return the meeting of `note` and the problems found in it (each with file and line)."""
    assert note.front is not None
    doc = note.front
    notes, tasks, task_errors = split_tasks(note.body, note.body_line)
    prefix = f"{file.id_prefix}-{front.date:%Y%m%d}"
    entries = [_from_front(entry, note.path, doc.line_of(("actions", i))) for i, entry in enumerate(front.actions)]
    entries += [ActionUpdate(t.id or "", t.owner, t.task, t.due, t.done, note.path, t.line, "notes") for t in tasks]
    meeting = Meeting(account, note.path.stem, front, doc, front.time_zone or file.time_zone,
                      first if front.first_review is None else front.first_review, notes, note.body_line,
                      _with_ids(entries, prefix))
    issues = [(note.path, e.line, e.message, e.hint) for e in task_errors]
    deep = too_deep(note.body, note.body_line)
    if deep is not None:
        issues.append((note.path, deep, f"the notes nest lists or quotes more than {MAX_NESTING} levels deep",
                       "indent less: put deeper points in a paragraph or a table"))
    return meeting, issues + check_meeting(meeting, file)


def _from_front(entry: ActionEntry, path: Path, line: int) -> ActionUpdate:
    """Return a front-matter `actions` entry as an ActionUpdate."""
    return ActionUpdate(entry.id or "", entry.owner, entry.task, entry.due, entry.status == "done", path, line, "front")


def _with_ids(entries: list[ActionUpdate], prefix: str) -> tuple[ActionUpdate, ...]:
    """Return `entries` with a derived id (`prefix`-1, -2 ...) for each one written without an id."""
    numbered: list[ActionUpdate] = []
    count = 0
    for entry in entries:
        if not entry.id:
            count += 1
            entry = ActionUpdate(f"{prefix}-{count}", entry.owner, entry.task, entry.due, entry.done,
                                 entry.file, entry.line, entry.form)
        numbered.append(entry)
    return tuple(numbered)


def check_meeting(meeting: Meeting, file: AccountFile) -> list[Issue]:
    """Return the problems of one meeting that its schema cannot see, each with file and line."""
    return [*check_name(meeting), *check_people(meeting, file), *check_agenda_length(meeting),
            *check_dates(meeting), *check_minutes(meeting), *check_action_ids(meeting, file)]


def check_name(meeting: Meeting) -> list[Issue]:
    """Return a problem when the file name is not <date>-<name>.md with the meeting's date."""
    doc, path = meeting.doc, meeting.doc.path
    match = MEETING_NAME.match(meeting.slug)
    if match is None:
        return [(path, 1, f"meeting file name {path.name!r} is not <YYYY-MM-DD>-<name>.md",
                 f"rename it, e.g. {meeting.date.isoformat()}-operations-review.md (lower case, hyphens)")]
    if match.group("date") != meeting.date.isoformat():
        return [(path, doc.line_of(("date",)), f"the file name says {match.group('date')} but date is "
                 f"{meeting.date.isoformat()}", "make the file name and the date agree")]
    return []


def check_people(meeting: Meeting, file: AccountFile) -> list[Issue]:
    """Return problems with names: participants, lead, minutes owner, agenda owners, attendees."""
    front, doc = meeting.front, meeting.doc
    team = [p.name for p in file.provider_team]
    contacts = [p.name for p in file.customer_contacts]
    issues: list[Issue] = []
    checks: list[tuple[tuple[str | int, ...], str, list[str], str]] = []
    checks += [(("participants", "provider", i), name, team, "provider_team")
               for i, name in enumerate(front.participants.provider)]
    checks += [(("participants", "customer", i), name, contacts, "customer_contacts")
               for i, name in enumerate(front.participants.customer)]
    checks += [(("lead",), front.lead, list(front.participants.provider), "the provider participants"),
               (("minutes_owner",), front.minutes_owner, list(front.participants.provider), "the provider participants")]
    checks += [(("agenda", i, "owner"), item.owner, list(meeting.invited), "the participants")
               for i, item in enumerate(front.agenda)]
    checks += [(("attended", i), name, team + contacts, "provider_team or customer_contacts")
               for i, name in enumerate(front.attended or [])]
    for loc, name, allowed, where in checks:
        if name not in allowed:
            issues.append((doc.path, doc.line_of(loc), f"{name!r} is not one of {where}", _did_you_mean(name, allowed)))
    for key, names in (("participants", meeting.invited), ("attended", front.attended or [])):
        twice = sorted({n for n in names if list(names).count(n) > 1})
        if twice:
            issues.append((doc.path, doc.line_of((key,)), f"{', '.join(twice)} listed twice in {key}",
                           "list everyone once"))
    return issues


def check_agenda_length(meeting: Meeting) -> list[Issue]:
    """Return a problem when the agenda items do not add up to the meeting's duration."""
    total = sum(item.duration for item in meeting.front.agenda)
    if total == meeting.front.duration:
        return []
    return [(meeting.doc.path, meeting.doc.line_of(("agenda",)),
             f"the agenda items add up to {total} minutes but the meeting lasts {meeting.front.duration}",
             "change the items' durations or the meeting's 'duration' so that they agree")]


def check_dates(meeting: Meeting) -> list[Issue]:
    """Return problems with the dry run (after the meeting), the place, and the next meeting's date."""
    front, doc = meeting.front, meeting.doc
    issues: list[Issue] = []
    if front.dry_run >= front.date:
        issues.append((doc.path, doc.line_of(("dry_run",)), "the dry run must come before the meeting",
                       "plan it 5-7 days before a first review, 2-3 days before later ones"))
    if front.location is None and front.call_link is None:
        issues.append((doc.path, doc.line_of(("date",)), "the meeting has neither a location nor a call link",
                       "add 'location:' (room or address), 'call_link:' (https://...), or both"))
    if front.next_meeting is not None and front.next_meeting.date <= front.date:
        issues.append((doc.path, doc.line_of(("next_meeting", "date")), "the next meeting must come after this one",
                       "correct the next meeting's date"))
    return issues


def check_minutes(meeting: Meeting) -> list[Issue]:
    """Return problems of minutes: a held meeting needs its next meeting; minutes need `attended`."""
    front, doc = meeting.front, meeting.doc
    if meeting.held and front.next_meeting is None:
        return [(doc.path, doc.line_of(("attended",)), "the minutes lack the next meeting",
                 "add 'next_meeting:' with its date and start (\"HH:MM\")")]
    if not meeting.held:
        given = [key for key in ("agreements", "issues", "next_meeting", "quote_outcomes") if key in doc.data]
        if given:
            return [(doc.path, doc.line_of((given[0],)), f"'{given[0]}' belongs to minutes, but 'attended' is missing",
                     "add 'attended:' listing who came, which marks the meeting as held")]
    return []


def check_action_ids(meeting: Meeting, file: AccountFile) -> list[Issue]:
    """Return problems with action ids: another account's prefix, or one id twice in a meeting."""
    issues: list[Issue] = []
    seen: set[str] = set()
    for update in meeting.updates:
        if not update.id.startswith(file.id_prefix + "-"):
            issues.append((update.file, update.line, f"action item id {update.id} does not start with "
                           f"the account's prefix {file.id_prefix}-", f"use an id such as {file.id_prefix}-1"))
        if update.id in seen:
            issues.append((update.file, update.line, f"action item {update.id} appears twice in this meeting",
                           "state each item once per meeting"))
        seen.add(update.id)
    return issues


def check_kpis(file: AccountFile, doc: SourceDoc, problems: Problems) -> AccountMetrics | None:
    """Return the account's metrics when every KPI's values are typed (checked); None without metrics, or when
    they come from the ticket export (`meetings.exports` computes them), after recording how each KPI is given
    wrongly: both `values` and `from_export`, `from_export` without `metrics.tickets`."""
    if file.metrics is None:
        return None
    count = len(problems.items)
    for i, kpi in enumerate(file.metrics.kpis):
        if kpi.values is not None and kpi.from_export is not None:
            problems.add(doc, doc.line_of(("metrics", "kpis", i, "values")),
                         f"KPI {kpi.name!r} has both values and from_export",
                         "keep one: the typed values, or the figure of the ticket export")
        elif kpi.from_export is not None and file.metrics.tickets is None:
            problems.add(doc, doc.line_of(("metrics", "kpis", i, "from_export")),
                         f"KPI {kpi.name!r} takes its values from a ticket export, but metrics has no 'tickets'",
                         "name the export under metrics.tickets (files, preset, customer), or type the values")
        elif kpi.values is None and kpi.from_export is None:
            problems.add(doc, doc.line_of(("metrics", "kpis", i)), f"missing field 'metrics.kpis[{i}].values'",
                         "add 'values:' here, or 'from_export:' with a figure of the ticket export")
    if file.metrics.tickets is not None or len(problems.items) != count:
        return None
    metrics = problems.collect(lambda: validate(doc, AccountMetrics, loc=("metrics",)))
    if metrics is not None:
        check_metrics(metrics, doc, problems)
    return metrics if len(problems.items) == count else None


def check_metrics(metrics: AccountMetrics, doc: SourceDoc, problems: Problems) -> None:
    """Record problems of the account's metrics: months out of order, value counts."""
    months = metrics.months
    for i, (before, after) in enumerate(zip(months, months[1:]), start=1):
        if next_month(before) != after:
            problems.add(doc, doc.line_of(("metrics", "months", i)),
                         f"months must be consecutive and in order: {after} follows {before}",
                         f"the month after {before} is {next_month(before)}")
            break
    for i, kpi in enumerate(metrics.kpis):
        if len(kpi.values) != len(months):
            problems.add(doc, doc.line_of(("metrics", "kpis", i, "values")),
                         f"KPI {kpi.name!r} has {len(kpi.values)} values for {len(months)} months",
                         "give one value per month, in the order of 'months'")


def _did_you_mean(name: str, allowed: Iterable[str]) -> str:
    """Return a hint naming the closest allowed name, or listing them."""
    options = list(allowed)
    close = difflib.get_close_matches(name, options, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"use one of: {', '.join(options)}" if options else "add the person to account.yaml first"
