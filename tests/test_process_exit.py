"""The `storypack` process ends with its command's exit code, without a last garbage collection over everything
the command made (`cli.run` freezes it first; the time it saves is measured by `make bench`, not here)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT

AT_EXIT = ("import atexit, gc, runpy, sys\n"
           "atexit.register(lambda: print('frozen objects:', gc.get_freeze_count()))\n"
           "sys.argv[0] = 'storypack'\n"
           "runpy.run_module('generator', run_name='__main__')\n")
"""`python -m generator` with the arguments given, reporting after the command how many objects the
collector was told to leave alone (atexit handlers run before the interpreter's last collection)."""


def _storypack(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", AT_EXIT, *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def _frozen(done: subprocess.CompletedProcess[str]) -> int:
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("frozen objects: "), done.stdout
    return int(line.rsplit(" ", 1)[1])


def test_a_command_that_succeeds_ends_with_0_and_its_objects_frozen() -> None:
    done = _storypack("check", "--content", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert _frozen(done) > 10_000  # the modules, schemas and content of the check


def test_a_command_that_fails_keeps_its_exit_code(tmp_path: Path) -> None:
    done = _storypack("check", "--content", str(tmp_path / "no-such-folder"))
    assert done.returncode == 2, done.stderr
    assert "no-such-folder" in done.stderr
    assert _frozen(done) > 0


def test_the_installed_storypack_command_runs_the_same_entry() -> None:
    (script,) = [point for point in entry_points(group="console_scripts") if point.name == "storypack"]
    assert script.value == "generator.cli:run"
