"""Reading ticket exports: each preset's layout, encodings, delimiters, file types, and bad input at its line."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.tickets.mapping import Columns, Mapping, SlaTarget
from generator.tickets.summary import Summary, summarize

ZENDESK = ["Id,Subject,Created at,Solved at,Priority,Via,Organization",
           '1,"Two\nlines",2026-01-05 09:00:00,2026-01-06 09:00:00,Urgent,Mail,Café Noir',
           "2,VPN,2026-01-07 10:00:00,,Low,Web form,Acme"]


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    path = tmp_path / name
    text = "\r\n".join(line.replace(",", delimiter) if delimiter != "," else line for line in lines) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def run(path: Path, preset: str | None = "zendesk", mapping: Mapping = Mapping(), **options: object) -> Summary:
    settings: dict[str, object] = {"months": ["2026-01"]}
    settings.update(options)
    return summarize([(path, path.name)], preset, mapping, **settings)  # type: ignore[arg-type]


def problems(path: Path, preset: str | None = "zendesk", mapping: Mapping = Mapping(), **options: object) -> list[str]:
    with pytest.raises(ContentError) as caught:
        run(path, preset, mapping, **options)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"),
                                                     ("cp1252", ";"), ("utf-8", "\t")])
def test_encodings_and_delimiters_as_spreadsheets_write_them(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write(tmp_path, "export.csv", ZENDESK, encoding, delimiter)
    month = run(path, customer="Café Noir").months[0]
    assert (month.opened, month.resolved, month.opened_by_channel) == (1, 1, {"E-mail": 1})
    assert run(path).months[0].opened == 2


@pytest.mark.parametrize("at", [0, 30_000])
def test_a_windows_1252_export_is_read_as_such_wherever_its_first_accent_lies(tmp_path: Path, at: int) -> None:
    # Read as UTF-8 first, DuckDB refuses the accent (in its sniffing sample, or 30,000 rows in): read again as 1252.
    rows = [f"{i},VPN,2026-01-07 10:00:00,,Low,Web form,Acme" for i in range(10, 10 + at)]
    lines = [ZENDESK[0], *rows, "3,Caf\u00e9,2026-01-08 10:00:00,2026-01-08 11:00:00,High,Mail,Caf\u00e9 Noir",
             "4,VPN,2026-01-09 10:00:00,2026-01-01 11:00:00,Low,Mail,Acme"]
    path = write(tmp_path, "export.csv", lines, "cp1252")
    assert run(write(tmp_path, "fine.csv", lines[:-1], "cp1252"), customer="Café Noir").months[0].opened == 1
    assert problems(path)[0].startswith(f"export.csv:{at + 3}: ticket 4: resolved (2026-01-01 11:00) before it was "
                                        "created (2026-01-09 10:00)")


def test_a_tsv_file_is_read_as_tab_separated(tmp_path: Path) -> None:
    assert run(write(tmp_path, "export.tsv", ZENDESK, delimiter="\t")).months[0].opened == 2


def test_xlsx_parquet_and_json_lines_give_the_same_figures(tmp_path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    source = write(tmp_path, "export.csv", ZENDESK)
    workbook = Workbook()
    for row in [["Exported 2026-02-01"], [], *[line.split(",") for line in [ZENDESK[0], *ZENDESK[2:]]]]:
        workbook.active.append(row)
    workbook.active.append(["3", "Mail", "2026-01-09 10:00:00", None, "High", "Mail", "Acme"])
    workbook.save(tmp_path / "export.xlsx")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{source}', all_varchar=true)) TO '{tmp_path / 'export.parquet'}'")
    con.execute(f"COPY (SELECT * FROM read_csv('{source}', all_varchar=true)) TO '{tmp_path / 'export.jsonl'}'")
    assert run(tmp_path / "export.parquet").months == run(source).months
    assert run(tmp_path / "export.jsonl").months == run(source).months
    # The spreadsheet's title row is taken as its header: its missing columns are named, with what it has.
    assert "the file has: 'Exported 2026-02-01'" in problems(tmp_path / "export.xlsx")[0]


def test_xlsx_rows_are_reported_at_their_sheet_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in [ZENDESK[0].split(","), [], ["1", "x", "2026-01-05 09:00:00", None, "Urgent", "Mail", "Acme"],
                ["2", "x", "2026-01-05 09:00:00", None, "Critical", "Mail", "Acme"]]:
        workbook.active.append(row)
    workbook.save(tmp_path / "export.xlsx")
    assert problems(tmp_path / "export.xlsx")[0].startswith("export.xlsx:4: ticket 2: unknown priority 'Critical'")


def test_a_missing_column_names_the_column_the_preset_and_the_columns_the_file_has(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", [ZENDESK[0].replace("Priority", "Priorty"), *ZENDESK[1:]])
    found = problems(path)
    assert found == [
        "export.csv:1: no column 'Priority' (priority, needed by the zendesk preset); the file has: 'Id', 'Subject', "
        "'Created at', 'Solved at', 'Priorty', 'Via', 'Organization'\n"
        "  fix: did you mean 'Priorty'? name the column with tickets.mapping.columns.priority if the export calls "
        "it something else"]
    month = run(path, mapping=Mapping(columns=Columns(priority="Priorty"))).months[0]
    assert month.opened == 2


def test_bad_rows_are_reported_with_their_file_and_line_quoted_newlines_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", [
        ZENDESK[0], ZENDESK[1],                                    # lines 1, 2-3
        "2,x,2026-13-45 10:00:00,,Low,Mail,Acme",                  # line 4
        '3,"a\n""b""\nc",2026-01-06 10:00:00,,Critical,Mail,Acme',  # lines 5-7
        "4,x,2026-01-06 10:00:00,2026-01-05 10:00:00,Low,Mail,Acme",  # line 8
        "3,x,2026-01-07 10:00:00,,Low,Pigeon,Acme",                # line 9
    ])
    assert problems(path) == [
        "export.csv:4: ticket 2: created '2026-13-45 10:00:00' is not a date\n"
        "  fix: correct the value, or set tickets.mapping.date_format if the export writes dates differently",
        "export.csv:5: ticket 3: unknown priority 'Critical'\n"
        "  fix: add the value to tickets.mapping.priorities (known: P1, P2, P3, P4)",
        "export.csv:8: ticket 4: resolved (2026-01-05 10:00) before it was created (2026-01-06 10:00)\n"
        "  fix: correct the times in the ticket system and export again",
        "export.csv:9: ticket 3: unknown channel 'Pigeon'; ticket 3 appears more than once (this row repeats it)\n"
        "  fix: add the value to tickets.mapping.channels (known: API, Chat, E-mail, Follow-up, Phone, Portal)",
    ]
    allowed = run(path, mapping=Mapping(max_bad_rows=4))
    assert allowed.bad_rows == 4 and allowed.months[0].opened == 1
    assert allowed.warnings[0] == "warning: export.csv:4: ticket 2: created '2026-13-45 10:00:00' is not a date " \
                                  "(row left out)"


def test_only_the_first_ten_bad_rows_are_listed_then_a_count(tmp_path: Path) -> None:
    rows = [f"{i},x,2026-01-05 09:00:00,,Critical,Mail,Acme" for i in range(1, 26)]
    found = problems(write(tmp_path, "export.csv", [ZENDESK[0], *rows]))
    assert len(found) == 11 and found[10].startswith("export.csv:11: ticket 10:")
    assert found[0].startswith("export.csv: 15 more bad rows (25 in all)")
    assert "max_bad_rows: 25" in found[0]


def test_an_ambiguous_date_format_is_an_error_never_a_guess(tmp_path: Path) -> None:
    lines = [ZENDESK[0], "1,x,04/03/2016 10:00,05/03/2016 09:00,Low,Mail,Acme", "2,x,01/02/2016 08:00,,Low,Mail,Acme"]
    path = write(tmp_path, "export.csv", lines)
    (found,) = problems(path, months=["2016-03"])
    assert found.startswith("export.csv: the dates are ambiguous: every date reads both day-first and month-first "
                            "(no day above 12): '01/02/2016 08:00' reads as 01 February 2016 day-first and as "
                            "January 2, 2016 month-first")
    assert "'%d/%m/%Y %H:%M' (day first) or '%m/%d/%Y %H:%M' (month first)" in found
    assert run(path, mapping=Mapping(date_format="%d/%m/%Y %H:%M"), months=["2016-03"]).months[0].opened == 1
    # One day above 12 anywhere settles it.
    day_first = write(tmp_path, "later.csv", [*lines, "3,x,29/02/2016 10:00,,Low,Mail,Acme"])
    assert run(day_first, months=["2016-02"]).months[0].opened == 2


def test_servicenow_incident_list_csv_and_xlsx_headers(tmp_path: Path) -> None:
    csv_lines = ["number,opened_at,resolved_at,priority,contact_type,assignment_group,company,reopen_count,"
                 "reassignment_count,made_sla",
                 "INC0001,2026-01-05 08:00:00,2026-01-05 10:00:00,1 - Critical,Phone,Service Desk,Acme,0,0,true",
                 "INC0002,2026-01-06 08:00:00,2026-01-09 08:00:00,3 - Moderate,Self-service,Network,Acme,1,2,false"]
    labels = ["Number,Opened,Resolved,Priority,Channel,Assignment group,Company,Reopen count,Reassignment count,"
              "Made SLA", *csv_lines[1:]]
    for name, lines in (("incidents.csv", csv_lines), ("labels.csv", labels)):
        month = run(write(tmp_path, name, lines), "servicenow",
                    Mapping(level1_groups=["Service Desk"]), time_zone="Europe/Amsterdam").months[0]
        assert month.opened_by_channel == {"Phone": 1, "Portal": 1}
        assert (month.escalated, month.level1_pct, month.reopened_pct) == (1, 50.0, 50.0)
        assert month.resolution_met_pct == {"P1": 100.0, "P3": 0.0}  # the export's own made_sla


def test_servicenow_event_log_keeps_each_tickets_latest_row(tmp_path: Path) -> None:
    lines = ["number,opened_at,resolved_at,priority,contact_type,sys_updated_on",
             "INC1,2026-01-05 08:00:00,,2 - High,Email,2026-01-05 08:00:00",
             "INC1,2026-01-05 08:00:00,2026-01-07 08:00:00,2 - High,Email,2026-01-07 08:00:00",
             "INC2,2026-01-06 08:00:00,,4 - Low,Phone,2026-01-06 08:00:00"]
    month = run(write(tmp_path, "log.csv", lines), "servicenow-event-log").months[0]
    assert (month.opened, month.resolved, month.open_at_month_end) == (2, 1, 1)
    assert "appears more than once" in problems(write(tmp_path, "list.csv", lines), "servicenow")[0]


def test_jira_service_management_dates_sla_marks_and_ratings(tmp_path: Path) -> None:
    lines = ["Issue key,Created,Resolved,Priority,Custom field (Organizations),Satisfaction rating,"
             "Custom field (Time to first response),Custom field (Time to resolution)",
             "HELP-1,05/Jan/26 9:15 AM,05/Jan/26 3:40 PM,High,Acme,5,1:30,-0:20",
             "HELP-2,06/Jan/26 11:00 PM,07/Jan/26 10:00 AM,Highest,Acme,3,-2:00,4:00"]
    month = run(write(tmp_path, "jira.csv", lines), "jira-service-management").months[0]
    assert (month.opened, month.resolved, month.csat_pct) == (2, 2, 50.0)
    assert month.response_met_pct == {"P1": 0.0, "P2": 100.0}
    assert month.resolution_met_pct == {"P1": 100.0, "P2": 0.0}
    assert month.opened_by_channel is None and month.level1_pct is None and month.escalated is None


def test_freshdesk_first_response_times_and_sla_status(tmp_path: Path) -> None:
    lines = ["Ticket ID,Created time,Resolved time,Closed time,Priority,Source,Group,Company Name,"
             "Initial response time,Survey results,First response status,Resolution status",
             "1,2026-01-05 09:00:00,,2026-01-05 17:00:00,Medium,Portal,Tier 1,Acme,2026-01-05 09:20:00,Awesome,"
             "Within SLA,SLA Violated",
             "2,2026-01-06 09:00:00,2026-01-06 11:00:00,,Urgent,Email,Tier 1,Acme,2026-01-06 10:30:00,,,"]
    month = run(write(tmp_path, "fresh.csv", lines), "freshdesk", Mapping(level1_groups=["Tier 1"]),
                targets=(SlaTarget("P1", 1, 4),)).months[0]
    assert (month.resolved, month.level1_pct, month.csat_pct) == (2, 100.0, 100.0)
    assert month.response_met_pct == {"P1": 0.0, "P3": 100.0}  # 1.5 h over the 1 h target; the export's mark
    assert month.resolution_met_pct == {"P1": 100.0, "P3": 0.0}


def test_a_mapping_alone_describes_an_export_of_any_tool(tmp_path: Path) -> None:
    lines = ["Ref;Opened (UTC);Done;Sev;Score", "A-1;2026-01-05T09:00:00Z;2026-01-05T10:00:00+01:00;S1;8",
             "A-2;2026-01-31T23:30:00Z;;S2;"]
    mapping = Mapping(columns=Columns(id="Ref", created="Opened (UTC)", resolved="Done", priority="Sev",
                                      rating="Score"), satisfied_at={"at_least": 7, "of": 10})  # type: ignore[arg-type]
    january, february = run(write(tmp_path, "any.csv", lines), None, mapping, time_zone="Europe/Amsterdam",
                            months=["2026-01", "2026-02"]).months
    # 2026-01-31T23:30Z is 1 February in Amsterdam; A-1 was resolved at 09:00 UTC, the moment it was opened.
    assert (january.opened, february.opened, january.resolved, january.csat_pct) == (1, 1, 1, 100.0)
    assert january.opened_by_channel is None


def test_gzip_compressed_text_and_typed_parquet_give_the_figures_of_the_same_tickets(tmp_path: Path) -> None:
    """A `.csv.gz` is read as the CSV it holds; a Parquet file with timestamp and number columns (as a data
    pipeline writes it) is read without turning them into text, and gives the same figures."""
    from bench.tickets import generate
    from bench.tickets import write as write_export

    tickets = generate(3000, "2026-01", 6, 3, 7, stale=(3.0, 3.0), lead_in=2)
    for name in ("t.csv", "t.csv.gz", "t.parquet"):
        write_export(tmp_path / name, "zendesk", tickets)
    described = duckdb.connect().execute(f"DESCRIBE SELECT * FROM '{tmp_path / 't.parquet'}'").fetchall()
    types = {str(row[0]): str(row[1]) for row in described}
    assert types["Created at"] == "TIMESTAMP" and types["Group stations"] == "INTEGER"
    options = {"months": [f"2026-0{m}" for m in range(1, 7)], "time_zone": "Europe/Amsterdam",
               "targets": (SlaTarget("P1", 0.25, 4), SlaTarget("P3", 4, 72))}
    mapping = Mapping(level1_groups=["Service Desk"], time_zone="Europe/Amsterdam")
    figures = [run(tmp_path / name, "zendesk", mapping, **options) for name in ("t.csv", "t.csv.gz", "t.parquet")]
    assert figures[0].months == figures[1].months == figures[2].months
    assert figures[0].tickets == figures[2].tickets > 3000  # with the lead-in tickets still open at the start
    assert figures[0].months[-1].open_by_age_bucket["over 90 days"] > 0


# Hostile exports: whatever the rows and the bytes, the outcome is figures or problems with file and line.

_VALUES = st.one_of(st.text(max_size=12), st.sampled_from(["", "2026-01-05 09:00:00", "2026-02-30 10:00:00",
                                                          "05/01/2026 09:00", "13/13/2026", "Urgent", "Low", "Mail",
                                                          "Web form", "\"", "\n", "nan", "infinity", "-1", "1e400"]))
_ROWS = st.lists(st.tuples(st.one_of(st.integers(-5, 30).map(str), st.text(max_size=4)), _VALUES, _VALUES, _VALUES,
                           _VALUES, _VALUES), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
       delimiter=st.sampled_from([",", ";", "\t"]), junk=st.binary(max_size=8))
def test_a_hostile_export_gives_figures_or_problems_at_their_file_and_line(
        tmp_path: Path, rows: list[tuple[str, ...]], encoding: str, delimiter: str, junk: bytes) -> None:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in f'"\n\r{delimiter}') else value

    lines = [delimiter.join(["Id", "Created at", "Solved at", "Priority", "Via", "Organization"])]
    lines += [delimiter.join(cell(v) for v in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    path = tmp_path / "hostile.csv"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    path.write_bytes(data + junk)
    try:
        summary = summarize([(path, "hostile.csv")], "zendesk", Mapping(), months=["2026-01", "2026-02"])
    except ContentError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert "hostile.csv" in str(problem), problem
    else:
        assert [m.month for m in summary.months] == ["2026-01", "2026-02"]
        assert all(m.opened >= 0 and m.open_at_month_end >= 0 for m in summary.months)


_CHAR = st.sampled_from("0123456789" * 3 + "-:TZz+ .")
_SHAPED = st.lists(_CHAR, min_size=19, max_size=19).map(
    lambda t: "".join(t[:4]) + "-" + "".join(t[5:7]) + "-" + "".join(t[8:10]) + st_sep(t[10]) + "".join(t[11:13])
    + ":" + "".join(t[14:16]) + ":" + "".join(t[17:19])) | st.lists(_CHAR, max_size=26).map("".join) | \
    st.sampled_from(["2026-03-29 02:30:00", "2026-01-01T10:00:00", "2026-01-01 10:00:00+02", "2026-01-01 10:00Z",
                     "2026-01-01T10:00:00z", "2026-01-01 10:00:0Z", " 2026-01-01 10:00:0", "2026-02-30 10:00:00"])


def st_sep(char: str) -> str:
    return "T" if char in "TZz+" else " "


@given(values=st.lists(_SHAPED, min_size=1, max_size=40), zone=st.sampled_from(["UTC", "Europe/Amsterdam"]))
@settings(max_examples=60, deadline=None)
def test_the_shortcut_for_plain_iso_times_reads_every_value_as_the_full_check_does(values: list[str],
                                                                                 zone: str) -> None:
    from generator.tickets import dates
    from generator.tickets.rows import checked_instant, text_instant

    iso = dates.DateFormat(dates.ISO)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE v AS SELECT unnest(?) AS c", [values])
    rows = con.execute(f"SELECT c, {text_instant('c', iso, zone)}, {checked_instant('c', iso, zone)} FROM v").fetchall()
    assert [(c, fast) for c, fast, _ in rows] == [(c, full) for c, _, full in rows]
