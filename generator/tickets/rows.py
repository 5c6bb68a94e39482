"""From export rows to typed values: the SQL reading each field by the layout's rules, and what makes a row bad.

`file_select` reads one file's rows: every value is computed once (inner SELECT), then the flags saying
a value is there but does not read (outer SELECT), so the costly steps (trimming, parsing dates, time
zones) run once per value, and only where needed: a date that reads is never trimmed, a count that
reads as a number is never looked up as a word. Instants are microseconds since 1970-01-01 UTC (BIGINT):
figures compare and subtract them as integers. `checks` are the ways a row can be bad, as SQL conditions
over those columns with the reason in words; `parse` and `clean` both read rows with these, so a ticket
has the same values whichever path reads it.
"""

from __future__ import annotations

from generator.tickets import dates
from generator.tickets.export import Loaded
from generator.tickets.presets import YES, Layout

DATE_FIELDS = ("created", "resolved", "closed", "updated")
UTC = ("UTC", "Etc/UTC")
LONGEST_HOURS = 1e9


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def folded(column: str) -> str:
    """SQL for a text value compared as `presets.fold_value` does: trimmed, lower case."""
    return f"lower(trim({column}))"


def present(column: str) -> str:
    """SQL: the text `column` holds something besides spaces."""
    return f"(nullif(trim({column}), '') IS NOT NULL)"


def lookup(key: str, table: dict[str, object]) -> str:
    """SQL mapping the folded value `key` through `table` (keys folded); NULL for a value not in it."""
    cases = " ".join(f"WHEN {lit(k)} THEN {_sql_value(v)}" for k, v in table.items())
    return f"(CASE {key} {cases} END)" if cases else "NULL"


def one_of(key: str, values: list[str]) -> str:
    """SQL: the text `key` is one of `values` (FALSE when it is NULL). A CASE, not `IN (...)`, which DuckDB plans
    as a join against the list: a per-row comparison is cheaper for the few words of a layout."""
    cases = " ".join(f"WHEN {lit(v)} THEN TRUE" for v in values)
    return f"(CASE {key} {cases} ELSE FALSE END)" if cases else "FALSE"


