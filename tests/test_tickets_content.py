"""Ticket exports named by the content: the shipped example's deck and accounts computed from content/exports/.

The deck's series and the accounts' KPIs come from the export as `storypack tickets summary` computes them;
success-story.json traces each figure to the files, the rule and the tickets behind it; the export is an
input of exactly the units that read it, and its summary is cached; typed and computed series never mix
silently.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest
import yaml

from generator.build.run import build_report
from generator.build.settings import BuildOptions, cache_root
from generator.cli import main
from generator.errors import ContentError
from generator.meetings.exports import with_export_kpis
from generator.meetings.reader import load_account
from generator.story.figures import compute
from generator.story.load import load_story
from generator.tickets import parse as parse_module
from generator.tickets import summary as summary_module
from tests.conftest import EXAMPLE, SHIPPED, TEMPLATES, copy_shipped, edit, settings

EXPORT = "exports/tickets-2025-11-to-2026-10.csv.gz"
HEADER = ("Id,Subject,Status,Priority,Via,Group,Organization,Created at,Solved at,Reopens,Satisfaction Score,"
          "Group stations,First reply time in minutes")


@pytest.fixture(scope="module")
def shipped() -> tuple[object, object]:
    """The shipped example's story (figures computed from its export) and the typed example's figures."""
    return load_story(SHIPPED), compute(load_story(EXAMPLE).metrics)


def test_the_example_deck_computes_its_ticket_series_from_the_export(shipped: tuple[object, object]) -> None:
    story, _ = shipped
    exported = story.exported  # type: ignore[attr-defined]
    assert exported is not None and exported.files.names == (EXPORT,)
    assert exported.summary.tickets > 60_000 and exported.summary.bad_rows == 0
    assert {"volume.channels", "volume.channels.Phone", "resolution.level1_pct", "resolution.escalated_level2",
            "backlog.open_tickets", "backlog.support_debt_days", "satisfaction.csat_pct",
            "service_levels[0].response_met_pct", "service_levels[3].resolution_met_pct"} <= set(exported.computed)
    metrics = story.metrics  # type: ignore[attr-defined]
    assert list(metrics.volume.channels) == ["Phone", "E-mail", "Portal", "Chat"]
    assert metrics.months[0] == "2025-11" and len(metrics.months) == 12
    month = exported.summary.months[-1]
    assert metrics.resolution.level1_pct[-1] == month.level1_pct
    assert metrics.backlog.support_debt_days[-1] == month.support_debt_days
    assert exported.computed["resolution.level1_pct"].tickets["2026-10"] == month.resolved


def test_the_example_still_tells_a_coherent_success_story_close_to_the_typed_one(
        shipped: tuple[object, object]) -> None:
    story, typed = shipped
    kpis = compute(story.metrics).kpis  # type: ignore[attr-defined]
    before = typed.kpis  # type: ignore[attr-defined]
    for key in ("calls", "level1", "cost_per_ticket", "debt_ratio", "csat"):
        assert kpis[key].met is True, key
    assert kpis["sla"].headline.value == before["sla"].headline.value == 3
    assert abs(kpis["calls"].headline.value - before["calls"].headline.value) < 1.5
    assert abs(kpis["level1"].latest.value - before["level1"].latest.value) < 2
    assert abs(kpis["csat"].latest.value - before["csat"].latest.value) < 2
    assert abs(kpis["cost_per_ticket"].latest.value - before["cost_per_ticket"].latest.value) < 1
    assert 0 < kpis["debt_ratio"].latest.value < 1  # debt grew, more slowly than revenue: keeping up
    spike = compute(story.metrics).spikes[0]  # type: ignore[attr-defined]
    assert spike.month == "2026-03" and 20 < spike.spike.value < 40


def test_the_export_is_small_enough_for_git() -> None:
    path = SHIPPED / EXPORT
    assert path.stat().st_size < 5 * 1024 * 1024
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        assert handle.readline().strip() == HEADER


def test_the_example_export_is_made_by_the_command_its_readme_gives(tmp_path: Path) -> None:
    from bench.tickets import main as generate

    readme = (SHIPPED / "exports" / "README.md").read_text(encoding="utf-8")
    command = next(line.strip() for line in readme.splitlines() if line.strip().startswith("python bench/tickets.py"))
    argv = command.split()[2:]
    argv[argv.index("--output") + 1] = str(tmp_path / "again.csv.gz")
    generate(argv)
    assert (tmp_path / "again.csv.gz").read_bytes() == (SHIPPED / EXPORT).read_bytes()


def test_every_figure_from_the_export_names_its_files_rule_and_tickets(example_shipped_output: Path) -> None:
    manifest = json.loads((example_shipped_output / "success-story.json").read_text(encoding="utf-8"))
    assert manifest["tickets"]["files"][0]["path"] == EXPORT and len(manifest["tickets"]["files"][0]["sha256"]) == 64
    assert manifest["tickets"]["preset"] == "zendesk" and manifest["tickets"]["time_zone"] == "Europe/Amsterdam"
    figures = {f["name"]: f for slide in manifest["slides"] for f in slide["figures"]}
    level1 = figures["kpi.level1.latest"]
    assert level1["source"] == "resolution.level1_pct"
    [trace] = level1["export"]
    assert trace["files"] == [EXPORT] and trace["months"] == ["2026-10"] and trace["tickets"] > 3000
    assert "Level-1 group (service desk)" in trace["rule"]
    calls = figures["kpi.calls.headline"]["export"][0]
    assert calls["key"] == "volume.channels" and len(calls["months"]) == 6 and calls["tickets"] > 25_000
    cost = figures["kpi.cost_per_ticket.latest"]
    assert [t["key"] for t in cost["export"]] == ["volume.channels"]  # cost.total is typed: no trace for it
    assert "export" not in figures["kpi.effort.latest"] and "export" not in figures["kpi.total_cost.total"]
    assert "export" not in figures["kpi.level1.target"]


@pytest.fixture(scope="module")
def example_shipped_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example (figures from its export) built once."""
    base = tmp_path_factory.mktemp("shipped")
    output = base / "output"
    build_report(settings(copy_shipped(base), output))
    return output


