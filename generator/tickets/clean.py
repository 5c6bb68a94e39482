"""From export rows to tickets: every value read by the layout's rules, bad rows found and reported.

A row is bad when its id is empty, its created time is missing or no date, another date is no date,
its priority or channel is not in the layout's vocabulary, it was resolved before it was created,
its rating, SLA mark, reopen count or escalation mark cannot be read, or (in a list export) its id
was already used by an earlier row. Bad rows are problems naming the file and the line (the first
ten, then a count), unless `max_bad_rows` allows that many: then they are left out of every figure
and listed as warnings. Event logs keep each ticket's latest row (by `updated`, else the last row).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from generator.errors import ContentError, Problem
from generator.tickets import dates
from generator.tickets.export import Loaded, lines
from generator.tickets.presets import YES, Layout

SHOWN_BAD_ROWS = 10
DATE_FIELDS = ("created", "resolved", "closed", "updated")


@dataclass(frozen=True)
class Cleaned:
    """What cleaning found: rows read, tickets kept, bad rows left out (with their warnings)."""

    rows: int
    tickets: int
    bad_rows: int
    warnings: tuple[str, ...]
    fields: frozenset[str]
    """The fields at least one file has: figures that need another are None."""


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def folded(column: str) -> str:
    """SQL for a text value compared as `presets.fold_value` does: trimmed, lower case."""
    return f"lower(trim({column}))"


def _lookup(column: str, table: dict[str, object]) -> str:
    """SQL mapping the folded `column` through `table` (keys folded); NULL for a value not in it."""
    cases = " ".join(f"WHEN {lit(k)} THEN {_sql_value(v)}" for k, v in table.items())
    return f"(CASE {folded(column)} {cases} END)" if cases else "NULL"


def _sql_value(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return lit(str(value))


def _present(column: str) -> str:
    return f"(nullif(trim({column}), '') IS NOT NULL)"


def _raw(column: str) -> str:
    return f"'''' || left(trim({column}), 60) || ''''"


def _file_select(index: int, source: Loaded, plan: Layout, fmt: dates.DateFormat, zone: str) -> str:
    """Return the SELECT turning one file's rows into typed values, with per-value 'unreadable' flags.

    Text is read by the layout's rules; a value the file already holds typed (a Parquet timestamp or number)
    is taken as it is, and can be neither missing-but-present nor unreadable."""
    has = set(source.fields)

    def col(name: str) -> str:
        if name in source.typed:
            return f'CAST("{name}" AS VARCHAR)'
        return f'"{name}"' if name in has else "CAST(NULL AS VARCHAR)"

    def present(name: str) -> str:
        return f'("{name}" IS NOT NULL)' if name in source.typed else _present(col(name))

    def when(name: str) -> str:
        """A date field as TIMESTAMPTZ: read from its text, or taken as the file holds it."""
        if source.typed.get(name) == "TIMESTAMPTZ":
            return f'"{name}"'
        if name in source.typed:
            return f"timezone({lit(zone)}, \"{name}\")"
        return dates.timestamp(col(name), fmt, zone)

    def count(name: str) -> str:
        if name in source.typed:
            return f'"{name}"'
        return f"TRY_CAST(replace(trim({col(name)}), ',', '.') AS DOUBLE)"

    def unread(name: str, value: str) -> str:
        """SQL: the field has a value that does not read (never, for a typed one)."""
        return "FALSE" if name in source.typed else f"({_present(col(name))} AND ({value}) IS NULL)"

    out = [f"{index} AS file_no", f"{source.row} AS rn", f"nullif(trim({col('id')}), '') AS id",
           f"NOT {present('created')} AS no_created"]
    for name in DATE_FIELDS:
        out += [f"{col(name)} AS {name}_raw", f"{when(name)} AS {name}", f"{unread(name, when(name))} AS {name}_unread"]
    if plan.first_response_unit == "time":
        response, read = when("first_response"), when("first_response")
    else:
        hours = (f'"first_response"{" / 60" if plan.first_response_unit == "minutes" else ""}'
                 if "first_response" in source.typed else dates.hours(col("first_response"), plan.first_response_unit))
        response = f"({when('created')}) + to_microseconds(CAST(round(({hours}) * 3600e6) AS BIGINT))"
        read = hours
    out += [f"{response} AS first_response", f"{col('first_response')} AS first_response_raw",
            f"{unread('first_response', read)} AS first_response_unread"]
    for name, table in (("priority", plan.priorities), ("channel", plan.channels)):
        value = _lookup(col(name), dict(table)) if table else f"nullif(trim({col(name)}), '')"
        out += [f"{col(name)} AS {name}_raw",
                f"CASE WHEN NOT {_present(col(name))} THEN '(none)' ELSE {value} END AS {name}"]
    out += [f"{folded(col('group'))} AS grp", f"nullif(trim({col('customer')}), '') AS customer"]
    reopen = f"coalesce({count('reopen_count')} > 0, {_lookup(col('reopen_count'), dict(YES))})"
    out += [f"{col('reopen_count')} AS reopen_raw", f"{reopen} AS reopened",
            f"{unread('reopen_count', reopen)} AS reopen_unread"]
    escalation = count("escalated")
    flag = (f"{escalation} > {plan.escalated_above}" if plan.escalated_above is not None
            else f"coalesce({escalation} > 0, {_lookup(col('escalated'), dict(YES))})")
    out += [f"{col('escalated')} AS escalated_raw", f"{flag} AS escalated",
            f"{unread('escalated', flag)} AS escalated_unread"]
    rating = count("rating")
    words = _lookup(col("rating"), dict(plan.rating_words))
    numeric = (f"CASE WHEN {rating} BETWEEN 0 AND {plan.satisfied_at[1]} THEN {rating} >= {plan.satisfied_at[0]} END"
               if plan.satisfied_at else "NULL")
    known = " OR ".join([f"{folded(col('rating'))} IN ({', '.join(lit(k) for k in plan.rating_words)})"]
                        if plan.rating_words and "rating" not in source.typed else ["FALSE"])
    out += [f"{col('rating')} AS rating_raw", f"CASE WHEN {known} THEN {words} ELSE {numeric} END AS satisfied",
            f"({present('rating')} AND NOT ({known}) AND ({numeric}) IS NULL) AS rating_bad"]
    for name in ("response_sla", "resolution_sla"):
        value = f"coalesce({_lookup(col(name), dict(plan.sla_words))}, ({dates.hours(col(name), 'hours')}) >= 0)"
        out += [f"{col(name)} AS {name}_raw", f"{value} AS {name}", f"{unread(name, value)} AS {name}_unread"]
    return f"SELECT {', '.join(out)} FROM {source.table}"


def _checks(plan: Layout) -> list[tuple[str, str]]:
    """Return (SQL condition, SQL reason text) for each way a staged row can be bad."""
    checks = [("id IS NULL", "'no ticket id'"), ("no_created", "'no created time'")]
    for name in (*DATE_FIELDS, "first_response"):
        shown = "first response" if name == "first_response" else name
        also = " or duration" if name == "first_response" else ""
        checks.append((f"{name}_unread", f"'{shown} ' || {_raw(name + '_raw')} || ' is not a date{also}'"))
    checks += [
        ("priority IS NULL", f"'unknown priority ' || {_raw('priority_raw')}"),
        ("channel IS NULL", f"'unknown channel ' || {_raw('channel_raw')}"),
        ("coalesce(resolved, closed) < created", "'resolved (' || strftime(coalesce(resolved, closed), "
         "'%Y-%m-%d %H:%M') || ') before it was created (' || strftime(created, '%Y-%m-%d %H:%M') || ')'"),
        ("rating_bad", f"'unknown rating ' || {_raw('rating_raw')}"),
        ("reopen_unread", f"'reopen count ' || {_raw('reopen_raw')} || ' is not a number'"),
        ("escalated_unread", f"'escalation mark ' || {_raw('escalated_raw')} || ' cannot be read'"),
    ]
    for name in ("response_sla", "resolution_sla"):
        checks.append((f"{name}_unread", f"'{name.replace('_', ' ')} ' || {_raw(name + '_raw')} || ' cannot be read'"))
    if not plan.event_log:
        checks.append(("occurrence > 1", "'ticket ' || id || ' appears more than once (this row repeats it)'"))
    return checks


def clean(con: duckdb.DuckDBPyConnection, sources: list[Loaded], plan: Layout, zone: str,
          customer: str | None = None) -> Cleaned:
    """Create table `tickets` (one good row per ticket) from the loaded files; raise ContentError for bad input."""
    problems: list[Problem] = []
    fields = frozenset(f for s in sources for f in s.fields)
    if "rating" in fields and not plan.rating_words and not plan.satisfied_at:
        problems.append(Problem(sources[0].shown, None, "the export has ratings but no rule says which are satisfied",
                                "set tickets.mapping.satisfied_at (e.g. at_least: 4, of: 5) or rating_words"))
    if customer is not None and "customer" not in fields:
        problems.append(Problem(sources[0].shown, None, f"cannot select the customer {customer!r}: the export has "
                                "no customer column", "name it with tickets.mapping.columns.customer"))
    if problems:
        raise ContentError(problems)
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
        columns = [f'"{d}"' for d in (*DATE_FIELDS, "first_response") if d in source.fields and d not in source.typed
                   and (d != "first_response" or plan.first_response_unit == "time")]
        found = dates.DateFormat(dates.ISO) if guess else dates.detect(con, source.table, columns, source.shown,
                                                                         plan.date_format)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        selects.append(_file_select(index, source, plan, found, plan.time_zone or zone))
    if problems:
        raise ContentError(problems)
    return selects


def _parse(con: duckdb.DuckDBPyConnection, selects: list[str], where: str, plan: Layout) -> tuple[str, int, int, int]:
    """Create table `tickets` from the files' SELECTs, each row marked bad or not; return the SQL of 'bad', the
    rows kept (an event log's latest per ticket), the bad ones among them and the rows read."""
    # Views: the rows are parsed when `tickets` is made (a view's unused columns cost nothing).
    con.execute(f"CREATE OR REPLACE TEMP VIEW __stage AS SELECT * FROM ({' UNION ALL '.join(selects)}){where}")
    if plan.event_log:
        con.execute("CREATE OR REPLACE TEMP VIEW __rows AS SELECT *, 1 AS occurrence FROM __stage QUALIFY id IS NULL "
                    "OR row_number() OVER (PARTITION BY id ORDER BY updated DESC NULLS LAST, file_no DESC, rn DESC) = 1")
    elif _repeated_ids(con):
        con.execute("CREATE OR REPLACE TEMP VIEW __rows AS SELECT *, row_number() OVER "
                    "(PARTITION BY id ORDER BY file_no, rn) AS occurrence FROM __stage")
    else:  # no id repeats (the usual case): no need to number each id's rows
        con.execute("CREATE OR REPLACE TEMP VIEW __rows AS SELECT *, 1 AS occurrence FROM __stage")
    bad_when = " OR ".join(f"coalesce({condition}, FALSE)" for condition, _ in _checks(plan))
    level1 = f"grp IN ({', '.join(lit(g) for g in plan.level1_groups)})" if plan.level1_groups else "FALSE"
    # One pass parses every row into the narrow table the figures are computed from, marking the bad ones;
    # the few bad rows a problem names are read again from the view, with their raw values.
    con.execute("CREATE OR REPLACE TABLE tickets AS SELECT created, coalesce(resolved, closed) AS resolved, "
                "first_response, CAST(priority AS VARCHAR) AS priority, CAST(channel AS VARCHAR) AS channel, "
                f"coalesce({level1}, FALSE) AS level1_group, "
                + ", ".join(f"CAST({flag} AS BOOLEAN) AS {flag}" for flag in
                            ("reopened", "escalated", "satisfied", "response_sla", "resolution_sla"))
                + f", {bad_when} AS bad FROM __rows")
    counted = con.execute("SELECT count(*), count_if(bad) FROM tickets").fetchone()
    rows = con.execute("SELECT count(*) FROM __stage").fetchone() if plan.event_log else counted
    assert counted is not None and rows is not None
    return bad_when, int(counted[0]), int(counted[1]), int(rows[0])


def _repeated_ids(con: duckdb.DuckDBPyConnection) -> bool:
    """Return True when a ticket id occurs in more than one row of __stage (reading only the ids).

    Distinct hashes prove distinct ids (counting hashes is far cheaper than counting texts); only when two
    hashes meet are the ids themselves compared."""
    hashes = con.execute("SELECT count(id) - count(DISTINCT hash(id)) FROM __stage").fetchone()
    if not hashes or not hashes[0]:
        return False
    row = con.execute("SELECT count(*) FROM (SELECT id FROM __stage WHERE id IS NOT NULL GROUP BY id "
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
