"""The deck rows of `make bench` alone, with CPU time: 100 decks with distinct picture charts against Pandoc.

    python bench/decks.py [--decks 100] [--jobs 2] [--repeat 1] [--source DIR ...]

Builds the bench's deck tree (`run.make_decks`: every deck its own numbers, so no two share a chart)
with an empty chart cache, then again with every chart read from the cache (`--force`), and times one
Pandoc call on the example's notes as Markdown (scaled to the decks, as `run.pandoc_rows` does). Each
`--source` is a checkout (a folder holding generator/ and templates/) measured in the same run, in
turn, so that a change can be compared with a snapshot taken before it on the same machine. Prints
wall and CPU seconds (user + sys of the build and its workers) and the ratio to Pandoc; nothing here
is a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: the deck tree, the command lines)


@dataclass(frozen=True)
class Timed:
    """One timed process: wall and CPU seconds (its own and its waited-for children's), peak RSS in MiB."""

    wall: float
    cpu: float
    peak_mib: float


def timed(argv: Sequence[str], tool: Path) -> Timed:
    """Run `argv` from `tool` (which must succeed) and return its times."""
    started = time.perf_counter()
    process = subprocess.Popen(list(argv), cwd=tool, env={**os.environ, "PYTHONPATH": str(tool)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"bench: {' '.join(argv)} failed:\n{error[-2000:]}")
    return Timed(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def snapshot(source: Path, target: Path) -> Path:
    """Return a copy of the generator and templates of `source`, compiled, so edits made meanwhile do not count."""
    shutil.copytree(source / "generator", target / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(source / "templates", target / "templates")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target)], check=True)
    return target


def deck_builds(tool: Path, decks: Path, work: Path, jobs: int) -> tuple[Timed, Timed]:
    """Return the build of the deck tree with an empty chart cache, and then again with every chart cached."""
    work.mkdir(parents=True, exist_ok=True)
    output = run.fresh(work, f"out-{tool.name}")
    argv = [sys.executable, "-m", "generator", "build", "--content", str(decks), "--output", str(output),
            "--templates", str(tool / "templates"), "--as-of", run.AS_OF, "--jobs", str(jobs)]
    return timed(argv, tool), timed([*argv, "--force"], tool)


def pandoc(work: Path, repeat: int) -> Timed | None:
    """Return the median of `repeat` Pandoc calls on the example's notes as one Markdown deck, or None."""
    if shutil.which("pandoc") is None:
        return None
    source = work / "deck.md"
    notes = sorted((run.EXAMPLE / "notes").glob("*.md"))
    source.write_text("\n\n".join(f"# {p.stem}\n\n{p.read_text()}" for p in notes))
    runs = sorted((timed(["pandoc", str(source), "-o", str(work / f"deck-{i}.pptx")], work) for i in range(repeat)),
                  key=lambda t: t.wall)
    return runs[len(runs) // 2]


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the table; return 0."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decks", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=1, help="rounds over every source (default 1)")
    parser.add_argument("--source", type=Path, action="append",
                        help="a checkout to measure (repeatable; default: this one)")
    args = parser.parse_args(argv)
    sources = [path.resolve() for path in args.source or [run.ROOT]]
    work = Path(tempfile.mkdtemp(prefix="storypack-bench-decks-"))
    try:
        tools = [snapshot(source, work / f"tool-{i}") for i, source in enumerate(sources)]
        run.TYPED = run.typed_content(work / "typed" / "content")
        decks = run.make_decks(work / "decks", args.decks)
        peer = pandoc(work, max(3, args.repeat))
        lines = [f"storypack bench (decks), {time.strftime('%Y-%m-%d')}: {run.machine()}", "",
                 "| source | round | charts | wall s | CPU s | peak MiB | ms per deck | vs Pandoc |",
                 "|---|---:|---|---:|---:|---:|---:|---:|"]
        pandoc_all = peer.wall * args.decks if peer else None
        for round_ in range(1, args.repeat + 1):
            for source, tool in zip(sources, tools):
                drawn, cached = deck_builds(tool, decks, work / f"r{round_}", args.jobs)
                for what, t in (("drawn", drawn), ("cached", cached)):
                    ratio = f"{t.wall / pandoc_all:.2f}x" if pandoc_all else "-"
                    lines.append(f"| {source} | {round_} | {what} | {t.wall:.2f} | {t.cpu:.2f} | {t.peak_mib:.0f} | "
                                 f"{t.wall / args.decks * 1000:.0f} | {ratio} |")
                print(lines[-2], lines[-1], sep="\n", file=sys.stderr)
        if peer is not None and pandoc_all is not None:
            lines.append(f"| Pandoc, 1 deck as Markdown (no charts), x {args.decks} | | | {pandoc_all:.2f} | "
                         f"{peer.cpu * args.decks:.2f} | {peer.peak_mib:.0f} | {peer.wall * 1000:.0f} | 1.00x |")
        else:
            lines.append("| Pandoc | | | - | - | - | - | pandoc not installed |")
        print("\n".join(lines))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
