"""The corpus of broken content: every folder of tests/corpus/ is one case, run through `storypack build`.

A case is the example content and templates with a few edits (`case.yaml`) and the lines its
report must hold (`expected.txt`, one line each found verbatim in stderr: every `file:line: message`,
its `fix:` and the count of problems). A broken
case must exit with code 2, print no traceback, and leave a previously built output/ byte for byte
as it was; a tolerated case (`exit: 0`) must build the same files as the example. Adding a case is
adding a folder; `case.yaml` holds:

    edits:                                  # applied in order; `file` is relative to the tree
      - file: content/metrics.yaml          # (which holds content/ and templates/)
        replace: [old, new]                 # `old` must occur exactly once
        count: 2                            # optional: replace exactly this many occurrences instead
      - {file: content/notes/x.md, write: "text"}
      - {file: content/notes/x.md, delete: true}
      - {file: content/notes/x.md, symlink: ../../outside.md}
      - {file: content/brand/x.pptx, zip: {"[Content_Types].xml": "<x/>"}}
      - {file: content/notes/x.md, grow_to: 10485761}   # append filler up to this many bytes
      - {file: content/story.yaml, rewrite: true, encoding: utf-8-sig, newline: crlf}
      # replace, write and rewrite take `encoding:` (default utf-8; utf-8-sig adds a byte-order
      # mark) and `newline: crlf` for the bytes written
    exit: 0              # optional: a tolerated input that must build (default 2)
    args: [send, agenda, kestrel-freight, --as-of, "2026-11-23"]
                         # optional: run this command instead of the build (in the tree; output/ must stay as it was)
    xfail: why           # optional: a known gap, strict (the fix needed is named in the reason)
    content: shipped     # optional: start from content/ as shipped, whose figures come from its ticket
                         # export (default: the example with typed metrics, conftest's EXAMPLE)
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from tests.conftest import EXAMPLE, SHIPPED, TEMPLATES, settings

CORPUS = Path(__file__).resolve().parent / "corpus"
AS_OF = "2026-11-23"
MANIFEST_FILES = {".storypack-build.json", ".storypack-output"}
"""Files of an output folder that record how it was built, not what it holds."""


def _cases() -> list[Any]:
    """Return one pytest param per corpus folder, xfail(strict) where the case says so."""
    params = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "case.yaml").is_file()):
        case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8")) or {}
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
        params.append(pytest.param(folder, id=folder.name, marks=marks))
    return params


def apply_edit(tree: Path, edit: dict[str, Any]) -> None:
    """Apply one edit of a case.yaml to the tree holding content/ and templates/."""
    path = tree / edit["file"]
    encoding = edit.get("encoding", "utf-8")
    if "replace" in edit:
        old, new = edit["replace"]
        text = path.read_text(encoding="utf-8")
        count = text.count(old)
        assert count == edit.get("count", 1), f"{old!r} occurs {count} times in {edit['file']}"
        _write_text(path, text.replace(old, new), encoding, edit.get("newline"))
    elif edit.get("rewrite"):
        _write_text(path, path.read_text(encoding="utf-8"), encoding, edit.get("newline"))
    elif "write" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_text(path, edit["write"], encoding, edit.get("newline"))
    elif edit.get("delete"):
        path.unlink()
    elif "symlink" in edit:
        if path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(edit["symlink"])
    elif "zip" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            for name, text in edit["zip"].items():
                package.writestr(name, text)
        path.write_bytes(buffer.getvalue())
    elif "grow_to" in edit:
        with path.open("ab") as handle:
            missing = edit["grow_to"] - handle.tell()
            line = b"Filler text that makes this note very long.\n"
            handle.write(line * (missing // len(line)) + b"x" * (missing % len(line)))
    else:
        raise AssertionError(f"unknown edit {edit}")


def _write_text(path: Path, text: str, encoding: str, newline: str | None) -> None:
    """Write `text` to `path` in `encoding`, with CRLF line ends when `newline` is 'crlf'."""
    if newline == "crlf":
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode(encoding))


def folder_digest(folder: Path) -> dict[str, str]:
    """Return every entry under `folder` (files, links, folders) -> a digest of what it is and holds."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = f"link:{os.readlink(path)}"
        elif path.is_dir():
            found[name] = "dir"
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.mark.parametrize("case", _cases())
def test_corpus_case(case: Path, tmp_path: Path, example_output: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    """The case gives its expected report, exit code 2, no traceback, and output/ as it was."""
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8")) or {}
    tree = tmp_path / "tree"
    shutil.copytree(SHIPPED if spec.get("content") == "shipped" else EXAMPLE, tree / "content", symlinks=True)
    shutil.copytree(TEMPLATES, tree / "templates", symlinks=True)
    shutil.copytree(example_output, tree / "output", symlinks=True)
    for edit in spec.get("edits", []):
        apply_edit(tree, edit)
    before = folder_digest(tree / "output")
    monkeypatch.chdir(tree)

    code = main(spec.get("args") or ["build", "--content", "content", "--output", "output", "--templates", "templates",
                                     "--as-of", AS_OF])
    err = capsys.readouterr().err

    expected_code = spec.get("exit", 2)
    assert code == expected_code, err
    assert expected_code == 0 or _expected_lines(case), "a broken case needs its expected.txt"
    assert "Traceback" not in err
    for line in _expected_lines(case):
        assert line in err, f"missing from the report: {line!r}\n--- stderr ---\n{err}"
    assert not list(tree.glob(".output.*")), "a build left a staging folder beside output/"
    if expected_code == 0:
        assert _without_manifest(folder_digest(tree / "output")) == _without_manifest(folder_digest(example_output))
    else:
        assert folder_digest(tree / "output") == before, "a failed build changed output/"


def _expected_lines(case: Path) -> list[str]:
    """Return the non-blank lines of the case's expected.txt."""
    path = case / "expected.txt"
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _without_manifest(digest: dict[str, str]) -> dict[str, str]:
    """Return `digest` without the build record files, which name the content hashes."""
    return {name: value for name, value in digest.items() if name not in MANIFEST_FILES}


def test_corpus_is_large_enough() -> None:
    """The issue asks for at least 40 broken trees; every case folder has a case.yaml."""
    folders = [p for p in CORPUS.iterdir() if p.is_dir()]
    assert all((p / "case.yaml").is_file() for p in folders), "a corpus folder lacks its case.yaml"
    broken = [p for p in folders if (yaml.safe_load((p / "case.yaml").read_text()) or {}).get("exit", 2) == 2]
    assert len(broken) >= 40


def test_corpus_builds_with_the_as_of_date_of_the_shared_example_build() -> None:
    """Tolerated cases are compared with `example_output`, so both must judge 'overdue' on the same date."""
    assert settings(EXAMPLE, Path("x")).as_of.isoformat() == AS_OF
