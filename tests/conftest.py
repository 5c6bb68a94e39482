"""Shared fixtures: throwaway copies of the example content and one build of it per test session.

`EXAMPLE` is the example with its ticket figures typed (`tests/fixtures/typed-content/`): most tests
check those values, and it keeps the typed-YAML route covered. `SHIPPED` is `content/` as shipped,
whose deck and accounts compute their figures from the ticket export in `content/exports/`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import fingerprint
from generator.build.run import build
from generator.build.settings import BuildSettings
from generator.story.charts import CHARTS, ChartSpec
from generator.story.figures import Figures, compute
from generator.story.load import load_story
from tests.support.typed import typed_content

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content"
TEMPLATES = ROOT / "templates"


_TYPED_TREE = Path(tempfile.mkdtemp(prefix="storypack-typed-example-"))
atexit.register(shutil.rmtree, _TYPED_TREE, True)
EXAMPLE = typed_content(_TYPED_TREE / "content")
"""The example content with typed metrics, made once per test session (a folder named content, as the example's)."""


def copy_content(tmp_path: Path) -> Path:
    """Return a fresh copy of the example content (typed metrics) under `tmp_path`."""
    target = tmp_path / "content"
    shutil.copytree(EXAMPLE, target)
    return target


def copy_shipped(tmp_path: Path) -> Path:
    """Return a fresh copy of content/ as shipped (figures computed from its ticket export) under `tmp_path`."""
    target = tmp_path / "content"
    shutil.copytree(SHIPPED, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must occur exactly once) with `new` in the file at `path`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def settings(content: Path, output: Path) -> BuildSettings:
    """Return build settings for `content` with the project's templates and a fixed as-of date."""
    return BuildSettings(content, output, dt.date(2026, 11, 23), TEMPLATES)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the example content that a test may change."""
    return copy_content(tmp_path)


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("example") / "output"
    build(settings(EXAMPLE, output))
    return output


@pytest.fixture(scope="module")
def figures() -> Figures:
    """The figures computed from the example's metrics."""
    return compute(load_story(EXAMPLE).metrics)


@pytest.fixture(scope="module")
def specs(figures: Figures) -> dict[str, ChartSpec]:
    """Every chart's spec built from the example's figures."""
    return {name: make(figures) for name, make in CHARTS.items()}


SOURCES = fingerprint.source_hashes()
"""The generator's sources as the test session first saw them."""


@pytest.fixture(scope="module")
def frozen_sources() -> Iterator[None]:
    """Make every build of a module see the same generator code (SOURCES), whatever is edited meanwhile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.build.manifest.source_hashes", lambda: dict(SOURCES))
        yield
