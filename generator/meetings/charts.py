"""Small KPI charts as SVG, written by hand: the same bytes for the same numbers, no plotting library.

A chart is a few dozen elements: the KPI's line with its dots, the last dot green (met) or red
(missed), the dashed target line, light grid lines, a left and a bottom axis and their labels. The
plot is placed from the known picture size and the widths of its labels, measured with Pillow on
the DejaVu Sans storypack brings, the first font the SVG asks for (a wide face, so other fallbacks fit
too). The y ticks are `generator.ticks`' nice ticks, placed inside the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path

from PIL import ImageFont

from generator.fonts import NO_FONTS, font_file
from generator.meetings.report import KpiReport
from generator.read.months import month
from generator.ticks import Step, nice_ticks

LINE = "#1f4e79"
TARGET = "#8a5a00"
MET, MISSED = "#1d6b3a", "#a4262c"
AXIS, TICK_TEXT, GRID, BACKGROUND = "#6b6b6b", "#333333", "#e3e3e3", "#ffffff"

SIZE = (3.4, 1.7)
"""Width and height of a chart, in inches."""
FONT_PT, TARGET_FONT_PT = 8.0, 7.0
"""Sizes of the tick labels and of the target's label, in points."""
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
FONT_FACE = "DejaVu Sans"
"""The face labels are measured with: the first of FONT_FAMILY."""
TICK_LENGTH_PT, TICK_PAD_PT, MINOR_TICK_PT = 3.5, 3.5, 2.0
"""Length of a tick mark, gap from it to its label, length of a tick under an unlabelled month."""
TICK_PT = TICK_LENGTH_PT + TICK_PAD_PT
"""Length of a tick mark plus the gap to its label, in points."""
TARGET_GAP_PT = 3.0
"""Gap between the right end of the target line and its label, in points."""
PAD_PT = 2.4
"""Space kept free around the labels at the edges of the picture, in points."""
X_MARGIN = 0.3
"""Room left and right of the first and last month on the x axis, in months..."""
X_MARGIN_PT = 6.0
"""...and at least this many points, so that the big dot on the last month is never cut off."""
LINE_PT, AXIS_PT, TICK_WIDTH_PT, MINOR_WIDTH_PT, GRID_PT, TARGET_PT = 1.6, 0.8, 0.8, 0.6, 0.6, 1.0
"""Stroke widths, in points."""
DOT_R_PT, LAST_DOT_R_PT = 2.25, 4.0
"""Radii of the dots and of the last one (a 3.5 and a 7 point marker with a 1 point edge)."""
TARGET_DASH = "4 3"
Y_BINS = 4
"""At most this many intervals between y ticks (five ticks)."""
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
"""Steps between y ticks, times a power of ten."""
MAX_LABELS = 7
"""Most month labels a small chart shows; with more months, every n-th is labelled (the latest always)."""


def kpi_chart(report: KpiReport) -> bytes:
    """Return an SVG line chart of one KPI since the last review, with its target as a dashed line."""
    low, high = y_limits(report)
    ticks, decimals = y_ticks(low, high, report.kpi.decimals)
    y_labels = [tick_label(tick, decimals) for tick in ticks]
    labels = month_labels(report.months)
    frame = plot_frame(len(report.values), labels, y_labels, low, high)
    width, height = _size_pt()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}pt" height="{_n(height)}pt" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img">',
        f"<title>{escape(report.kpi.name)}</title>",
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="{BACKGROUND}"/>',
        _grid(frame, ticks),
        _x_ticks(frame, labels, dotted=_dotted(report)),
        _y_ticks(frame, ticks),
        _series(frame, report),
        _target(frame, report.kpi.target),
        _axes(frame),
        _labels(frame, labels, ticks, y_labels, report.kpi.target),
        "</svg>",
    ]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(p for p in parts if p) + "\n").encode("utf-8")


