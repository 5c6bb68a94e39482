"""The field types content files share: the strict base model, numbers, counts, text and months.

Both the success story (`generator.story.model`) and the meeting pack (`generator.meetings.schema`)
build their models from these, so that a number, a percentage or a month is judged alike everywhere.
"""

from __future__ import annotations

import re
from typing import Annotated

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
