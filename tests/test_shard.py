"""Several decks in one content tree, and choosing units with --only and --shard."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.build.manifest import MANIFEST
from generator.build.run import build_report
from generator.build.settings import BuildOptions
from generator.build.units import Unit, discover, parse_shard, select, shard_of
from generator.cli import main
from generator.errors import ContentError, SelectionError
from tests.conftest import EXAMPLE, TEMPLATES, copy_content, edit, settings

AS_OF = "2026-11-23"
ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("frozen_sources")


def add_story(content: Path, name: str) -> Path:
    """Return a new deck folder content/stories/NAME holding a copy of the example story."""
    folder = content / "stories" / name
    (folder / "notes").mkdir(parents=True)
    for file in ("story.yaml", "metrics.yaml"):
        shutil.copy(EXAMPLE / file, folder / file)
    for note in (EXAMPLE / "notes").glob("*.md"):
        shutil.copy(note, folder / "notes" / note.name)
    return folder


def cli(content: Path, output: Path, *extra: str) -> int:
    """Return the exit code of `storypack build` with the project's templates."""
    return main(["build", "--content", str(content), "--output", str(output), "--templates", str(TEMPLATES),
                 "--as-of", AS_OF, *extra])


def files(output: Path) -> set[str]:
    """Return the names of the built files in `output` (the manifest and marker aside)."""
    return {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file() and not p.name.startswith(".")}


def test_every_unit_falls_in_exactly_one_shard() -> None:
    units = [Unit(f"deck:region-{i}", "deck", Path(".")) for i in range(300)]
    units += [Unit(f"account:customer-{i}", "account", Path(".")) for i in range(500)]
    for count in range(1, 8):
        shards = [select(units, shard=(index, count)) for index in range(1, count + 1)]
        chosen = [unit.name for shard in shards for unit in shard]
        assert sorted(chosen) == sorted(unit.name for unit in units)
        assert len(chosen) == len(set(chosen))
        if count > 1:
            assert min(len(shard) for shard in shards) > len(units) / count * 0.7, "shards are roughly even"


def test_shards_are_stable_across_runs_and_machines() -> None:
    names = ["deck:main", "account:kestrel-freight", "account:brightwater-clinics", "site:index"]
    assert [shard_of(name, 4) for name in names] == [4, 4, 3, 1]
    assert [shard_of(name, 2) for name in names] == [2, 2, 1, 1]


def test_a_shard_is_written_i_of_n() -> None:
    assert parse_shard("2/4") == (2, 4)
    for wrong in ("0/4", "5/4", "2", "a/b"):
        with pytest.raises(SelectionError):
            parse_shard(wrong)


def test_the_shards_built_apart_make_the_full_build(tmp_path: Path) -> None:
    for index in (1, 2):
        assert cli(EXAMPLE, tmp_path / f"shard-{index}", "--shard", f"{index}/2", "--jobs", "1") == 0
    shard_1, shard_2 = files(tmp_path / "shard-1"), files(tmp_path / "shard-2")
    assert not shard_1 & shard_2
    assert "success-story.pptx" in shard_2 and "site/index.html" in shard_1
    units = json.loads((tmp_path / "shard-1" / MANIFEST).read_text())["units"]
    assert sorted(units) == ["account:brightwater-clinics", "site:index"]
    assert cli(EXAMPLE, tmp_path / "full", "--jobs", "1") == 0
    assert shard_1 | shard_2 == files(tmp_path / "full")


def test_a_story_folder_is_a_deck_of_its_own(content: Path, tmp_path: Path) -> None:
    folder = add_story(content, "emea")
    edit(folder / "story.yaml", "organisation: Harbourline Logistics", "organisation: Harbourline EMEA")
    assert [unit.name for unit in discover(content)] == [
        "account:brightwater-clinics", "account:kestrel-freight", "deck:emea", "deck:main", "site:index"]
    report = build_report(settings(content, tmp_path / "out"), BuildOptions(jobs=1, only=("deck:*",)))
    assert report.built == ["deck:emea", "deck:main"]
    built = files(tmp_path / "out")
    main_deck = {name for name in built if not name.startswith("stories/")}
    assert "success-story.pptx" in main_deck and not any(name.startswith("site/") for name in built)
    assert {name for name in built if name.startswith("stories/")} == {f"stories/emea/{name}" for name in main_deck}
    inputs = json.loads((tmp_path / "out" / MANIFEST).read_text())["units"]["deck:emea"]["inputs"]
    assert "stories/emea/metrics.yaml" in inputs and "stories/emea/notes/plan.md" in inputs
    edit(folder / "metrics.yaml", "currency: EUR", "currency: USD")
    assert build_report(settings(content, tmp_path / "out"), BuildOptions(jobs=1, only=("deck:*",))).built == ["deck:emea"]


