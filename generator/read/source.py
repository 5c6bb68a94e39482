"""Read YAML and Markdown files from content/, keeping the line of every value for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError, Problem, problem_at
from generator.hashing import read_bytes

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Largest content file read, in bytes (10 MiB): larger files are refused, not half-read."""

MAX_YAML_NODES = 200_000
"""Most YAML values one file may expand to, aliases included (stops 'billion laughs' files)."""

Loc = tuple[str | int, ...]
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG, MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
VALUE_TAG = "tag:yaml.org,2002:value"
"""The tag YAML gives a plain `=`, which PyYAML cannot construct: it is read as the text '='."""


@dataclass(frozen=True)
class SourceDoc:
    """Parsed data of one file and the line on which each value (by its key path) starts."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    first_line: int = 1
    unreadable: dict[Loc, Problem] = field(default_factory=dict)
    """Values YAML could not read (e.g. the date 2026-02-30), by key path; validation reports them."""
    text_lines: tuple[str, ...] | None = None
    """The text of the whole file, line by line (front matter's too): problems quote their line from it."""

    def line_of(self, loc: Loc) -> int:
        """Return the line of `loc`, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), self.first_line)

    def problem(self, line: int | None, message: str, hint: str = "", *, root: Path | None = None) -> Problem:
        """Return a problem at `line` of this file, quoting the line from the text it was parsed from."""
        return problem_at(self.path, line, message, hint, root=root, lines=self.text_lines)


def read_text(path: Path, root: Path | None = None) -> str:
    """Return the text of a UTF-8 file (BOM and CRLF accepted), or raise a ContentError.

    With `root`, a file whose real path lies outside `root` (a symbolic link leaving it) is refused.
    """
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise _error(path, None, "is a link to a file outside the content folder",
                     "copy the file into the content folder instead of linking to it", root)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _error(path, None, f"file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit",
                         "split it into smaller files", root)
        raw = read_bytes(path)  # read once per build: the build's hashing may have read it already
    except FileNotFoundError:
        raise _error(path, None, "file not found", "create it, or correct the name that refers to it", root) from None
    except IsADirectoryError:
        raise _error(path, None, "is a folder, not a file", "point at a file", root) from None
    except OSError as exc:
        raise _error(path, None, f"cannot be read ({exc.strerror})", "check its permissions", root) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _error(path, line, f"is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                     "save the file as UTF-8", root) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_yaml(path: Path, root: Path | None = None) -> SourceDoc:
    """Return the parsed YAML file with value lines, or raise a ContentError."""
    return parse_yaml(read_text(path, root), path, root=root)


def parse_yaml(text: str, path: Path, *, first_line: int = 1, root: Path | None = None,
               lines: tuple[str, ...] | None = None) -> SourceDoc:
    """Return `text` parsed as one YAML document; line numbers are offset to start at `first_line`.

    `lines` are the whole file's text lines, which problems quote (by default `text`'s own when it
    starts the file; else the file is read again for a problem).
    """
    offset = first_line - 1
    if lines is None and first_line == 1:
        lines = tuple(text.splitlines())
    source = _Source(path, lines, root)
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), start=1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise source.error(number + offset, "a tab is used for indentation", "indent with spaces only")
    if _FastLoader is not yaml.SafeLoader:
        try:
            return _parse(_FastLoader, text, source, offset)
        except ContentError:
            pass  # report it in PyYAML's words, which name the problem more plainly than libyaml's
    return _parse(yaml.SafeLoader, text, source, offset)


@dataclass(frozen=True)
class _Source:
    """The file being parsed, its text lines and the content folder: where its problems point."""

    path: Path
    lines: tuple[str, ...] | None
    root: Path | None

    def problem(self, line: int | None, message: str, hint: str) -> Problem:
        return problem_at(self.path, line, message, hint, root=self.root, lines=self.lines)

    def error(self, line: int | None, message: str, hint: str) -> ContentError:
        return ContentError([self.problem(line, message, hint)])


_FastLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it: several times faster, and gives the same lines."""

