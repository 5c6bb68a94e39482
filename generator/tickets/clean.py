"""From export rows to tickets, row by row in file order: bad rows found, reported at their line or left out.

A row is bad when its id is empty, its created time is missing or no date, another date is no date,
its priority or channel is not in the layout's vocabulary, it was resolved before it was created,
its rating, SLA mark, reopen count or escalation mark cannot be read, or (in a list export) its id
was already used by an earlier row. Bad rows are problems naming the file and the line (the first
ten, then a count), unless `max_bad_rows` allows that many: then they are left out of every figure
and listed as warnings. Event logs keep each ticket's latest row (by `updated`, else the last row).
`parse` reads every export first, in one pass and in no set order; this module reads the files again,
numbering their rows, only when that pass found a bad row or a repeated id in a summary's tickets. Both
read values with `rows`, so a ticket's values are the same on either path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.errors import ContentError, Problem
from generator.tickets import dates
from generator.tickets.export import Loaded, lines
from generator.tickets.presets import Layout
from generator.tickets.rows import checks, date_columns, file_select, folded, level1_group, lit

if TYPE_CHECKING:
    import duckdb

SHOWN_BAD_ROWS = 10
BITMAP_BITS = 1 << 27
"""Ids that are whole numbers within a span of at most this many are checked for repeats with a bitmap."""


@dataclass(frozen=True)
class Cleaned:
    """What cleaning found: rows read, tickets kept, bad rows left out (with their warnings)."""

    rows: int
    tickets: int
    bad_rows: int
    warnings: tuple[str, ...]
    fields: frozenset[str]
    """The fields at least one file has: figures that need another are None."""


def check_rules(fields: frozenset[str], plan: Layout, customer: str | None, shown: str) -> None:
    """Raise ContentError when the layout's rules cannot apply to an export with `fields` (`shown`: its first file)."""
    problems: list[Problem] = []
    if "rating" in fields and not plan.rating_words and not plan.satisfied_at:
        problems.append(Problem(shown, None, "the export has ratings but no rule says which are satisfied",
                                "set tickets.mapping.satisfied_at (e.g. at_least: 4, of: 5) or rating_words"))
    if customer is not None and "customer" not in fields:
        problems.append(Problem(shown, None, f"cannot select the customer {customer!r}: the export has "
                                "no customer column", "name it with tickets.mapping.columns.customer"))
    if problems:
        raise ContentError(problems)


def clean(con: duckdb.DuckDBPyConnection, sources: list[Loaded], plan: Layout, zone: str,
          customer: str | None = None) -> Cleaned:
    """Create table `tickets` (one good row per ticket) from the loaded files; raise ContentError for bad input."""
    fields = frozenset(f for s in sources for f in s.fields)
    check_rules(fields, plan, customer, sources[0].shown)
    where = f" WHERE {folded('customer')} = {lit(' '.join(customer.split()).lower())}" if customer else ""
    # Most exports write ISO 8601 dates: read them so at once, and recognise each file's date format (a pass
    # over every date) only when that leaves rows whose dates do not read.
    optimistic = plan.date_format is None
    bad_when, kept, bad, rows = _parse(con, _selects(con, sources, plan, zone, guess=optimistic), where, plan)
    if bad and optimistic:
        bad_when, kept, bad, rows = _parse(con, _selects(con, sources, plan, zone, guess=False), where, plan)
    reported = _bad_rows(con, sources, bad, plan, bad_when) if bad else []
    if bad > plan.max_bad_rows:
        raise ContentError(reported)
    if bad:
        con.execute("DELETE FROM tickets WHERE bad")
    for view in ("__rows", "__stage"):
        con.execute(f"DROP VIEW {view}")
    warnings = tuple(f"warning: {p.file}:{p.line}: {p.message} (row left out)" if p.line else f"warning: {p}"
                     for p in reported)
    return Cleaned(rows, kept - bad, bad, warnings, fields)


def _selects(con: duckdb.DuckDBPyConnection, sources: list[Loaded], plan: Layout, zone: str,
             guess: bool) -> list[str]:
    """Return each file's SELECT; `guess`: read its dates as ISO 8601, else recognise its date format."""
    problems: list[Problem] = []
    selects = []
    for index, source in enumerate(sources):
        found = dates.DateFormat(dates.ISO) if guess else dates.detect(con, source.table, date_columns(source, plan),
                                                                         source.shown, plan.date_format)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        selects.append(file_select(index, source, plan, found, plan.time_zone or zone))
    if problems:
        raise ContentError(problems)
    return selects


def _checks(plan: Layout) -> list[tuple[str, str]]:
    """Return `rows.checks`, and in a list export the repeat of an id an earlier row has."""
    repeated = [] if plan.event_log else [("occurrence > 1", "'ticket ' || id || ' appears more than once "
                                                            "(this row repeats it)'")]
    return checks(plan) + repeated


