"""The figures a slide quotes are those its notes and template print or join, recorded by the render itself."""

from __future__ import annotations

from pathlib import Path

from generator.read.source import read_markdown
from generator.story.figures import Figures
from generator.story.quoting import quoting
from generator.story.wording import parse_slide_text, render_note


def test_a_note_records_the_figures_it_prints_and_joins_in_order(figures: Figures, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("- CSAT reached {{ kpi.csat.latest }}\n\nFrom {{ [kpi.csat.first, kpi.csat.target] | join(' to ') }}"
                    " and {{ kpi.csat.label }}.\n", encoding="utf-8")
    note = render_note(read_markdown(path), {"kpi": figures.kpis})
    assert [f.name for f in note.figures] == ["kpi.csat.latest", "kpi.csat.first", "kpi.csat.target"]
    assert note.points == (f"CSAT reached {figures.kpis['csat'].latest}",)
    assert note.figures[0].source == "satisfaction.csat_pct"


def test_formatting_a_figure_outside_a_render_records_nothing(figures: Figures) -> None:
    with quoting() as quoted:
        text = f"{figures.kpis['csat'].latest} {figures.kpis['calls'].headline}"
    assert text and quoted == []


def test_parsed_slide_text_quotes_nothing_by_itself() -> None:
    assert parse_slide_text("# Title\n- 92%").figures == ()
