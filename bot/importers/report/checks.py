"""Doubts: text the importer must not store as it read it (repeated pages, an activity twice,
a field longer than the database holds). Any doubt refuses the report."""

from __future__ import annotations

from bot.domain.status import COMMENT_MAX_LENGTH
from bot.importers.issues import Issue, msg
from bot.importers.matching import match_key
from bot.importers.report.lines import Line
from bot.importers.report.model import ParsedReport
from bot.importers.report.paragraphs import short
from bot.planfile.format import (
    MAX_AREA_NAME,
    MAX_GOAL_NUMBER,
    MAX_GOAL_TEXT,
    MAX_TITLE,
    MAX_UNIT_NAME,
    MAX_UNIT_PATH,
)

# A run of this many content lines (page furniture and blank lines aside), holding at least
# REPEAT_MIN_CHARS characters, that appears twice is a page or a section pasted twice. Real
# reports repeat short things (a unit tree, a date line, a status, "Bidrag beviljat.") but not
# eight lines of them in a row.
REPEAT_MIN_LINES = 8
REPEAT_MIN_CHARS = 250
_CONTENT = ("text", "bullet", "status", "dates")


def repeated_runs(lines: list[Line], *, source: str) -> list[Issue]:
    """Runs of content lines that appear twice, as one doubt per repeated run."""
    content = [ln for ln in lines if ln.kind in _CONTENT]
    keys = [" ".join((ln.raw or ln.text).split()).casefold() for ln in content]
    n = len(keys)
    first_at: dict[tuple[str, ...], int] = {}
    issues: list[Issue] = []
    j = 0
    while j + REPEAT_MIN_LINES <= n:
        window = tuple(keys[j : j + REPEAT_MIN_LINES])
        i = first_at.get(window)
        if i is None or i + REPEAT_MIN_LINES > j or sum(map(len, window)) < REPEAT_MIN_CHARS:
            first_at.setdefault(window, j)
            j += 1
            continue
        length = REPEAT_MIN_LINES
        while j + length < n and i + length < j and keys[i + length] == keys[j + length]:
            length += 1
        issues.append(
            Issue(
                source,
                content[j].no,
                None,
                msg(
                    "report_repeated_text",
                    start=content[j].no,
                    end=content[j + length - 1].no,
                    first_start=content[i].no,
                    first_end=content[i + length - 1].no,
                    excerpt=short(content[j].raw or content[j].text, 50),
                ),
            )
        )
        j += length
    return issues


def duplicate_activities(report: ParsedReport, *, source: str) -> list[Issue]:
    """An activity printed twice under one goal: one of the two is misread or pasted."""
    seen: dict[tuple[str, str], int] = {}
    issues: list[Issue] = []
    for activity in report.activities:
        if not activity.title:
            continue
        key = (activity.goal_number or match_key(activity.goal_text), match_key(activity.title))
        if key in seen:
            issues.append(
                Issue(
                    source,
                    activity.line,
                    None,
                    msg(
                        "report_duplicate_activity",
                        title=short(activity.title, 80),
                        goal=activity.goal_number or short(activity.goal_text),
                        first=seen[key],
                    ),
                )
            )
        else:
            seen[key] = activity.line
    return issues


def field_limits(report: ParsedReport, *, source: str) -> list[Issue]:
    """Texts longer than their database column: refused here, not by the database later."""
    issues: list[Issue] = []

    def check(line: int | None, what: str, text: str, limit: int) -> None:
        if len(text) > limit:
            issues.append(
                Issue(
                    source,
                    line,
                    None,
                    msg(
                        "report_too_long",
                        what=msg(what),
                        length=len(text),
                        limit=limit,
                        excerpt=short(text, 50),
                    ),
                )
            )

    for area in report.goal_areas:
        check(None, "report_what_area", area, MAX_AREA_NAME)
    for goal in report.goals:
        check(None, "report_what_goal", goal.text, MAX_GOAL_TEXT)
        check(None, "report_what_goal_number", goal.number or "", MAX_GOAL_NUMBER)
    for activity in report.activities:
        check(activity.line, "report_what_title", activity.title, MAX_TITLE)
        check(activity.line, "report_what_comment", activity.comment, COMMENT_MAX_LENGTH)
        for path in activity.units:
            for name in path:
                check(activity.line, "report_what_unit", name, MAX_UNIT_NAME)
            check(activity.line, "report_what_unit_path", " > ".join(path), MAX_UNIT_PATH)
    return issues
