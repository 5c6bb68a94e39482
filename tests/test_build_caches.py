"""What a build keeps in .storypack-cache/ for the next one, besides chart pictures and ticket summaries: the
accounts the meeting pack read and the compiled slide and site templates. A rebuild takes them only while their
sources are unchanged, and its output is the bytes of a build without any cache."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.build.run import build_report
from generator.build.settings import BuildOptions, BuildReport
from generator.errors import ContentError
from generator.meetings import pages
from generator.meetings.accountcache import AccountCache
from generator.meetings.site import _environment_for
from generator.story import wording
from tests.conftest import TEMPLATES, copy_content, edit, settings

KESTREL_MEETING = "accounts/kestrel-freight/meetings/2026-09-03-operations-review.md"
SITE = ["account:brightwater-clinics", "account:kestrel-freight", "site:index"]

pytestmark = pytest.mark.usefixtures("frozen_sources")


def run(content: Path, output: Path, templates: Path = TEMPLATES, cache: bool = True, as_of: dt.date | None = None,
        **options: Any) -> BuildReport:
    """Return the report of a build of the meeting pack of `content` into `output`, in this process, as a new
    process would start it (nothing read by an earlier build kept in memory)."""
    pages._LOADED.clear()
    _environment_for.cache_clear()
    build_settings = dataclasses.replace(settings(content, output), templates=templates, cache=cache)
    if as_of is not None:
        build_settings = dataclasses.replace(build_settings, as_of=as_of)
    return build_report(build_settings, BuildOptions(jobs=1, only=("site:*", "account:*"), **options))


def files(output: Path) -> dict[str, bytes]:
    """Return every file of the site in `output`, by its path."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted((output / "site").rglob("*"))
            if p.is_file()}


