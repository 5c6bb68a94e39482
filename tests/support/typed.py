"""The example content with its ticket figures typed, as it was before they came from content/exports/.

Most tests check those typed values, and the typed-YAML route must stay covered: `typed_content` makes
that tree from content/ and tests/fixtures/typed-content/ (whose README says how). `make bench` varies
the same typed metrics into its 100 decks.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content"
TYPED = ROOT / "tests" / "fixtures" / "typed-content"


def typed_content(target: Path, shipped: Path = SHIPPED) -> Path:
    """Write the example content with its ticket figures typed (TYPED's metrics) to `target`; return it."""
    shutil.copytree(shipped, target, ignore=shutil.ignore_patterns("exports"))
    shutil.copyfile(TYPED / "metrics.yaml", target / "metrics.yaml")
    for account in sorted((target / "accounts").iterdir()):
        path, block = account / "account.yaml", TYPED / "accounts" / account.name / "metrics.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines) if re.match(r"metrics:", line)), None)
        if start is None:
            continue
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"[^\s#]", lines[i])), len(lines))
        while start > 0 and lines[start - 1].startswith("#"):
            start -= 1
        typed = block.read_text(encoding="utf-8").splitlines(keepends=True) if block.is_file() else []
        if not typed and start > 0 and not lines[start - 1].strip():
            start -= 1  # no metrics at all: the blank line before them goes too
        path.write_text("".join(lines[:start] + typed + lines[end:]), encoding="utf-8")
    return target
