"""Compiled templates kept in the build cache, so that a rebuild does not compile the same templates again.

Jinja turns a template into Python code before it renders it, which takes longer than rendering a
page. Within `compiled_templates(folder)`, an environment made `keeping_compiled` keeps that code
in `folder`, under the template's name and file and everything of the environment that decides the
code (its syntax settings, autoescaping, finalize, extensions, filters and tests, Jinja's version).
Jinja checks the template's source against the kept code's checksum, so an edited template is
compiled again.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import jinja2
import jinja2.bccache

from generator.cache import store, touch

E = TypeVar("E", bound=jinja2.Environment)

_FOLDERS: list[Path | None] = []
"""The folders in force (innermost last); None keeps nothing."""


@contextlib.contextmanager
def compiled_templates(folder: Path | None) -> Iterator[None]:
    """Within the block, templates compiled by an environment made `keeping_compiled` are kept in `folder`."""
    _FOLDERS.append(folder)
    try:
        yield
    finally:
        _FOLDERS.pop()


def _name(function: object) -> str:
    """Return the qualified name of a function (`finalize` is compiled into the templates' code), '' for None."""
    if function is None:
        return ""
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', type(function).__name__)}"


def keeping_compiled(env: E) -> E:
    """Return `env` (configured: filters, finalize and all) with the code of its templates kept within
    `compiled_templates`."""
    env.bytecode_cache = CompiledTemplates(env)
    return env


class CompiledTemplates(jinja2.BytecodeCache):
    """A Jinja bytecode cache in the folder `compiled_templates` puts in force (outside it, nothing is kept)."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.settings = repr((
            jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
            env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
            env.keep_trailing_newline, env.autoescape if isinstance(env.autoescape, bool) else "callable",
            env.optimized, env.is_async, _name(env.finalize), sorted(env.extensions), sorted(env.filters),
            sorted(env.tests)))
        """What of the environment decides the code its templates compile to."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """Return the name the code of template `name` (read from `filename`) is kept under."""
        return hashlib.sha256(repr((self.settings, name, filename)).encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill `bucket` with the kept code, if any (Jinja drops it when the source changed)."""
        folder = _FOLDERS[-1] if _FOLDERS else None
        if folder is None:
            return
        path = folder / f"{bucket.key}.jinja"
        try:
            data = path.read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # a damaged file costs a compile, nothing more
            bucket.reset()
            return
        touch(path)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code of a newly compiled template (a failure only costs a compile next time)."""
        folder = _FOLDERS[-1] if _FOLDERS else None
        if folder is not None:
            store(folder / f"{bucket.key}.jinja", bucket.bytecode_to_string())
