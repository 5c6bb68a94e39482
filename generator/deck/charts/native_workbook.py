"""The chart data of a native chart and its embedded workbook, written with the same bytes for the same data.

python-pptx writes the workbook through a writer its chart data names (the private
`_workbook_writer`); ours gives the workbook a fixed creation time, WORKBOOK_TIME.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from xlsxwriter import Workbook

from generator.deck.charts.native_model import Column

WORKBOOK_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
"""Creation time written into every embedded workbook, so that its bytes depend on the data only."""


class _FixedTimeWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's workbook writer with a fixed creation time, so the xlsx bytes depend on the data only."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        """Yield a workbook and its sheet; the workbook's core properties carry `WORKBOOK_TIME`."""
        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": WORKBOOK_TIME})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):
    """Category chart data whose embedded workbook is reproducible."""

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        """Return the writer of the embedded workbook (a new one each time; it holds no state)."""
        writer: Any = _FixedTimeWorkbookWriter  # python-pptx leaves its constructor untyped
        return cast(CategoryWorkbookWriter, writer(self))


def chart_data(x_labels: tuple[str, ...], columns: list[Column]) -> CategoryChartData:
    """Return the chart data: the x labels as categories and one workbook column per chart column."""
    data: Any = cast(Any, _ChartData)()  # python-pptx leaves its constructor and `add_series` untyped
    data.categories = list(x_labels)
    for column in columns:
        data.add_series(column.name, list(column.values), number_format=column.number_format)
    return cast(CategoryChartData, data)