_TAGS: dict[str, str] = {}
"""The tag of each short plain scalar resolved so far in this process (a plain scalar's tag depends on its text only)."""
_TAGS_LONGEST, _TAGS_MOST = 40, 20_000

if _FastLoader is not yaml.SafeLoader and not _FastLoader.yaml_path_resolvers and (
        _FastLoader.DEFAULT_SCALAR_TAG, _FastLoader.DEFAULT_SEQUENCE_TAG, _FastLoader.DEFAULT_MAPPING_TAG) == (
        STR_TAG, SEQ_TAG, MAP_TAG):
    class _LeanLoader(yaml.CSafeLoader):
        """libyaml's loader, resolving tags faster: a short plain scalar's text is matched against YAML's patterns
        once per process, and there are no path resolvers to follow (the safe loader has none), so a collection's
        tag and a quoted scalar's are the defaults."""

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

        def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
            if kind is _SCALAR:
                if not implicit[0]:
                    return STR_TAG
                tag = _TAGS.get(value)
                if tag is None:
                    tag = self._resolved(kind, value, implicit)
                    if len(value) <= _TAGS_LONGEST:
                        if len(_TAGS) >= _TAGS_MOST:
                            _TAGS.clear()
                        _TAGS[value] = tag
                return tag
            return SEQ_TAG if kind is _SEQUENCE else MAP_TAG

        def _resolved(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
            tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            return tag

    _SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
    _FastLoader = _LeanLoader


def _parse(loader_type: type[yaml.SafeLoader] | type[yaml.CSafeLoader], text: str, source: _Source,
           offset: int) -> SourceDoc:
    """Return `text` parsed by a loader of `loader_type`, or raise a ContentError."""
    path = source.path
    try:
        loader = loader_type(text)
    except yaml.reader.ReaderError as exc:
        raise _unprintable(text, exc, source, offset) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return SourceDoc(path, None, {(): offset + 1}, offset + 1, text_lines=source.lines)
        builder = _Builder(loader, source, offset)
        builder.lines[()] = node.start_mark.line + 1 + offset
        data = builder.build(node, ())
        return SourceDoc(path, data, builder.lines, offset + 1, builder.unreadable, source.lines)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, source, offset) from None
    except yaml.reader.ReaderError as exc:
        raise _unprintable(text, exc, source, offset) from None
    except yaml.YAMLError as exc:
        raise source.error(None, f"YAML error: {exc}", "check the file's syntax") from None
    except RecursionError:
        raise source.error(None, "is nested too deeply to be read",
                           "flatten the lists and mappings (content is never nested more than a few levels)") from None
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, source: _Source, offset: int) -> ContentError:
    """Return a YAML syntax error at its line, naming where the unfinished construct began."""
    mark = exc.problem_mark or exc.context_mark
    at = mark.line + 1 + offset if mark else None
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.problem and exc.context and exc.context_mark and exc.context_mark.line + 1 + offset != at:
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 1 + offset})"
    return source.error(at, message, "check the indentation, colons and quotes on this line")


def _unprintable(text: str, exc: yaml.reader.ReaderError, source: _Source, offset: int) -> ContentError:
    """Return the error for a character YAML does not allow (e.g. a NUL byte), at its line."""
    line = text[: max(exc.position, 0)].count("\n") + 1 + offset
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return source.error(line, f"holds a control character (U+{character:04X}) that YAML does not allow",
                        "delete the character (it is often invisible; retype the line)")


_PLAIN = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp"))
"""Scalar tags whose constructor `_Builder` calls itself: PyYAML's construct_object would only add bookkeeping."""


