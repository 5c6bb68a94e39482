"""The monthly figures of a ticket export, checked against answers worked out by hand; the command; the cache."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.errors import ContentError
from generator.hashing import MISSING, hashed_meanwhile
from generator.tickets import parse as parse_module
from generator.tickets import summary as summary_module
from generator.tickets.mapping import (
    AgeBucket,
    BusinessHours,
    Mapping,
    SlaTarget,
    buckets_from_limits,
    buckets_from_names,
    parse_duration,
    sla_target,
)
from generator.tickets.summary import SourceFile, summarize

HEADER = ("Id,Subject,Created at,Solved at,Priority,Via,Group,Organization,Reopens,Satisfaction Score,"
          "Group stations,First reply time in minutes")
ROWS = [  # times in Europe/Amsterdam (CET until 29 March 2026, then CEST)
    "1,VPN,2026-01-05 09:00:00,2026-01-05 12:00:00,Urgent,Mail,Service Desk,Acme,0,Good,1,30",
    "2,Printer,2026-01-20 10:00:00,,Normal,Web form,Service Desk,Acme,0,Offered,2,120",
    "3,Laptop,2026-02-01 08:00:00,2026-02-03 08:00:00,High,Phone call (inbound),Level 2,Beta,1,Bad,2,",
    "4,Teams,2026-01-31 23:30:00,2026-02-01 00:30:00,Low,Chat,Service Desk,Beta,0,Not Offered,1,10",
    "5,Old one,2025-12-01 12:00:00,,Normal,Mail,Service Desk,Acme,0,,1,600",
]
TARGETS = (SlaTarget("P1", 1, 4), SlaTarget("P3", 8, 40), SlaTarget("P4", 1, 8))
MONTHS = ["2026-01", "2026-02", "2026-03"]


def export(tmp_path: Path, rows: list[str] = ROWS, header: str = HEADER, name: str = "zendesk.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(path: Path, **options: object) -> summary_module.Summary:
    settings: dict[str, object] = {"time_zone": "Europe/Amsterdam", "months": MONTHS, "targets": TARGETS}
    settings.update(options)
    mapping = settings.pop("mapping", Mapping(level1_groups=["Service Desk"]))
    assert isinstance(mapping, Mapping)
    return summarize([(path, path.name)], "zendesk", mapping, **settings)  # type: ignore[arg-type]


def test_the_figures_of_a_small_export_are_those_worked_out_by_hand(tmp_path: Path) -> None:
    january, february, march = run(export(tmp_path)).months
    # January: 1, 2 and 4 opened; only 1 resolved in January (4 at 00:30 on 1 February).
    assert (january.opened, january.resolved) == (3, 1)
    assert january.opened_by_channel == {"Chat": 1, "E-mail": 1, "Portal": 1, "Phone": 0}
    # Open at the end of January: 2 (11 days 14 hours old: 11), 4 (30 minutes: 0), 5 (61.5 days: 61).
    assert january.open_at_month_end == 3
    assert january.open_by_age_bucket == {"0-7 days": 1, "8-30 days": 1, "31-90 days": 1, "over 90 days": 0}
    assert january.support_debt_days == 11 + 0 + 61
    assert (january.level1_pct, january.escalated, january.csat_pct, january.reopened_pct) == (100.0, 1, 100.0, 0.0)
    assert january.response_met_pct == {"P1": 100.0, "P3": 100.0, "P4": 100.0}  # 30 min, 2 h, 10 min
    assert january.resolution_met_pct == {"P1": 100.0, "P3": None, "P4": None}
    # February: 3 opened; 3 and 4 resolved; 3 escalated (Level 2); 4 resolved at Level-1 within 8 hours.
    assert (february.opened, february.resolved, february.escalated, february.level1_pct) == (1, 2, 1, 50.0)
    assert february.open_by_age_bucket == {"0-7 days": 0, "8-30 days": 0, "31-90 days": 2, "over 90 days": 0}
    assert february.support_debt_days == 39 + 89
    assert february.response_met_pct == {"P1": None, "P3": None, "P4": None}
    assert february.resolution_met_pct == {"P1": None, "P3": None, "P4": 100.0}
    assert (february.csat_pct, february.reopened_pct) == (0.0, 50.0)  # Bad; 'Not Offered' is no rating
    # March ends at midnight CEST: 2 is 70 days 13 hours old, 5 is 120 days 11 hours.
    assert (march.opened, march.resolved, march.open_at_month_end, march.support_debt_days) == (0, 0, 2, 190)
    assert march.open_by_age_bucket == {"0-7 days": 0, "8-30 days": 0, "31-90 days": 1, "over 90 days": 1}
    assert (march.level1_pct, march.csat_pct, march.reopened_pct, march.escalated) == (None, None, None, 0)
    assert january.tickets["opened"] == 3 and february.tickets["csat_pct"] == 1 and march.tickets["support_debt_days"] == 2


def test_every_figure_says_its_rule_and_its_files(tmp_path: Path) -> None:
    path = export(tmp_path)
    result = run(path)
    assert result.files[0] == SourceFile("zendesk.csv", hashlib.sha256(path.read_bytes()).hexdigest())
    # Hashed while DuckDB reads the file (no cache to look up first), or before (with one): the same hash.
    assert run(path, cache_folder=tmp_path / "cache").files == result.files
    assert "Service Desk".lower() in result.rules["level1_pct"].lower()
    assert "'Group stations' is above 1" in result.rules["escalated"]
    assert (result.rows, result.tickets, result.bad_rows) == (5, 5, 0)


def test_a_file_hashed_meanwhile_fails_as_if_it_were_hashed_at_once(tmp_path: Path) -> None:
    wait = hashed_meanwhile([tmp_path / "missing.csv", tmp_path])
    assert wait() == [MISSING, MISSING]
    broken = hashed_meanwhile([tmp_path / "nul\0in the name"])
    with pytest.raises(ValueError, match="null"):
        broken()


def test_without_level1_groups_the_level1_share_is_not_guessed(tmp_path: Path) -> None:
    month = run(export(tmp_path), mapping=Mapping()).months[0]
    assert month.level1_pct is None and month.escalated == 1


def test_a_customer_filter_keeps_one_organisations_tickets(tmp_path: Path) -> None:
    january = run(export(tmp_path), customer="acme").months[0]
    assert (january.opened, january.open_at_month_end, january.support_debt_days) == (2, 2, 11 + 61)


def test_age_buckets_are_given_as_limits_or_read_from_metrics_yaml_names() -> None:
    assert buckets_from_limits((7, 30, 90)) == buckets_from_names(["0-7 days", "8-30 days", "31-90 days", "over 90 days"])
    assert buckets_from_names(["< 8 days", "8+ days"]) == (AgeBucket("< 8 days", 7), AgeBucket("8+ days", None))
    with pytest.raises(ValueError, match="does not follow on"):
        buckets_from_names(["0-7 days", "10-30 days", "over 30 days"])
    with pytest.raises(ValueError, match="open-ended"):
        buckets_from_names(["0-7 days"])


def test_sla_targets_are_read_as_the_sla_writes_them() -> None:
    assert parse_duration("15 minutes") == (0.25, False)
    assert parse_duration("2 business days", hours_per_day=8) == (16, True)
    assert sla_target("P2", "1 hour", "3 days") == SlaTarget("P2", 1, 72, False)
    with pytest.raises(ValueError, match="both be business or calendar"):
        sla_target("P1", "1 business hour", "4 hours")


def test_business_hours_skip_nights_weekends_and_public_holidays(tmp_path: Path) -> None:
    # Created Friday 3 April 2026 16:00, first reply Tuesday 7 April 10:00 (Easter Monday 6 April between).
    path = export(tmp_path, ["1,x,2026-04-03 16:00:00,2026-04-07 12:00:00,Urgent,Mail,Service Desk,Acme,0,,1,5400"])
    target = (SlaTarget("P1", 3, 4, business=True),)
    week = BusinessHours(days=["Mon", "Tue", "Wed", "Thu", "Fri"], start="09:00", end="17:00")
    plain = run(path, months=["2026-04"], targets=target, mapping=Mapping(business_hours=week)).months[0]
    assert plain.response_met_pct == {"P1": 0.0}  # 1 h Friday + 8 h Monday + 1 h Tuesday = 10 h
    assert plain.resolution_met_pct == {"P1": 0.0}  # 12 business hours
    dutch = week.model_copy(update={"holidays": "NL"})
    holiday = run(path, months=["2026-04"], targets=target, mapping=Mapping(business_hours=dutch)).months[0]
    assert holiday.response_met_pct == {"P1": 100.0}  # Monday is Easter Monday: 2 h
    assert holiday.resolution_met_pct == {"P1": 100.0}  # 4 h


def test_a_rebuild_with_an_unchanged_export_is_served_from_the_cache(tmp_path: Path) -> None:
    path, folder = export(tmp_path), tmp_path / "cache"
    before = summary_module.SCANS
    first = run(path, cache_folder=folder)
    second = run(path, cache_folder=folder)
    assert summary_module.SCANS == before + 1 and first == second
    run(path, cache_folder=folder, customer="Beta")
    path.write_text(path.read_text() + "6,New,2026-01-06 10:00:00,,Low,Chat,Service Desk,Acme,0,,1,5\n")
    assert run(path, cache_folder=folder).months[0].opened == 4
    assert summary_module.SCANS == before + 3


def test_summaries_of_one_export_share_its_parsed_rows_and_still_report_a_customers_bad_rows(tmp_path: Path) -> None:
    """The first summary with a cache parses the export's rows for every customer and stores them; the summaries of
    other customers (or rules) read those, and equal what each computes from the files alone."""
    path = export(tmp_path, [*ROWS, "6,Fax,2026-01-06 10:00:00,,Critical,Mail,Service Desk,Beta,0,,1,5"])
    folder, parses = tmp_path / "cache", parse_module.PARSES
    acme = run(path, cache_folder=folder, customer="Acme")
    assert parse_module.PARSES == parses + 1 and len(list(folder.glob("parsed-*.parquet"))) == 1
    other_rules = run(path, cache_folder=folder, customer="Acme", targets=(), months=["2026-02"])
    assert parse_module.PARSES == parses + 1  # the stored rows, for other months and targets
    assert acme == run(path, customer="Acme") and other_rules == run(path, customer="Acme", targets=(), months=["2026-02"])
    assert acme.months[0].opened == 2 and acme.tickets == 3  # tickets 1, 2 and 5
    # Beta's own row 6 is bad: it is reported at its line, as the files alone report it, or left out where allowed.
    with pytest.raises(ContentError) as caught:
        run(path, cache_folder=folder, customer="Beta")
    assert str(caught.value.problems[0]).startswith("zendesk.csv:7: ticket 6: unknown priority 'Critical'")
    allowed = Mapping(level1_groups=["Service Desk"], max_bad_rows=1)
    beta = run(path, cache_folder=folder, customer="Beta", mapping=allowed)
    assert beta == run(path, customer="Beta", mapping=allowed) and (beta.bad_rows, beta.tickets) == (1, 2)
    assert parse_module.PARSES == parses + 4  # only the runs without the cache parsed the files again


def test_an_event_logs_stored_rows_keep_their_order_and_a_damaged_store_is_parsed_again(tmp_path: Path) -> None:
    path = export(tmp_path, ["INC1,2026-01-05 08:00:00,,2 - High,Acme,2026-01-06 08:00:00",
                             "INC1,2026-01-05 08:00:00,2026-01-06 08:00:00,2 - High,Acme,2026-01-06 08:00:00",
                             "INC2,2026-01-06 08:00:00,2026-01-07 08:00:00,4 - Low,Beta,2026-01-07 08:00:00",
                             "INC2,2026-01-06 08:00:00,,4 - Low,Beta,2026-01-07 08:00:00"],
                  header="number,opened_at,resolved_at,priority,company,sys_updated_on", name="log.csv")
    folder = tmp_path / "cache"

    def log(**options: object) -> summary_module.Summary:
        settings: dict[str, object] = {"time_zone": "Europe/Amsterdam", "months": MONTHS, **options}
        return summarize([(path, path.name)], "servicenow-event-log", **settings)  # type: ignore[arg-type]

    for customer, resolved in ((None, 1), ("Acme", 1), ("Beta", 0)):  # of two updates at one time, the later counts
        alone = log(customer=customer)
        assert log(customer=customer, cache_folder=folder) == alone and alone.months[0].resolved == resolved
    assert alone.rows == 2 and alone.tickets == 1
    (stored,) = folder.glob("parsed-*.parquet")
    stored.write_bytes(b"not parquet")
    parses = parse_module.PARSES
    other = ["2026-01", "2026-02"]  # a summary not yet kept
    assert log(customer="Acme", months=other, cache_folder=folder) == log(customer="Acme", months=other)
    assert parse_module.PARSES == parses + 2  # the damaged rows were parsed again, not read


def command(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["tickets", "summary", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_prints_a_table_csv_json_or_metrics_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export(tmp_path)
    options = [str(path), "--preset", "zendesk", "--time-zone", "Europe/Amsterdam", "--months", "2026-01:2026-03",
               "--sla", "P1=1 hour/4 hours", "--sla", "P3=8 hours/40 hours"]
    code, table, _ = command(capsys, *options)
    assert code == 0 and "support debt (days)" in table and "   72  " in table.replace("72 ", "   72  ")
    code, out, _ = command(capsys, *options, "--format", "json")
    assert code == 0 and json.loads(out)["months"][1]["support_debt_days"] == 128
    code, out, _ = command(capsys, *options, "--format", "csv")
    assert out.splitlines()[0] == "month,figure,key,value,tickets"
    assert "2026-01,open_by_age_bucket,31-90 days,1,3" in out.splitlines()
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("level1_groups: [Service Desk]\n")
    code, out, _ = command(capsys, *options, "--mapping", str(mapping), "--emit-yaml")
    fragment = yaml.safe_load(out)
    assert fragment["months"] == MONTHS and fragment["resolution"]["level1_pct"] == [100.0, 50.0, None]
    assert fragment["backlog"]["support_debt_days"] == [72, 128, 190]
    assert fragment["volume"]["channels"]["Phone"] == [0, 1, 0]


def test_the_command_exits_2_for_a_bad_export_and_1_for_a_bad_option(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = export(tmp_path, ROWS + ["7,x,2026-01-08 10:00:00,,Critical,Mail,Service Desk,Acme,0,,1,5"])
    code, _, err = command(capsys, str(path), "--preset", "zendesk")
    assert code == 2 and "zendesk.csv:7: ticket 7: unknown priority 'Critical'" in err
    code, _, err = command(capsys, str(path), "--preset", "zendesk", "--time-zone", "Mars/Olympus")
    assert code == 1 and "unknown time zone" in err
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("priorities:\n  Critical: P1\nmax_bad_rowz: 3\n")
    code, _, err = command(capsys, str(path), "--preset", "zendesk", "--mapping", str(mapping))
    assert code == 2 and "mapping.yaml:3: unknown key 'max_bad_rowz'" in err and "did you mean 'max_bad_rows'" in err


def test_the_example_generator_writes_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    from bench.tickets import main as generate

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    generate(["--tickets", "3000", "--output", str(first)])
    generate(["--tickets", "3000", "--output", str(second)])
    assert first.read_bytes() == second.read_bytes()
    months = run(first, time_zone="UTC", months=None, targets=()).months
    assert sum(m.opened for m in months) == 3000 and len(months) == 12
    spike = months[6].opened / ((months[5].opened + months[7].opened) / 2)
    assert 1.4 < spike < 1.8
    level1 = [m.level1_pct for m in months]
    assert all(v is not None and 70 < v < 88 for v in level1)


def test_a_build_in_a_process_that_has_used_duckdb_still_renders_in_worker_processes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB's threads do not survive a fork: the build's workers then start from a fork server, and are
    given the build's environment (SOURCE_DATE_EPOCH here), not the server's."""
    import duckdb
    from pptx import Presentation

    from generator.build.run import build_report
    from generator.build.settings import BuildOptions
    from tests.conftest import copy_content, settings

    duckdb.connect().execute("select 1").fetchall()
    content = copy_content(tmp_path)
    for epoch, day in (("1767225600", "2026-01-01"), ("1735689600", "2025-01-01")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        report = build_report(settings(content, tmp_path / day), BuildOptions(jobs=2))
        assert report.built
        created = Presentation(str(tmp_path / day / "success-story.pptx")).core_properties.created
        assert created is not None and created.date().isoformat() == day