def test_an_error_in_a_story_folder_points_at_its_file(content: Path, tmp_path: Path) -> None:
    folder = add_story(content, "emea")
    edit(folder / "metrics.yaml", "currency: EUR", "currency: 12")
    with pytest.raises(ContentError) as caught:
        build_report(settings(content, tmp_path / "out"), BuildOptions(jobs=1, only=("emea",)))
    [problem] = caught.value.problems
    assert problem.file.endswith("stories/emea/metrics.yaml") and problem.line == 3


def test_story_folder_names_are_checked(content: Path) -> None:
    (content / "stories" / "EMEA deck").mkdir(parents=True)
    (content / "stories" / "main").mkdir()
    with pytest.raises(ContentError) as caught:
        discover(content)
    messages = sorted(p.message for p in caught.value.problems)
    assert messages == ["story folder name 'EMEA deck' is not usable as a name",
                        "the name 'main' is taken by story.yaml of the content folder"]


def test_only_builds_one_account_and_keeps_the_other_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE / "accounts", content / "accounts")
    shutil.copyfile(EXAMPLE / "catalogue.yaml", content / "catalogue.yaml")
    out = tmp_path / "out"
    assert cli(content, out, "--jobs", "1") == 0
    before = files(out)
    brightwater = (out / "site/brightwater-clinics/2026-10-08-operations-review/agenda.html").stat().st_ino
    capsys.readouterr()
    assert cli(content, out, "--only", "kestrel-freight", "--force") == 0
    output = capsys.readouterr().out
    assert "built account:kestrel-freight in " in output and "kept 2 unit(s) not selected" in output
    assert files(out) == before
    assert (out / "site/brightwater-clinics/2026-10-08-operations-review/agenda.html").stat().st_ino == brightwater


def test_only_an_unknown_name_is_an_error_with_a_suggestion(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli(EXAMPLE, tmp_path / "out", "--only", "kestrel-frieght") == 2
    assert "--only kestrel-frieght: no such deck or account; did you mean 'kestrel-freight'?" in capsys.readouterr().err
    assert cli(EXAMPLE, tmp_path / "out", "--shard", "3/2") == 2
    assert not (tmp_path / "out").exists()


def test_an_empty_shard_still_makes_an_output_folder(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE / "accounts/brightwater-clinics", content / "accounts/brightwater-clinics")
    empty = next(i for i in range(1, 9) if not select(discover(content), shard=(i, 8)))
    assert cli(content, tmp_path / "out", "--shard", f"{empty}/8") == 0
    assert files(tmp_path / "out") == set()
    assert json.loads((tmp_path / "out" / MANIFEST).read_text())["units"] == {}


def test_check_takes_the_same_selection(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    edit(content / "metrics.yaml", "currency: EUR", "currency: 12")
    assert main(["check", "--content", str(content), "--only", "account:*", "--jobs", "1"]) == 0
    assert main(["check", "--content", str(content), "--only", "deck:main", "--jobs", "1"]) == 2
    assert "metrics.yaml:3:" in capsys.readouterr().err


def test_progress_is_plain_lines_in_ci_and_one_live_line_on_a_terminal() -> None:
    import io

    from generator.build.progress import Progress

    plain = io.StringIO()
    progress = Progress(plain, live=False)
    progress.start(["deck:main", "site:index"], jobs=2)
    progress.finished("deck:main", 0.414, "metrics.yaml changed", ok=True)
    progress.finished("site:index", 0.05, "new", ok=False)
    progress.close()
    assert plain.getvalue() == "built deck:main in 0.41 s (metrics.yaml changed)\nfailed site:index in 0.05 s (new)\n"
    live = io.StringIO()
    progress = Progress(live, live=True)
    progress.start(["deck:main", "site:index"], jobs=2)
    progress.finished("deck:main", 0.4, "new", ok=True)
    progress.close()
    assert live.getvalue().startswith("\r[0/2] building deck:main, site:index\x1b[K")
    assert "\r[1/2] building site:index\x1b[K" in live.getvalue() and "built" not in live.getvalue()


def test_the_github_workflow_spreads_every_shard_and_keeps_the_chart_cache() -> None:
    """The ready workflow's matrix lists shards 1..SHARDS, each builds its --shard, and the chart cache persists."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "build-decks.yml").read_text(encoding="utf-8"))
    build = workflow["jobs"]["build"]
    assert build["strategy"]["matrix"]["shard"] == list(range(1, int(workflow["env"]["SHARDS"]) + 1))
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "storypack build" in runs and "--shard ${{ matrix.shard }}/${{ env.SHARDS }}" in runs
    caches = [step for step in build["steps"] if str(step.get("uses", "")).startswith("actions/cache@")]
    assert caches and caches[0]["with"]["path"] == ".storypack-cache"
    gitlab = yaml.safe_load((ROOT / "ci" / "gitlab-ci.example.yml").read_text(encoding="utf-8"))["build-decks"]
    assert '--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"' in " ".join(gitlab["script"])
    assert any(cache["paths"] == [".storypack-cache"] for cache in gitlab["cache"])
