"""The agreed frequency of an account's reviews (`cadence` in account.yaml): monthly, quarterly, every N weeks."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

EVERY = re.compile(r"^every\s+(?P<count>[1-9][0-9]?)\s+(?P<unit>weeks?|months?)$")
MAX_WEEKS = 52
MAX_MONTHS = 12
HINT = "write monthly, quarterly, every N weeks (e.g. every 6 weeks) or every N months"


@dataclass(frozen=True)
class Cadence:
    """How often reviews are held: every `weeks` weeks or every `months` months (one of them is 0)."""

    text: str
    """As account.yaml writes it, e.g. 'quarterly'."""
    weeks: int = 0
    months: int = 0

    def after(self, day: dt.date) -> dt.date:
        """Return the date one period after `day` (months keep the day of the month, or the month's last)."""
        if self.weeks:
            return day + dt.timedelta(weeks=self.weeks)
        index = day.year * 12 + day.month - 1 + self.months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return dt.date(year, month + 1, min(day.day, last))


def parse_cadence(text: str) -> Cadence:
    """Return the cadence `text` names, or raise ValueError saying how to write one."""
    words = " ".join(text.split()).lower()
    if words == "monthly":
        return Cadence(text, months=1)
    if words == "quarterly":
        return Cadence(text, months=3)
    match = EVERY.match(words)
    if match is None:
        raise ValueError(f"{text!r} is not a cadence; {HINT}")
    count = int(match.group("count"))
    if match.group("unit").startswith("week"):
        if count > MAX_WEEKS:
            raise ValueError(f"{text!r} is more than a year; write at most every {MAX_WEEKS} weeks")
        return Cadence(text, weeks=count)
    if count > MAX_MONTHS:
        raise ValueError(f"{text!r} is more than a year; write at most every {MAX_MONTHS} months")
    return Cadence(text, months=count)