def counting(patch: pytest.MonkeyPatch, target: Any, name: str, key: Callable[..., str]) -> Counter[str]:
    """Count the calls of `target.name` (by `key` of their arguments) while the test runs."""
    calls: Counter[str] = Counter()
    original = getattr(target, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[key(*args, **kwargs)] += 1
        return original(*args, **kwargs)

    patch.setattr(target, name, counted)
    return calls


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The accounts read from their files, by folder name."""
    return counting(monkeypatch, pages, "load_account", lambda root, slug: slug)


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The site templates compiled, by name."""
    return counting(monkeypatch, jinja2.Environment, "compile",
                    lambda env, source, name=None, *args, **kwargs: str(name))


def test_after_one_page_changes_only_its_account_is_read_from_its_files(tmp_path: Path, reads: Counter[str]) -> None:
    content = copy_content(tmp_path)
    run(content, tmp_path / "output")
    assert reads == {"brightwater-clinics": 1, "kestrel-freight": 1}  # the index shares what the accounts read
    reads.clear()
    edit(content / KESTREL_MEETING, "reported on the switches.", "reported on the switches. Kept the escalation path as agreed.")
    report = run(content, tmp_path / "output")
    assert report.built == ["account:kestrel-freight", "site:index"]
    assert reads == {"kestrel-freight": 1}  # brightwater-clinics for the index: from the cache
    run(content, tmp_path / "fresh" / "output", cache=False)
    assert files(tmp_path / "output") == files(tmp_path / "fresh" / "output")
    assert "Kept the escalation path as agreed." in (tmp_path / "output/site/kestrel-freight/2026-09-03-operations-review"
                                                    / "minutes.html").read_text(encoding="utf-8")


def test_a_changed_catalogue_reads_every_account_again(tmp_path: Path, reads: Counter[str]) -> None:
    content = copy_content(tmp_path)
    run(content, tmp_path / "output")
    reads.clear()
    (content / "catalogue.yaml").write_text((content / "catalogue.yaml").read_text(encoding="utf-8") + "\n# edited\n",
                                             encoding="utf-8")
    run(content, tmp_path / "output", force=True)
    assert reads == {"brightwater-clinics": 1, "kestrel-freight": 1}


def test_a_kept_account_warns_as_one_read_from_its_files(tmp_path: Path, reads: Counter[str],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    content, later = copy_content(tmp_path), dt.date(2027, 4, 1)  # past the next quarterly review of both accounts
    run(content, tmp_path / "output")
    capsys.readouterr()
    reads.clear()
    run(content, tmp_path / "output", as_of=later)  # every page again, each account from the cache
    kept = capsys.readouterr().err
    assert reads == {}
    run(content, tmp_path / "fresh" / "output", cache=False, as_of=later)
    assert kept == capsys.readouterr().err
    assert "cadence: quarterly" in kept  # the line the warning is about, quoted from the file


def test_a_damaged_kept_account_is_read_from_its_files(tmp_path: Path, reads: Counter[str]) -> None:
    content = copy_content(tmp_path)
    run(content, tmp_path / "output")
    before = files(tmp_path / "output")
    kept = sorted((tmp_path / ".storypack-cache" / "accounts").glob("*.pickle"))
    assert len(kept) == 2
    kept[0].write_bytes(b"not a pickle")
    kept[1].write_bytes(kept[1].read_bytes()[:100])
    reads.clear()
    run(content, tmp_path / "output", force=True)
    assert reads == {"brightwater-clinics": 1, "kestrel-freight": 1}
    assert files(tmp_path / "output") == before


def test_an_account_with_a_problem_is_not_kept(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    edit(content / KESTREL_MEETING, "title:", "titel:")
    cache = AccountCache(tmp_path / "kept", "code")
    with pytest.raises(ContentError):
        pages._load(content, "kestrel-freight", cache, keep=True)
    assert not (tmp_path / "kept").exists()
    pages._load(content, "brightwater-clinics", cache, keep=True)
    assert len(list((tmp_path / "kept").glob("*.pickle"))) == 1


def test_the_code_that_reads_an_account_is_part_of_its_key(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    one, other = AccountCache(tmp_path / "kept", "code 1"), AccountCache(tmp_path / "kept", "code 2")
    pages._LOADED.clear()
    account = pages._load(content, "kestrel-freight", one)
    key = one.key(content.resolve(), "kestrel-freight", "stamp")
    assert key != other.key(content.resolve(), "kestrel-freight", "stamp")
    assert key != one.key(content.resolve(), "kestrel-freight", "stamp 2")
    one.put(key, account)
    kept = one.get(key)
    assert kept is not None
    assert (kept.file, kept.tracker, kept.quotes, kept.doc.data, kept.doc.lines) == \
        (account.file, account.tracker, account.quotes, account.doc.data, account.doc.lines)
    assert [m.front for m in kept.meetings] == [m.front for m in account.meetings]
    assert kept.doc.text_lines is None  # kept without the text of its files: a problem quotes the file itself
    assert other.get(other.key(content.resolve(), "kestrel-freight", "stamp")) is None


def test_compiled_templates_are_kept_for_the_next_build(tmp_path: Path, compiles: Counter[str]) -> None:
    content = copy_content(tmp_path)
    run(content, tmp_path / "output")
    first = dict(compiles)
    assert {"index.html.j2", "agenda.html.j2", "minutes.html.j2", "base.html.j2"} <= set(first)
    assert len(list((tmp_path / ".storypack-cache" / "templates").glob("*.jinja"))) == len(first)
    compiles.clear()
    run(content, tmp_path / "output", force=True)
    assert compiles == {}


def test_an_edited_template_is_compiled_again(tmp_path: Path, compiles: Counter[str]) -> None:
    content, templates = copy_content(tmp_path), tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    run(content, tmp_path / "output", templates)
    compiles.clear()
    edit(templates / "site" / "index.html.j2", "<h1>Operations reviews</h1>", "<h1>Operations reviews, all accounts</h1>")
    run(content, tmp_path / "output", templates)
    assert compiles == {"index.html.j2": 1}
    assert "<h1>Operations reviews, all accounts</h1>" in (tmp_path / "output/site/index.html").read_text(encoding="utf-8")


def test_damaged_compiled_templates_are_compiled_again(tmp_path: Path, compiles: Counter[str]) -> None:
    content = copy_content(tmp_path)
    run(content, tmp_path / "output")
    before = files(tmp_path / "output")
    for path in (tmp_path / ".storypack-cache" / "templates").glob("*.jinja"):
        path.write_bytes(path.read_bytes()[:40])
    compiles.clear()
    run(content, tmp_path / "output", force=True)
    assert compiles["index.html.j2"] == 1
    assert files(tmp_path / "output") == before


def test_compiled_slide_templates_are_kept_for_the_next_build(tmp_path: Path, compiles: Counter[str]) -> None:
    content = copy_content(tmp_path)

    def deck(output: Path, force: bool = False) -> bytes:
        wording._environment.cache_clear()  # as a new process starts
        build_report(settings(content, output), BuildOptions(jobs=1, only=("deck:*",), force=force))
        return (output / "success-story.pptx").read_bytes()

    first = deck(tmp_path / "output")
    assert {"summary.md.j2", "plan.md.j2"} <= set(compiles)
    compiles.clear()
    assert deck(tmp_path / "output", force=True) == first
    assert not [name for name in compiles if name.endswith(".md.j2")]  # notes compile from their text, not kept


def test_a_build_without_a_cache_keeps_nothing(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    run(content, tmp_path / "output", cache=False)
    assert not (tmp_path / ".storypack-cache").exists()