def month_labels(months: tuple[str, ...]) -> list[str]:
    """Return the x labels: 'Sep' per month, or every n-th month when there are many ('Sep 26' across years)."""
    years = len(months) > MAX_LABELS and len({m[:4] for m in months}) > 1
    step = -(-len(months) // (MAX_LABELS // 2 if years else MAX_LABELS))
    return [(f"{month(m).split()[0]} {m[2:4]}" if years else month(m).split()[0])
            if (len(months) - 1 - i) % step == 0 else "" for i, m in enumerate(months)]


def y_limits(report: KpiReport) -> tuple[float, float]:
    """Return the lowest and highest value the y axis shows: every value and the target, with 15% room."""
    low, high = min(*report.values, report.kpi.target), max(*report.values, report.kpi.target)
    margin = (high - low) * 0.15 or 1
    return low - margin, high + margin


def y_ticks(low: float, high: float, decimals: int) -> tuple[list[float], int]:
    """Return the y ticks between `low` and `high` and the decimals to print them with.

    Like matplotlib's MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]): the smallest nice step giving
    at most five ticks, a smaller one when that gives fewer than two. Steps finer than the KPI's
    `decimals` are skipped while a coarser one gives two ticks, so labels never repeat.
    """
    def printable(step: Step) -> bool:
        return step.decimals <= decimals

    for allowed in (printable, None):
        found = nice_ticks(low, high, Y_BINS, NICE_STEPS, least=2, allowed=allowed)
        if len(found.values) >= 2 and found.step is not None:
            return list(found.values), max(min(decimals, 1), found.step.decimals)
    return [], decimals  # not reached: the finest step of the second pass is a tenth of the range


def tick_label(value: float, decimals: int) -> str:
    """Return a y tick's label with fixed decimals and a true minus sign: '95.0', '\u22121200'."""
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text.replace("-", "\u2212")


@dataclass(frozen=True)
class Frame:
    """The plot's box in the picture (points, y downwards) and the data range it shows."""

    left: float
    top: float
    right: float
    bottom: float
    first_x: float
    """Position of the first month."""
    month_pt: float
    """Distance between two months."""
    low: float
    high: float

    def x(self, index: int) -> float:
        """Return the horizontal position of month `index`."""
        return self.first_x + index * self.month_pt

    def y(self, value: float) -> float:
        """Return the vertical position of `value`."""
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)


def plot_frame(count: int, labels: list[str], y_labels: list[str], low: float, high: float) -> Frame:
    """Return the plot's box for `count` months, leaving room for every label inside the picture."""
    width, height = _size_pt()
    line = _line_height(FONT_PT)
    left = PAD_PT + max((text_extent(label, FONT_PT)[0] for label in y_labels), default=0.0) + TICK_PT
    right = PAD_PT + TARGET_GAP_PT + text_extent("target", TARGET_FONT_PT)[0]
    below = PAD_PT + TICK_PT + line
    above = PAD_PT + line / 2  # the top tick label may be centred on the top edge
    # A month label wider than the room beside the first or last month sticks out of the plot.
    halves = [(i, text_extent(label, FONT_PT)[0] / 2) for i, label in enumerate(labels) if label]
    for _ in range(2):  # again, as a wider margin leaves each month less room
        room, month_pt = _x_room(count, width - left - right)
        for i, half in halves:
            left = max(left, PAD_PT + half - (i + room) * month_pt)
            right = max(right, PAD_PT + half - (count - 1 - i + room) * month_pt)
    room, month_pt = _x_room(count, width - left - right)
    return Frame(left, above, width - right, height - below, left + room * month_pt, month_pt, low, high)


@lru_cache(maxsize=1024)
def text_extent(text: str, points: float) -> tuple[float, float, float]:
    """Return the width, the height above the baseline and the depth below it of `text`, in points."""
    font = _font()
    _, top, _, bottom = font.getbbox(text, anchor="ls")
    return float(font.getlength(text)) * points / 100, -top * points / 100, bottom * points / 100


def font_path() -> Path:
    """Return the file of DejaVu Sans storypack brings (never an installed one, nor a deck's own fonts)."""
    return font_file(FONT_FACE, fonts=NO_FONTS).path


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    """Return the labels' font at 100 points (sizes scale linearly)."""
    return ImageFont.truetype(str(font_path()), 100)


def _line_height(points: float) -> float:
    """Return the height of a line of text from its tallest letter to its deepest, in points."""
    _, above, below = text_extent("lp", points)
    return above + below


def _size_pt() -> tuple[float, float]:
    """Return the picture's width and height in points."""
    return SIZE[0] * 72, SIZE[1] * 72


def _x_room(count: int, plot_pt: float) -> tuple[float, float]:
    """Return the room beside the first and last of `count` months, in months, and the width of a month in points."""
    room = max(X_MARGIN, X_MARGIN_PT * (count - 1) / max(plot_pt - 2 * X_MARGIN_PT, 1.0))
    return room, plot_pt / (count - 1 + 2 * room)


def _dotted(report: KpiReport) -> bool:
    """Return True when every month gets a dot: a long series reads better as a plain line."""
    return len(report.values) <= 3 * MAX_LABELS


def _n(value: float) -> str:
    """Return a coordinate with fixed decimals, so that the same chart is the same bytes."""
    return f"{value:.2f}"


