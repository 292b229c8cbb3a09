"""Parse a published uppsiktsrapport in its text form (the text extracted from its PDF).

The parser is pure: it takes the report's text and returns goals, activities, text it could not
place, warnings and doubts. It never touches a database and never drops text silently.

What the text looks like (see shared/DOMAIN.md): chapter 1 has one numbered section per goal
("1.9 Andelen ..."), each with an activity table; every activity is printed as its title, the
responsible units as an indented bullet tree, a start and end date, the purpose, the status and
the comment. The last chapter lists every goal of the year by goal area. Page furniture (headers,
footers, the repeated table header) is scattered through the text and cuts paragraphs, titles
and sentences.
"""

from __future__ import annotations

from bot.domain.text import clean_text
from bot.importers.report.checks import (
    duplicate_activities,
    field_limits,
    hollow_activities,
    repeated_runs,
    repeated_titles,
)
from bot.importers.report.lines import classify_text
from bot.importers.report.model import ParsedReport
from bot.importers.report.section import parse_section
from bot.importers.report.state import ParseState
from bot.importers.report.structure import (
    find_goal_list,
    find_sections,
    number_goals,
    parse_goal_list,
)


def parse_report_text(text: str, *, source: str = "", logical_lines: bool = False) -> ParsedReport:
    """Parse the text of a published uppsiktsrapport; `source` names the file in messages.

    `logical_lines`: the text's lines are logical lines (each wrapped line already joined, as
    the PDF reader gives them), so no line is joined to the next by its length.
    """
    state = ParseState(classify_text(clean_text(text)), source=source, logical_lines=logical_lines)
    goal_end, list_start = find_goal_list(state)
    sections = find_sections(state, goal_end)
    for section in sections:
        parse_section(state, section)
    goals, areas = parse_goal_list(state, list_start) if list_start is not None else ([], [])
    goals = number_goals(state, goals, sections, have_list=list_start is not None)
    report = ParsedReport(
        goal_areas=areas,
        goals=goals,
        activities=state.activities,
        unplaced=state.unplaced,
        warnings=state.warnings,
        doubts=repeated_runs(state.lines, source=source) + state.doubts,
    )
    report.doubts += duplicate_activities(report, source=source)
    report.doubts += hollow_activities(report, source=source)
    report.doubts += repeated_titles(state.lines, report, source=source)
    report.doubts += field_limits(report, source=source)
    report.doubts.sort(key=lambda issue: issue.row or 0)
    return report
