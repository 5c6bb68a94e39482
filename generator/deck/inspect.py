"""`storypack template inspect FILE`: what a PowerPoint template offers and how the deck will use it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from generator.errors import StorypackError

EMU_PER_INCH = 914400
ALL_KINDS = ["title", "summary", "services", "value", "projects", "impact", "practices", "testimonials", "org_chart",
             "plan"]


def describe_template(path: Path, kinds: list[str] | None = None, overrides: dict[str, str] | None = None) -> str:
    """Return a report of the template's size, theme, layouts and placeholders, and the layout of each slide kind."""
    from generator.deck.template import TemplateError, choose_layouts, open_presentation

    try:
        prs = open_presentation(path)
    except TemplateError as exc:
        raise StorypackError(f"{path} {exc}") from None
    lines = [f"Template: {path}"]
    lines += _size(prs) + _theme(prs) + _layouts(prs)
    kinds = kinds or ALL_KINDS
    try:
        chosen = choose_layouts(prs, kinds, overrides or {})
    except TemplateError as exc:
        raise StorypackError(f"{path} {exc}") from None
    lines += ["", "Slides of the deck:"]
    lines += [f"  {kind:<13} -> {choice.name}  ({choice.reason})" for kind, choice in chosen.items()]
    needs = _needs(prs, chosen)
    lines += ["", "What the deck needs:"] + (needs or ["  nothing missing"])
    return "\n".join(lines)


def _size(prs: Any) -> list[str]:
    width, height = prs.slide_width / EMU_PER_INCH, prs.slide_height / EMU_PER_INCH
    ratio = {round(16 / 9, 2): "16:9", round(4 / 3, 2): "4:3", round(16 / 10, 2): "16:10"}.get(round(width / height, 2),
                                                                                              "custom")
    return [f"Slide size: {width:.2f} x {height:.2f} in ({ratio})"]


def _theme(prs: Any) -> list[str]:
    from generator.deck.template import theme_info

    info = theme_info(prs)
    colors = ", ".join(f"{name} #{value}" for name, value in info.colors.items())
    return [f"Theme fonts: headings {_font(info.major_font)}; body {_font(info.minor_font)}",
            f"Theme colours: {colors}",
            f"Master: text #{info.text} on background #{info.background}"]


def _font(family: str) -> str:
    """Return the font name and how storypack measures it."""
    from generator.fonts import font_file

    found = font_file(family)
    path, exact = found.path, found.exact
    measured = path.stem.split("-")[0]
    if exact and measured.replace(" ", "").lower() == family.replace(" ", "").lower():
        return f"{family} (installed)"
    if exact:
        return f"{family} (measured with {measured}, metric-compatible)"
    return f"{family} (not installed: measured with {measured}, which is wider, so text fits conservatively)"


def _layouts(prs: Any) -> list[str]:
    from generator.deck.template import FOOTER_TYPES

    lines = ["", "Layouts:"]
    number = 0
    for master_number, master in enumerate(prs.slide_masters, start=1):
        for layout in master.slide_layouts:
            number += 1
            kind = layout._element.get("type") or "no type"
            lines.append(f"  {number:>2}. {layout.name!r} ({kind}, master {master_number})")
            for ph in layout.placeholders:
                fmt = ph.placeholder_format
                if fmt.type in FOOTER_TYPES:
                    continue
                box = _box(ph)
                lines.append(f"        idx {fmt.idx:<3} {str(fmt.type).split('(')[0].split('.')[-1].strip():<13} {box}")
    return lines


def _box(shape: Any) -> str:
    if shape.width is None or shape.left is None:
        return "(position inherited)"
    return (f"at {shape.left / EMU_PER_INCH:.2f}, {shape.top / EMU_PER_INCH:.2f} in, "
            f"{shape.width / EMU_PER_INCH:.2f} x {shape.height / EMU_PER_INCH:.2f} in")


def _needs(prs: Any, chosen: dict[str, Any]) -> list[str]:
    """Return what the deck needs and the chosen layouts lack, one line each."""
    from generator.deck.template import body_placeholder, theme_info, title_placeholder
    from generator.fonts import font_file

    needs = []
    for kind, choice in chosen.items():
        if title_placeholder(choice.layout) is None:
            needs.append(f"  ! {kind}: layout {choice.name!r} has no title placeholder; the title is drawn as a "
                         "text box in the theme's heading font")
        elif kind != "title" and body_placeholder(choice.layout) is None:
            needs.append(f"  ! {kind}: layout {choice.name!r} has no body placeholder; points are drawn as text "
                         "boxes in the theme's body font")
    info = theme_info(prs)
    for family in dict.fromkeys((info.major_font, info.minor_font)):
        if not font_file(family).exact:
            needs.append(f"  ! font {family!r} is not installed and has no metric-compatible substitute here: "
                         "text is measured with DejaVu Sans and may look smaller than it could")
    return needs


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `storypack template inspect FILE` to the command line."""
    template = subparsers.add_parser("template", help="look at a PowerPoint template")
    actions = template.add_subparsers(dest="action", required=True, metavar="ACTION")
    inspect = actions.add_parser("inspect", help="list the template's layouts and the layout each slide will use")
    inspect.add_argument("file", type=Path, help="the .pptx or .potx template")
    inspect.add_argument("--content", type=Path, default=Path("content"),
                         help="content folder whose story.yaml gives the slides and layout choices (default: content)")
    inspect.set_defaults(command=_inspect)


def _inspect(args: argparse.Namespace) -> int:
    kinds, overrides = _story_slides(args.content)
    print(describe_template(args.file, kinds, overrides))
    return 0


def _story_slides(content: Path) -> tuple[list[str] | None, dict[str, str]]:
    """Return the slide kinds and layout overrides of content/story.yaml, when it can be read."""
    from generator.errors import ContentError
    from generator.read.source import read_yaml

    path = content / "story.yaml"
    if not path.is_file():
        return None, {}
    try:
        data = read_yaml(path, content).data or {}
    except ContentError:
        return None, {}
    slides = data.get("slides") if isinstance(data, dict) else None
    kinds = [s["kind"] for s in slides if isinstance(s, dict) and isinstance(s.get("kind"), str)] if isinstance(
        slides, list) else None
    design = data.get("design") if isinstance(data, dict) else None
    layouts = design.get("layouts") if isinstance(design, dict) else None
    overrides = {str(k): str(v) for k, v in layouts.items()} if isinstance(layouts, dict) else {}
    return kinds or None, overrides
