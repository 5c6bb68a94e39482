"""The incremental build: a changed input rebuilds exactly what depends on it, an unchanged one never does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator
from generator.build.manifest import MANIFEST
from generator.build.run import build_report
from generator.build.settings import BuildOptions, BuildReport
from generator.cli import main
from generator.meetings.reader import load_accounts
from generator.meetings.site import render_account, render_index
from tests.conftest import (
    EXAMPLE,
    ROOT,
    SOURCES,
    TEMPLATES,
    copy_content,
    edit,
    settings,
)

ALL = ["account:brightwater-clinics", "account:kestrel-freight", "deck:main", "site:index"]
SITE = ["account:brightwater-clinics", "account:kestrel-freight", "site:index"]
KESTREL_MEETING = "accounts/kestrel-freight/meetings/2026-09-03-operations-review.md"


pytestmark = pytest.mark.usefixtures("frozen_sources")


def run(content: Path, output: Path, templates: Path = TEMPLATES, jobs: int = 1, **options: object) -> BuildReport:
    """Return the report of a build of `content` into `output` (in this process unless jobs > 1)."""
    build_settings = settings(content, output)
    if templates != TEMPLATES:
        build_settings = type(build_settings)(content, output, build_settings.as_of, templates)
    return build_report(build_settings, BuildOptions(jobs=jobs, **options))  # type: ignore[arg-type]


def inodes(output: Path) -> dict[str, int]:
    """Return the inode of every file in `output`: a file kept from the last build keeps its inode."""
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the example content and the templates, built once; tests copy both before changing them."""
    base = tmp_path_factory.mktemp("incremental")
    content = copy_content(base)
    shutil.copytree(TEMPLATES, base / "templates")
    report = run(content, base / "output", base / "templates")
    assert report.built == ALL
    return base, base / "output"


@pytest.fixture
def project(built: tuple[Path, Path], tmp_path: Path) -> Path:
    """A throwaway copy of the built project (content, templates, output) that a test may change."""
    base, _ = built
    for name in ("content", "templates", "output"):
        shutil.copytree(base / name, tmp_path / name, copy_function=shutil.copy2)
    return tmp_path


def rebuild(project: Path) -> BuildReport:
    """Return the report of building `project` again into its own output."""
    return run(project / "content", project / "output", project / "templates")


def test_an_unchanged_build_rebuilds_nothing_and_leaves_the_output_alone(project: Path) -> None:
    before = inodes(project / "output")
    report = rebuild(project)
    assert (report.built, report.up_to_date, report.written) == ([], ALL, False)
    assert inodes(project / "output") == before


def test_a_metrics_change_rebuilds_only_the_deck_and_keeps_the_other_files(project: Path) -> None:
    before = inodes(project / "output")
    edit(project / "content/metrics.yaml", "currency: EUR", "currency: USD")
    report = rebuild(project)
    assert (report.built, report.up_to_date) == (["deck:main"], SITE)
    after = inodes(project / "output")
    assert after["success-story.pptx"] != before["success-story.pptx"]
    assert {k: v for k, v in after.items() if k.startswith("site/")} == \
        {k: v for k, v in before.items() if k.startswith("site/")}
    assert rebuild(project).built == []


def test_a_kept_file_edited_by_hand_is_rendered_again_while_the_rest_is_kept(project: Path) -> None:
    page = project / "output/site/index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"Operations reviews", b"Edited by hand"))
    before = inodes(project / "output")
    edit(project / "content/metrics.yaml", "currency: EUR", "currency: USD")
    report = rebuild(project)
    assert (report.built, report.up_to_date) == (["deck:main", "site:index"], SITE[:2])
    assert page.read_bytes() == original
    after = inodes(project / "output")
    kept = [name for name in before if name.startswith("site/kestrel-freight/")]
    assert kept and all(after[name] == before[name] for name in kept)


def test_a_notes_change_rebuilds_the_deck(project: Path) -> None:
    path = project / "content/notes/plan.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence for the speaker.\n", encoding="utf-8")
    assert rebuild(project).built == ["deck:main"]


