"""Which figures a rendered text quotes: the deck's manifest lists them with their YAML source.

A notes file or slide template quotes a figure by printing it (`{{ kpi.csat.latest }}`) or joining it
(`{{ row.actual | join(" / ") }}`). The wording environments print through `quote` and join through
`join`, which note each `Figure` in the list that `quoting()` opened for the render in progress;
formatting a figure anywhere else records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2.filters import do_join
from jinja2.nodes import EvalContext

from generator.story.figures import Figure

_QUOTED: ContextVar[list[Figure] | None] = ContextVar("quoted_figures", default=None)


@contextmanager
def quoting() -> Iterator[list[Figure]]:
    """Yield the list that collects, in order, every figure a render inside the block prints or joins."""
    quoted: list[Figure] = []
    token = _QUOTED.set(quoted)
    try:
        yield quoted
    finally:
        _QUOTED.reset(token)


def quote(value: Any) -> Any:
    """Return `value` unchanged, noting it when it is a Figure (the environments' `finalize`)."""
    quoted = _QUOTED.get()
    if quoted is not None and isinstance(value, Figure):
        quoted.append(value)
    return value


@jinja2.pass_eval_context
def join(eval_ctx: EvalContext, value: Iterable[Any], d: str = "", attribute: str | int | None = None) -> str:
    """Return Jinja's `join` of `value`, noting the figures among the joined items."""
    items = list(value)
    for item in items:
        quote(item if attribute is None else jinja2.Environment.getitem(eval_ctx.environment, item, attribute))
    return str(do_join(eval_ctx, items, d, attribute))


def noting_figures(env: jinja2.Environment) -> jinja2.Environment:
    """Return `env` set to note the figures it prints and joins (before it compiles any template)."""
    env.finalize = quote
    env.filters["join"] = join
    return env