def _sql_value(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return lit(str(value))


def instant(timestamp: str, zone: str) -> str:
    """SQL: the TIMESTAMP `timestamp`, a local time in `zone`, as microseconds since the epoch (UTC)."""
    return f"epoch_us({timestamp})" if zone in UTC else f"epoch_us(timezone({lit(zone)}, {timestamp}))"


def text_instant(column: str, fmt: dates.DateFormat, zone: str) -> str:
    """SQL reading the text `column` as an instant (microseconds): a time with a UTC offset is the instant it
    names, any other a local time in `zone`; NULL when it does not read. As `checked_instant`, with a shortcut
    for ISO 8601 values of the one shape exports mostly write."""
    found = checked_instant(column, fmt, zone)
    if fmt.name != dates.ISO:
        return found
    # A value shaped YYYY-MM-DD HH:MM:SS holds no offset (`dates.OFFSET` cannot match it): it is cast as it is,
    # without the checks of `checked_instant` (a fifth of the cost of reading an export).
    shaped = f"({column} LIKE '____-__-__ __:__:__' OR {column} LIKE '____-__-__T__:__:__')"
    return f"CASE WHEN {shaped} THEN {instant(f'TRY_CAST({column} AS TIMESTAMP)', zone)} ELSE {found} END"


def checked_instant(column: str, fmt: dates.DateFormat, zone: str) -> str:
    """SQL reading the text `column` as `text_instant` does, every value checked for an offset.

    Only a value that may hold an offset (a 'Z', '+' or a '-' after the date; tested on the untrimmed text,
    which finds every value its trimmed text would) is trimmed and matched against `dates.OFFSET`."""
    value = f"nullif(trim({column}), '')"
    # A value that begins and ends with a digit has nothing to trim: it is cast as it is (trimming costs more).
    naive = (f"CASE WHEN left({column}, 1) BETWEEN '0' AND '9' AND right({column}, 1) BETWEEN '0' AND '9' "
             f"THEN TRY_CAST({column} AS TIMESTAMP) ELSE TRY_CAST({value} AS TIMESTAMP) END" if fmt.name == dates.ISO
             else dates.naive(value, fmt))
    plain = instant(naive, zone)
    if not fmt.offsets:
        return plain
    loose = (f"(contains({column}, 'Z') OR contains({column}, 'z') OR contains({column}, '+') "
             f"OR contains(substr({column}, 11), '-'))")
    return (f"CASE WHEN {loose} AND {dates.maybe_offset(value)} AND regexp_matches({value}, {lit(dates.OFFSET)}) "
            f"THEN epoch_us(TRY_CAST({value} AS TIMESTAMPTZ)) ELSE {plain} END")


def number(column: str) -> str:
    """SQL reading a text number ('2', ' 2.5 ', '2,5'); NULL when it is none. A value the cast reads as it is
    holds no comma, so only the others are trimmed and have a decimal comma replaced."""
    return f"coalesce(TRY_CAST({column} AS DOUBLE), TRY_CAST(replace(trim({column}), ',', '.') AS DOUBLE))"


def hours(column: str, unit: str) -> str:
    """SQL reading a duration as hours: a number of `unit` ('minutes' or 'hours') or [-]H:MM[:SS]."""
    plain = f"TRY_CAST({column} AS DOUBLE)" + (" / 60" if unit == "minutes" else "")
    return f"coalesce({plain}, {dates.hours(column, unit)})"


def file_select(index: int, source: Loaded, plan: Layout, fmt: dates.DateFormat, zone: str) -> str:
    """Return the SELECT turning one file's rows into typed values, with a flag for each value that is there but
    does not read. A value the file holds typed (a Parquet timestamp or number) is taken as it is.

    Columns: file_no, rn (the row's place in the file, when `source.row` records it), id, created, resolved,
    closed, updated, first_response (instants), priority, channel, grp (the folded group), customer, reopened,
    escalated, satisfied, response_sla, resolution_sla; NAME_raw (the text as written) and NAME_unread flags;
    no_created and rating_bad."""
    has = set(source.fields)

    def col(name: str) -> str:
        if name in source.typed:
            return f'CAST("{name}" AS VARCHAR)'
        return f'"{name}"' if name in has else "CAST(NULL AS VARCHAR)"

    def when(name: str) -> str:
        kind = source.typed.get(name)
        if kind == "TIMESTAMPTZ":
            return f'epoch_us("{name}")'
        if kind is not None:
            return instant(f'"{name}"', zone)
        return text_instant(col(name), fmt, zone) if name in has else "CAST(NULL AS BIGINT)"

    def count(name: str) -> str:
        return f'"{name}"' if name in source.typed else number(col(name))

    def unread(name: str, value: str, raw: str) -> str:
        """SQL over the inner columns: `value` is NULL though the field holds text (never, for a typed one)."""
        if name in source.typed or name not in has:
            return "FALSE"
        return f"CASE WHEN ({value}) IS NOT NULL THEN FALSE ELSE {present(raw)} END"

    # A created time that reads is there; only one that does not is trimmed to see whether it is blank.
    blank = "TRUE" if "created" in source.typed else f"NOT {present('created_raw')}"
    ticket = '"id"' if "id" in source.typed else f"nullif(trim({col('id')}), '')"
    inner = [f"{index} AS file_no", *([f"{source.row} AS rn"] if source.row else []), f"{ticket} AS id"]
    outer = ["file_no", *(["rn"] if source.row else []), "id",
             f"CASE WHEN created IS NOT NULL THEN FALSE ELSE {blank} END AS no_created"]
    for name in DATE_FIELDS:
        inner += [f"{col(name)} AS {name}_raw", f"{when(name)} AS {name}"]
        outer += [f"{name}_raw", name, f"{unread(name, name, name + '_raw')} AS {name}_unread"]
    inner.append(f"{col('first_response')} AS first_response_raw")
    if plan.first_response_unit == "time":
        inner.append(f"{when('first_response')} AS first_response")
        outer.append("first_response")
        read = "first_response"
    else:
        inner.append(f"""{f'"first_response"{" / 60" if plan.first_response_unit == "minutes" else ""}'
                         if "first_response" in source.typed else hours(col("first_response"),
                                                                        plan.first_response_unit)} AS response_h""")
        # A duration is at most a billion hours (beyond it, or NaN, it would overflow the instant): else unread.
        outer.append(f"CASE WHEN abs(response_h) <= {LONGEST_HOURS} THEN created + CAST(round(response_h * 3600e6) "
                     "AS BIGINT) END AS first_response")
        read = f"CASE WHEN abs(response_h) <= {LONGEST_HOURS} THEN response_h END"
    outer += [f"{unread('first_response', read, 'first_response_raw')} AS first_response_unread", "first_response_raw"]
    for name, table in (("priority", plan.priorities), ("channel", plan.channels)):
        key = folded(col(name)) if table else f"trim({col(name)})"
        value = lookup(f"{name}_key", dict(table)) if table else f"{name}_key"
        inner += [f"{col(name)} AS {name}_raw", f"{key} AS {name}_key"]
        outer += [f"{name}_raw", f"CASE WHEN coalesce({name}_key, '') = '' THEN '(none)' ELSE {value} END AS {name}"]
    groups = folded(col("group")) if plan.level1_groups and "group" in has else "CAST(NULL AS VARCHAR)"
    inner += [f"{groups} AS grp", f"nullif(trim({col('customer')}), '') AS customer"]
    outer += ["grp", "customer"]
    reopen = f"coalesce({count('reopen_count')} > 0, {lookup(folded(col('reopen_count')), dict(YES))})"
    escalation = count("escalated")
    flag = (f"{escalation} > {plan.escalated_above}" if plan.escalated_above is not None
            else f"coalesce({escalation} > 0, {lookup(folded(col('escalated')), dict(YES))})")
    for field, name, raw, value in (("reopen_count", "reopened", "reopen", reopen),
                                    ("escalated", "escalated", "escalated", flag)):
        inner += [f"{col(field)} AS {raw}_raw", f"{value} AS {name}"]
        outer += [f"{raw}_raw", name, f"{unread(field, name, raw + '_raw')} AS {raw}_unread"]
    typed_rating = "rating" in source.typed
    words = {} if typed_rating else plan.rating_words
    numeric = (f"CASE WHEN rating_n BETWEEN 0 AND {plan.satisfied_at[1]} THEN rating_n >= {plan.satisfied_at[0]} END"
               if plan.satisfied_at else "CAST(NULL AS BOOLEAN)")
    known = one_of("rating_key", list(words))
    rating_n = count("rating") if plan.satisfied_at or typed_rating else "CAST(NULL AS DOUBLE)"
    inner += [f"{col('rating')} AS rating_raw", f"{folded(col('rating')) if words else 'CAST(NULL AS VARCHAR)'} "
              f"AS rating_key", f"{rating_n} AS rating_n"]
    outer += ["rating_raw", f"CASE WHEN {known} THEN {lookup('rating_key', dict(words))} ELSE {numeric} END AS satisfied",
              f"CASE WHEN {known} OR ({numeric}) IS NOT NULL THEN FALSE ELSE "
              f"{'rating_n IS NOT NULL' if typed_rating else present('rating_raw')} END AS rating_bad"]
    for name in ("response_sla", "resolution_sla"):
        value = (f"coalesce({lookup(folded(col(name)), dict(plan.sla_words))}, ({hours(col(name), 'hours')}) >= 0)"
                 if name in has else "CAST(NULL AS BOOLEAN)")
        inner += [f"{col(name)} AS {name}_raw", f"{value} AS {name}"]
        outer += [f"{name}_raw", name, f"{unread(name, name, name + '_raw')} AS {name}_unread"]
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {source.table})"