def test_cached_charts_no_build_used_for_30_days_are_deleted(project: Path) -> None:
    """The chart cache keeps what builds use and drops what none used for a month, so it does not grow forever."""
    import os
    import time

    notes = project / "content/notes/plan.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\nA first added sentence.\n", encoding="utf-8")
    assert rebuild(project).built == ["deck:main"]
    cache = project / ".storypack-cache" / "charts"
    used = sorted(cache.glob("*.png"))
    assert len(used) == 5
    stale = cache / ("0" * 64 + ".png")
    stale.write_bytes(b"a chart of figures that changed long ago")
    month_ago = time.time() - 31 * 86400
    for path in [*used, stale]:
        os.utime(path, (month_ago, month_ago))
    notes.write_text(notes.read_text(encoding="utf-8") + "\nA second added sentence.\n", encoding="utf-8")
    assert rebuild(project).built == ["deck:main"]
    assert sorted(cache.glob("*.png")) == used
    assert all(path.stat().st_mtime > month_ago + 86400 for path in used)


def test_a_meeting_change_rebuilds_its_account_and_the_index_only(project: Path) -> None:
    path = project / "content" / KESTREL_MEETING
    path.write_text(path.read_text(encoding="utf-8") + "\nA late note.\n", encoding="utf-8")
    report = rebuild(project)
    assert report.built == ["account:kestrel-freight", "site:index"]
    assert report.up_to_date == ["account:brightwater-clinics", "deck:main"]


