"""One pass from export files to typed rows: every row read once, straight from its file, into a narrow table.

`parse` creates table `__parsed`: for each row its id, instants (created, resolved, first response, and
updated for an event log), priority, channel, Level-1 group, reopen, escalation, satisfaction and SLA
marks, and whether it is bad in one of the ways `rows.checks` names; with `every_customer` the folded
customer too, so that the rows serve every customer's summary (`store` keeps them as Parquet for the
decks and accounts that share an export). Dates are read as ISO 8601; only when some do not read is
each file's date format recognised and the files read again. `select` takes one summary's tickets
(`tickets`) from the rows: a customer's, an event log's latest row per ticket. When one of them is bad
or an id repeats, `select` gives up and `clean` reads the files again, in file order, to report those
rows at their line or leave them out as the mapping allows.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from generator import cache
from generator.errors import Problems
from generator.tickets import dates, export
from generator.tickets.clean import ID_NUMBERS, Cleaned, check_rules, repeats
from generator.tickets.export import Loaded
from generator.tickets.presets import Layout
from generator.tickets.rows import bad, date_columns, file_select, level1_group, lit

PARSES = 0
"""How many times export files were parsed (not read from a stored parse): tests check units share one."""
FLAGS = ("reopened", "escalated", "satisfied", "response_sla", "resolution_sla")


@dataclass(frozen=True)
class Parsed:
    """Parsed rows of an export: `relation` names them (table __parsed, or a stored parse's Parquet file)."""

    relation: str
    fields: frozenset[str]
    """The fields at least one file has: figures that need another are None."""
    order: str | None
    """An event log's rows: SQL giving their order in the files (ties of `updated` go to the later row)."""
    customers: bool
    """True: the rows of every customer, with the folded customer in column `customer`."""


def parse(con: duckdb.DuckDBPyConnection, sources: list[Loaded], plan: Layout, zone: str,
          customer: str | None = None, every_customer: bool = False) -> Parsed:
    """Create table __parsed from the files of `export.load` (views), only `customer`'s rows unless
    `every_customer`; `zone` is the time zone of times written without one."""
    global PARSES
    PARSES += 1
    fields = frozenset(f for s in sources for f in s.fields)
    keep = every_customer and "customer" in fields
    where = "" if keep or customer is None or "customer" not in fields else \
        f" WHERE lower(customer) = {lit(' '.join(customer.split()).lower())}"
    columns = ("id, created, coalesce(resolved, closed) AS resolved, first_response, "
               f"{_vocabulary('priority', plan.priorities)} AS priority, "
               f"{_vocabulary('channel', plan.channels)} AS channel, {level1_group(plan)} AS level1_group, "
               + ", ".join(f"CAST({flag} AS BOOLEAN) AS {flag}" for flag in FLAGS)
               + (", updated" if plan.event_log else "") + (", lower(customer) AS customer" if keep else "")
               + f", {bad(plan)} AS bad")
    unordered = [_without_order(source) for source in sources]
    # An event log's rows keep their file order (the rowid): the later of two updates at the same time wins.
    con.execute(f"SET preserve_insertion_order = {str(plan.event_log).lower()}")

    def create(formats: list[dates.DateFormat]) -> int:
        selects = [file_select(i, source, plan, fmt, zone) for i, (source, fmt) in enumerate(zip(unordered, formats))]
        con.execute(f"CREATE OR REPLACE TABLE __parsed AS SELECT {columns} FROM ({' UNION ALL '.join(selects)}){where}")
        found = con.execute("SELECT coalesce(count_if(bad), 0) FROM __parsed").fetchone()
        return int(found[0]) if found else 0

    given = dates.DateFormat(plan.date_format, (plan.date_format,)) if plan.date_format else dates.DateFormat(dates.ISO)
    if create([given] * len(sources)) and not plan.date_format:
        # Most exports write ISO 8601 dates, read at once; recognising each file's format is a pass over its dates.
        found = [dates.detect(con, s.table, date_columns(s, plan), s.shown, None) for s in sources]
        formats = [f for f in found if isinstance(f, dates.DateFormat)]
        if len(formats) == len(found) and any(f.name != dates.ISO for f in formats):
            create(formats)
    return Parsed("__parsed", fields, "rowid" if plan.event_log else None, keep)


def _without_order(source: Loaded) -> Loaded:
    """Return `source` read without its row numbers (rows come in file order where the order is kept)."""
    return replace(source, row=None)


def _vocabulary(name: str, table: dict[str, str]) -> str:
    """SQL: the priority or channel as an ENUM of the layout's names (one byte a row), or as text without one."""
    if not table:
        return f"CAST({name} AS VARCHAR)"
    names = sorted({*table.values(), "(none)"})
    return f"CAST({name} AS ENUM({', '.join(lit(n) for n in names)}))"


def select(con: duckdb.DuckDBPyConnection, parsed: Parsed, plan: Layout, customer: str | None,
           shown: str) -> Cleaned | None:
    """Create `tickets` (the tickets of `customer`, or all) from the parsed rows and return what was kept; None
    when one of them is bad or an id repeats (`clean` then reports them). Raise ContentError when the rules
    cannot apply to the export (`clean.check_rules`)."""
    check_rules(parsed.fields, plan, customer, shown)
    where = f" WHERE customer = {lit(' '.join(customer.split()).lower())}" if parsed.customers and customer else ""
    if plan.event_log:
        rows = con.execute(f"SELECT count(*) FROM {parsed.relation}{where}").fetchone()
        con.execute(f"CREATE OR REPLACE TEMP TABLE tickets AS SELECT * FROM {parsed.relation}{where} QUALIFY id IS NULL "
                    f"OR row_number() OVER (PARTITION BY id ORDER BY updated DESC NULLS LAST, {parsed.order} DESC) = 1")
    elif where or parsed.relation != "__parsed":
        con.execute(f"CREATE OR REPLACE TEMP TABLE tickets AS SELECT * FROM {parsed.relation}{where}")
        rows = None
    else:  # all the parsed rows: read them where they are
        con.execute("CREATE OR REPLACE TEMP VIEW tickets AS SELECT * FROM __parsed")
        rows = None
    counted = con.execute(f"SELECT count(*), count_if(bad), {ID_NUMBERS} FROM tickets").fetchone()
    assert counted is not None
    if counted[1] or (not plan.event_log and repeats(con, "tickets", counted[2:])):
        drop_tickets(con)
        return None
    return Cleaned(int((rows or counted)[0]), int(counted[0]), 0, (), parsed.fields)


def drop_tickets(con: duckdb.DuckDBPyConnection) -> None:
    """Drop `tickets`, a table or a view."""
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'tickets'").fetchone()
    if kind is not None:
        con.execute(f"DROP {'VIEW' if kind[0] == 'VIEW' else 'TABLE'} tickets")


def store(con: duckdb.DuckDBPyConnection, parsed: Parsed, path: Path) -> None:
    """Keep the rows of `parse` as Parquet at `path` (and what they hold beside it, as JSON); a failure only
    costs a parse."""
    temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    order = ", rowid AS seq" if parsed.order else ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY (SELECT *{order} FROM {parsed.relation}) TO {lit(str(temporary))} (FORMAT parquet)")
        os.replace(temporary, path)
        about = {"fields": sorted(parsed.fields), "order": parsed.order, "customers": parsed.customers}
        _write_json(_about(path), about)
    except (OSError, duckdb.IOException):
        temporary.unlink(missing_ok=True)


def stored(con: duckdb.DuckDBPyConnection, path: Path) -> Parsed | None:
    """Return the parse `store` kept at `path`, or None when there is none (or it is damaged)."""
    try:
        about = json.loads(_about(path).read_text(encoding="utf-8"))
        relation = f"read_parquet({lit(str(path))})"
        con.execute(f"SELECT count(*) FROM {relation}").fetchone()  # reads the file's footer: is it whole?
        return Parsed(relation, frozenset(about["fields"]), "seq" if about["order"] else None, bool(about["customers"]))
    except (OSError, ValueError, KeyError, TypeError, duckdb.Error):
        return None


class Files:
    """The export files of one summary, opened (as views) when first needed: not at all when its rows are stored."""

    def __init__(self, con: duckdb.DuckDBPyConnection, files: list[tuple[Path, str]], plan: Layout,
                 scratch: Path, checked: bool = True) -> None:
        """`checked` False: text files are read as UTF-8 unchecked, and DuckDB's refusal of one is raised
        (`export.load`), for the caller to read them again checked."""
        self.con, self.files, self.plan, self.scratch, self.checked = con, files, plan, scratch, checked
        self._views: list[Loaded] | None = None

    def views(self) -> list[Loaded]:
        """Return the files as `export.load` opens them, or raise ContentError."""
        if self._views is None:
            problems = Problems()
            self._views = export.load(self.con, self.files, self.plan, self.scratch, problems, self.checked)
            problems.raise_if_any()
        return self._views

    def numbered(self) -> list[Loaded]:
        """Return the files with their rows in file order (`export.materialize`), or raise ContentError."""
        problems = Problems()
        found = export.materialize(self.con, self.views(), problems, self.checked)
        problems.raise_if_any()
        return found


def rows(files: Files, zone: str, customer: str | None, stored_as: Path | None) -> Parsed:
    """Return the parsed rows of the export: `customer`'s, parsed now; or, with `stored_as`, every customer's, as
    the first summary to need them stored them there (by another deck or account, in another process: one
    process at a time parses an export, the others wait for its rows)."""
    if stored_as is None:
        return parse(files.con, files.views(), files.plan, zone, customer)
    with _locked(stored_as.with_suffix(".lock")):
        found = stored(files.con, stored_as)
        if found is not None:
            for used in (stored_as, _about(stored_as)):
                cache.touch(used)
            return found
        parsed = parse(files.con, files.views(), files.plan, zone, every_customer=True)
        store(files.con, parsed, stored_as)
        return parsed


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if need be) while the block runs; without file locks (or
    where the file cannot be made) the block runs unlocked: a second parse is only slower."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a")  # noqa: SIM115 (closed below, after the block)
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _about(path: Path) -> Path:
    return path.with_suffix(".json")


def _write_json(path: Path, data: object) -> None:
    cache.store(path, json.dumps(data, sort_keys=True).encode())
