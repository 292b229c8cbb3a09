"""Doubts: text the importer must not store as it read it (repeated pages, an activity twice,
a field longer than the database holds). Any doubt refuses the report."""

from __future__ import annotations

from bot.domain.status import COMMENT_MAX_LENGTH
from bot.importers.issues import Issue, msg
from bot.importers.matching import match_key
from bot.importers.report.lines import Line
from bot.importers.report.model import ParsedReport
from bot.importers.report.paragraphs import short, strip_dates
from bot.planfile.format import (
    MAX_AREA_NAME,
    MAX_GOAL_NUMBER,
    MAX_GOAL_TEXT,
    MAX_TITLE,
    MAX_UNIT_NAME,
    MAX_UNIT_PATH,
)

# A run of content lines (page furniture and blank lines aside) that appears twice is a page or
# a section pasted twice, if it is long enough to be more than chance: (lines, characters) in
# the run. Real reports repeat short things (a unit tree, a date line, a status, "Bidrag
# beviljat.", a purpose's first sentence) but not more: the seed's longest repeated runs are
# two lines of 120 characters, three of 80, four of 80, which these tiers keep well clear of.
REPEAT_TIERS: tuple[tuple[int, int], ...] = ((2, 170), (3, 130), (4, 110), (6, 80))
_CONTENT = ("text", "bullet", "status", "dates")


def repeated_runs(lines: list[Line], *, source: str) -> list[Issue]:
    """Runs of content lines that appear twice, as one doubt per repeated run."""
    content = [ln for ln in lines if ln.kind in _CONTENT]
    keys = [" ".join((ln.raw or ln.text).split()).casefold() for ln in content]
    found: dict[int, tuple[int, int]] = {}  # start of the copy -> (start of the first, length)
    for size, chars in REPEAT_TIERS:
        for j, i, length in _repeats(keys, size, chars):
            if not any(s <= j < s + n for s, (_, n) in found.items()):
                found[j] = (i, length)
    issues: list[Issue] = []
    for j, (i, length) in sorted(found.items()):
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
    return issues


def _repeats(keys: list[str], size: int, chars: int) -> list[tuple[int, int, int]]:
    """(copy's start, first's start, length) of each maximal repeated run of `size`+ lines."""
    first_at: dict[tuple[str, ...], int] = {}
    runs: list[tuple[int, int, int]] = []
    n = len(keys)
    j = 0
    while j + size <= n:
        window = tuple(keys[j : j + size])
        i = first_at.get(window)
        if i is None or i + size > j or sum(map(len, window)) < chars:
            first_at.setdefault(window, j)
            j += 1
            continue
        length = size
        while j + length < n and i + length < j and keys[i + length] == keys[j + length]:
            length += 1
        runs.append((j, i, length))
        j += length
    return runs


def duplicate_activities(report: ParsedReport, *, source: str) -> list[Issue]:
    """An activity printed twice (a title twice, under one goal or two): a report prints each
    activity once, so one of the two is misread or pasted."""
    seen: dict[str, tuple[int, str]] = {}
    issues: list[Issue] = []
    for activity in report.activities:
        if not activity.title:
            continue
        goal = activity.goal_number or short(activity.goal_text)
        first = seen.setdefault(match_key(activity.title), (activity.line, goal))
        if first != (activity.line, goal):
            issues.append(
                Issue(
                    source,
                    activity.line or None,
                    None,
                    msg(
                        "report_duplicate_activity",
                        title=short(activity.title, 80),
                        goal=goal,
                        first=first[0],
                        first_goal=first[1],
                    ),
                )
            )
    return issues


def repeated_titles(lines: list[Line], report: ParsedReport, *, source: str) -> list[Issue]:
    """An activity's title line printed again elsewhere (pasted into a comment, say)."""
    title_lines = {a.line for a in report.activities if a.line}
    wanted = {_key(ln): ln.no for ln in lines if ln.no in title_lines and ln.kind == "text"}
    issues: list[Issue] = []
    for ln in lines:
        first = wanted.get(_key(ln)) if ln.kind == "text" else None
        if first is not None and first != ln.no and ln.no not in title_lines:
            issues.append(
                Issue(
                    source,
                    ln.no,
                    None,
                    msg("report_repeated_title", title=short(ln.raw or ln.text, 80), first=first),
                )
            )
    return issues


def _key(line: Line) -> str:
    return " ".join(strip_dates(line.raw or line.text).split()).casefold()


def hollow_activities(report: ParsedReport, *, source: str) -> list[Issue]:
    """An activity with neither dates nor a status: a title and units with nothing printed
    after them are not an activity of the table, but text read as one."""
    return [
        Issue(source, a.line or None, None, msg("report_hollow_activity", title=short(a.title, 80)))
        for a in report.activities
        if a.start is None and a.end is None and a.status is None
    ]


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
