"""`make bench`: how fast storypack builds, side by side, on a generated tree of 100 decks and 200 meetings.

Every measurement is a separate process, timed by wall clock, with the peak memory (max RSS) of
the largest process it started (the build or one of its workers), from os.wait4. Pandoc and Hugo
are measured only where installed. Prints one table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import targets  # noqa: E402  (the targets of issue 14, met or missed)
from tests.support.typed import typed_content  # noqa: E402  (the example with typed metrics)

EXAMPLE = ROOT / "content"
"""The example as shipped: its deck and accounts compute their figures from the ticket export in content/exports/."""
TEMPLATES = ROOT / "templates"
TYPED: Path = EXAMPLE
"""The example with its ticket figures typed (made in the bench's folder): the 100 decks and 80 accounts vary it."""
AS_OF = "2026-11-23"
FLOOR_IMPORTS = ("pptx", "matplotlib", "matplotlib.backends.backend_agg", "jinja2", "markdown", "yaml", "pydantic",
                 "icalendar", "nh3", "PIL.ImageFont", "generator.deck.charts.picture", "generator.deck.render", "generator.meetings.pages",
                 "generator.story.load")
"""What a build of the example imports, loaded by a process that does nothing else: the floor."""


@dataclass(frozen=True)
class Row:
    """One measurement: what, seconds, peak memory of the largest process (MiB), a note."""

    what: str
    seconds: float | None
    peak_mib: float | None
    note: str = ""


TOOL: Path = ROOT
"""Where the builds run from: a snapshot of generator/ and templates/, so that edits made meanwhile do not count."""


def measure(what: str, argv: Sequence[str], note: str = "") -> Row:
    """Return the wall time and peak RSS of running `argv` (which must succeed)."""
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(TOOL)}
    process = subprocess.Popen(list(argv), cwd=TOOL, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"bench: {what} failed ({process.returncode}):\n{error[-2000:]}")
    return Row(what, seconds, usage.ru_maxrss / 1024, note)


REPEAT = 3
"""How many times each short measurement runs; the table shows the median (the machine may be shared)."""


