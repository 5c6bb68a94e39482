"""The README is the user's manual: every content field and every command option is in it."""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from generator.cli import _parser
from generator.story.model import Metrics, Story

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def field_names(model: type[BaseModel]) -> set[str]:
    """Return the names of every field of `model` and of the models inside it."""
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in _models(info.annotation):
            names |= field_names(inner)
    return names


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def test_every_content_field_is_documented() -> None:
    missing = sorted(n for n in field_names(Story) | field_names(Metrics)
                     if not re.search(rf"[`.]{re.escape(n)}[`,]", README))
    assert missing == []


def test_every_command_option_is_documented() -> None:
    parser = _parser()
    subparsers = next(a for a in parser._actions if a.dest == "name")
    for name, sub in subparsers.choices.items():  # type: ignore[attr-defined]
        assert f"storypack {name}" in README or f"`{name}`" in README, name
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"{name} {flag}"


def test_every_make_target_in_the_readme_exists() -> None:
    """`make -n` accepts every target the README names (a broken Makefile fails here, not on a user's machine)."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    targets = sorted(set(re.findall(r"`make ([a-z]+)`", readme)))
    assert {"test", "watch", "bench", "pdf", "clean"} <= set(targets)
    done = subprocess.run(["make", "-n", *targets], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
