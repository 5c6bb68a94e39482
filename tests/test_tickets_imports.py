"""DuckDB is loaded only where a ticket export is summarised: not by the command line's parser, nor by a build
of content that names no export (each checked in a fresh Python process, whose modules are its own)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT, SHIPPED, TEMPLATES

LOADED = "print(sorted({m.split('.')[0] for m in sys.modules} & {'duckdb', 'generator'}))\n"


def _modules(code: str) -> str:
    """Return the last line a fresh Python process running `code` (then LOADED) prints."""
    done = subprocess.run([sys.executable, "-c", "import sys\n" + code + LOADED], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_building_the_command_line_loads_no_duckdb() -> None:
    parser = "from generator.cli import _parser\n_parser(extra=True).parse_args(['new', 'meeting', 'x', '--date', '2026-01-01'])\n"
    assert _modules(parser) == "['generator']"


def _build(content: Path, output: Path, *only: str) -> str:
    argv = ["build", "--content", str(content), "--output", str(output), "--templates", str(TEMPLATES),
            "--as-of", "2026-11-23", "--jobs", "1", *only]  # one job: every unit is rendered in this process
    return f"from generator.cli import main\nassert main({argv!r}) == 0\n"


def test_a_build_without_ticket_exports_loads_no_duckdb(tmp_path: Path) -> None:
    assert _modules(_build(EXAMPLE, tmp_path / "typed" / "output")) == "['generator']"
    # the same build of content that names an export does load it: the check above can fail
    assert _modules(_build(SHIPPED, tmp_path / "shipped" / "output", "--only", "kestrel-freight")) == \
        "['duckdb', 'generator']"