def _parse(con: duckdb.DuckDBPyConnection, selects: list[str], where: str, plan: Layout) -> tuple[str, int, int, int]:
    """Create table `tickets` from the files' SELECTs, each row marked bad or not; return the SQL of 'bad', the
    rows kept (an event log's latest per ticket), the bad ones among them and the rows read."""
    # Views: the rows are parsed when `tickets` is made (a view's unused columns cost nothing).
    con.execute(f"CREATE OR REPLACE TEMP VIEW __stage AS SELECT * FROM ({' UNION ALL '.join(selects)}){where}")
    if plan.event_log:
        con.execute("CREATE OR REPLACE TEMP VIEW __rows AS SELECT *, 1 AS occurrence FROM __stage QUALIFY id IS NULL "
                    "OR row_number() OVER (PARTITION BY id ORDER BY updated DESC NULLS LAST, file_no DESC, rn DESC) = 1")
    elif repeats(con, "__stage"):
        con.execute("CREATE OR REPLACE TEMP VIEW __rows AS SELECT *, row_number() OVER "
                    "(PARTITION BY id ORDER BY file_no, rn) AS occurrence FROM __stage")
    else:  # no id repeats (the usual case): no need to number each id's rows
        con.execute("CREATE OR REPLACE TEMP VIEW __rows AS SELECT *, 1 AS occurrence FROM __stage")
    bad_when = " OR ".join(f"coalesce({condition}, FALSE)" for condition, _ in _checks(plan))
    # One pass parses every row into the narrow table the figures are computed from, marking the bad ones;
    # the few bad rows a problem names are read again from the view, with their raw values.
    con.execute("CREATE OR REPLACE TABLE tickets AS SELECT created, coalesce(resolved, closed) AS resolved, "
                "first_response, CAST(priority AS VARCHAR) AS priority, CAST(channel AS VARCHAR) AS channel, "
                f"{level1_group(plan)} AS level1_group, "
                + ", ".join(f"CAST({flag} AS BOOLEAN) AS {flag}" for flag in
                            ("reopened", "escalated", "satisfied", "response_sla", "resolution_sla"))
                + f", {bad_when} AS bad FROM __rows")
    counted = con.execute("SELECT count(*), count_if(bad) FROM tickets").fetchone()
    rows = con.execute("SELECT count(*) FROM __stage").fetchone() if plan.event_log else counted
    assert counted is not None and rows is not None
    return bad_when, int(counted[0]), int(counted[1]), int(rows[0])


ID_NUMBERS = "count(id), count(TRY_CAST(id AS BIGINT)), min(TRY_CAST(id AS BIGINT)), max(TRY_CAST(id AS BIGINT))"
"""SQL aggregates over a relation's ids that `repeats` starts from (a caller may compute them with its own)."""


def repeats(con: duckdb.DuckDBPyConnection, relation: str, numbers: tuple[Any, ...] | None = None) -> bool:
    """Return True when an id occurs in more than one row of `relation` (reading only the ids); `numbers` are
    its `ID_NUMBERS`, where the caller has them.

    Ids that are all whole numbers within a modest span are distinct when a bitmap of them has as many bits
    set as there are ids; other ids when their hashes are (counting hashes is far cheaper than texts); only
    when that fails are the ids themselves compared. (Distinct numbers or hashes prove distinct ids.)"""
    if numbers is None:
        numbers = con.execute(f"SELECT {ID_NUMBERS} FROM {relation}").fetchone()
    assert numbers is not None
    total, whole, low, high = numbers
    if total and whole == total and high - low < min(BITMAP_BITS, 64 * total):
        found = con.execute(f"SELECT bit_count(bitstring_agg(TRY_CAST(id AS BIGINT), {low}, {high})) "
                            f"FROM {relation}").fetchone()
        if found is not None and found[0] == total:
            return False
    hashes = con.execute(f"SELECT count(id) - count(DISTINCT hash(id)) FROM {relation}").fetchone()
    if not hashes or not hashes[0]:
        return False
    row = con.execute(f"SELECT count(*) FROM (SELECT id FROM {relation} WHERE id IS NOT NULL GROUP BY id "
                      "HAVING count(*) > 1)").fetchone()
    return bool(row and row[0])


def _bad_rows(con: duckdb.DuckDBPyConnection, sources: list[Loaded], bad: int, plan: Layout,
              bad_when: str) -> list[Problem]:
    """Return the first bad rows as problems at their file and line, then one naming how many more there are."""
    reasons = ", ".join(f"CASE WHEN {condition} THEN {text} END" for condition, text in _checks(plan))
    first = con.execute(f"SELECT file_no, rn, id, list_filter([{reasons}], lambda r: r IS NOT NULL) FROM __rows "
                        f"WHERE {bad_when} ORDER BY file_no, rn LIMIT {SHOWN_BAD_ROWS}").fetchall()
    by_file: dict[int, list[int]] = {}
    for file_no, rn, _, _ in first:
        by_file.setdefault(int(file_no), []).append(int(rn))
    found = {index: lines(con, sources[index], rows) for index, rows in by_file.items()}
    problems = []
    for file_no, rn, ticket, reasons in first:
        line = found[int(file_no)].get(int(rn))
        hint = _hint(str(reasons[0]), plan)
        who = f"ticket {ticket}: " if ticket and not str(reasons[0]).startswith("ticket ") else ""
        problems.append(Problem(sources[int(file_no)].shown, line, who + "; ".join(map(str, reasons)), hint))
    if bad > len(first):
        problems.append(Problem(sources[0].shown, None, f"{bad - len(first)} more bad rows ({bad} in all)",
                                f"correct the export, or allow them with tickets.mapping.max_bad_rows: {bad}"))
    return problems


def _hint(reason: str, plan: Layout) -> str:
    """Return what to do about the first reason a row is bad."""
    if reason.startswith("unknown priority"):
        return f"add the value to tickets.mapping.priorities (known: {', '.join(sorted(set(plan.priorities.values())))})"
    if reason.startswith("unknown channel"):
        return f"add the value to tickets.mapping.channels (known: {', '.join(sorted(set(plan.channels.values())))})"
    if "is not a date" in reason:
        return "correct the value, or set tickets.mapping.date_format if the export writes dates differently"
    if "before it was created" in reason:
        return "correct the times in the ticket system and export again"
    if "more than once" in reason:
        return "remove the repeated row; an export with one row per update needs the event-log preset"
    if reason.startswith("unknown rating"):
        return "say what it means in tickets.mapping.rating_words (true: satisfied, false: not, null: no rating)"
    return "correct the value in the export, or allow bad rows with tickets.mapping.max_bad_rows"
