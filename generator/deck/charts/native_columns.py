"""The columns of a native chart: a panel's series and targets, with the data labels the pictures write.

Values over bars and points (in green or red by target), target names on their lines where there is
no legend, event names and callouts on the points they belong to, and value labels lifted over a
target line crossing them.
"""

from __future__ import annotations

from dataclasses import replace

from generator.deck.charts.native_model import (
    Box,
    Column,
    Label,
    LabelPosition,
    NativePalette,
    Scale,
    hex_colour,
    label_height,
    text_width,
)
from generator.deck.charts.native_scale import value_format
from generator.story.charts import ChartSpec, Panel, Series, Side, TargetLine, YAxis


def panel_columns(spec: ChartSpec, panel: Panel, palette: NativePalette, box: Box) -> list[Column]:
    """Return the panel's series then its targets (same label and axis merged) as chart columns."""
    units = {"left": panel.y, "right": panel.y2 or panel.y}
    two_sides = panel.y2 is not None and any(s.axis == "left" for s in panel.series)
    columns = [_series_column(s, units[_side(s.axis, box)], palette, two_sides, box) for s in panel.series]
    columns += _target_columns(panel, palette, box)
    _add_event_labels(panel, columns, palette)
    _add_annotation_labels(panel, columns, palette, box)
    return columns


def _side(axis: Side, box: Box) -> Side:
    """Return the axis a series is plotted on: the right one only when the panel has one."""
    return "right" if axis == "right" and "right" in box.sides else "left"


def _series_column(s: Series, unit: YAxis, palette: NativePalette, two_sides: bool, box: Box) -> Column:
    """Return a spec series as a column, with status colours and value labels."""
    side = _side(s.axis, box)
    colour = palette.colour(s.colour)
    status = list(s.status) + [""] * (len(s.values) - len(s.status))
    labelled = [] if s.value_labels == "none" else \
        list(range(len(s.values))) if s.value_labels == "all" else [len(s.values) - 1]
    tones = {"met": hex_colour(palette.met), "missed": hex_colour(palette.missed)}
    if s.kind == "line":  # the labelled points take the colour of their status, like their labels
        points = {i: tones[status[i]] for i in labelled if status[i]}
    else:  # missed bars are highlighted
        points = {i: tones["missed"] for i, st in enumerate(status) if st == "missed"}
    labels = []
    for i in labelled:
        if s.kind == "line":
            tone, bold = tones.get(status[i], colour), True
        else:
            tone, bold = (tones["missed"], True) if status[i] == "missed" else (hex_colour(palette.text), False)
        position: LabelPosition = "t" if s.kind == "line" else "inEnd" if s.kind == "stacked" else "outEnd"
        labels.append(Label(i, position, tone, number_format=value_format(s.values[i], unit), bold=bold))
    name = f"{s.name} (right axis)" if two_sides and side == "right" else s.name
    return Column(name, tuple(s.values), s.kind, side, colour, value_format(max(s.values), unit),
                  point_colours=points, labels=labels)


def _target_columns(panel: Panel, palette: NativePalette, box: Box) -> list[Column]:
    """Return the panel's targets as dashed-line columns; targets sharing label and axis become one.

    A full-width target has its value at every x; one over listed x positions only there (None
    elsewhere), drawn as a dash marker per position. A chart without legend labels its lines directly.
    """
    merged: dict[tuple[str, Side], list[TargetLine]] = {}
    for target in panel.targets:
        merged.setdefault((target.label, _side(target.axis, box)), []).append(target)
    columns = []
    for (label, side), targets in merged.items():
        values: list[float | None] = [None] * box.count
        for target in targets:
            for x in target.at or range(box.count):
                values[x] = target.value
        per_point = any(t.at for t in targets)
        unit = panel.y2 if side == "right" and panel.y2 is not None else panel.y
        direct = box.direct_targets and not per_point
        labels = [_direct_target_label(panel, targets[0], side, box, palette)] if direct else []
        columns.append(Column(label, tuple(values), "target", side, hex_colour(palette.target),
                              value_format(targets[0].value, unit), per_point=per_point, labels=labels,
                               in_legend=not direct))
    return columns


def _direct_target_label(panel: Panel, target: TargetLine, side: Side, box: Box,
                         palette: NativePalette) -> Label:
    """Return the target's name written over its line at the left, away from the first points (or stacks)."""
    own = [s for s in panel.series if s.axis == side]
    stacks = [sum(column) for column in zip(*(s.values[:3] for s in own if s.kind == "stacked"))]
    start = [v for s in own if s.kind != "stacked" for v in s.values[:3]] + stacks
    above = not start or sum(start) / len(start) < target.value
    width = text_width(target.label, palette.label_size)
    # Centred on the first point, the label would reach into the tick labels: move it right.
    shift = max(0.0, width / 2 - box.category_width / 2 + 0.05)
    return Label(0, "t" if above else "b", hex_colour(palette.target), text=target.label, shift_in=(shift, 0.0),
                 boxed=True)


