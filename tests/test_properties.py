"""Property-based tests: whatever YAML or Markdown a person or a script writes, the loaders give a valid
model or a ContentError (file, line, message), never another exception."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.meetings.notes import MAX_NESTING, TAGS, render_notes, too_deep
from generator.meetings.reader import load_account
from generator.meetings.schema import AccountFile, MeetingFront
from generator.meetings.tasklist import split_tasks
from generator.read.source import parse_yaml, read_markdown
from generator.read.validate import validate
from generator.story.load import load_story
from generator.story.model import Metrics, Story
from generator.story.wording import render_note
from tests.conftest import EXAMPLE

FAST = settings(max_examples=int(os.environ.get("STORYPACK_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
MODELS = [Story, Metrics, AccountFile, MeetingFront]
KEYS = sorted({name for model in MODELS for name in model.model_fields} | {"name", "role", "values", "kind"})
EXAMPLE_FILES = ["story.yaml", "metrics.yaml", "accounts/kestrel-freight/account.yaml",
                 "accounts/kestrel-freight/meetings/2026-09-03-operations-review.md"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.dates(), st.sampled_from(["10:00", "2026-13-01", "nan", ".inf", "-1", "1e400", "Europe/Nowhere"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)),
    max_leaves=25)
yaml_texts = st.one_of(
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.text(alphabet=st.sampled_from(list("ab:- \n\t[]{},'\"&*!|>#%@`?0123456789.\x00\ufeff\r")), max_size=80),
    st.text(max_size=80),
)


def assert_inert(html: str) -> None:
    """Assert the HTML holds only allowed tags, no event handler, and links only to http(s) or mailto."""
    if not html.strip():
        return
    for element in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag in TAGS | {"div"}, element.tag
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
        href = element.get("href")
        assert href is None or href.split(":", 1)[0].lower() in {"http", "https", "mailto"} or ":" not in href, href


def _outcome(step: Any) -> None:
    """Run `step`: a ContentError with problems is fine; anything but a model or that fails the test."""
    try:
        step()
    except ContentError as exc:
        assert exc.problems and all(p.file and p.message for p in exc.problems)


@FAST
@given(text=yaml_texts, model=st.sampled_from(MODELS))
def test_any_yaml_gives_a_model_or_a_content_error(text: str, model: Any) -> None:
    """Generated YAML (well-formed data and raw characters) through the YAML reader and the schema."""
    _outcome(lambda: validate(parse_yaml(text, Path("content/x.yaml")), model))


@FAST
@given(data=st.data())
def test_edited_example_file_gives_a_model_or_a_content_error(data: st.DataObject, tmp_path: Path) -> None:
    """One line of an example file replaced, duplicated or deleted: the whole loader still only reports."""
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(EXAMPLE, content)
    name = data.draw(st.sampled_from(EXAMPLE_FILES), label="file")
    original = (EXAMPLE / name).read_text(encoding="utf-8")
    lines = original.split("\n")
    at = data.draw(st.integers(0, len(lines) - 1), label="line")
    action = data.draw(st.sampled_from(["replace", "delete", "duplicate", "insert"]), label="action")
    noise = data.draw(st.one_of(yaml_texts, st.sampled_from(lines)), label="text")
    edited = {"replace": lines[:at] + [noise] + lines[at + 1:], "delete": lines[:at] + lines[at + 1:],
              "duplicate": lines[:at + 1] + lines[at:], "insert": lines[:at] + [noise] + lines[at:]}[action]
    path = content / name
    try:
        path.write_text("\n".join(edited), encoding="utf-8", errors="surrogatepass")
        if name.startswith("accounts/"):
            _outcome(lambda: load_account(content, "kestrel-freight"))
        else:
            _outcome(lambda: load_story(content))
    finally:
        path.write_text(original, encoding="utf-8")


markdown_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from([
        "# Heading", "- [ ] KF-9 Jo Park: Do it, due 2026-12-01", "- [x] KF-3", "- [ ] nobody", "- [x]",
        "```", "~~~", "| a | b |", "|---|---|", "> quote", "    code", "<script>alert(1)</script>", "{{ kpi.csat.latest }}",
        "{% for x in y %}", "{{ ''.__class__ }}", "{#", "---", "title: x", "*emph* **bold** [l](javascript:x)",
        "<img src=x onerror=alert(1)>", "1. one", "", "\t- tabbed", "\x00", "\ufeff", "\r",
    ]), max_size=25).map("\n".join),
)


@FAST
@given(text=markdown_texts)
def test_any_markdown_gives_notes_or_a_content_error(text: str, tmp_path: Path) -> None:
    """Generated Markdown through front matter, task lists, the sanitiser and the notes' Jinja sandbox."""
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")

    def step() -> None:
        doc = read_markdown(path, tmp_path)
        body, _, _ = split_tasks(doc.body, doc.body_line)
        assert_inert(render_notes(body))
        render_note(doc, {"kpi": {"csat": {"latest": "92.0%"}}, "y": [1, 2]})

    _outcome(step)


def test_notes_nesting_is_capped_well_below_the_renderers_limit() -> None:
    """Lists and quotes nested up to the cap render; deeper ones are reported at their line, not crashed on."""
    allowed = ["".join("  " * i + "- item\n" for i in range(MAX_NESTING + 1)), "> " * MAX_NESTING + "deep"]
    for text in allowed:
        assert too_deep(text) is None
        assert_inert(render_notes(text))
    deep = "Intro\n\n" + "".join("    " * i + "- item\n" for i in range(300))
    assert too_deep(deep, first_line=10) == 10 + 2 + MAX_NESTING // 2 + 1
    assert too_deep("```\n" + " " * 80 + "code\n```\n") is None