def test_a_typed_deck_has_no_trace_of_an_export(example_output: Path) -> None:
    manifest = json.loads((example_output / "success-story.json").read_text(encoding="utf-8"))
    assert "tickets" not in manifest
    assert not any("export" in f for slide in manifest["slides"] for f in slide["figures"])


def _rows_of(customer: str) -> int:
    """Return how many rows of the shipped export are the customer's (read with the csv module, not storypack)."""
    with gzip.open(SHIPPED / EXPORT, "rt", encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if row["Organization"] == customer)


def test_an_agenda_names_the_export_and_counts_the_account_tickets_behind_its_kpis(
        example_shipped_output: Path) -> None:
    for slug, customer in (("kestrel-freight", "Kestrel Freight"), ("brightwater-clinics", "Brightwater Clinics")):
        agendas = sorted((example_shipped_output / "site" / slug).glob("*/agenda.html"))
        lines = {re.search(r'<p class="detail">(Computed from ([\d,]+) .*?)</p>', agenda.read_text(encoding="utf-8"))
                 .group(1) for agenda in agendas if "Operations-review report" in agenda.read_text(encoding="utf-8")}
        (line,) = lines
        count = _rows_of(customer)
        assert count > 1000 and line == f"Computed from {count:,} {customer} tickets in {EXPORT} (Zendesk preset)."


def test_an_agenda_says_which_kpis_come_from_the_export_when_others_are_typed(tmp_path: Path) -> None:
    content = copy_shipped(tmp_path)
    edit(content / "accounts/kestrel-freight/account.yaml", "from_export: {figure: csat_pct}",
         "values: [91, 90, 92, 91, 89, 90, 91, 92, 93, 92, 93, 94]")
    build_report(settings(content, tmp_path / "output"), BuildOptions(jobs=1, only=("kestrel-freight",)))
    agenda = (tmp_path / "output/site/kestrel-freight/2026-12-03-operations-review/agenda.html").read_text("utf-8")
    assert (f"<p class=\"detail\">P1 incidents resolved within 4 hours, First-contact resolution at the service desk, "
            f"Mean time to restore, P2 incidents, Open tickets older than 30 days: computed from "
            f"{_rows_of('Kestrel Freight'):,} Kestrel Freight tickets in {EXPORT} (Zendesk preset).</p>") in agenda