def _anchor(columns: list[Column], side: Side | None = None) -> Column | None:
    """Return the first line column (on `side` when given), else the last bar column, else None."""
    own = [c for c in columns if c.kind != "target" and (side is None or c.axis == side)]
    lines = [c for c in own if c.kind == "line"]
    return lines[0] if lines else own[-1] if own else None


def _add_event_labels(panel: Panel, columns: list[Column], palette: NativePalette) -> None:
    """Name each event on the point of the panel's first line at its x: below a dip, above a peak."""
    column = _anchor(columns)
    if column is None:
        return
    for event in panel.events:
        if column.kind == "line":
            values = [v for v in column.values if v is not None]
            here = column.values[event.x] or 0.0
            around = [v for v in column.values[max(0, event.x - 1):event.x + 2] if v is not None]
            dip = here <= min(around) and here < max(values)
            position: LabelPosition = "b" if dip else "t"
        else:
            position = "inEnd"
        _replace_label(column, Label(event.x, position, hex_colour(palette.annotation), text=event.label, italic=True))


def _add_annotation_labels(panel: Panel, columns: list[Column], palette: NativePalette, box: Box) -> None:
    """Write each callout as a bold label on the point it points at: a line point or the top of a stack.

    On a stack the label goes beside the top, towards the side with more room, as in the picture.
    """
    for note in panel.annotations:
        side = _side(note.axis, box)
        own = [c for c in columns if c.axis == side and c.kind != "target"]
        stacked = [c for c in own if c.kind == "stacked"]
        column = next((c for c in own if c.kind != "stacked" and _close(c.values[note.x], note.y)), None)
        if column is None and stacked and _close(sum(c.values[note.x] or 0.0 for c in stacked), note.y):
            column = stacked[-1]
        column = column or _anchor(columns, side)
        if column is None:
            continue
        positions: dict[str, LabelPosition] = {"line": "t", "bar": "outEnd", "stacked": "inEnd"}
        position = positions.get(column.kind, "t")
        shift = (0.0, 0.0)
        if column.kind == "stacked":
            to_right = note.x < box.count / 2
            across = text_width(note.text, palette.label_size, bold=True) / 2 + box.category_width * 0.4
            shift = (across if to_right else -across, label_height(palette) * 0.9)
        _replace_label(column, Label(note.x, position, hex_colour(palette.annotation), text=note.text, bold=True,
                                     shift_in=shift, leader=shift != (0.0, 0.0)))


def _close(value: float | None, other: float) -> bool:
    """Return whether a point's value is the callout's y (to float precision)."""
    return value is not None and abs(value - other) <= 1e-6 * max(1.0, abs(other))


def _replace_label(column: Column, label: Label) -> None:
    """Put the label on its point, in place of any label already there."""
    column.labels[:] = sorted([lb for lb in column.labels if lb.index != label.index] + [label],
                              key=lambda lb: lb.index)


def label_tops(columns: list[Column], side: Side) -> list[float]:
    """Return the top of every point on `side` that has a label above it (stacks: the stack's top)."""
    stacked = [c for c in columns if c.axis == side and c.kind == "stacked"]
    tops = []
    for column in columns:
        if column.axis != side:
            continue
        for label in column.labels:
            if not label.above:
                continue
            if column.kind == "stacked":
                tops.append(sum(c.values[label.index] or 0.0 for c in stacked))
            elif column.values[label.index] is not None:
                tops.append(float(column.values[label.index] or 0.0))
    return tops


def lift_labels_over_targets(columns: list[Column], scales: dict[Side, Scale], box: Box,
                             palette: NativePalette) -> None:
    """Move value labels above a bar up over a target line or dash crossing them, as the picture does."""
    height = label_height(palette)
    for column in columns:
        if column.kind != "bar":
            continue
        scale = scales[column.axis]
        inches = box.plot_height / (scale.high - scale.low)
        targets = [c for c in columns if c.kind == "target" and c.axis == column.axis]
        for n, label in enumerate(column.labels):
            value = column.values[label.index]
            crossing = [t.values[label.index] for t in targets if t.values[label.index] is not None]
            if value is None or label.position != "outEnd":
                continue
            gaps = [((t or 0.0) - value) * inches for t in crossing]
            gaps = [g for g in gaps if -0.05 <= g <= height + 0.05]
            if gaps:
                column.labels[n] = replace(label, shift_in=(0.0, max(gaps) + 0.07))
