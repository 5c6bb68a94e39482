"""The content model: the example loads, and every kind of mistake is reported at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.story.figures import compute
from generator.story.load import load_story
from tests.conftest import EXAMPLE, edit


def problems_of(content: Path) -> list[str]:
    """Return the problems load_story reports for `content`, each as 'file:line: message'."""
    with pytest.raises(ContentError) as caught:
        load_story(content)
    return [f"{Path(p.file).name}:{p.line}: {p.message}" + (f" | {p.hint}" if p.hint else "")
            for p in caught.value.problems]


def test_example_content_loads() -> None:
    story = load_story(EXAMPLE)
    assert len(story.story.slides) == 10
    assert len(story.metrics.months) == 12
    assert len(story.story.testimonials) >= 3
    assert len(story.story.org_chart) >= 8


def test_headline_figures_are_computed_from_the_metrics() -> None:
    figures = compute(load_story(EXAMPLE).metrics)
    kpi = figures.kpis
    assert str(kpi["calls"].headline) == "-10.5%"
    assert kpi["calls"].met is True
    assert (str(kpi["level1"].first), str(kpi["level1"].latest)) == ("71%", "80.1%")
    assert str(kpi["level1"].change) == "+9.1 pts"
    assert str(kpi["cost_per_ticket"].change) == "-12%"
    assert str(kpi["debt_ratio"].latest) == "0.80"
    assert str(kpi["csat"].latest) == "92%"
    assert figures.sla_met == 3 and kpi["sla"].met is False
    assert str(figures.spikes[0].spike) == "+30.6%"


def test_support_debt_ratio_is_debt_change_over_revenue_change(content: Path) -> None:
    edit(content / "metrics.yaml", "support_debt_days: [9000,", "support_debt_days: [10000,")
    figures = compute(load_story(content).metrics)
    # debt 10000 -> 9540 (-4.6%) while revenue grows 7.5%: the ratio is negative, well below 1
    assert str(figures.kpis["debt_ratio"].latest) == "-0.61"
    assert figures.kpis["debt_ratio"].met is True


def test_a_typo_in_a_key_gets_a_did_you_mean(content: Path) -> None:
    edit(content / "metrics.yaml", "  level1_target_pct: 78", "  level1_targt_pct: 78")
    assert problems_of(content) == [
        "metrics.yaml:25: unknown key 'resolution.level1_targt_pct' | did you mean 'level1_target_pct'?"]


def test_a_percentage_over_100_is_refused(content: Path) -> None:
    edit(content / "metrics.yaml", "csat_target_pct: 90", "csat_target_pct: 190")
    assert problems_of(content) == [
        "metrics.yaml:77: satisfaction.csat_target_pct: 190 is over the maximum of 100"
        " | use a smaller value (percentages are 0 to 100)"]


def test_a_number_written_as_text_is_refused(content: Path) -> None:
    edit(content / "metrics.yaml", "per_ticket_target: 27.0", 'per_ticket_target: "27 EUR"')
    [problem] = problems_of(content)
    assert problem == ("metrics.yaml:88: cost.per_ticket_target: Input should be a valid number (got '27 EUR')"
                       " | write the number without quotes or units")


def test_a_date_that_is_not_a_date_is_refused(content: Path) -> None:
    edit(content / "story.yaml", "date: 2026-11-26", "date: 2026-02-30")
    assert problems_of(content) == [
        "story.yaml:9: '2026-02-30' cannot be read: day is out of range for month"
        " | correct the value (dates are YYYY-MM-DD)"]


def test_a_missing_field_names_where_to_add_it(content: Path) -> None:
    edit(content / "story.yaml", "audience: Executive committee\n", "")
    assert problems_of(content) == ["story.yaml:2: missing field 'audience' | add 'audience:' here"]


def test_a_series_with_a_missing_month_is_refused(content: Path) -> None:
    edit(content / "metrics.yaml", "csat_pct: [86.0, 86.4, ", "csat_pct: [86.4, ")
    assert problems_of(content) == [
        "metrics.yaml:76: satisfaction.csat_pct has 11 values for 12 months"
        " | give one value per month, in the order of 'months'"]


def test_months_out_of_order_are_refused(content: Path) -> None:
    edit(content / "metrics.yaml", "2026-01, 2026-02,", "2026-02, 2026-01,")
    [problem] = problems_of(content)
    assert problem.startswith("metrics.yaml:4: months must be consecutive and in order: 2026-02 follows 2025-12")


def test_a_referenced_note_that_does_not_exist(content: Path) -> None:
    (content / "notes" / "projects.md").unlink()
    assert problems_of(content) == [
        "story.yaml:25: 'notes/projects.md' does not exist | create notes/projects.md, or correct the name"]


def test_a_note_outside_the_content_folder_is_refused(content: Path) -> None:
    edit(content / "story.yaml", "notes: notes/projects.md", "notes: ../outside.md")
    (content.parent / "outside.md").write_text("secret")
    [problem] = problems_of(content)
    assert problem.startswith("story.yaml:25: '../outside.md' lies outside the content folder")


def test_yaml_syntax_errors_point_at_the_line(content: Path) -> None:
    edit(content / "story.yaml", "team: Global IT Service Desk", "team: [Global IT Service Desk")
    [problem] = problems_of(content)
    assert problem.startswith("story.yaml:")
    assert "YAML syntax error" in problem


def test_a_duplicate_key_is_refused(content: Path) -> None:
    edit(content / "story.yaml", "audience: Executive committee\n", "audience: Executive committee\naudience: Board\n")
    assert problems_of(content) == ["story.yaml:6: duplicate key 'audience' | remove one of the two 'audience' entries"]


def test_an_org_chart_manager_that_does_not_exist(content: Path) -> None:
    edit(content / "story.yaml", "reports_to: knowledge\n    proactive: true\n\nplan:",
         "reports_to: knowlege\n    proactive: true\n\nplan:")
    [problem] = problems_of(content)
    assert problem == "story.yaml:125: reports_to 'knowlege' is not the id of any role | did you mean 'knowledge'?"


def test_a_deck_over_ten_slides_says_what_to_cut(content: Path) -> None:
    edit(content / "story.yaml", "  - kind: plan\n", "  - kind: plan\n    notes: notes/plan.md\n  - kind: plan\n")
    [problem] = problems_of(content)
    assert problem.startswith("story.yaml:14: the deck has 11 slides; a success story has at most 10 | remove 1 slide")


def test_a_deck_missing_an_element_says_what_is_missing(content: Path) -> None:
    edit(content / "story.yaml", "  - kind: testimonials\n    notes: notes/testimonials.md\n", "")
    [problem] = problems_of(content)
    assert problem.startswith("story.yaml:14: the deck lacks testimonials (customer testimonials)")


def test_every_problem_of_several_files_is_reported_in_one_run(content: Path) -> None:
    edit(content / "metrics.yaml", "currency: EUR", "currency: euro")
    edit(content / "story.yaml", "title: Support success story", "titel: Support success story")
    found = problems_of(content)
    assert any(p.startswith("story.yaml:4: unknown key 'titel'") for p in found)
    assert any(p.startswith("metrics.yaml:3: currency:") for p in found)