def median_of(what: str, argv: Callable[[int], Sequence[str]], note: str = "",
              before: Callable[[int], object] | None = None) -> Row:
    """Return the run of `argv(i)` with the median time of REPEAT runs (`before(i)` runs untimed first)."""
    rows = []
    for i in range(REPEAT):
        if before is not None:
            before(i)
        rows.append(measure(what, argv(i), note))
    rows.sort(key=lambda row: row.seconds or 0.0)
    middle = rows[len(rows) // 2]
    runs = f"median of {REPEAT}" if REPEAT > 1 else ""
    return Row(what, middle.seconds, middle.peak_mib, "; ".join(filter(None, [note, runs])))


def storypack(content: Path, output: Path, *extra: str, command: str = "build") -> list[str]:
    """Return the command line of a build (or another `command`) of `content` into `output`."""
    return [sys.executable, "-m", "generator", command, "--content", str(content), "--output", str(output),
            "--templates", str(TOOL / "templates"), "--as-of", AS_OF, *extra]


def make_decks(target: Path, count: int, charts: str = "picture") -> Path:
    """Return a content folder with `count` decks under stories/, each with its own, varied numbers.

    `charts`: 'picture' (the default) or 'native' (design: {charts: native}: editable PowerPoint charts).
    """
    metrics = yaml.safe_load((TYPED / "metrics.yaml").read_text(encoding="utf-8"))
    story = (TYPED / "story.yaml").read_text(encoding="utf-8")
    if charts != "picture":
        if re.search(r"^design:", story, flags=re.M):
            raise SystemExit("bench: the example story.yaml has a design section; cannot add charts: native")
        story += f"\ndesign:\n  charts: {charts}\n"
    for number in range(1, count + 1):
        folder = target / "stories" / f"region-{number:03d}"
        shutil.copytree(TYPED / "notes", folder / "notes")
        (folder / "story.yaml").write_text(story.replace("organisation: Harbourline Logistics",
                                                         f"organisation: Harbourline Region {number}"))
        (folder / "metrics.yaml").write_text(yaml.safe_dump(vary(metrics, number), sort_keys=False))
    return target


def vary(metrics: dict[str, object], number: int) -> dict[str, object]:
    """Return the metrics with every series moved by amounts that depend on `number` only.

    Counts and costs are scaled, percentages and scores shifted (within their ranges), so that no two
    decks share a chart: every deck draws all of its charts.
    """
    factor = 0.8 + number / 250  # 0.804, 0.808, ...
    shift = (number - 50) / 50  # -0.98, -0.96, ...

    def scaled(values: list[Any]) -> list[Any]:
        return [round(v * factor) for v in values]

    def shifted(values: list[float], low: float = 0.0, high: float = 100.0, by: float = shift) -> list[float]:
        return [round(min(high, max(low, v + by)), 2) for v in values]

    data = yaml.safe_load(yaml.safe_dump(metrics))
    data["volume"]["channels"] = {name: scaled(values) for name, values in data["volume"]["channels"].items()}
    data["cost"]["total"] = scaled(data["cost"]["total"])
    resolution, backlog, satisfaction = data["resolution"], data["backlog"], data["satisfaction"]
    resolution["level1_pct"] = shifted(resolution["level1_pct"])
    resolution["escalated_level2"] = scaled(resolution["escalated_level2"])
    backlog["open_tickets"] = [scaled(row) for row in backlog["open_tickets"]]
    backlog["support_debt_days"] = scaled(backlog["support_debt_days"])
    satisfaction["csat_pct"] = shifted(satisfaction["csat_pct"])
    satisfaction["effort_score"] = shifted(satisfaction["effort_score"], 1.0, 5.0, shift / 10)
    for level in data["service_levels"]:
        for key in ("response_met_pct", "resolution_met_pct"):
            level[key] = shifted(level[key])
    return dict(data)


def make_site(target: Path, copies: int, distinct: bool = False) -> Path:
    """Return a content folder with `copies` copies of each example account (5 meetings per pair).

    With `distinct`, every copy's KPI values differ slightly (so no two accounts share a KPI chart).
    """
    for number in range(1, copies + 1):
        for account in (TYPED / "accounts").iterdir():
            folder = target / "accounts" / f"{account.name}-{number:02d}"
            shutil.copytree(account, folder)
            path = folder / "account.yaml"
            text = re.sub(r"^name: (.*)$", rf"name: \1 {number}", path.read_text(), count=1, flags=re.M)
            if distinct:
                text = re.sub(r"^(\s+values: \[)([^\]]*)\]", lambda m: m.group(1) + shift(m.group(2), number) + "]",
                              text, flags=re.M)
            path.write_text(text)
    shutil.copyfile(TYPED / "catalogue.yaml", target / "catalogue.yaml")  # the accounts' quotes are priced from it
    return target


def shift(values: str, number: int) -> str:
    """Return a YAML list's numbers (written '91.0, 92.5, ...') each moved by a small amount that depends on `number`."""
    return ", ".join(f"{max(0.0, min(100.0, float(v) + number / 100 - 0.2)):.2f}" for v in values.split(","))


def meetings(content: Path) -> list[Path]:
    """Return every meeting file of a content folder."""
    return sorted(content.glob("accounts/*/meetings/*.md"))


def bump_first_cost(path: Path) -> None:
    """Change one typed value of the example's metrics file: its first month's total cost, plus one."""
    text = path.read_text()
    match = re.search(r"cost:\n\s+total:\s*\[(\d+)", text)
    if match is None:
        raise SystemExit(f"bench: no cost.total found in {path}")
    start, end = match.span(1)
    path.write_text(text[:start] + str(int(match.group(1)) + 1) + text[end:])


def bump_first_volume(path: Path) -> None:
    """Change one value of a metrics file: the first ticket count of its first channel, plus one."""
    text = path.read_text()
    match = re.search(r"channels:\n\s+(\S+):\s*\n?\s*[-\[]\s*(\d+)", text)
    if match is None:
        raise SystemExit(f"bench: no channel values found in {path}")
    start, end = match.span(2)
    path.write_text(text[:start] + str(int(match.group(2)) + 1) + text[end:])


def watch_rows(content: Path, output: Path) -> list[Row]:
    """Return how long `storypack watch` takes from a saved file to the rebuilt output: a page, then a deck value.

    `content` holds the example's deck and the bench's accounts. The time runs from the write to the
    watcher's summary line (so it includes noticing the change); the first change of each kind warms
    the process up and is not counted.
    """
    page, metrics = meetings(content)[0], content / "metrics.yaml"
    process = subprocess.Popen(storypack(content, output, command="watch"), cwd=TOOL, env={**os.environ, "PYTHONPATH": str(TOOL)}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines = iter(process.stdout)

    def wait_for(text: str) -> None:
        for line in lines:
            if text in line:
                return
        raise SystemExit(f"bench: storypack watch ended before printing {text!r}")

    def timed(change: Callable[[int], object]) -> float:
        times = []
        for i in range(REPEAT + 1):
            started = time.perf_counter()
            change(i)
            wait_for(" up to date, into ")
            times.append(time.perf_counter() - started)
        return sorted(times[1:])[REPEAT // 2]

    try:
        wait_for("watching ")
        page_s = timed(lambda i: page.write_text(page.read_text() + f"\nA note while watching ({i}).\n"))
        deck_s = timed(lambda i: bump_first_volume(metrics))
    finally:
        process.terminate()
        process.wait(timeout=30)
    runs = f"median of {REPEAT}" if REPEAT > 1 else ""
    return [Row("site: one page changes under storypack watch", page_s, None,
                "; ".join(filter(None, ["from the save to the rebuilt pages, process warm", runs]))),
            Row("deck: one value changes under storypack watch", deck_s, None,
                "; ".join(filter(None, ["the example's metrics.yaml: deck:main, one chart redrawn", runs])))]


@dataclass
class Peer:
    """A peer's command, run REPEAT times before storypack's rows and REPEAT times after them: its row is the
    median of all its runs, so that a change in the shared machine's load during the bench weighs on both sides."""

    what: str
    argv: Callable[[int], Sequence[str]]
    runs: list[Row] = field(default_factory=list)

    def run(self) -> None:
        """Run the command REPEAT more times."""
        start = len(self.runs)
        self.runs += [measure(self.what, self.argv(start + i)) for i in range(REPEAT)]

    def row(self, note: str = "") -> Row:
        """Return the run with the median time, noting how many runs it is the median of."""
        ranked = sorted(self.runs, key=lambda row: row.seconds or 0.0)
        middle = ranked[len(ranked) // 2]
        runs = f"median of {len(ranked)}, half before and half after storypack's rows" if len(ranked) > 1 else ""
        return Row(self.what, middle.seconds, middle.peak_mib, "; ".join(filter(None, [note, runs])))


def pandoc(work: Path) -> Peer | None:
    """Return Pandoc making an equivalent Markdown deck (one call per deck), when pandoc is installed."""
    if shutil.which("pandoc") is None:
        return None
    source = work / "deck.md"
    source.write_text("\n\n".join(f"# {p.stem}\n\n{p.read_text()}" for p in sorted((EXAMPLE / "notes").glob("*.md"))))
    return Peer("Pandoc, 1 deck as Markdown (no charts)",
                lambda i: ["pandoc", str(source), "-o", str(work / f"deck-{i}.pptx")])


def pandoc_rows(peer: Peer | None, decks: int) -> list[Row]:
    """Return Pandoc's rows: one deck, and `decks` decks estimated from it."""
    if peer is None:
        return [Row("Pandoc, 1 deck as Markdown (no charts)", None, None, "pandoc not installed")]
    one = peer.row()
    assert one.seconds is not None
    return [one, Row(f"Pandoc, {decks} decks (one call each, estimated)", one.seconds * decks, one.peak_mib)]


def hugo(work: Path, site: Path) -> Peer | None:
    """Return Hugo building the same meeting pages (Markdown with front matter), when hugo is installed."""
    if shutil.which("hugo") is None:
        return None
    project = work / "hugo"
    (project / "layouts/_default").mkdir(parents=True)
    (project / "hugo.toml").write_text('baseURL = "https://example.invalid/"\ntitle = "bench"\n')
    (project / "layouts/_default/single.html").write_text("<h1>{{ .Title }}</h1>{{ .Content }}")
    (project / "layouts/_default/list.html").write_text("{{ range .Pages }}<a href='{{ .Permalink }}'>{{ .Title }}</a>{{ end }}")
    for path in meetings(site):
        target = project / "content" / path.parent.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text())
    return Peer(f"Hugo, the same {len(meetings(site))} pages, cold",
                lambda i: ["hugo", "--quiet", "-s", str(project), "-d", str(work / f"hugo-out-{i}")])


def hugo_rows(peer: Peer | None) -> list[Row]:
    """Return Hugo's row."""
    return [peer.row() if peer is not None else Row("Hugo, the same pages, cold", None, None, "hugo not installed")]


def serial_decks(work: Path, decks: int, serial: int) -> Row:
    """Return the time of `decks` decks with 1 worker: measured on all, or estimated from the first `serial`."""
    if serial >= decks:
        return measure(f"{decks} decks, 1 worker", storypack(work / "decks", fresh(work, "decks-1"), "--jobs", "1"))
    sample = measure("", storypack(make_decks(work / "decks-sample", serial), fresh(work, "sample"), "--jobs", "1"))
    assert sample.seconds is not None
    return Row(f"{decks} decks, 1 worker", sample.seconds * decks / serial, sample.peak_mib,
               f"estimated from {serial} decks (--serial {decks} measures all)")


def fresh(work: Path, name: str) -> Path:
    """Return a new output folder in a folder of its own, so that it starts with an empty chart cache beside it.

    The cache (.storypack-cache/, beside the output folder) is shared by the builds into one output folder,
    as it is for a user who rebuilds.
    """
    (work / name).mkdir()
    return work / name / "output"


def run(decks: int, copies: int, jobs: int, serial: int, tickets: int) -> list[Row]:
    """Return every measurement, in the order of the table."""
    global TOOL, TYPED
    work = Path(tempfile.mkdtemp(prefix="storypack-bench-"))
    try:
        TOOL = work / "tool"
        shutil.copytree(ROOT / "generator", TOOL / "generator", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(TEMPLATES, TOOL / "templates")
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(TOOL)], check=True)
        TYPED = typed_content(work / "typed" / "content")
        example = work / "example"
        shutil.copytree(EXAMPLE, example)
        deck_tree, site = make_decks(work / "decks", decks), make_site(work / "site", copies, distinct=True)
        pages = len(meetings(site))
        peers = (pandoc(work), hugo(work, site))
        for peer in peers:
            if peer is not None:
                peer.run()
        floor = [sys.executable, "-c", "import " + ", ".join(FLOOR_IMPORTS)]
        out_example, out_decks, out_site = fresh(work, "example-out"), fresh(work, "decks-out"), fresh(work, "site-out")
        rows = [median_of("floor: python -c 'import (what a build imports)'", lambda i: floor),
                median_of("cold build of the example", lambda i: storypack(example, fresh(work, f"example-{i}")),
                          f"--jobs {jobs}: 1 deck, 2 accounts, index; empty chart and ticket caches: the ticket "
                          "export (62,558 tickets) is parsed once, and summarised for the deck and each account"),
                median_of("cold build of the example, 1 worker",
                          lambda i: storypack(example, fresh(work, f"example-1-{i}"), "--jobs", "1"))]
        rows.insert(2, median_of("cold build of the example, its charts cached",
                                 lambda i: storypack(example, work / f"example-c-{i}" / "output"),
                                 "as the cold build, with its chart pictures from an earlier build: the difference "
                                 "is what drawing its charts takes", before=lambda i: _with_charts(work, i)))
        measure("the build the no-op and the change start from", storypack(example, out_example))
        rows.append(median_of("no-op rebuild of the example", lambda i: storypack(example, out_example)))
        rows.append(median_of("rebuild after one value changes", lambda i: storypack(example, out_example),
                              "metrics.yaml (a cost): only deck:main is rebuilt; its export's summary and unchanged "
                              "charts come from the caches", before=lambda i: bump_first_cost(example / "metrics.yaml")))
        rows.append(median_of("rebuild after the export changes", lambda i: storypack(example, out_example),
                              "deck:main and both accounts (not the index) rebuilt: the export read again",
                              before=lambda i: _touch_export(example, i)))
        rows.append(serial_decks(work, decks, serial))
        rows.append(measure(f"{decks} decks, {jobs} workers", storypack(deck_tree, out_decks, "--jobs", str(jobs)),
                            "empty chart cache"))
        rows.append(measure(f"no-op rebuild of {decks} decks", storypack(deck_tree, out_decks)))
        rows.append(measure(f"{decks} decks, {jobs} workers, charts cached", storypack(deck_tree, out_decks, "--force"),
                            "--force: every deck rebuilt, its charts read from the cache"))
        native = make_decks(work / "decks-native", decks, charts="native")
        rows.append(measure(f"{decks} decks, native charts, {jobs} workers",
                            storypack(native, fresh(work, "native-out"), "--jobs", str(jobs)),
                            "design: {charts: native}: editable PowerPoint charts, no matplotlib"))
        rows.append(median_of(f"{pages} meeting pages ({copies * 2} accounts), {jobs} workers",
                              lambda i: storypack(site, fresh(work, f"site-out-{i}"), "--jobs", str(jobs)),
                              "every account's KPI values differ; agendas, minutes, KPI charts, calendars, index"))
        measure("the build the one-page change starts from", storypack(site, out_site))
        page = meetings(site)[0]
        rows.append(median_of("site: rebuild after one page changes", lambda i: storypack(site, out_site),
                              "its account and the index",
                              before=lambda i: page.write_text(page.read_text() + f"\nOne more note ({i}).\n")))
        watched = make_site(work / "watched", copies, distinct=True)
        for name in ("story.yaml", "metrics.yaml", "notes"):
            (shutil.copytree if name == "notes" else shutil.copy)(TYPED / name, watched / name)
        rows += watch_rows(watched, fresh(work, "watched-out"))
        for peer in peers:
            if peer is not None:
                peer.run()
        return rows + pandoc_rows(peers[0], decks) + hugo_rows(peers[1]) + ticket_rows(work, tickets)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _with_charts(work: Path, i: int) -> None:
    """Give the new output folder example-c-I the chart cache of the first cold build of the example (nothing else)."""
    cache = Path(".storypack-cache") / "charts"
    shutil.copytree(work / "example-0" / cache, work / f"example-c-{i}" / cache)


def _touch_export(example: Path, i: int) -> None:
    """Change the example's ticket export: append one ticket (a new id each time), keeping it gzip-compressed."""
    import gzip

    path = next((example / "exports").glob("*.csv.gz"))
    with gzip.open(path, "at", encoding="utf-8", newline="") as handle:
        handle.write(f"{900000 + i},Bench,Solved,Normal,Mail,Service Desk,Customer 07,2026-10-30 09:00:00,"
                     f"2026-10-30 10:00:00,0,Good,1,5\n")


SLA = ("P1=15 minutes/4 hours", "P2=30 minutes/8 hours", "P3=4 hours/3 days", "P4=1 day/10 days")
"""The example's SLA targets, for the ticket rows (what the pandas baseline computes too)."""


def ticket_rows(work: Path, tickets: int) -> list[Row]:
    """Return the ticket-export summary of generated exports: tickets/10 as CSV, `tickets` as Parquet, and the
    same figures of the CSV with pandas where it is installed. Writing the exports is not timed."""
    folder = work / "exports"
    folder.mkdir()
    small, big = max(1, tickets // 10), tickets
    csv_file, parquet_file = folder / f"tickets-{small}.csv", folder / f"tickets-{big}.parquet"
    for count, path in ((small, csv_file), (big, parquet_file)):
        subprocess.run([sys.executable, str(ROOT / "bench" / "tickets.py"), "--tickets", str(count), "--output",
                        str(path)], check=True)
    mapping = folder / "mapping.yaml"
    mapping.write_text("level1_groups: [Service Desk]\n")

    def summary(path: Path) -> list[str]:
        return [sys.executable, "-m", "generator", "tickets", "summary", str(path), "--preset", "zendesk",
                "--mapping", str(mapping), *(f"--sla={sla}" for sla in SLA), "--format", "csv"]

    megabytes = csv_file.stat().st_size / 1e6
    rows = [median_of(f"ticket export, {small:,} tickets (CSV, {megabytes:.0f} MB): all monthly figures",
                      lambda i: summary(csv_file), "storypack tickets summary: one process, starting Python and DuckDB "
                      "included; every row checked"),
            measure(f"ticket export, {big:,} tickets (Parquet, {parquet_file.stat().st_size / 1e6:.0f} MB): all "
                    "monthly figures", summary(parquet_file), "times and counts typed as a data pipeline writes them; "
                    "DuckDB memory limit 768 MB, beyond it spilled to a temporary folder")]
    try:
        import pandas  # noqa: F401
    except ImportError:
        return rows + [Row(f"pandas, the same figures of the {small:,} tickets (CSV)", None, None,
                           "pandas not installed (pip install pandas to compare; storypack does not need it)")]
    return rows + [median_of(f"pandas, the same figures of the {small:,} tickets (CSV)",
                             lambda i: [sys.executable, str(ROOT / "bench" / "pandas_baseline.py"), str(csv_file)],
                             "bench/pandas_baseline.py: read_csv, to_datetime, groupby; no row checked")]


def table(rows: list[Row], decks: int) -> str:
    """Return the measurements as a Markdown table, with per-deck figures for the deck rows."""
    lines = ["| measurement | seconds | peak MiB | note |", "|---|---:|---:|---|"]
    for row in rows:
        seconds = "-" if row.seconds is None else f"{row.seconds:.2f}"
        peak = "-" if row.peak_mib is None else f"{row.peak_mib:.0f}"
        note = row.note
        if row.seconds is not None and row.what.startswith(f"{decks} decks"):
            note = "; ".join(filter(None, [f"{row.seconds / decks * 1000:.0f} ms per deck", note]))
        lines.append(f"| {row.what} | {seconds} | {peak} | {note} |")
    return "\n".join(lines)


def machine() -> str:
    """Return a one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        names = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.release()}, {cpu}, {len(os.sched_getaffinity(0))} cores, "
            f"{memory:.0f} GiB, Python {platform.python_version()}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table; return 0."""
    global REPEAT
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decks", type=int, default=100)
    parser.add_argument("--accounts", type=int, default=40, help="copies of the two example accounts (5 meetings each pair)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=REPEAT,
                        help="runs of each short measurement, of which the median is shown (default 3)")
    parser.add_argument("--serial", type=int, default=20,
                        help="decks built with 1 worker, scaled up to --decks (default 20, to keep make bench short)")
    parser.add_argument("--tickets", type=int, default=10_000_000,
                        help="tickets of the generated Parquet export (default 10,000,000: about 20 s and 2.5 GiB to "
                        "write); the CSV export has a tenth of them")
    args = parser.parse_args(argv)
    REPEAT = max(1, args.repeat)
    rows = run(args.decks, args.accounts, args.jobs, args.serial, args.tickets)
    print(f"storypack bench, {time.strftime('%Y-%m-%d')}: {machine()}\n")
    print(table(rows, args.decks))
    print(f"\nThe targets of issue 14, from the figures above:\n\n{targets.table(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
