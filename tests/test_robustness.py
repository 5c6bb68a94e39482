"""Builds under stress: concurrent builds into one output/, builds killed at any moment, different
environments, and content at scale (ten years of metrics, 500 action items, a 5 MB note).

Every build here runs as its own `python -m generator` process, as CI runs it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE, ROOT, TEMPLATES
from tests.test_corpus import AS_OF, MANIFEST_FILES, folder_digest

KF = "accounts/kestrel-freight"
MAX_RSS_MB = 1500
"""Peak memory a build may use (the benchmark, `make bench`, prints the real figure)."""


def build_command(content: Path, output: Path) -> list[str]:
    """Return the command line of one build."""
    return [sys.executable, "-m", "generator", "build", "--content", str(content), "--output", str(output),
            "--templates", str(TEMPLATES), "--as-of", AS_OF]


def run_build(content: Path, output: Path, *, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run one build process to its end and return it."""
    return subprocess.run(build_command(content, output), capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=cwd or ROOT)


def variant(tmp: Path) -> Path:
    """Return a copy of the example content whose deck and meeting pages differ from the example's."""
    content = tmp / "content-b"
    shutil.copytree(EXAMPLE, content)
    for path, old, new in (("story.yaml", "title: Support success story", "title: Support success story, revised"),
                           (f"{KF}/meetings/2026-12-03-operations-review.md", "Review the service since September",
                            "Review the service since the September review")):
        text = (content / path).read_text(encoding="utf-8")
        assert text.count(old) == 1
        (content / path).write_text(text.replace(old, new), encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Content A (the example) and B (a variant), each built once on its own: the references."""
    base = tmp_path_factory.mktemp("two-builds")
    trees = {"a": EXAMPLE, "b": variant(base)}
    found: dict[str, Path] = {}
    for name, content in trees.items():
        output = base / f"reference-{name}"
        done = run_build(content, output)
        assert done.returncode == 0, done.stderr
        found[name], found[f"{name}-content"] = output, content
    return found


def whole(output: Path, references: dict[str, Path]) -> str | None:
    """Return 'a' or 'b' when `output` is exactly that reference build, else None."""
    digest = folder_digest(output)
    return next((name for name in ("a", "b") if digest == folder_digest(references[name])), None)


def leftovers(output: Path) -> list[str]:
    """Return the names beside `output` that a build left (staging or retired folders)."""
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}."))


# --- concurrency ----------------------------------------------------------------------------------

@pytest.mark.parametrize("start", ["empty", "a"])
def test_two_builds_at_once_leave_one_whole_output(start: str, two_builds: dict[str, Path], tmp_path: Path) -> None:
    """Builds of A and B started together into one output/ leave exactly A's or B's output, never a mix."""
    output = tmp_path / "output"
    if start == "a":
        shutil.copytree(two_builds["a"], output)
    processes = [subprocess.Popen(build_command(two_builds[f"{name}-content"], output), cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    results = [p.communicate(timeout=120) for p in processes]
    codes = [p.returncode for p in processes]
    assert all(code in (0, 1) for code in codes), results
    assert 0 in codes, results
    assert whole(output, two_builds) is not None, f"output/ mixes the two builds: {codes} {results}"
    assert all("Traceback" not in err for _, err in results), results
    assert leftovers(output) == []


# --- killed builds --------------------------------------------------------------------------------

def test_a_build_killed_at_any_moment_leaves_the_previous_output_whole(two_builds: dict[str, Path],
                                                                      tmp_path: Path) -> None:
    """SIGKILL a build of B (and its workers) at several moments: output/ is A's or B's, whole, every time."""
    output = tmp_path / "output"
    shutil.copytree(two_builds["a"], output)
    started = time.monotonic()
    assert run_build(two_builds["b-content"], output).returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(5)
    delays = sorted([0.02, 0.95 * duration] + [rng.uniform(0.1, 0.9) * duration for _ in range(4)])
    seen = []
    for i, delay in enumerate(delays):
        shutil.rmtree(output)
        shutil.copytree(two_builds["a"], output)
        cache = {"STORYPACK_CHART_CACHE": "off" if i % 2 else "on"}  # charts drawn, or read from the cache
        process = subprocess.Popen(build_command(two_builds["b-content"], output), cwd=ROOT, start_new_session=True,
                                   env={**os.environ, **cache}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
        state = whole(output, two_builds)
        assert state is not None, f"killed after {delay:.2f} s: output/ is neither A nor B"
        seen.append(state)
    assert "a" in seen
    done = run_build(two_builds["b-content"], output)
    assert done.returncode == 0, done.stderr
    assert whole(output, two_builds) == "b", "a build after the killed ones does not give B"


def test_a_build_after_a_killed_one_removes_its_leftover_staging_folder(two_builds: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    """A killed build leaves its half-written staging folder beside output/; the next build clears it."""
    output = tmp_path / "output"
    shutil.copytree(two_builds["a"], output)
    stale = tmp_path / f".{output.name}.new-k1lled00"  # as Staging's mkdtemp names it
    shutil.copytree(two_builds["b"] / "site", stale / "site")
    done = run_build(two_builds["b-content"], output)
    assert done.returncode == 0, done.stderr
    assert whole(output, two_builds) == "b"
    assert leftovers(output) == [], "staging folders of killed builds pile up beside output/"


@pytest.mark.parametrize("name", ["../escape.html", "/etc/passwd", "site/../../escape.html", "", ".",
                                  "a\\..\\..\\x"])
def test_the_new_output_refuses_a_file_name_that_leaves_it(name: str, tmp_path: Path) -> None:
    """Only names that go down into the new output folder are written; nothing else appears beside it."""
    from generator.build.output import Staging
    from generator.errors import OutputError

    with Staging(tmp_path / "output") as staging:
        staging.write("site/a/page.html", b"ok")
        assert (staging.path / "site" / "a" / "page.html").read_bytes() == b"ok"
        with pytest.raises(OutputError):
            staging.write(name, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "without renameat2"])
def test_an_output_another_build_puts_in_place_meanwhile_is_replaced_whole(exchange: bool, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds into a folder that did not exist: the one that finishes second replaces the first one's output
    (it finds the folder there when it moves its own in), and no staging folder is left beside it."""
    import generator.build.output as output_module
    from generator.build.output import Staging

    output, real_replace, arrived = tmp_path / "output", os.replace, []
    if not exchange:
        monkeypatch.setattr(output_module, "_exchange", lambda a, b: False)

    def other_build_first(source: object, target: object) -> None:
        if Path(str(target)) == output and not arrived:  # the other build's output arrives just now
            (output / "site").mkdir(parents=True)
            (output / "site" / "theirs.html").write_text("theirs")
            arrived.append(True)
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(output_module.os, "replace", other_build_first)
    with Staging(output) as staging:
        staging.write("site/ours.html", b"ours")
        staging.commit()
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()) == \
        [".storypack-output", "site/ours.html"]
    assert leftovers(output) == []


