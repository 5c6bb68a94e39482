"""The ways a build saves time change no byte of its output, and it does save the work.

The same content gives the same bytes (pages, decks, manifest) rendered in this process or shared among
workers, with each content file read once and handed on or read again wherever it is needed, cold or after
a change; and a build opens each content file once, makes each output folder once and writes each output
file in one open. The fast paths of the readers (YAML with line tracking, iCalendar folding) give exactly
what the plain ones give. Speed itself is measured in `make bench`, never here.
"""

from __future__ import annotations

import collections
import contextlib
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from icalendar.parser import Contentline

import generator.build.incremental as incremental
import generator.build.workers as workers
import generator.build.workload as workload
import generator.read.source as source
from generator.build.run import build_report
from generator.build.settings import BuildOptions
from generator.build.units import Unit
from generator.errors import ContentError
from generator.hashing import keeping, read_bytes, rel, tree_files, tree_names
from generator.meetings import ical
from generator.meetings.reader import load_accounts
from tests.conftest import EXAMPLE, ROOT, copy_content, settings

pytestmark = pytest.mark.usefixtures("frozen_sources")

COPIES = 3


def bench_like(target: Path) -> Path:
    """Return the example (typed metrics) with each account copied COPIES more times, each copy renamed and its
    KPI values moved a little, as `make bench` makes its 80 accounts."""
    content = copy_content(target)
    for folder in sorted((content / "accounts").iterdir()):
        for number in range(1, COPIES + 1):
            copy = folder.with_name(f"{folder.name}-{number:02d}")
            shutil.copytree(folder, copy)
            path = copy / "account.yaml"
            text = re.sub(r"^name: (.*)$", rf"name: \1 {number}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
            text = re.sub(r"^(\s+values: \[)([^\]]*)\]", lambda m: m.group(1) + _moved(m.group(2), number) + "]", text,
                          flags=re.M)
            path.write_text(text, encoding="utf-8")
    return content


def _moved(values: str, number: int) -> str:
    return ", ".join(f"{min(100.0, float(v) + number / 10):.2f}" for v in values.split(","))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bench-like tree: a deck and 8 accounts with their index."""
    return bench_like(tmp_path_factory.mktemp("bench-like"))


def files_of(output: Path) -> dict[str, bytes]:
    """Return every file of an output folder (the manifest too) with its bytes."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def build(content: Path, output: Path, jobs: int = 1) -> dict[str, bytes]:
    """Build `content` into `output` and return its files."""
    build_report(settings(content, output), BuildOptions(jobs=jobs))
    return files_of(output)


@pytest.fixture(scope="module")
def serial(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The tree built in this process, each content file read once."""
    return build(tree, tmp_path_factory.mktemp("serial") / "output")


def test_a_pooled_build_gives_the_bytes_of_a_build_in_one_process(tree: Path, serial: dict[str, bytes], tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pools: list[int] = []
    in_pool = workers._in_pool
    monkeypatch.setattr(workload, "MARGIN_S", -math.inf)  # workers whatever they cost
    monkeypatch.setattr(workers, "_in_pool", lambda units, *rest: pools.append(len(units)) or in_pool(units, *rest))
    pooled = build(tree, tmp_path / "output", jobs=2)
    assert pools == [len(manifest_units(serial))]
    assert sorted(pooled) == sorted(serial)
    assert [name for name in serial if pooled[name] != serial[name]] == []


def manifest_units(files: dict[str, bytes]) -> list[str]:
    """Return the units of an output's manifest."""
    import json

    return sorted(json.loads(files[".storypack-build.json"])["units"])


def test_files_read_again_wherever_needed_give_the_bytes_of_files_read_once(tree: Path, serial: dict[str, bytes],
                                                                            tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "keeping", contextlib.nullcontext)
    again = build(tree, tmp_path / "output")
    assert sorted(again) == sorted(serial)
    assert [name for name in serial if again[name] != serial[name]] == []


def test_a_page_changed_and_built_incrementally_gives_the_bytes_of_a_cold_build(tree: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(tree, content)
    output = tmp_path / "output"
    build(content, output)
    page = sorted(content.glob("accounts/*-02/meetings/*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more note.\n", encoding="utf-8")
    report = build_report(settings(content, output), BuildOptions(jobs=2))
    assert report.built == [f"account:{page.parent.parent.name}", "site:index"]
    assert files_of(output) == build(content, tmp_path / "cold" / "output", jobs=2)


def test_a_build_opens_each_content_file_once_makes_each_folder_once_and_writes_each_file_in_one_open(
        tree: Path, tmp_path: Path) -> None:
    opened: collections.Counter[str] = collections.Counter()
    made: collections.Counter[str] = collections.Counter()
    recording = True

    def hook(event: str, args: tuple[object, ...]) -> None:
        if not recording or not args or not isinstance(args[0], (str, Path)):
            return
        if event == "open":
            opened[os.path.abspath(args[0])] += 1
        elif event == "os.mkdir":
            made[os.path.abspath(args[0])] += 1

    sys.addaudithook(hook)  # a hook stays for the session: `recording` turns it off
    try:
        report = build_report(settings(tree, tmp_path / "output"), BuildOptions(jobs=1))
    finally:
        recording = False
    content = {path: count for path, count in opened.items() if path.startswith(str(tree.resolve()) + os.sep)}
    assert len(content) == sum(1 for p in tree.rglob("*") if p.is_file())
    assert {path: count for path, count in content.items() if count != 1} == {}
    staging = [path for path in opened if f"{os.sep}.output.new-" in path and not path.endswith(".output.new-")]
    written = collections.Counter(path.split(f"{os.sep}.output.new-", 1)[1].split(os.sep, 1)[-1] for path in staging
                                  if os.sep in path.split(f"{os.sep}.output.new-", 1)[1])
    assert set(report.files) <= set(written)
    assert {name: count for name, count in written.items() if name in report.files and count != 1} == {}
    folders = {path: count for path, count in made.items() if f"{os.sep}.output.new-" in path}
    assert len(folders) >= 2 * COPIES + 2
    assert {path: count for path, count in folders.items() if count != 1} == {}


def test_the_store_hands_on_what_was_read_only_within_a_build(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    with keeping():
        assert read_bytes(path) == b"a: 1\n"
        path.write_bytes(b"a: 2\n")
        assert read_bytes(path) == b"a: 1\n"  # the bytes this build has already read (and hashed)
    assert read_bytes(path) == b"a: 2\n"
    big = tmp_path / "export.csv"
    big.write_bytes(b"x" * (2 << 20))
    with keeping():
        read_bytes(big)
        big.write_bytes(b"y")
        assert read_bytes(big) == b"y"  # large files are never kept


def test_files_are_named_as_rel_names_them_links_included(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "accounts" / "a" / "meetings").mkdir(parents=True)
    (root / "accounts" / "a" / "account.yaml").write_text("name: A\n")
    (root / "accounts" / "a" / "meetings" / "m.md").write_text("---\n")
    (tmp_path / "outside.md").write_text("x\n")
    (root / "accounts" / "a" / "meetings" / "link.md").symlink_to(tmp_path / "outside.md")
    for folder in (root, root / "accounts", root / "accounts" / "a"):
        assert tree_names(folder, root) == [(rel(path, root), path) for path in tree_files(folder)]
    assert ("accounts/a/meetings/m.md", root / "accounts" / "a" / "meetings" / "m.md") in tree_names(root, root)


def test_a_site_build_loads_neither_duckdb_nor_the_deck_libraries(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom generator.cli import main\n"
        f"code = main(['build', '--content', {str(EXAMPLE)!r}, '--output', {str(tmp_path / 'output')!r},"
        " '--only', 'account:*', '--only', 'site:index', '--as-of', '2026-11-23'])\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'duckdb', 'matplotlib', 'pptx', 'numpy'}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.splitlines()[-1] == "0 []"


def units(kinds: dict[str, int]) -> list[Unit]:
    """Return `count` units of each kind."""
    return [Unit(f"{kind}:{kind}-{i}", kind, Path(kind)) for kind, count in kinds.items() for i in range(count)]


@pytest.mark.parametrize(("kinds", "accounts", "jobs", "expected"), [
    ({"index": 1, "account": 80}, 80, 2, (2, frozenset({"site"}))),
    ({"index": 1, "account": 1}, 80, 2, (1, frozenset())),
    ({"deck": 1, "index": 1, "account": 2}, 2, 2, (2, frozenset())),
    ({"deck": 100}, 0, 2, (2, frozenset())),
    ({"deck": 100}, 0, 1, (1, frozenset())),
    ({"index": 1, "account": 2}, 2, 2, (1, frozenset())),
])
def test_workers_are_used_where_they_save_time(kinds: dict[str, int], accounts: int, jobs: int,
                                               expected: tuple[int, frozenset[str]],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workload, "_loaded", lambda code: False)  # a cold process
    assert workload.plan(units(kinds), jobs, accounts, forks=True) == expected


def yaml_texts() -> Iterator[tuple[str, str]]:
    """Yield (name, YAML text) of every YAML file and front matter of the example and the test fixtures, and of
    documents that exercise anchors, merges, tags, unreadable dates and duplicate keys."""
    for path in sorted([*EXAMPLE.rglob("*.yaml"), *EXAMPLE.rglob("*.md"), *(ROOT / "tests").rglob("*.yaml")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".md":
            lines = text.split("\n")
            end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
            if lines[0].strip() != "---" or end is None:
                continue
            text = "\n".join(lines[1:end])
        yield path.name, text
    for i, text in enumerate(["a: &x {b: 1, c: [1, 2]}\nd: *x\ne:\n  <<: *x\n  f: 2\n", "a: 2026-02-30\nb: [1, 2026-13-01]\n",
                              "a: =\nb: [=, x]\n", "= : 1\n", "a: !!str {b: 1}\n", "a: !!python/name:os.system\n",
                              "? [a, b]\n: c\n", "a: 1\na: 2\n", "- !!binary aGVsbG8=\n- !!set {a, b}\n",
                              "a: !!float 1\nb: 0x1F\nc: 1e3\nd: .inf\ne: ~\nf: yes\ng: 12:30\n", "yes: 1\n1: 2\n", "",
                              "a:\n  - b: 1\n    c:\n      - 1\n      - [2, 3]\n"]):
        yield f"document {i}", text


def parsed(text: str) -> object:
    """Return what parse_yaml gives for `text`: its data, lines and unreadable values, or its problems."""
    try:
        doc = source.parse_yaml(text, Path("x.yaml"))
    except ContentError as exc:
        return [(p.line, p.message) for p in exc.problems]
    return repr(doc.data), doc.lines, {loc: (p.line, p.message) for loc, p in doc.unreadable.items()}


def test_yaml_read_the_fast_way_gives_the_values_and_lines_of_the_plain_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = list(yaml_texts())
    assert len(texts) > 40
    fast = [parsed(text) for _, text in texts]
    monkeypatch.setattr(source, "_FastLoader", yaml.SafeLoader)
    plain = [parsed(text) for _, text in texts]
    assert [name for (name, _), a, b in zip(texts, fast, plain) if a != b] == []
    for (name, text), result in zip(texts, fast):
        if not name.startswith("document") and isinstance(result, tuple) and not result[2]:
            assert result[0] == repr(yaml.safe_load(text)), name


def test_folding_gives_the_lines_icalendar_gives() -> None:
    pieces = ["a", "b ", "\\", "^", ",", ";", "é", "€", "😀", "ß", "\\n", "x" * 7]
    lines = ["", "short", "x" * 74, "x" * 75, "x" * 73 + "\\n" + "y" * 80]
    lines += ["".join(pieces[(i * 7 + j * j) % len(pieces)] for j in range(length))
              for i in range(60) for length in (10, 40, 73, 74, 75, 76, 150, 400)]
    assert [line for line in lines if ical.fold(line).encode() != Contentline(line).to_ical()] == []


def test_the_calendars_are_those_icalendar_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = load_accounts(EXAMPLE)
    as_of = settings(EXAMPLE, Path("out")).as_of

    def every_calendar() -> list[bytes]:
        found = [ical.meeting_calendar(a, m, as_of) for a in accounts for m in a.meetings]
        found += [ical.meeting_calendar(a, m, as_of, _invitation(a, m)) for a in accounts for m in a.meetings]
        return found

    fast = every_calendar()
    monkeypatch.setattr(ical, "fold", lambda line: Contentline(line).to_ical().decode("utf-8"))
    assert every_calendar() == fast
    assert len(fast) > 4 and all(b"\r\n " in data for data in fast)


def _invitation(account: object, meeting: object) -> ical.Invitation:
    """Return an invitation with a long attendee list, so that ATTENDEE lines fold."""
    import datetime as dt

    people = tuple(ical.Invitee(f"Person {i} with a rather long name", f"person.{i}@example.invalid") for i in range(3))
    return ical.Invitation(people[0], people, 2, dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc))