def test_the_accounts_kpis_come_from_the_export_filtered_by_their_customer() -> None:
    account, files, summary = with_export_kpis(load_account(SHIPPED, "kestrel-freight"), SHIPPED)
    assert files is not None and summary is not None and summary.customer == "Kestrel Freight"
    assert account.metrics is not None and account.metrics.months[-1] == "2026-10"
    values = {kpi.name: kpi.values for kpi in account.metrics.kpis}
    assert values["Customer satisfaction (CSAT)"] == [m.csat_pct for m in summary.months]
    assert values["First-contact resolution at the service desk"] == [m.level1_pct for m in summary.months]
    assert values["Mean time to restore, P2 incidents"] == [m.mean_resolution_hours["P2"] for m in summary.months]
    older = [m.open_by_age_bucket["31-90 days"] + m.open_by_age_bucket["over 90 days"] for m in summary.months]
    assert values["Open tickets older than 30 days"] == older
    assert 5_000 < summary.tickets < 10_000  # Kestrel's share of the export
    brightwater, _, other = with_export_kpis(load_account(SHIPPED, "brightwater-clinics"), SHIPPED)
    assert other is not None and other.customer == "Brightwater Clinics" and other.time_zone == "America/Chicago"
    assert brightwater.metrics is not None and len(brightwater.metrics.kpis) == 4


def _small_export(folder: Path, rows: list[str]) -> Path:
    path = folder / "exports" / "small.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


PRIORITIES = ("Urgent", "High", "Normal", "Low")
ROWS = [f"{900000 + i},x,Solved,{PRIORITIES[i % 4]},Mail,Service Desk,Acme,2026-0{1 + i % 3}-0{1 + i % 7} 10:00:00,"
        f"2026-0{1 + i % 3}-0{1 + i % 7} 12:00:00,0,Good,1,30" for i in range(1, 40)]


def test_an_account_without_typed_months_reports_the_months_of_its_export(tmp_path: Path) -> None:
    content = copy_shipped(tmp_path)
    _small_export(content, ROWS)
    path = content / "accounts/kestrel-freight/account.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  months: [2025-11, 2025-12, 2026-01, 2026-02, 2026-03, 2026-04, 2026-05, 2026-06, 2026-07, "
                        "2026-08, 2026-09, 2026-10]\n", "")
    text = text.replace("files: [exports/tickets-*.csv.gz]", "files: [exports/small.csv]")
    text = text.replace("customer: Kestrel Freight", "customer: acme")
    path.write_text(text, encoding="utf-8")
    account, _, summary = with_export_kpis(load_account(content, "kestrel-freight"), content)
    assert account.metrics is not None and account.metrics.months == ["2026-01", "2026-02", "2026-03"]
    assert summary is not None and summary.tickets == len(ROWS)


def test_a_series_neither_typed_nor_in_the_export_is_an_error_at_its_line(tmp_path: Path) -> None:
    content = copy_shipped(tmp_path)
    edit(content / "metrics.yaml", "    level1_groups: [Service Desk]   # resolved there and never escalated: "
         "resolved at Level-1\n", "")
    with pytest.raises(ContentError) as caught:
        load_story(content)
    [problem] = caught.value.problems
    assert problem.message == "resolution.level1_pct is not typed, and the ticket export has no data for it"
    assert "level1_groups" in problem.hint and problem.line == 31  # resolution:, where to type it instead


