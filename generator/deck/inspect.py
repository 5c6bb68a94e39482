"""`storypack template inspect FILE`: what a PowerPoint template offers and how the deck will use it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from generator.errors import StorypackError
from generator.fonts import NO_FONTS, FontSet, font_file

EMU_PER_INCH = 914400
ALL_KINDS = ["title", "summary", "services", "value", "projects", "impact", "practices", "testimonials", "org_chart",
             "plan"]


def describe_template(path: Path, kinds: list[str] | None = None, overrides: dict[str, str] | None = None,
                      fonts: FontSet = NO_FONTS, font_problems: list[str] | None = None) -> str:
    """Return a report of the template's size, theme and the file each theme font is measured with, its layouts
    and placeholders, and the layout of each slide kind (`fonts`: the story's design.fonts; `font_problems`:
    why some of them cannot be used)."""
    from generator.deck.template import TemplateError, choose_layouts, open_presentation

    try:
        prs = open_presentation(path)
    except TemplateError as exc:
        raise StorypackError(f"{path} {exc}") from None
    lines = [f"Template: {path}"]
    lines += _size(prs) + _theme(prs, fonts) + _layouts(prs)
    kinds = kinds or ALL_KINDS
    try:
        chosen = choose_layouts(prs, kinds, overrides or {})
    except TemplateError as exc:
        raise StorypackError(f"{path} {exc}") from None
    lines += ["", "Slides of the deck:"]
    lines += [f"  {kind:<13} -> {choice.name}  ({choice.reason})" for kind, choice in chosen.items()]
    needs = _needs(prs, chosen, fonts) + [f"  ! {problem}" for problem in font_problems or []]
    lines += ["", "What the deck needs:"] + (needs or ["  nothing missing"])
    return "\n".join(lines)


def _size(prs: Any) -> list[str]:
    width, height = prs.slide_width / EMU_PER_INCH, prs.slide_height / EMU_PER_INCH
    ratio = {round(16 / 9, 2): "16:9", round(4 / 3, 2): "4:3", round(16 / 10, 2): "16:10"}.get(round(width / height, 2),
                                                                                              "custom")
    return [f"Slide size: {width:.2f} x {height:.2f} in ({ratio})"]


def _theme(prs: Any, fonts: FontSet) -> list[str]:
    from generator.deck.template import theme_info

    info = theme_info(prs)
    colors = ", ".join(f"{name} #{value}" for name, value in info.colors.items())
    families = dict.fromkeys((info.major_font, info.minor_font))
    return [f"Theme fonts: headings {info.major_font}, body {info.minor_font}",
            *[f"  {font_note(family, fonts)}" for family in families],
            f"Theme colours: {colors}",
            f"Master: text #{info.text} on background #{info.background}"]


def font_note(family: str, fonts: FontSet = NO_FONTS) -> str:
    """Return which file text in `family` is measured (and charts drawn) with, and why."""
    found = font_file(family, fonts=fonts)
    if found.source:
        why = "design.fonts" if found.exact else "design.fonts; the family's regular face is not listed"
        return f"{family}: {found.source} ({why})"
    if not found.exact:
        return (f"{family}: not available; measured with {found.face}, which is wider, so text fits with room to "
                "spare")
    if found.face.casefold() == family.strip().casefold():
        return f"{family}: {found.path.name} (bundled)"
    return f"{family}: measured with {found.path.name} (bundled, same metrics)"


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


def _needs(prs: Any, chosen: dict[str, Any], fonts: FontSet) -> list[str]:
    """Return what the deck needs and the chosen layouts or fonts lack, one line each."""
    from generator.deck.template import body_placeholder, theme_info, title_placeholder

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
        found = font_file(family, fonts=fonts)
        if not found.exact and not found.source:
            needs.append(f"  ! font {family!r} is not one storypack brings, nor has one with its metrics: text is "
                         "measured with DejaVu Sans and may be set smaller than it could; add the family's files "
                         "to design.fonts")
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
    kinds, overrides, fonts, font_problems = _story_slides(args.content)
    print(describe_template(args.file, kinds, overrides, fonts, font_problems))
    return 0


def _story_slides(content: Path) -> tuple[list[str] | None, dict[str, str], FontSet, list[str]]:
    """Return the slide kinds, layout overrides and design.fonts of content/story.yaml, when it can be read,
    with the problems of the font files that cannot be used."""
    from generator.deck.fontset import read_fonts
    from generator.errors import ContentError
    from generator.read.source import read_yaml

    path = content / "story.yaml"
    if not path.is_file():
        return None, {}, NO_FONTS, []
    try:
        doc = read_yaml(path, content)
    except ContentError:
        return None, {}, NO_FONTS, []
    data = doc.data or {}
    slides = data.get("slides") if isinstance(data, dict) else None
    kinds = [s["kind"] for s in slides if isinstance(s, dict) and isinstance(s.get("kind"), str)] if isinstance(
        slides, list) else None
    design = data.get("design") if isinstance(data, dict) else None
    layouts = design.get("layouts") if isinstance(design, dict) else None
    overrides = {str(k): str(v) for k, v in layouts.items()} if isinstance(layouts, dict) else {}
    names = design.get("fonts") if isinstance(design, dict) else None
    names = [str(name) for name in names] if isinstance(names, list) else []
    fonts, problems = read_fonts(content, names, doc)  # the files that can be used count; the others are reported
    return kinds or None, overrides, fonts, [problem.message for problem in problems]