# --- reproducible across environments -------------------------------------------------------------

def test_same_bytes_under_other_time_zone_language_and_folder(example_output: Path, tmp_path: Path) -> None:
    """The same content gives the same bytes under other TZ, LANG/LC_ALL, PYTHONHASHSEED and working folders."""
    tree = tmp_path / "project"
    shutil.copytree(EXAMPLE, tree / "content")
    shutil.copytree(TEMPLATES, tree / "templates")
    base = {k: v for k, v in os.environ.items() if k not in ("TZ", "LANG", "LC_ALL", "LANGUAGE", "PYTHONHASHSEED",
                                                                 "SOURCE_DATE_EPOCH")}
    base["PYTHONPATH"] = str(ROOT)
    environments = [
        ({"TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "PYTHONHASHSEED": "1"}, tree,
         ["--content", "content", "--output", "out-1", "--templates", "templates"]),
        ({"TZ": "America/Los_Angeles", "LANG": "C", "LC_ALL": "C", "PYTHONHASHSEED": "2"}, Path("/"),
         ["--content", str(tree / "content"), "--output", str(tree / "out-2"), "--templates", str(tree / "templates")]),
    ]
    for extra, cwd, args in environments:
        done = subprocess.run([sys.executable, "-m", "generator", "build", *args, "--as-of", AS_OF],
                              env={**base, **extra}, cwd=cwd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    first, second = folder_digest(tree / "out-1"), folder_digest(tree / "out-2")
    assert first == second
    session = folder_digest(example_output)  # built in-process: its build record may name other options
    assert _files(first) == _files(session), "a build in another environment differs from the test session's"


def _files(digest: dict[str, str]) -> dict[str, str]:
    """Return `digest` without the build record files (they describe how a folder was built)."""
    return {name: value for name, value in digest.items() if name not in MANIFEST_FILES}


# --- scale ----------------------------------------------------------------------------------------

YEARS = 10
NOTE_BYTES = 5 * 1024 * 1024
ACTIONS = 500


def ten_years_of_metrics(content: Path) -> None:
    """Rewrite metrics.yaml and the account's KPIs to 120 months, ending where the example ends."""
    path = content / "metrics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    months = [_month(data["months"][-1], back) for back in range(YEARS * 12 - 1, -1, -1)]

    def stretch(values: list[object]) -> list[object]:
        return [values[i % len(values)] for i in range(len(months))]

    data["months"] = months
    data["volume"]["channels"] = {k: stretch(v) for k, v in data["volume"]["channels"].items()}
    for section, keys in (("resolution", ["level1_pct", "escalated_level2"]),
                          ("backlog", ["open_tickets", "support_debt_days", "revenue_millions"]),
                          ("satisfaction", ["csat_pct", "effort_score"]), ("cost", ["total"])):
        for key in keys:
            data[section][key] = stretch(data[section][key])
    data["backlog"]["revenue_millions"] = [300.0 + i for i in range(len(months))]
    data["satisfaction"]["effort_drivers"] = {k: stretch(v) for k, v in data["satisfaction"]["effort_drivers"].items()}
    for level in data["service_levels"]:
        level["response_met_pct"], level["resolution_met_pct"] = (stretch(level["response_met_pct"]),
                                                                  stretch(level["resolution_met_pct"]))
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    account = content / KF / "account.yaml"
    data = yaml.safe_load(account.read_text(encoding="utf-8"))
    kpi_months = [_month(data["metrics"]["months"][-1], back) for back in range(YEARS * 12 - 1, -1, -1)]
    data["metrics"]["months"] = kpi_months
    for kpi in data["metrics"]["kpis"]:
        kpi["values"] = [kpi["values"][i % len(kpi["values"])] for i in range(len(kpi_months))]
    account.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _month(last: object, back: int) -> str:
    """Return the month `back` months before `last` (YYYY-MM)."""
    text = str(last)
    index = int(text[:4]) * 12 + int(text[5:7]) - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def big_meeting(content: Path) -> int:
    """Add a held meeting to the account raising 500 action items, with 5 MB of notes; return its sections."""
    meetings = content / KF / "meetings"
    latest = (meetings / "2026-12-03-operations-review.md").read_text(encoding="utf-8")
    front = yaml.safe_load(latest.split("---")[1])
    people = front["participants"]["provider"] + front["participants"]["customer"]
    front.update(date=dt.date(2026, 12, 17), dry_run=dt.date(2026, 12, 14), attended=people,
                 agreements=["Scale test"], issues=["Scale test"],
                 next_meeting={"date": dt.date(2027, 3, 4), "start": "10:00"},
                 actions=[{"owner": people[i % len(people)], "task": f"Scale task number {i + 1}",
                           "due": dt.date(2027, 1, 1) + dt.timedelta(days=i % 90)} for i in range(ACTIONS)])
    paragraph = ("Performance recovered after the **WMS fix**: P1 resolution reached *95.0%* in August, see "
                 "[the report](https://example.com/report). ") * 3
    block = (f"## Depot review\n\n{paragraph}\n\n- a point with `code`\n- another point\n\n"
             "| KPI | value |\n|---|---|\n| P1 | 95 |\n\n")
    sections = NOTE_BYTES // len(block)
    (meetings / "2026-12-17-operations-review.md").write_text(
        "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + block * sections,
        encoding="utf-8")
    return sections


def test_ten_years_500_action_items_and_a_5_mb_note_build_within_memory(tmp_path: Path) -> None:
    """A content folder at scale builds in bounded memory and time, with every item and all notes on the pages."""
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    ten_years_of_metrics(content)
    sections = big_meeting(content)
    log = tmp_path / "build.log"
    started = time.monotonic()
    with log.open("w") as handle:
        process = subprocess.Popen(build_command(content, tmp_path / "output"), cwd=ROOT, stdout=handle,
                                   stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)  # the usage of the build and its worker processes
    seconds = time.monotonic() - started
    report = log.read_text(encoding="utf-8")
    assert os.waitstatus_to_exitcode(status) == 0, report
    assert "Traceback" not in report
    peak_mb = usage.ru_maxrss / 1024
    assert peak_mb < MAX_RSS_MB, f"peak RSS {peak_mb:.0f} MB"
    assert seconds < 90, f"the build at scale took {seconds:.0f} s"
    site = tmp_path / "output" / "site"
    minutes = (site / KF.split("/")[1] / "2026-12-17-operations-review" / "minutes.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r"Scale task number (\d+)<", minutes))) == ACTIONS
    assert minutes.count("<h3>Depot review</h3>") == sections
    index = (site / "index.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r"Scale task number (\d+)<", index))) == ACTIONS


CHART_SIZE = (5.0, 2.8)
"""Inches: about the size of one of four charts on the impact slide (smaller than most)."""


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content with 120 months of deck metrics and account KPIs."""
    content = tmp_path_factory.mktemp("ten-years") / "content"
    shutil.copytree(EXAMPLE, content)
    ten_years_of_metrics(content)
    return content


def drawn_figures(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Return the list every matplotlib figure saved or drawn (Agg) from now on is appended to."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    saved: list[object] = []
    save, draw = Figure.savefig, FigureCanvasAgg.draw

    def spy_save(self: Figure, *args: object, **kwargs: object) -> None:
        saved.append(self)
        save(self, *args, **kwargs)

    def spy_draw(self: FigureCanvasAgg, *args: object, **kwargs: object) -> None:
        draw(self, *args, **kwargs)
        saved.append(self.figure)

    monkeypatch.setattr(Figure, "savefig", spy_save)
    monkeypatch.setattr(FigureCanvasAgg, "draw", spy_draw)
    monkeypatch.setenv("STORYPACK_CHART_CACHE", "off")
    return saved


def overlapping_labels(figure: object) -> list[str]:
    """Return the x tick labels and texts of a drawn figure that overlap the next one."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = figure.canvas  # type: ignore[attr-defined]
    renderer = (canvas if hasattr(canvas, "get_renderer") else FigureCanvasAgg(figure)).get_renderer()
    found = []
    for ax in figure.axes:  # type: ignore[attr-defined]
        labels = [t for t in ax.get_xticklabels() if t.get_text() and t.get_visible()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        found += [f"{a.get_text()}/{b.get_text()}" for (a, box_a), (b, box_b)
                  in zip(zip(labels, boxes), list(zip(labels, boxes))[1:]) if box_a.x1 > box_b.x0]
    return found


@pytest.mark.parametrize("name", [
    pytest.param(name)
    for name in ("volume", "level1", "satisfaction", "backlog", "sla", "cost")])
def test_deck_charts_stay_readable_over_ten_years(name: str, ten_years: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten years of monthly metrics: each deck chart's month labels do not run into each other."""
    from generator.deck.charts.picture import draw_chart
    from generator.story.charts import CHARTS
    from generator.story.figures import compute
    from generator.story.load import load_story

    saved = drawn_figures(monkeypatch)
    figures = compute(load_story(EXAMPLE).metrics)
    draw_chart(CHARTS[name](figures), *CHART_SIZE)
    assert overlapping_labels(saved[-1]) == [], "the detector flags the example's twelve months"
    figures = compute(load_story(ten_years).metrics)
    draw_chart(CHARTS[name](figures), *CHART_SIZE)
    assert overlapping_labels(saved[-1]) == []


def test_meeting_kpi_chart_stays_readable_over_ten_years(ten_years: Path) -> None:
    """A review long after the last one reports years of months: its small charts thin their labels."""
    from generator.meetings.charts import MAX_LABELS, kpi_chart
    from generator.meetings.reader import load_account
    from generator.meetings.report import ops_report
    from tests.test_kpi_charts import month_labels_of, parse

    def overlapping(data: bytes) -> list[str]:
        shown = month_labels_of(parse(data))
        return [f"{a.text}/{b.text}" for a, b in zip(shown, shown[1:]) if a.right > b.left]

    example = load_account(EXAMPLE, "kestrel-freight")
    assert example.file.metrics is not None
    first_review = ops_report(example.file.metrics, dt.date(2026, 6, 4), None)
    assert first_review is not None
    first = kpi_chart(first_review.kpis[0])
    assert len(month_labels_of(parse(first))) == 5, "the detector sees the example's first review's months"
    assert overlapping(first) == []
    account = load_account(ten_years, "kestrel-freight")
    assert account.file.metrics is not None
    report = ops_report(account.file.metrics, dt.date(2026, 12, 3), dt.date(2017, 1, 5))
    assert report is not None and len(report.kpis[0].months) > 100
    data = kpi_chart(report.kpis[0])
    assert overlapping(data) == []
    assert 2 <= len(month_labels_of(parse(data))) <= MAX_LABELS