def test_a_deck_template_change_rebuilds_the_deck_only(project: Path) -> None:
    path = project / "templates/deck/plan.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + "{# reworded #}\n", encoding="utf-8")
    assert rebuild(project).built == ["deck:main"]


def test_a_site_template_change_rebuilds_every_page_but_not_the_deck(project: Path) -> None:
    path = project / "templates/site/style.css"
    path.write_text(path.read_text(encoding="utf-8") + "\n/* brand blue */\n", encoding="utf-8")
    assert rebuild(project).built == SITE


def test_a_new_tool_version_rebuilds_everything(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "__version__", "99.0.0")
    report = rebuild(project)
    assert report.built == ALL
    assert json.loads((project / "output" / MANIFEST).read_text())["storypack"] == "99.0.0"


def test_a_change_to_the_meeting_code_rebuilds_the_pages_not_the_deck(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.build.manifest.source_hashes", lambda: {**SOURCES, "meetings/site.py": "edited"})
    assert rebuild(project).built == SITE
    monkeypatch.setattr("generator.build.manifest.source_hashes",
                        lambda: {**SOURCES, "meetings/site.py": "edited", "deck/slides.py": "edited"})
    assert rebuild(project).built == ["deck:main"]


def test_changing_a_font_named_in_design_fonts_rebuilds_the_deck_not_the_pages(project: Path) -> None:
    """A deck's own fonts decide how its text is fitted and its charts drawn: they are inputs of the deck only.

    Installed fonts are never used, so installing one rebuilds nothing; the fonts storypack brings are
    in its code fingerprint (tests/test_fonts.py)."""
    from generator.fonts import ASSETS

    assert rebuild(project).built == []
    font = project / "content/brand/Brand-Regular.ttf"
    font.parent.mkdir()
    font.write_bytes((ASSETS / "Caladea-Regular.ttf").read_bytes())
    with (project / "content/story.yaml").open("a", encoding="utf-8") as story:
        story.write("\ndesign:\n  fonts: [brand/Brand-Regular.ttf]\n")
    assert rebuild(project).built == ["deck:main"]
    units = json.loads((project / "output" / MANIFEST).read_text())["units"]
    assert "brand/Brand-Regular.ttf" in units["deck:main"]["inputs"]
    font.write_bytes((ASSETS / "Carlito-Regular.ttf").read_bytes())  # another face, the same name
    assert rebuild(project).built == ["deck:main"]
    assert rebuild(project).built == []


def test_a_new_as_of_date_rebuilds_the_pages_and_source_date_epoch_the_deck(project: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    later = settings(project / "content", project / "output")
    later = type(later)(later.content, later.output, later.as_of.replace(day=24), project / "templates")
    assert build_report(later, BuildOptions(jobs=1)).built == SITE
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert rebuild(project).built == ALL


def test_a_deleted_meeting_disappears_from_the_output(project: Path) -> None:
    (project / "content/accounts/kestrel-freight/meetings/2026-12-03-operations-review.md").unlink()
    assert rebuild(project).built == ["account:kestrel-freight", "site:index"]
    folders = {p.name for p in (project / "output/site/kestrel-freight").iterdir()}
    assert folders == {"2026-06-04-operations-review", "2026-09-03-operations-review"}


def test_a_deleted_account_disappears_and_is_reported(project: Path) -> None:
    shutil.rmtree(project / "content/accounts/brightwater-clinics")
    report = rebuild(project)
    assert (report.built, report.removed) == (["site:index"], ["account:brightwater-clinics"])
    assert not (project / "output/site/brightwater-clinics").exists()
    assert "account:brightwater-clinics" not in json.loads((project / "output" / MANIFEST).read_text())["units"]


def test_a_missing_output_file_is_rebuilt(project: Path) -> None:
    (project / "output/success-story.pptx").unlink()
    report = rebuild(project)
    assert report.built == ["deck:main"] and (project / "output/success-story.pptx").is_file()


def test_a_content_error_in_a_changed_unit_is_reported_and_nothing_written(project: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    edit(project / "content" / KESTREL_MEETING, "attended:", "atended:")
    code = main(["build", "--content", str(project / "content"), "--output", str(project / "output"),
                 "--templates", str(project / "templates"), "--as-of", "2026-11-23", "--jobs", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "2026-09-03-operations-review.md" in err and "atended" in err
    assert err.count("problem") == 1, "each problem is reported once, though the account and the index both read it"
    assert {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()} == before


def test_force_rebuilds_the_selected_units(project: Path) -> None:
    report = run(project / "content", project / "output", project / "templates", force=True, only=("deck:*",))
    assert (report.built, report.kept) == (["deck:main"], SITE)


def test_the_manifest_records_inputs_relative_to_the_content_folder(built: tuple[Path, Path]) -> None:
    units = json.loads((built[1] / MANIFEST).read_text())["units"]
    assert sorted(units["deck:main"]["inputs"]) == sorted(
        ["story.yaml", "metrics.yaml"] + [f"notes/{p.name}" for p in (EXAMPLE / "notes").glob("*.md")])
    assert units["deck:main"]["settings"] == {"source_date_epoch": "", "pdf": "False", "thumbnails": "False"}
    assert units["site:index"]["settings"] == {"as_of": "2026-11-23", "source_date_epoch": ""}
    assert sorted(units["site:index"]["outputs"]) == ["site/index.html", "site/style.css"]


def test_parallel_and_serial_builds_give_the_same_bytes_and_manifest(built: tuple[Path, Path], tmp_path: Path) -> None:
    base, serial = built
    run(base / "content", tmp_path / "parallel", base / "templates", jobs=2)
    files = sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "parallel") for p in (tmp_path / "parallel").rglob("*")
                           if p.is_file())
    for name in files:
        assert (serial / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes(), name


def test_the_site_built_unit_by_unit_is_the_site_built_at_once(built: tuple[Path, Path]) -> None:
    base, output = built
    accounts, as_of = load_accounts(base / "content"), settings(base, output).as_of
    whole = render_index(accounts, as_of, base / "templates")
    for account in accounts:
        whole.update(render_account(account, as_of, base / "templates"))
    assert sorted(whole) == sorted(p.relative_to(output).as_posix() for p in (output / "site").rglob("*")
                                   if p.is_file())
    for name, data in whole.items():
        assert (output / name).read_bytes() == data, name


def test_a_no_op_build_imports_neither_matplotlib_nor_python_pptx(built: tuple[Path, Path]) -> None:
    base, output = built
    script = (
        "import sys\nimport generator.build.manifest\nfrom generator.cli import main\n"
        f"generator.build.manifest.source_hashes = lambda: {SOURCES!r}\n"
        f"code = main(['build', '--content', {str(base / 'content')!r}, '--output', {str(output)!r},"
        f" '--templates', {str(base / 'templates')!r}, '--as-of', '2026-11-23'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'pptx', 'pydantic', 'jinja2', 'PIL'})\n"
        "print(code, heavy)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.splitlines()[-1] == "0 []"
    assert "is up to date: 4 unit(s)" in done.stdout


def test_a_powerpoint_template_the_deck_opens_is_an_input(content: Path, tmp_path: Path) -> None:
    template = ROOT / "tests/fixtures/templates/sol-eng-powerpoint__template.potx"
    (content / "brand").mkdir()
    shutil.copy(template, content / "brand/corporate.potx")
    edit(content / "story.yaml", "metrics: metrics.yaml\n", "metrics: metrics.yaml\ndesign:\n  template: brand/corporate.potx\n")
    out = tmp_path / "out"
    report = run(content, out, only=("deck:main",))
    assert report.built == ["deck:main"]
    assert "brand/corporate.potx" in json.loads((out / MANIFEST).read_text())["units"]["deck:main"]["inputs"]
    with open(content / "brand/corporate.potx", "ab") as handle:
        handle.write(b"\0")  # still a readable zip: trailing bytes are ignored
    assert run(content, out, only=("deck:main",)).built == ["deck:main"]
