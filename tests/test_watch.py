"""`storypack watch`: a warm process that rebuilds what a change touches, reports broken content and goes on."""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from generator.build.settings import BuildSettings
from generator.build.watch import describe, touched
from tests.conftest import EXAMPLE, TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
WAIT = 90.0
"""Seconds to wait for a line the watcher should print (a cold first build on a loaded CI machine)."""


class Watcher:
    """A `storypack watch` process whose output lines are read as they come."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", "--content", "content", "--templates", "templates",
             "--output", "output", "--as-of", AS_OF, "--jobs", "2"],
            cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> list[str]:
        """Return the lines printed up to and including the first that contains `text`."""
        deadline = time.monotonic() + WAIT
        got: list[str] = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, f"watch exited ({self.process.returncode}):\n" + "\n".join(self.seen)
                continue
            got.append(line)
            self.seen.append(line)
            if text in line:
                return got
        raise AssertionError(f"no line with {text!r} within {WAIT} s:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        """Interrupt the watcher as Ctrl-C does and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder with a copy of the example content and templates, as a user's project has them."""
    shutil.copytree(EXAMPLE, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def test_watch_rebuilds_a_changed_page_reports_broken_content_and_stops_on_ctrl_c(tree: Path) -> None:
    """A changed meeting rebuilds its account and the index only; a typo is reported at its line and the
    output stays as it was; fixing it needs nothing rebuilt; Ctrl-C ends the watcher cleanly."""
    watcher = Watcher(tree)
    try:
        watcher.wait_for("watching content/ and templates/")
        deck = (tree / "output" / "success-story.pptx").read_bytes()
        meeting = sorted((tree / "content" / "accounts" / "kestrel-freight" / "meetings").glob("*.md"))[0]
        meeting.write_text(meeting.read_text(encoding="utf-8") + "\nA note added while watching.\n", encoding="utf-8")
        lines = watcher.wait_for("built 2 unit(s), 2 up to date")
        assert f"changed: content/accounts/kestrel-freight/meetings/{meeting.name}" in lines
        assert any(line.startswith("built account:kestrel-freight") for line in lines), lines
        minutes = tree / "output" / "site" / "kestrel-freight" / meeting.stem / "minutes.html"
        assert "A note added while watching." in minutes.read_text(encoding="utf-8")

        story = tree / "content" / "story.yaml"
        original = story.read_text(encoding="utf-8")
        story.write_text(original.replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
        lines = watcher.wait_for("is unchanged; waiting for the next change")
        assert any("content/story.yaml:" in line and "unknown key 'titel'" in line for line in lines), lines
        assert (tree / "output" / "success-story.pptx").read_bytes() == deck

        story.write_text(original, encoding="utf-8")
        watcher.wait_for("is up to date: 4 unit(s)")
        assert (tree / "output" / "success-story.pptx").read_bytes() == deck
    finally:
        code = watcher.stop()
    assert code == 0, "\n".join(watcher.seen)
    assert "Traceback" not in "\n".join(watcher.seen)


def test_a_changed_template_rebuilds_the_pages_that_use_it(tree: Path) -> None:
    """Editing a site template rebuilds every account and the index, not the deck."""
    watcher = Watcher(tree)
    try:
        watcher.wait_for("watching content/ and templates/")
        base = tree / "templates" / "site" / "base.html.j2"
        base.write_text(base.read_text(encoding="utf-8") + "{# edited while watching #}\n", encoding="utf-8")
        lines = watcher.wait_for("built 3 unit(s), 1 up to date")
        assert "changed: templates/site/base.html.j2" in lines
        assert not any(line.startswith("built deck:") for line in lines), lines
    finally:
        assert watcher.stop() == 0, "\n".join(watcher.seen)


def test_ctrl_c_during_a_rebuild_stops_cleanly_and_keeps_the_last_complete_output(tree: Path) -> None:
    """Ctrl-C whenever it comes (here: as soon as a change is seen, while the deck rebuilds) exits 0,
    and the output is the last complete build."""
    watcher = Watcher(tree)
    try:
        watcher.wait_for("watching content/ and templates/")
        metrics = tree / "content" / "metrics.yaml"
        metrics.write_text(metrics.read_text(encoding="utf-8").replace("currency: EUR", "currency: USD"),
                           encoding="utf-8")
        watcher.wait_for("changed: content/metrics.yaml")
    finally:
        code = watcher.stop()
    assert code == 0, "\n".join(watcher.seen)
    assert "Traceback" not in "\n".join(watcher.seen)
    with zipfile.ZipFile(tree / "output" / "success-story.pptx") as deck:  # the old deck or the new one, whole
        assert deck.testzip() is None
    assert not list(tree.glob(".output.new-*")), "the unfinished build's folder is left behind"


def test_watching_a_missing_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "watch", "--content", str(tmp_path / "nope"),
                           "--templates", str(TEMPLATES), "--output", str(tmp_path / "output")],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "content folder not found" in done.stderr and "Traceback" not in done.stderr


def test_temporary_files_an_editor_makes_and_removes_are_not_reported(tmp_path: Path) -> None:
    """A file added and deleted within one batch (sed -i, an editor's swap file) is no change; others are."""
    from watchfiles import Change

    kept = tmp_path / "content" / "story.yaml"
    kept.parent.mkdir()
    kept.write_text("x")
    gone = tmp_path / "content" / "sedX1y2z3"
    batch = {(Change.added, str(gone)), (Change.modified, str(gone)), (Change.deleted, str(gone)),
             (Change.modified, str(kept)), (Change.added, str(kept))}
    assert touched(batch) == [str(kept)]
    assert touched({(Change.deleted, str(tmp_path / "content" / "old.md"))}) == [str(tmp_path / "content" / "old.md")]


def test_changes_are_named_by_their_folder_and_summarised_beyond_three(tmp_path: Path) -> None:
    settings = BuildSettings(tmp_path / "content", tmp_path / "output", AS_OF_DATE, tmp_path / "templates")
    paths = [str(tmp_path / "content" / f"notes/{n}.md") for n in "abcd"] + [str(tmp_path / "templates/deck/x.j2")]
    assert describe(paths[:1], settings) == "content/notes/a.md"
    assert describe([paths[-1]], settings) == "templates/deck/x.j2"
    assert describe(paths, settings) == "content/notes/a.md, content/notes/b.md, content/notes/c.md and 2 more"

