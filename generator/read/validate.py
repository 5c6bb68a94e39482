"""Turn a parsed YAML document into a validated model, reporting every problem with its line."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.errors import ContentError, Problem
from generator.read.source import Loc, SourceDoc

M = TypeVar("M", bound=BaseModel)


def validate(doc: SourceDoc, model: type[M], *, loc: Loc = (), context: dict[str, Any] | None = None) -> M:
    """Return `doc.data` (at `loc`) as a `model`, or raise a ContentError listing every problem."""
    data = doc.data
    for key in loc:
        data = data[key]
    if data is None:
        data = {}
    unreadable = [problem for at, problem in doc.unreadable.items() if at[:len(loc)] == loc]
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = [err for err in _fold_typos(exc.errors(), model) if loc + tuple(err["loc"]) not in doc.unreadable]
        raise ContentError(unreadable + [_problem(doc, loc, err, model) for err in errors]) from None
    if unreadable:
        raise ContentError(unreadable)
    return result


def _fold_typos(errors: list[Any], model: type[BaseModel]) -> list[Any]:
    """Return `errors` without the 'missing' error of a field whose misspelling is reported as unknown."""
    typos = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent = tuple(err["loc"][:-1])
            close = difflib.get_close_matches(str(err["loc"][-1]), _allowed_keys(model, parent), n=1)
            if close:
                typos.add(parent + (close[0],))
    return [err for err in errors if not (err["type"] == "missing" and tuple(err["loc"]) in typos)]


def _problem(doc: SourceDoc, base: Loc, err: Any, model: type[BaseModel]) -> Problem:
    """Return one pydantic error as a Problem at its YAML line."""
    loc: Loc = base + tuple(err["loc"])
    kind = err["type"]
    where = dotted(loc) or "(top level)"
    value = err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, tuple(err["loc"][:-1]))
        key = str(loc[-1])
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed keys here: {', '.join(sorted(allowed))}"
        return doc.problem(doc.line_of(loc), f"unknown key {where!r}", hint)
    if kind == "missing":
        return doc.problem(doc.line_of(loc[:-1]), f"missing field {where!r}", f"add '{loc[-1]}:' here")
    limits = {"less_than_equal": ("le", "is over the maximum of"), "greater_than_equal": ("ge", "is below the minimum of"),
              "greater_than": ("gt", "must be more than"), "less_than": ("lt", "must be less than")}
    if kind in limits and "ctx" in err:
        key, words = limits[kind]
        limit = err["ctx"][key]
        hint = _HINTS.get(kind, "") if limit in (0, 100) else "use a value within range"
        return doc.problem(doc.line_of(loc), f"{where}: {_short(value)} {words} {limit:g}", hint)
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    hint = _HINTS.get(kind, "")
    if isinstance(value, str) and kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        hint = "write the number without quotes or units"
        if "e" in value.lower() and _is_number(value):
            hint = f"YAML reads {value} as text: write it without quotes, exponents with a sign (1.5e+3)"
    if kind == "model_type":
        message = "expected 'key: value' lines"
    if kind == "string_type" and isinstance(value, (dt.date, int, float, bool)):
        hint = f"YAML reads this as a {_yaml_kind(value)}: put the text in quotes, e.g. \"{_plain(value)}\""
    shown = f" (got {_short(value)})" if not isinstance(value, (dict, list)) and kind != "value_error" else ""
    return doc.problem(doc.line_of(loc), f"{where}: {message}{shown}", hint)


_HINTS = {
    "less_than_equal": "use a smaller value (percentages are 0 to 100)",
    "less_than": "use a smaller value",
    "greater_than_equal": "use a larger value (counts and amounts cannot be negative)",
    "greater_than": "use a larger value",
    "date_type": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "write a date as YYYY-MM-DD, without a time of day",
    "model_type": "give 'key: value' lines here",
    "string_type": "write text here",
    "list_type": "give a list ('- item' lines or [a, b])",
    "dict_type": "give 'key: value' lines here",
    "finite_number": "give a real number",
    "bool_type": "write true or false",
}


def dotted(loc: Loc) -> str:
    """Return a key path as `a.b[2].c`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Return the field names of the model found at `loc` inside `model`, as the user writes them."""
    current: Any = model
    for part in loc:
        current = _submodel(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _submodel(model: Any, part: Any) -> Any:
    """Return the model type one step down from `model`, or None when it cannot be told."""
    import typing

    if isinstance(part, int):
        args = typing.get_args(model)
        return _first_model(args)
    if isinstance(model, type) and issubclass(model, BaseModel):
        for name, info in model.model_fields.items():
            if part in (name, info.alias):
                return _first_model((info.annotation,))
        return None
    args = typing.get_args(model)
    return _first_model(args[1:]) if args else None


def _first_model(types: tuple[Any, ...]) -> Any:
    """Return the first BaseModel (or container of one) among `types`."""
    import typing

    for t in types:
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
        if typing.get_args(t):
            return t
    return None


def _is_number(text: str) -> bool:
    """Return True when `text` reads as a number to Python (YAML 1.1 may still read it as text)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _yaml_kind(value: Any) -> str:
    """Return what YAML read a plain value as, in the user's words."""
    if isinstance(value, bool):
        return "true/false value"
    return "date" if isinstance(value, dt.date) else "number"


def _plain(value: Any) -> str:
    """Return a value as the user wrote it in YAML (dates as YYYY-MM-DD, booleans lower case)."""
    if isinstance(value, bool):
        return str(value).lower()
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)


def _short(value: Any) -> str:
    """Return the value as written in YAML (text quoted), cut to a readable length."""
    text = repr(value) if isinstance(value, str) else _plain(value) if isinstance(value, (dt.date, bool)) else repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
