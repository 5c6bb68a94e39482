"""Action items written the Markdown way, as task-list lines in a meeting's notes.

    - [ ] KF-7 Dana Ortiz: send the upgrade quote, due 2026-12-05
    - [ ] Dana Ortiz: send the upgrade quote, due 2026-12-05     (id derived)
    - [x] KF-3                                                   (closes KF-3)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

TASK = re.compile(r"^ {0,3}[-*+] \[(?P<mark>[ xX])\](?:\s+(?P<text>.*?))?\s*$")
ID = re.compile(r"^(?P<id>[A-Z][A-Z0-9]*-[0-9][0-9-]*)(?=$|[\s:])[:\s]*")
DUE = re.compile(r"[,;]?\s*\(?\bdue:?\s+(?P<due>\S+?)\)?\.?$", re.IGNORECASE)
FENCE = re.compile(r"^ {0,3}(```|~~~)")
HEADING = re.compile(r"^ {0,3}#{1,6}\s")
HOW = "write it as '- [ ] Owner Name: what to do, due YYYY-MM-DD' (or '- [x] ID' to close an item)"


@dataclass(frozen=True)
class TaskLine:
    """One task-list line: what it says, and on which line of the file."""

    line: int
    done: bool
    id: str | None
    owner: str | None
    task: str | None
    due: dt.date | None


@dataclass(frozen=True)
class TaskLineError:
    """A task-list line that cannot be read."""

    line: int
    message: str
    hint: str


def split_tasks(body: str, first_line: int) -> tuple[str, list[TaskLine], list[TaskLineError]]:
    """Return the notes without task-list lines, the task lines, and the lines that cannot be read."""
    kept: list[str] = []
    tasks: list[TaskLine] = []
    errors: list[TaskLineError] = []
    fenced = False
    for number, text in enumerate(body.split("\n"), start=first_line):
        if FENCE.match(text):
            fenced = not fenced
        match = None if fenced else TASK.match(text)
        if match is None:
            kept.append(text)
            continue
        parsed = parse_task(match.group("text") or "", match.group("mark") != " ", number)
        if isinstance(parsed, TaskLine):
            tasks.append(parsed)
        else:
            errors.append(parsed)
    return _drop_empty_sections("\n".join(kept)), tasks, errors


def parse_task(text: str, done: bool, line: int) -> TaskLine | TaskLineError:
    """Return the task line `text` (after the checkbox) read into its parts, or why it cannot be."""
    found_id = ID.match(text)
    item_id = found_id.group("id") if found_id else None
    rest = text[found_id.end():] if found_id else text
    if not rest.strip():
        if item_id is None:
            return TaskLineError(line, "a task-list line says nothing", HOW)
        return TaskLine(line, done, item_id, None, None, None)
    due: dt.date | None = None
    found_due = DUE.search(rest)
    if found_due:
        try:
            due = dt.date.fromisoformat(found_due.group("due"))
        except ValueError:
            return TaskLineError(line, f"due date {found_due.group('due')!r} is not a date",
                                 "write the due date as YYYY-MM-DD, e.g. 'due 2026-12-05'")
        rest = rest[: found_due.start()]
    owner, colon, task = rest.partition(":")
    if not colon or not owner.strip() or not task.strip():
        return TaskLineError(line, "a task-list line without 'Owner: task'", HOW)
    return TaskLine(line, done, item_id, owner.strip(), task.strip(), due)


def _drop_empty_sections(markdown: str) -> str:
    """Return `markdown` without headings left with nothing under them."""
    lines = markdown.split("\n")
    kept: list[str] = []
    for i, text in enumerate(lines):
        if HEADING.match(text):
            following = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if following is None or HEADING.match(following) and _level(following) <= _level(text):
                continue
        kept.append(text)
    return "\n".join(kept).strip() + "\n"


def _level(heading: str) -> int:
    """Return the level of a Markdown heading line (1 for '#')."""
    return len(heading.strip().split(" ", 1)[0])
