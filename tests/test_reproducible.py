"""The same content gives the same bytes whatever fonts a machine has installed and matplotlib's font cache holds.

storypack measures and draws with the fonts it brings and a deck's own (design.fonts) only: a build
that sees no installed font (fontconfig configured with none, an empty HOME) and a fresh or a
misleading matplotlib font cache writes every file byte for byte as a build in the normal environment.
Three decks cover the built-in look, a template in Cambria and Calibri, and a template whose theme
font is a team's own; the meeting pages' KPI charts measure their labels in DejaVu Sans.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, TEMPLATES
from tests.support.fonts import corporate_font, template_with_font
from tests.support.templates import SCANNY, make_german_a4_template

AS_OF = "2026-11-23"
EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig></fontconfig>
"""
"""A fontconfig configuration with no font folder: fc-list lists nothing."""


def add_story(content: Path, name: str, design: str) -> Path:
    """Add a deck `stories/NAME/` made of the example's story, metrics and notes with a design section; return it."""
    folder = content / "stories" / name
    folder.mkdir(parents=True)
    for item in ("metrics.yaml", "notes"):
        (shutil.copytree if (EXAMPLE / item).is_dir() else shutil.copy)(EXAMPLE / item, folder / item)
    story = (EXAMPLE / "story.yaml").read_text(encoding="utf-8")
    assert "\ndesign:" not in story
    (folder / "story.yaml").write_text(story.rstrip("\n") + "\n" + design, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content with two more decks: one on a template in Cambria and Calibri, one in a team's own font."""
    base = tmp_path_factory.mktemp("reproducible")
    content = base / "content"
    shutil.copytree(EXAMPLE, content)
    german = add_story(content, "german", "design:\n  template: german.pptx\n")
    make_german_a4_template(german / "german.pptx")
    brand = add_story(content, "brand", "design:\n  template: corporate.pptx\n  fonts:\n"
                                        "    - brand/Corporate-Regular.ttf\n    - brand/Corporate-Bold.ttf\n")
    template_with_font(SCANNY, brand / "corporate.pptx")
    corporate_font(brand / "brand/Corporate-Regular.ttf")
    corporate_font(brand / "brand/Corporate-Bold.ttf", bold=True)
    return base


def misleading_font_cache(folder: Path) -> Path:
    """Fill `folder` with a matplotlib font cache that names one wrong file (DejaVu Serif) for every font; return it.

    A build that let matplotlib find fonts by name would draw its charts' text in that face.
    """
    folder.mkdir()
    script = ("import matplotlib.font_manager as fm, json, pathlib\n"
              "path = pathlib.Path(fm.mpl.get_cachedir(), f'fontlist-v{fm.FontManager.__version__}.json')\n"
              "data = json.loads(path.read_text())\n"
              "for entry in data['ttflist']:\n"
              "    entry['fname'] = 'fonts/ttf/DejaVuSerif.ttf'\n"
              "path.write_text(json.dumps(data))\n")
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "MPLCONFIGDIR": str(folder)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return folder


def build(project: Path, name: str, extra: dict[str, str]) -> dict[str, bytes]:
    """Build the project's content into output-NAME in a new process with `extra` in its environment; return
    every output file's bytes by path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STORYPACK_CHART_CACHE": "off", "SOURCE_DATE_EPOCH": "1764547200",
           **extra}
    output = project / f"output-{name}"
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(project / "content"),
                           "--output", str(output), "--templates", str(TEMPLATES), "--as-of", AS_OF, "--jobs", "2"],
                          env=env, cwd=project, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*"))
            if path.is_file()}


def test_the_same_bytes_with_no_installed_font_and_any_matplotlib_font_cache(project: Path) -> None:
    (project / "fonts.conf").write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    (project / "home").mkdir()
    (project / "empty-cache").mkdir()
    isolated = {"FONTCONFIG_FILE": str(project / "fonts.conf"), "HOME": str(project / "home")}
    normal = build(project, "normal", {})
    empty = build(project, "empty", {**isolated, "MPLCONFIGDIR": str(project / "empty-cache")})
    misled = build(project, "misled", {**isolated, "MPLCONFIGDIR": str(misleading_font_cache(project / "misled"))})
    decks = {name for name in normal if name.endswith("success-story.pptx")}
    assert decks == {"success-story.pptx", "stories/german/success-story.pptx", "stories/brand/success-story.pptx"}
    assert any(name.endswith(".svg") for name in normal), "the meeting pages' KPI charts are compared too"
    for other in (empty, misled):
        assert sorted(other) == sorted(normal)
        assert [name for name in normal if other[name] != normal[name]] == []
    record = json.loads(normal[".storypack-build.json"])["units"]
    assert {"stories/brand/brand/Corporate-Regular.ttf", "stories/brand/brand/Corporate-Bold.ttf"} <= set(
        record["deck:brand"]["inputs"])


def test_a_decks_own_font_draws_its_charts(project: Path) -> None:
    """The brand deck's charts are drawn in its own font: other files under the same family name draw other pixels."""
    import zipfile

    built = project / "output-normal/stories/brand/success-story.pptx"
    if not built.is_file():
        pytest.skip("needs the build of the test above")
    other = project / "other"
    shutil.copytree(project / "content/stories/brand", other / "content")
    for name, bold in (("Regular", False), ("Bold", True)):  # Corporate Sans again, from Carlito's glyphs
        corporate_font(other / f"content/brand/Corporate-{name}.ttf", bold=bold, source=f"Carlito-{name}.ttf")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(other / "content"),
                           "--output", str(other / "output"), "--templates", str(TEMPLATES), "--as-of", AS_OF,
                           "--jobs", "1"], env={**os.environ, "PYTHONPATH": str(ROOT), "STORYPACK_CHART_CACHE": "off",
                                                "SOURCE_DATE_EPOCH": "1764547200"},
                          cwd=other, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr

    def pictures(deck: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(deck) as package:
            return {name: package.read(name) for name in package.namelist() if name.startswith("ppt/media/")}

    own, others = pictures(built), pictures(other / "output/success-story.pptx")
    assert own and own.keys() == others.keys()
    assert [name for name in own if own[name] == others[name]] == []
