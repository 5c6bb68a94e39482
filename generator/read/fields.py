"""The field types content files share: the strict base model, numbers, counts, text and months.

Both the success story (`generator.story.model`) and the meeting pack (`generator.meetings.schema`)
build their models from these, so that a number, a percentage or a month is judged alike everywhere.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict

MAX_COUNT = 10**15
"""Largest count (and largest size of any number) accepted: beyond it a value is a typo, and no longer exact as a float."""
Number = Annotated[float, Strict(), Field(ge=-MAX_COUNT, le=MAX_COUNT, allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_COUNT)]
Pct = Annotated[float, Strict(), Field(ge=0, le=100, allow_inf_nan=False)]
Positive = Annotated[float, Strict(), Field(gt=0, le=MAX_COUNT, allow_inf_nan=False)]
Text = Annotated[str, Strict(), Field(min_length=1)]
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
"""A month as content writes it: YYYY-MM."""


class Model(BaseModel):
    """Base of every content model: frozen, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def check_month(value: str) -> str:
    """Return `value` if it is a month YYYY-MM, else raise ValueError saying how to write it."""
    if not MONTH.match(value):
        raise ValueError(f"{value!r} is not a month; write it as YYYY-MM, e.g. 2026-03")
    return value


def check_time_zone(value: Any) -> str:
    """Return `value` if it names an IANA time zone, else raise ValueError."""
    if not isinstance(value, str) or not value or value.startswith(("/", ".")):
        raise ValueError(f"{value!r} is not a time zone name; write e.g. Europe/Amsterdam")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Amsterdam "
                         "or America/New_York") from None
    return value


def check_months(value: list[str] | None) -> list[str] | None:
    """Return `value` if every entry is a month YYYY-MM, else raise ValueError naming the first that is not."""
    for month in value or []:
        check_month(month)
    return value
