"""Draw the org chart as a tree of boxes joined by elbow connectors, proactive roles highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from generator.deck import drawingml as dml
from generator.deck.shapes import Box, Style, add_line, add_panel, add_text
from generator.deck.textfit import Para
from generator.story.model import Role

MIN_BOX_WIDTH = 1.55
"""Narrowest a role box may get before leaf roles are stacked under their manager instead."""


@dataclass(frozen=True)
class Placed:
    """A role's box position: column span (in slots) and level (row)."""

    role: Role
    x: float
    level: int
    stacked: bool


def layout(roles: list[Role], stack_leaves: bool) -> tuple[list[Placed], int, int]:
    """Return placed roles, the number of column slots and of levels; leaves may stack under managers."""
    children: dict[str | None, list[Role]] = {}
    for role in roles:
        children.setdefault(role.reports_to, []).append(role)
    placed: list[Placed] = []
    head = children[None][0]

    def place(role: Role, level: int, start: float) -> float:
        kids = children.get(role.id, [])
        if not kids:
            placed.append(Placed(role, start, level, False))
            return 1.0
        if stack_leaves and all(not children.get(k.id) for k in kids):
            placed.append(Placed(role, start, level, False))
            for depth, kid in enumerate(kids, start=1):
                placed.append(Placed(kid, start, level + depth, True))
            return 1.0
        width = 0.0
        for kid in kids:
            width += place(kid, level + 1, start + width)
        placed.append(Placed(role, start + (width - 1) / 2, level, False))
        return width

    slots = place(head, 0, 0.0)
    levels = 1 + max(p.level for p in placed)
    return placed, int(slots), levels


def draw_org_chart(slide: Any, box: Box, roles: list[Role], theme: Any, proactive_label: str = "Proactive roles") -> None:
    """Draw `roles` as a tree filling `box`, as one group whose alt text tells who reports to whom.

    The boxes are drawn top row first, left to right, so that a screen reader reads them in that order.
    """
    tree = slide.shapes._spTree
    before = len(tree)
    placed, slots, levels = layout(roles, stack_leaves=False)
    gap = 0.25
    if (box.width - gap * (slots - 1)) / slots < MIN_BOX_WIDTH:
        placed, slots, levels = layout(roles, stack_leaves=True)
    slot_width = box.width / slots
    box_width = min(2.6, slot_width - gap)
    row_gap = 0.35 if levels < 5 else 0.2
    box_height = min(1.0, (box.height - row_gap * (levels - 1)) / levels)
    by_id = {p.role.id: p for p in placed}

    def rect(p: Placed) -> Box:
        left = box.left + p.x * slot_width + (slot_width - box_width) / 2
        indent = 0.25 if p.stacked else 0.0
        return Box(left + indent, box.top + p.level * (box_height + row_gap), box_width - indent, box_height)

    for p in placed:
        manager = by_id.get(p.role.reports_to or "")
        if manager is not None:
            _connect(slide, rect(manager), rect(p), p.stacked, theme)
    for p in sorted(placed, key=lambda p: (p.level if not p.stacked else by_id[p.role.reports_to or ""].level,
                                          p.x, p.level)):
        r = rect(p)
        fill = theme.accent_fill if p.role.proactive else theme.navy
        add_panel(slide, r, fill, f"Role {p.role.id} box", rounded=True)
        add_text(slide, r.inset(0.06), [Para(p.role.name, bold=True), Para(p.role.role, scale=0.85)],
                 Style(theme.on_primary, 15, 9, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE), theme.font,
                 f"Role {p.role.id}")
    dml.group(list(tree)[before:], dml.next_shape_id(slide), "Org chart", describe(roles, proactive_label))


def describe(roles: list[Role], proactive_label: str) -> str:
    """Return the org chart's alt text: each manager and who reports to them, then the proactive roles."""
    def who(role: Role) -> str:
        return f"{role.name} ({role.role})"

    lines = [f"{who(manager)}: " + ", ".join(who(r) for r in roles if r.reports_to == manager.id)
             for manager in roles if any(r.reports_to == manager.id for r in roles)]
    proactive = [r.name for r in roles if r.proactive]
    head = next(r for r in roles if r.reports_to is None)
    text = f"Org chart of {len(roles)} roles, led by {who(head)}. Reporting lines: " + "; ".join(lines) + "."
    return text + (f" {proactive_label}: {', '.join(proactive)}." if proactive else "")


def _connect(slide: Any, parent: Box, child: Box, stacked: bool, theme: Any) -> None:
    """Draw the elbow line from a manager's box to a report's box."""
    color = theme.slate
    name = "Org line"
    if stacked:
        x = parent.left + 0.12
        y = child.top + child.height / 2
        add_line(slide, x, parent.top + parent.height, x, y, color, name)
        add_line(slide, x, y, child.left, y, color, name)
        return
    px = parent.left + parent.width / 2
    cx = child.left + child.width / 2
    mid = parent.top + parent.height + (child.top - parent.top - parent.height) / 2
    add_line(slide, px, parent.top + parent.height, px, mid, color, name)
    if abs(px - cx) > 0.001:
        add_line(slide, min(px, cx), mid, max(px, cx), mid, color, name)
    add_line(slide, cx, mid, cx, child.top, color, name)