def checks(plan: Layout) -> list[tuple[str, str]]:
    """Return (SQL condition, SQL reason text) for each way a row of `file_select` can be bad (a repeated id
    aside: `occurrence` counts the rows of an id where it is known)."""
    found = [("id IS NULL", "'no ticket id'"), ("no_created", "'no created time'")]
    for name in (*DATE_FIELDS, "first_response"):
        shown = "first response" if name == "first_response" else name
        also = " or duration" if name == "first_response" else ""
        found.append((f"{name}_unread", f"'{shown} ' || {_raw(name + '_raw')} || ' is not a date{also}'"))
    found += [
        ("priority IS NULL", f"'unknown priority ' || {_raw('priority_raw')}"),
        ("channel IS NULL", f"'unknown channel ' || {_raw('channel_raw')}"),
        ("coalesce(resolved, closed) < created", "'resolved (' || strftime(make_timestamp(coalesce(resolved, closed)), "
         "'%Y-%m-%d %H:%M') || ') before it was created (' || strftime(make_timestamp(created), '%Y-%m-%d %H:%M') || ')'"),
        ("rating_bad", f"'unknown rating ' || {_raw('rating_raw')}"),
        ("reopen_unread", f"'reopen count ' || {_raw('reopen_raw')} || ' is not a number'"),
        ("escalated_unread", f"'escalation mark ' || {_raw('escalated_raw')} || ' cannot be read'"),
    ]
    for name in ("response_sla", "resolution_sla"):
        found.append((f"{name}_unread", f"'{name.replace('_', ' ')} ' || {_raw(name + '_raw')} || ' cannot be read'"))
    return found


def bad(plan: Layout) -> str:
    """SQL over the columns of `file_select`: the row is bad in one of the ways `checks` names."""
    return " OR ".join(f"coalesce({condition}, FALSE)" for condition, _ in checks(plan))


def level1_group(plan: Layout) -> str:
    """SQL over the columns of `file_select`: the ticket's group is one of `level1_groups`."""
    if not plan.level1_groups:
        return "FALSE"
    return one_of("grp", list(plan.level1_groups))


def date_columns(source: Loaded, plan: Layout) -> list[str]:
    """Return the file's columns holding dates as text (those its date format is recognised from)."""
    return [f'"{name}"' for name in (*DATE_FIELDS, "first_response") if name in source.fields
            and name not in source.typed and (name != "first_response" or plan.first_response_unit == "time")]


def _raw(column: str) -> str:
    return f"'''' || left(trim({column}), 60) || ''''"