class _Builder:
    """Turns a composed YAML node tree into plain Python values, recording lines, refusing duplicates.

    A value's line is recorded by the collection that holds it (a mapping value's is its key's line), the
    document's by `_parse`; text scalars, most of a file, are taken as they are.
    """

    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader, source: _Source, offset: int) -> None:
        self.loader, self.source, self.offset = loader, source, offset
        self.lines: dict[Loc, int] = {}
        self.unreadable: dict[Loc, Problem] = {}
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        """Return the value of `node` at key path `loc` (whose line the caller records)."""
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise self.source.error(node.start_mark.line + 1 + self.offset,
                                    f"expands to more than {MAX_YAML_NODES} values (too many aliases?)",
                                    "write the values out instead of repeating anchors")
        tag = node.tag
        if (tag == STR_TAG or tag == VALUE_TAG) and isinstance(node, yaml.ScalarNode):
            return node.value
        if tag == VALUE_TAG:
            node.tag = tag = STR_TAG
        constructors = self.loader.yaml_constructors
        if tag not in constructors:
            shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise self.source.error(node.start_mark.line + 1 + self.offset, f"the YAML tag {shown!r} is not allowed",
                                    "remove the '!' tag: content holds plain text, numbers, dates, lists and mappings")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, loc)
        try:
            if tag in _PLAIN:
                return constructors[tag](self.loader, node)
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, TypeError) as exc:
            self.unreadable[loc] = self.source.problem(node.start_mark.line + 1 + self.offset,
                                                       f"{node.value!r} cannot be read: {exc}",
                                                       "correct the value (dates are YYYY-MM-DD)")
            return node.value

    def _sequence(self, node: yaml.SequenceNode, loc: Loc) -> list[Any]:
        items = []
        for i, item in enumerate(node.value):
            at = loc + (i,)
            self.lines[at] = item.start_mark.line + 1 + self.offset
            items.append(self.build(item, at))
        return items

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        self.loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == STR_TAG and isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                key = self.loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + self.offset
            if not isinstance(key, (str, int)):
                raise self.source.error(line, f"a key must be a name, got {key!r}", "use a plain name as key")
            if key in result:
                raise self.source.error(line, f"duplicate key {key!r}", f"remove one of the two {key!r} entries")
            at = loc + (key,)
            self.lines[at] = line
            result[key] = self.build(value_node, at)
        return result


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown file split into its optional YAML front matter and its body."""

    path: Path
    front: SourceDoc | None
    body: str
    body_line: int
    text_lines: tuple[str, ...] | None = None
    """The text of the whole file, line by line: problems quote their line from it."""

    def problem(self, line: int | None, message: str, hint: str = "", *, root: Path | None = None) -> Problem:
        """Return a problem at `line` of this file, quoting the line from the text it was parsed from."""
        return problem_at(self.path, line, message, hint, root=root, lines=self.text_lines)


def read_markdown(path: Path, root: Path | None = None) -> MarkdownDoc:
    """Return a Markdown file with its `---` front matter parsed, or raise a ContentError."""
    text = read_text(path, root)
    text_lines = tuple(text.splitlines())
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                front = parse_yaml("\n".join(lines[1:end]), path, first_line=2, root=root, lines=text_lines)
                return MarkdownDoc(path, front, "\n".join(lines[end + 1:]), end + 2, text_lines)
        raise _Source(path, text_lines, root).error(1, "front matter starts with '---' but never ends",
                                                    "close the front matter with a line holding only '---'")
    return MarkdownDoc(path, None, text, 1, text_lines)


def resolve_inside(root: Path, relative: str, referrer: Path | SourceDoc, line: int | None) -> Path:
    """Return `relative` resolved under `root`, refusing paths that leave it (.., absolute, symlinks).

    `referrer` is the file that names `relative` (its parsed document, whose text problems quote).
    """
    source = (_Source(referrer, None, root) if isinstance(referrer, Path)
              else _Source(referrer.path, referrer.text_lines, root))
    target = (root / relative).resolve()
    if Path(relative).is_absolute() or not target.is_relative_to(root.resolve()):
        raise source.error(line, f"{relative!r} lies outside the content folder",
                           "refer to a file inside the content folder with a relative path")
    if not target.exists():
        raise source.error(line, f"{relative!r} does not exist", f"create {relative}, or correct the name")
    if not target.is_file():
        raise source.error(line, f"{relative!r} is a folder, not a file", "name a file inside it")
    return target


def _error(path: Path, line: int | None, message: str, hint: str, root: Path | None) -> ContentError:
    """Return the error of a file that could not be read: its line is quoted from the file itself."""
    return _Source(path, None, root).error(line, message, hint)