def test_bad_rows_allowed_by_max_bad_rows_are_warnings_of_the_unit(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_shipped(tmp_path)
    _small_export(content, ["900001,x,Solved,Critical,Mail,Service Desk,Acme,2026-10-30 09:00:00,,0,,1,5"])
    edit(content / "metrics.yaml", "files: [exports/tickets-*.csv.gz]", "files: [exports/tickets-*.csv.gz, "
         "exports/small.csv]")
    edit(content / "metrics.yaml", "    level1_groups: [Service Desk]", "    max_bad_rows: 1\n    level1_groups: [Service Desk]")
    code = main(["build", "--content", str(content), "--output", str(tmp_path / "output"), "--as-of", "2026-11-23",
                 "--only", "deck:main"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "warning: content/exports/small.csv:2: ticket 900001: unknown priority 'Critical' (row left out)" in err


def test_the_export_is_an_input_of_the_units_that_read_it_and_its_summary_is_cached(tmp_path: Path) -> None:
    content, output = copy_shipped(tmp_path), tmp_path / "output"
    first = build_report(settings(content, output), BuildOptions(jobs=1))
    assert first.built == ["account:brightwater-clinics", "account:kestrel-freight", "deck:main", "site:index"]
    cached = sorted((cache_root(settings(content, output)) / "tickets").glob("tickets-*.json"))
    assert len(cached) == 3  # the deck's and each account's: other months, zones, customers
    scans = summary_module.SCANS
    again = build_report(settings(content, output), BuildOptions(jobs=1, force=True))
    assert again.built == first.built and summary_module.SCANS == scans  # every summary from the cache
    (content / "notes" / "plan.md").write_text((content / "notes" / "plan.md").read_text() + "\n")
    assert build_report(settings(content, output), BuildOptions(jobs=1)).built == ["deck:main"]
    with gzip.open(content / "exports/tickets-2026-11.csv.gz", "wt", encoding="utf-8") as handle:  # matches the glob
        handle.write("\n".join([HEADER, *ROWS[:3]]) + "\n")
    changed = build_report(settings(content, output), BuildOptions(jobs=1))
    assert changed.built == ["account:brightwater-clinics", "account:kestrel-freight", "deck:main"]


def test_a_build_parses_an_export_once_for_the_deck_and_every_account_that_reads_it(tmp_path: Path) -> None:
    content, output = copy_shipped(tmp_path), tmp_path / "output"
    scans, parses = summary_module.SCANS, parse_module.PARSES
    build_report(settings(content, output), BuildOptions(jobs=1))
    assert (summary_module.SCANS - scans, parse_module.PARSES - parses) == (3, 1)  # three summaries, one parse
    cache = cache_root(settings(content, output)) / "tickets"
    assert len(list(cache.glob("parsed-*.parquet"))) == 1
    # Each summary the build kept (computed from the shared rows) is the one computed from the export alone.
    shared, alone = load_story(content, tickets_cache=cache).exported, load_story(content).exported
    assert shared is not None and alone is not None and shared.summary == alone.summary
    for name in ("kestrel-freight", "brightwater-clinics"):
        account = load_account(content, name)
        assert with_export_kpis(account, content, cache)[2] == with_export_kpis(account, content)[2]


def test_check_reads_the_export_and_writes_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_shipped(tmp_path)
    monkeypatch.chdir(tmp_path)
    options = ["--content", "content", "--templates", str(TEMPLATES), "--as-of", "2026-11-23"]
    assert main(["check", *options]) == 0
    assert not (tmp_path / ".storypack-cache").exists()
    edit(content / "metrics.yaml", "files: [exports/tickets-*.csv.gz]", "files: [exports/nothing-*.csv]")
    assert main(["check", *options]) == 2
    assert "content/metrics.yaml:13: tickets.files: 'exports/nothing-*.csv' no file matches" in capsys.readouterr().err


def test_tickets_summary_with_content_shows_what_each_deck_and_account_uses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tickets", "summary", "--content", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert out.index("account:brightwater-clinics") < out.index("account:kestrel-freight") < out.index("deck:main")
    assert "deck:main uses these metrics.yaml series" in out and "resolution.level1_pct" in out
    assert "account:kestrel-freight uses these KPIs" in out and "Mean time to restore, P2 incidents" in out
    assert main(["tickets", "summary", "--content", str(SHIPPED), "--only", "kestrel-freight", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["account:kestrel-freight"] and data["account:kestrel-freight"]["customer"] == "Kestrel Freight"
    story = load_story(SHIPPED)
    assert story.exported is not None
    assert main(["tickets", "summary", "--content", str(SHIPPED), "--only", "deck:main", "--format", "json"]) == 0
    deck = json.loads(capsys.readouterr().out)["deck:main"]
    assert deck["tickets"] == story.exported.summary.tickets  # computed as the build computes it
    assert deck["uses"]["satisfaction.csat_pct"] == story.metrics.satisfaction.csat_pct
    assert main(["tickets", "summary", "x.csv", "--content", str(SHIPPED)]) == 1
    assert main(["tickets", "summary", "--content", str(EXAMPLE)]) == 0
    assert "no deck or account" in capsys.readouterr().out


def test_the_typed_example_fixture_is_the_example_with_typed_metrics() -> None:
    typed = yaml.safe_load((EXAMPLE / "metrics.yaml").read_text(encoding="utf-8"))
    assert "tickets" not in typed and typed["resolution"]["level1_pct"][-1] == 80.1
    assert not (EXAMPLE / "exports").exists()
    kestrel = yaml.safe_load((EXAMPLE / "accounts/kestrel-freight/account.yaml").read_text(encoding="utf-8"))
    assert "tickets" not in kestrel["metrics"] and kestrel["metrics"]["kpis"][0]["values"][0] == 91.0
    brightwater = yaml.safe_load((EXAMPLE / "accounts/brightwater-clinics/account.yaml").read_text(encoding="utf-8"))
    assert "metrics" not in brightwater
    for name in ("story.yaml", "notes/plan.md", "accounts/kestrel-freight/meetings/2026-12-03-operations-review.md"):
        assert (EXAMPLE / name).read_bytes() == (SHIPPED / name).read_bytes()
