"""Read content/story.yaml, its metrics and notes into a checked `StoryContent`, or report every problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Problems
from generator.read.layout import STORY_FILE
from generator.read.months import next_month
from generator.read.source import (
    MarkdownDoc,
    SourceDoc,
    read_markdown,
    read_yaml,
    resolve_inside,
)
from generator.read.validate import dotted, validate
from generator.story.exports import Exported, merge
from generator.story.model import Metrics, PartialMetrics, Story

MIN_SLIDES, MAX_SLIDES = 8, 10
REQUIRED_KINDS = {
    "services": "breadth and depth of services",
    "value": "value proposition",
    "projects": "involvement in current projects",
    "impact": "business impact measurements",
    "practices": "cost-effective best practices",
    "testimonials": "customer testimonials",
    "org_chart": "org chart of the proactive roles",
}
"""The seven elements every success story covers, by slide kind."""


@dataclass(frozen=True)
class StoryContent:
    """Everything the deck is made from, validated."""

    root: Path
    story: Story
    metrics: Metrics
    notes: dict[str, MarkdownDoc]
    story_doc: SourceDoc
    metrics_doc: SourceDoc
    exported: Exported | None = None
    """The series computed from the ticket export metrics.yaml names (`tickets`), with their traceability."""


def load_story(root: Path, *, tickets_cache: Path | None = None) -> StoryContent:
    """Return the validated story of content folder `root`, or raise a ContentError with every problem.

    A ticket export named by metrics.yaml is summarised once; with `tickets_cache` the summary is kept
    there, so that a rebuild with an unchanged export does not read it again.
    """
    problems = Problems(root)
    story_doc = read_yaml(root / STORY_FILE, root)
    story = problems.collect(lambda: validate(story_doc, Story))
    if story is None:
        _also_check_metrics(root, story_doc, problems, tickets_cache)
        problems.raise_if_any()
        raise AssertionError("unreachable")
    metrics_path = problems.collect(lambda: resolve_inside(root, story.metrics, story_doc,
                                                             story_doc.line_of(("metrics",))))
    metrics_doc = loaded = None
    if metrics_path is not None:
        metrics_doc = problems.collect(lambda: read_yaml(metrics_path, root))
        if metrics_doc is not None:
            loaded = _load_metrics(root, metrics_doc, problems, tickets_cache)
    notes = _read_notes(root, story, story_doc, problems)
    _check_slides(story, story_doc, problems)
    _check_org_chart(story, story_doc, problems)
    problems.raise_if_any()
    assert loaded is not None and metrics_doc is not None
    return StoryContent(root, story, loaded[0], notes, story_doc, metrics_doc, loaded[1])


def load_metrics(root: Path, *, tickets_cache: Path | None = None) -> tuple[Metrics, Exported | None]:
    """Return the metrics of the deck in folder `root` (the file its story.yaml names) without the rest of the
    story, or raise a ContentError: what `storypack tickets summary --content` shows."""
    problems = Problems(root)
    story_doc = read_yaml(root / STORY_FILE, root)
    name = story_doc.data.get("metrics", "metrics.yaml") if isinstance(story_doc.data, dict) else "metrics.yaml"
    path = resolve_inside(root, str(name), story_doc, story_doc.line_of(("metrics",)))
    loaded = _load_metrics(root, read_yaml(path, root), problems, tickets_cache)
    problems.raise_if_any()
    assert loaded is not None
    return loaded


def _load_metrics(root: Path, doc: SourceDoc, problems: Problems,
                  cache: Path | None) -> tuple[Metrics, Exported | None] | None:
    """Return the metrics of `doc` (the export's series merged in when it names one) after the cross-field
    checks, or None after recording the problems."""
    loaded: tuple[Metrics, Exported | None] | None
    if isinstance(doc.data, dict) and doc.data.get("tickets") is not None:
        partial = problems.collect(lambda: validate(doc, PartialMetrics))
        loaded = problems.collect(lambda: merge(partial, doc, root, cache)) if partial is not None else None
    else:
        metrics = problems.collect(lambda: validate(doc, Metrics))
        loaded = (metrics, None) if metrics is not None else None
    if loaded is None:
        return None
    count = len(problems.items)
    _check_metrics(loaded[0], doc, problems)
    return loaded if len(problems.items) == count else None


def _also_check_metrics(root: Path, story_doc: SourceDoc, problems: Problems, cache: Path | None) -> None:
    """Validate the metrics file even when story.yaml failed, so one run reports both."""
    name = story_doc.data.get("metrics", "metrics.yaml") if isinstance(story_doc.data, dict) else "metrics.yaml"
    path = root / str(name)
    if path.is_file() and path.resolve().is_relative_to(root.resolve()):
        doc = problems.collect(lambda: read_yaml(path, root))
        if doc is not None:
            _load_metrics(root, doc, problems, cache)


def _read_notes(root: Path, story: Story, doc: SourceDoc, problems: Problems) -> dict[str, MarkdownDoc]:
    """Return every notes file the slides refer to, by the name used in story.yaml."""
    notes: dict[str, MarkdownDoc] = {}
    for i, slide in enumerate(story.slides):
        if slide.notes in notes:
            continue
        line = doc.line_of(("slides", i, "notes"))
        name = slide.notes
        path = problems.collect(lambda: resolve_inside(root, name, doc, line))
        if path is not None:
            note = problems.collect(lambda: read_markdown(path, root))
            if note is not None:
                notes[slide.notes] = note
    return notes


def _check_slides(story: Story, doc: SourceDoc, problems: Problems) -> None:
    """Record a problem when the deck would fall outside 8-10 slides or miss one of the seven elements."""
    kinds = [slide.kind for slide in story.slides]
    line = doc.line_of(("slides",))
    missing = [f"{kind} ({what})" for kind, what in REQUIRED_KINDS.items() if kind not in kinds]
    if missing:
        problems.add(doc, line, f"the deck lacks {', '.join(missing)}",
                     "add a slide of each missing kind: a success story covers all seven elements")
    if len(kinds) > MAX_SLIDES:
        problems.add(doc, line, f"the deck has {len(kinds)} slides; a success story has at most {MAX_SLIDES}",
                     f"remove {len(kinds) - MAX_SLIDES} slide(s), e.g. merge two impact slides")
    elif len(kinds) < MIN_SLIDES and not missing:
        problems.add(doc, line, f"the deck has {len(kinds)} slides; a success story has at least {MIN_SLIDES}",
                     "add a title, summary or plan slide")
    for i, slide in enumerate(story.slides):
        if slide.charts and slide.kind not in ("impact", "practices"):
            problems.add(doc, doc.line_of(("slides", i, "charts")),
                         f"a {slide.kind} slide has no room for charts", "move the charts to an impact or practices slide")
        if slide.kind in ("impact",) and not slide.charts:
            problems.add(doc, doc.line_of(("slides", i)), "an impact slide needs at least one chart",
                         "add e.g. 'charts: [volume, level1]'")
        if slide.headlines and slide.kind != "summary":
            problems.add(doc, doc.line_of(("slides", i, "headlines")),
                         "only the summary slide shows headline figures", "move 'headlines' to the summary slide")
        if slide.kind == "summary" and not slide.headlines:
            problems.add(doc, doc.line_of(("slides", i)), "the summary slide needs headline figures",
                         "add e.g. 'headlines: [calls, level1, cost_per_ticket, debt_ratio]'")


def _check_org_chart(story: Story, doc: SourceDoc, problems: Problems) -> None:
    """Record problems in the org chart: duplicate ids, unknown managers, not exactly one head, cycles."""
    ids: dict[str, int] = {}
    for i, role in enumerate(story.org_chart):
        if role.id in ids:
            problems.add(doc, doc.line_of(("org_chart", i, "id")), f"org chart id {role.id!r} is used twice",
                         "give every role its own id")
        ids[role.id] = i
    heads = [r for r in story.org_chart if r.reports_to is None]
    if len(heads) != 1:
        problems.add(doc, doc.line_of(("org_chart",)),
                     f"the org chart has {len(heads)} roles without 'reports_to'; it needs exactly one head",
                     "give every role but the head a 'reports_to'")
    for i, role in enumerate(story.org_chart):
        if role.reports_to is not None and role.reports_to not in ids:
            import difflib
            close = difflib.get_close_matches(role.reports_to, list(ids), n=1)
            problems.add(doc, doc.line_of(("org_chart", i, "reports_to")),
                         f"reports_to {role.reports_to!r} is not the id of any role",
                         f"did you mean {close[0]!r}?" if close else "use the id of another role")
    managers = {r.id: r.reports_to for r in story.org_chart}
    for i, role in enumerate(story.org_chart):
        seen: set[str] = set()
        current: str | None = role.id
        while current is not None and current in managers and current not in seen:
            seen.add(current)
            current = managers[current]
        if current is not None and current in seen:
            problems.add(doc, doc.line_of(("org_chart", i, "reports_to")),
                         f"role {role.id!r} reports to itself through its managers", "break the reporting loop")
            break


def _check_metrics(metrics: Metrics, doc: SourceDoc, problems: Problems) -> None:
    """Record problems the schema cannot see: months in order, one value per month everywhere."""
    months = metrics.months
    for i, (before, after) in enumerate(zip(months, months[1:]), start=1):
        if next_month(before) != after:
            problems.add(doc, doc.line_of(("months", i)),
                         f"months must be consecutive and in order: {after} follows {before}",
                         f"the month after {before} is {next_month(before)}")
            break
    for loc, series in _series(metrics):
        if len(series) != len(months):
            problems.add(doc, doc.line_of(loc), f"{dotted(loc)} has {len(series)} values for {len(months)} months",
                         "give one value per month, in the order of 'months'")
    for i, row in enumerate(metrics.backlog.open_tickets):
        if len(row) != len(metrics.backlog.age_buckets):
            problems.add(doc, doc.line_of(("backlog", "open_tickets", i)),
                         f"backlog.open_tickets[{i}] has {len(row)} counts for {len(metrics.backlog.age_buckets)} age buckets",
                         "give one count per age bucket")
    for i, change in enumerate(metrics.changes):
        if change.month not in months:
            problems.add(doc, doc.line_of(("changes", i, "month")),
                         f"change month {change.month} is not one of the reported months",
                         f"use a month from {months[0]} to {months[-1]}")
        elif months.index(change.month) == 0:
            problems.add(doc, doc.line_of(("changes", i, "month")),
                         f"change month {change.month} is the first month: there is no month before to compare with",
                         "report at least one month before the change")
    for name in metrics.volume.self_service_channels:
        if name not in metrics.volume.channels:
            problems.add(doc, doc.line_of(("volume", "self_service_channels")),
                         f"self-service channel {name!r} is not one of the volume channels",
                         f"use one of: {', '.join(metrics.volume.channels)}")
    if len(months) < 6:
        problems.add(doc, doc.line_of(("months",)), f"only {len(months)} months are reported",
                     "report at least six months so that quarters can be compared")


def _series(metrics: Metrics) -> list[tuple[tuple[str | int, ...], list[Any]]]:
    """Return every per-month series with its key path."""
    found: list[tuple[tuple[str | int, ...], list[Any]]] = []
    found += [(("volume", "channels", name), values) for name, values in metrics.volume.channels.items()]
    found += [(("resolution", "level1_pct"), metrics.resolution.level1_pct),
              (("resolution", "escalated_level2"), metrics.resolution.escalated_level2),
              (("backlog", "open_tickets"), metrics.backlog.open_tickets),
              (("backlog", "support_debt_days"), metrics.backlog.support_debt_days),
              (("backlog", "revenue_millions"), metrics.backlog.revenue_millions),
              (("satisfaction", "csat_pct"), metrics.satisfaction.csat_pct),
              (("satisfaction", "effort_score"), metrics.satisfaction.effort_score),
              (("cost", "total"), metrics.cost.total)]
    found += [(("satisfaction", "effort_drivers", k), v) for k, v in metrics.satisfaction.effort_drivers.items()]
    for i, level in enumerate(metrics.service_levels):
        found += [(("service_levels", i, "response_met_pct"), level.response_met_pct),
                  (("service_levels", i, "resolution_met_pct"), level.resolution_met_pct)]
    return found
