"""Read export files into DuckDB: one view per file with the columns a layout names, and its rows in file order.

Every value is read as text (the rules in `rows` parse it), so nothing is lost or guessed on the way
in; a Parquet file's timestamps and numbers are read as they are. A view reads its file anew at each
query and copies nothing: `parse` reads each file once. A column the layout needs and the file lacks is
a problem naming the column, the preset and the columns the file has, with a did-you-mean. Line
numbers, for problems (`materialize` copies the rows in file order): a spreadsheet row carries its
sheet row; a CSV row's physical line is worked out only for the few rows a problem names (`lines`),
counting the line breaks inside quoted values of the rows before it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from generator.errors import Problem, Problems
from generator.tickets import encoding
from generator.tickets.presets import Layout, fold

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
DATE_FIELDS = ("created", "resolved", "closed", "updated", "first_response")
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}


@dataclass(frozen=True)
class Loaded:
    """One export file in DuckDB: table `table` holds its rows in file order (rowid) as text, by field name."""

    path: Path
    shown: str
    """The file as problems name it."""
    table: str
    kind: str
    """'text', 'xlsx', 'parquet' or 'json'."""
    fields: tuple[str, ...]
    """The fields found in the file (a subset of the layout's)."""
    source_sql: str
    """The table function reading the file (for the rare second pass that finds CSV line numbers)."""
    headers: tuple[str, ...]
    row: str | None = "rowid"
    """SQL giving a row's place in the file (0-based): the table's rowid, or a Parquet file's row number; None for
    a view of a text file (`materialize` numbers its rows)."""
    typed: dict[str, str] = field(default_factory=dict)
    """Fields the file holds typed already (Parquet) -> TIMESTAMP (in the export's time zone), TIMESTAMPTZ,
    DOUBLE or (a whole-number id) BIGINT: read as they are, not as text."""


def quote(name: str) -> str:
    """Return `name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Return `text` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def reader(path: Path, scratch: Path, index: int, checked: bool = True) -> tuple[str, str]:
    """Return (kind, SQL table function) reading `path`, converting it into `scratch` first where needed; unless
    `checked`, a text file not starting as UTF-16 is read as UTF-8 unchecked (DuckDB's reading checks it)."""
    suffix = encoding.inner_suffix(path)
    if encoding.compressed(path) and suffix not in TEXT_SUFFIXES | JSON_SUFFIXES:
        raise ValueError("only CSV, TSV and JSON lines exports may be gzip-compressed (.csv.gz)")
    if suffix == ".xlsx":
        converted = encoding.xlsx_to_csv(path, scratch / f"{index}.csv")
        return "xlsx", _read_csv(converted, ",", "utf-8")
    if suffix == ".parquet":
        return "parquet", f"read_parquet({literal(str(path))})"
    if suffix in JSON_SUFFIXES:
        return "json", f"read_json({literal(str(path))}, format='newline_delimited')"
    found = encoding.detect_encoding(path, whole=checked)
    if found == "cp1252":
        path, found = encoding.transcode(path, "cp1252", scratch / f"{index}.txt"), "utf-8"
    delimiter = "\t" if suffix in (".tsv", ".tab") else encoding.sniff_delimiter(path, found)
    return "text", _read_csv(path, delimiter, found)


MAX_LINE = 64 * 1024 * 1024
"""The longest row a text export may have (quoted newlines included), in bytes."""


def _read_csv(path: Path, delimiter: str, text_encoding: str) -> str:
    # The buffer is one row at most: DuckDB's default for a file it decompresses or decodes (gzip, UTF-16) is
    # 16 of them, more than MEMORY_LIMIT.
    return (f"read_csv({literal(str(path))}, delim={literal(delimiter)}, header=true, all_varchar=true, "
            f"quote='\"', escape='\"', max_line_size={MAX_LINE}, buffer_size={MAX_LINE}, "
            f"encoding={literal(text_encoding)})")


def headers_of(con: duckdb.DuckDBPyConnection, source_sql: str) -> tuple[str, ...]:
    """Return the column names of a table function."""
    return tuple(types_of(con, source_sql))


def types_of(con: duckdb.DuckDBPyConnection, source_sql: str) -> dict[str, str]:
    """Return the column names of a table function with their SQL types."""
    return {str(row[0]): str(row[1]) for row in con.execute(f"DESCRIBE SELECT * FROM {source_sql}").fetchall()}


NUMBER_FIELDS = ("first_response", "reopen_count", "escalated", "rating")
"""Fields whose numbers a Parquet file may hold as numbers (first_response: minutes or hours after creation)."""
NUMBERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
           "FLOAT", "DOUBLE")
WHOLE_NUMBERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")
"""Types of an id column read as a number (its text would be the same ids): all fit in a BIGINT."""
TIMESTAMPS = ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATE")
"""Column types read as times without a zone (in the export's time zone); TIMESTAMP WITH TIME ZONE keeps its own."""


def load(con: duckdb.DuckDBPyConnection, files: list[tuple[Path, str]], plan: Layout, scratch: Path,
         problems: Problems, checked: bool = True) -> list[Loaded]:
    """Return each export file (path, shown name) as a view `export_N` of the fields the layout names; record
    problems in `problems`. Nothing is read but the headers: a text file's rows are read, in no set order, by
    each query of its view (a Parquet file's carry their row number). Unless `checked`, text files are read as
    UTF-8 unchecked (`reader`) and DuckDB's refusal of one is raised, not recorded (the caller reads them again)."""
    loaded = []
    for index, (path, shown) in enumerate(files):
        try:
            kind, source_sql = reader(path, scratch, index, checked)
            types = types_of(con, source_sql)
        except (duckdb.Error, OSError, ValueError, KeyError) as exc:
            if not checked and encoding.not_utf8(exc):
                raise
            problems.items.append(_unreadable(shown, exc))
            continue
        headers = tuple(types)
        found = _resolve(headers, plan, shown, problems)
        if found is None:
            continue
        table = f"export_{index}"
        typed = {name: types[header] for name, header in found.items() if kind == "parquet" and (
            (name in DATE_FIELDS and types[header] in (*TIMESTAMPS, "TIMESTAMP WITH TIME ZONE")
             and (name != "first_response" or plan.first_response_unit == "time"))
            or (name in NUMBER_FIELDS and _numeric(types[header])
                and (name != "first_response" or plan.first_response_unit != "time"))
            or (name == "id" and types[header] in WHOLE_NUMBERS))}
        columns = [f"CAST({quote(header)} AS {_as(typed.get(name), name)}) AS {quote(name)}"
                   for name, header in found.items()]
        if kind == "xlsx":
            columns.append(f"TRY_CAST({quote(encoding.LINE_COLUMN)} AS BIGINT) AS __line")
        try:
            if kind == "parquet":  # columnar: read again where needed, never copied as text
                source = source_sql[:-1] + ", file_row_number=true)"
                con.execute(f"CREATE VIEW {table} AS SELECT file_row_number AS __row, {', '.join(columns)} FROM {source}")
            else:
                con.execute(f"CREATE VIEW {table} AS SELECT {', '.join(columns)} FROM {source_sql}")
        except duckdb.Error as exc:
            problems.items.append(_unreadable(shown, exc))
            continue
        loaded.append(Loaded(path, shown, table, kind, tuple(found), source_sql, headers,
                             "__row" if kind == "parquet" else None, {name: _as(t, name) for name, t in typed.items()}))
    return loaded


def materialize(con: duckdb.DuckDBPyConnection, sources: list[Loaded], problems: Problems,
                checked: bool = True) -> list[Loaded]:
    """Return the files of `load` with their rows numbered in file order (table `export_N_rows`, the rowid; a
    Parquet file's view has its row numbers already), as problems need them; record unreadable files (unless
    `checked`, DuckDB's refusal of bytes that are not UTF-8 is raised, as `load` does)."""
    con.execute("SET preserve_insertion_order = true")  # rowid below must be the row's place in the file
    found = []
    for source in sources:
        if source.row is not None:
            found.append(source)
            continue
        try:
            con.execute(f"CREATE OR REPLACE TABLE {source.table}_rows AS SELECT * FROM {source.table}")
        except duckdb.Error as exc:
            if not checked and encoding.not_utf8(exc):
                raise
            problems.items.append(_unreadable(source.shown, exc))
            continue
        found.append(dataclasses.replace(source, table=f"{source.table}_rows", row="rowid"))
    return found


def _numeric(source_type: str) -> bool:
    return source_type in NUMBERS or source_type.startswith("DECIMAL")


def _as(source_type: str | None, name: str) -> str:
    """Return the type a column is read as: text, a number (an id a whole one), or a timestamp (with its zone, when
    the file has one)."""
    if source_type is None:
        return "VARCHAR"
    if name == "id":
        return "BIGINT"
    if _numeric(source_type):
        return "DOUBLE"
    return "TIMESTAMPTZ" if source_type == "TIMESTAMP WITH TIME ZONE" else "TIMESTAMP"


def _resolve(headers: tuple[str, ...], plan: Layout, shown: str, problems: Problems) -> dict[str, str] | None:
    """Return field -> the file's header for each field of the layout found; None after recording missing ones."""
    by_fold = {fold(h): h for h in headers}
    found: dict[str, str] = {}
    for name, accepted in plan.columns.items():
        header = next((by_fold[fold(a)] for a in accepted if fold(a) in by_fold), None)
        if header is not None:
            found[name] = header
    missing = [name for name in sorted(plan.required) if name not in found]
    if "resolved" not in found and "closed" not in found and plan.name != "mapping":
        missing.append("resolved" if "resolved" in plan.columns else "closed")
    for name in missing:
        wanted = plan.columns.get(name, (name,))
        close = difflib.get_close_matches(wanted[0], headers, n=1, cutoff=0.6)
        close += [] if close else difflib.get_close_matches(fold(wanted[0]), [fold(h) for h in headers], n=1)
        where = f"the {plan.name} preset" if plan.name != "mapping" else "the mapping"
        shown_headers = ", ".join(repr(h) for h in headers[:40]) + (" ..." if len(headers) > 40 else "")
        hint = (f"did you mean {close[0]!r}? " if close else "") + \
            f"name the column with tickets.mapping.columns.{name} if the export calls it something else"
        problems.items.append(Problem(shown, 1, f"no column {wanted[0]!r} ({name}, needed by {where}); "
                                      f"the file has: {shown_headers}", hint))
    return None if missing else found


def _unreadable(shown: str, exc: BaseException) -> Problem:
    """Return the problem of a file DuckDB or openpyxl could not read, at the line DuckDB names when it does."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    match = re.search(r"[Ll]ine:?\s*(\d+)", str(exc))
    return Problem(shown, int(match.group(1)) if match else None, f"cannot be read as a ticket export: {text}",
                   "export it again as CSV (UTF-8), XLSX, Parquet or JSON lines with one header row")


def lines(con: duckdb.DuckDBPyConnection, source: Loaded, rows: list[int]) -> dict[int, int]:
    """Return row (0-based, file order) -> the file line (or sheet row) where it starts, for a few rows."""
    if not rows:
        return {}
    if source.kind == "xlsx":
        found = con.execute(f"SELECT rowid, __line FROM {source.table} WHERE rowid IN ({', '.join(map(str, rows))})")
        return {int(r): int(line) for r, line in found.fetchall() if line is not None}
    if source.kind != "text":
        return {row: row + 1 for row in rows}
    con.execute("SET preserve_insertion_order = true")  # rowid below must be the row's place in the file
    newlines = " + ".join(f"coalesce(length({quote(h)}) - length(replace({quote(h)}, chr(10), '')), 0)"
                          for h in source.headers) or "0"
    header_breaks = sum(h.count("\n") for h in source.headers)
    con.execute(f"CREATE OR REPLACE TEMP TABLE __breaks AS SELECT {newlines} AS n FROM {source.source_sql}")
    wanted = ", ".join(map(str, rows))
    query = (f"SELECT r, 2 + {header_breaks} + r + (SELECT coalesce(sum(n), 0) FROM __breaks WHERE rowid < r) "
             f"FROM (SELECT unnest([{wanted}]) AS r)")
    result = {int(r): int(line) for r, line in con.execute(query).fetchall()}
    con.execute("DROP TABLE __breaks")
    return result