def _grid(frame: Frame, ticks: list[float]) -> str:
    """Return the light horizontal lines at the y ticks."""
    lines = "".join(f"M{_n(frame.left)} {_n(frame.y(t))}H{_n(frame.right)}" for t in ticks)
    return f'<path class="grid" d="{lines}" stroke="{GRID}" stroke-width="{GRID_PT}"/>' if lines else ""


def _x_ticks(frame: Frame, labels: list[str], dotted: bool) -> str:
    """Return tick marks under the labelled months and, when every month has a dot, short ones under the others."""
    major = "".join(f"M{_n(frame.x(i))} {_n(frame.bottom)}v{TICK_LENGTH_PT}" for i, label in enumerate(labels) if label)
    minor = "".join(f"M{_n(frame.x(i))} {_n(frame.bottom)}v{MINOR_TICK_PT}"
                    for i, label in enumerate(labels) if not label and dotted)
    return "\n".join(f'<path d="{d}" stroke="{TICK_TEXT}" stroke-width="{width}"/>'
                     for d, width in ((major, TICK_WIDTH_PT), (minor, MINOR_WIDTH_PT)) if d)


def _y_ticks(frame: Frame, ticks: list[float]) -> str:
    """Return the tick marks left of the y axis."""
    marks = "".join(f"M{_n(frame.left)} {_n(frame.y(t))}h-{TICK_LENGTH_PT}" for t in ticks)
    return f'<path d="{marks}" stroke="{TICK_TEXT}" stroke-width="{TICK_WIDTH_PT}"/>' if marks else ""


def _series(frame: Frame, report: KpiReport) -> str:
    """Return the KPI's line, its dots and the big last dot, green when the target is met and red when not."""
    points = [(frame.x(i), frame.y(v)) for i, v in enumerate(report.values)]
    parts = []
    if len(points) > 1:
        coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{LINE}" stroke-width="{LINE_PT}" '
                     'stroke-linejoin="round" stroke-linecap="square"/>')
    if _dotted(report) and len(points) > 1:
        dots = "".join(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{DOT_R_PT}"/>' for x, y in points[:-1])
        parts.append(f'<g fill="{LINE}">{dots}</g>')
    x, y = points[-1]
    parts.append(f'<circle class="last" cx="{_n(x)}" cy="{_n(y)}" r="{LAST_DOT_R_PT}" '
                 f'fill="{MET if report.met else MISSED}"/>')
    return f'<g class="series">{"".join(parts)}</g>'


def _target(frame: Frame, target: float) -> str:
    """Return the dashed target line across the plot."""
    return (f'<path class="target" d="M{_n(frame.left)} {_n(frame.y(target))}H{_n(frame.right)}" stroke="{TARGET}" '
            f'stroke-width="{TARGET_PT}" stroke-dasharray="{TARGET_DASH}"/>')


def _axes(frame: Frame) -> str:
    """Return the left and bottom axis lines (no box around the plot)."""
    return (f'<path d="M{_n(frame.left)} {_n(frame.top)}V{_n(frame.bottom)}H{_n(frame.right)}" fill="none" '
            f'stroke="{AXIS}" stroke-width="{AXIS_PT}" stroke-linecap="square"/>')


def _labels(frame: Frame, labels: list[str], ticks: list[float], y_labels: list[str], target: float) -> str:
    """Return the month labels, the y tick labels and the target's label."""
    baseline = frame.bottom + TICK_PT + text_extent("lp", FONT_PT)[1]
    months = [_text(label, frame.x(i), baseline, "middle") for i, label in enumerate(labels) if label]
    values = [_text(label, frame.left - TICK_PT, _centred(label, FONT_PT, frame.y(t)), "end")
              for t, label in zip(ticks, y_labels)]
    goal = _text("target", frame.right + TARGET_GAP_PT, _centred("target", TARGET_FONT_PT, frame.y(target)), "start")
    return (f'<g font-family="{html_escape(FONT_FAMILY)}" font-size="{_n(FONT_PT)}" fill="{TICK_TEXT}">\n'
            + "\n".join(months + values)
            + f'\n<g font-size="{_n(TARGET_FONT_PT)}" fill="{TARGET}">{goal}</g>\n</g>')


def _centred(text: str, points: float, y: float) -> float:
    """Return the baseline that centres the letters of `text` on `y`."""
    _, above, below = text_extent(text, points)
    return y + (above - below) / 2


def escape(text: str) -> str:
    """Return `text` with &, < and > written as entities (XML character data)."""
    return html_escape(text, quote=False)


def _text(text: str, x: float, baseline: float, anchor: str) -> str:
    """Return a <text> element at `x` (its start, middle or end, per `anchor`) on `baseline`."""
    return f'<text x="{_n(x)}" y="{_n(baseline)}" text-anchor="{anchor}">{escape(text)}</text>'
