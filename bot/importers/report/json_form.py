"""The report's JSON form (`uppsikt report PERIOD --format json`) read back as a parsed report.

Only what the import needs is read, and tolerantly (the renderer may add fields): sections with
their activities, the goal list, the import notes (`admin.import_notes`; a JSON file published
before they moved there has them as `sections[].unplaced` and `unplaced_without_goal`). A missing
or mistyped field needed for that is a refusal naming the field, never a KeyError.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.domain.status import parse_status
from bot.importers.issues import Issue, ReportFileError, msg
from bot.importers.matching import clean_block, clean_line
from bot.importers.report.checks import duplicate_activities, field_limits
from bot.importers.report.model import ParsedActivity, ParsedGoal, ParsedReport, UnplacedText
from bot.importers.report.paragraphs import normalise_goal


class _Shape(Exception):
    def __init__(self, where: str) -> None:
        self.where = where


def parse_report_json(text: str, *, source: str, language: str = "sv") -> ParsedReport:
    """The report in a JSON document; raise ReportFileError when it is not one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        detail = msg("report_json_syntax", line=error.lineno)
        raise ReportFileError(
            [Issue(source, None, None, msg("report_bad_json", detail=detail))], language=language
        ) from None
    except RecursionError:
        detail = msg("report_json_shape", field="(nesting)")
        raise ReportFileError(
            [Issue(source, None, None, msg("report_bad_json", detail=detail))], language=language
        ) from None
    try:
        report = _report(document)
    except _Shape as shape:
        detail = msg("report_json_shape", field=shape.where)
        raise ReportFileError(
            [Issue(source, None, None, msg("report_bad_json", detail=detail))], language=language
        ) from None
    report.doubts += duplicate_activities(report, source=source)
    report.doubts += field_limits(report, source=source)
    return report


def _get(
    mapping: Any, key: str, kind: type | tuple[type, ...], where: str, default: Any = ...
) -> Any:
    if not isinstance(mapping, dict):
        raise _Shape(where)
    value = mapping.get(key, default)
    if value is ... or (value is not None and not isinstance(value, kind)):
        raise _Shape(f"{where}.{key}" if where else key)
    return value


def _report(document: Any) -> ParsedReport:
    report = ParsedReport()
    period = _get(document, "period", str, "", None)
    report.period = clean_line(period) if period else None
    goals: list[ParsedGoal] = []
    by_text: dict[str, ParsedGoal] = {}
    for a, group in enumerate(_get(document, "all_goals", list, "", [])):
        where = f"all_goals[{a}]"
        finance = bool(_get(group, "is_council_finance", bool, where, False))
        area = clean_line(_get(group, "area", str, where, "") or "") or None
        if not finance and area and area not in report.goal_areas:
            report.goal_areas.append(area)
        for g, goal_text in enumerate(_get(group, "goals", list, where, [])):
            if not isinstance(goal_text, str):
                raise _Shape(f"{where}.goals[{g}]")
            goal = ParsedGoal(None, clean_line(goal_text), None if finance else area, finance)
            goals.append(goal)
            by_text.setdefault(normalise_goal(goal.text), goal)
    for s, section in enumerate(_get(document, "sections", list, "")):
        where = f"sections[{s}]"
        number = _get(section, "number", str, where, None)
        text = clean_line(_get(section, "text", str, where, "") or "")
        found = by_text.get(normalise_goal(text)) if text else None
        if found is not None:
            goal = found
        else:
            finance = bool(_get(section, "is_council_finance_goal", bool, where, False))
            area = clean_line(_get(section, "area", str, where, "") or "") or None
            goal = ParsedGoal(None, text, area, finance)
            goals.append(goal)
            if text:
                by_text[normalise_goal(text)] = goal
        goal.number = clean_line(number) if number else goal.number
        for n, note in enumerate(_get(section, "unplaced", list, where, [])):
            if not isinstance(note, str):
                raise _Shape(f"{where}.unplaced[{n}]")
            report.unplaced.append(
                UnplacedText(goal.number, clean_block(note), None, msg("report_reason_json"))
            )
        for i, activity in enumerate(_get(section, "activities", list, where)):
            report.activities.append(_activity(activity, goal, f"{where}.activities[{i}]"))
    for n, note in enumerate(_get(document, "unplaced_without_goal", list, "", [])):
        if not isinstance(note, str):
            raise _Shape(f"unplaced_without_goal[{n}]")
        report.unplaced.append(
            UnplacedText(None, clean_block(note), None, msg("report_reason_json"))
        )
    admin = _get(document, "admin", dict, "", None) or {}
    for n, note in enumerate(_get(admin, "import_notes", list, "admin", None) or []):
        report.unplaced.append(_import_note(note, by_text, f"admin.import_notes[{n}]"))
    report.goals = goals
    return report


def _import_note(note: Any, by_text: dict[str, ParsedGoal], where: str) -> UnplacedText:
    """An admin's import note: its text, its goal (by number, else by text), why it was kept."""
    text = clean_block(_get(note, "text", str, where))
    number = clean_line(_get(note, "goal_number", str, where, None) or "")
    if not number:
        goal_text = clean_line(_get(note, "goal_text", str, where, None) or "")
        goal = by_text.get(normalise_goal(goal_text)) if goal_text else None
        number = (goal.number or "") if goal is not None else ""
    reason = clean_line(_get(note, "reason", str, where, None) or "")
    # The reason the first import gave, kept as it is (not wrapped again on each round trip).
    why = msg("report_reason_kept", reason=reason) if reason else msg("report_reason_json")
    return UnplacedText(number or None, text, None, why)


def _activity(activity: Any, goal: ParsedGoal, where: str) -> ParsedActivity:
    title = clean_line(_get(activity, "title", str, where))
    units: list[list[str]] = []
    for u, path in enumerate(_get(activity, "units", list, where, [])):
        if not isinstance(path, str):
            raise _Shape(f"{where}.units[{u}]")
        units.append([clean_line(p) for p in path.split(">") if clean_line(p)])
    status = _get(activity, "status", str, where, None)
    if status is not None:
        try:
            status = parse_status(status).value
        except ValueError:
            raise _Shape(f"{where}.status") from None
    return ParsedActivity(
        goal_number=goal.number or "",
        title=title,
        units=units,
        start=_date(activity, "start", where),
        end=_date(activity, "end", where),
        purpose=clean_block(_get(activity, "purpose", str, where, "") or ""),
        status=status,
        comment=clean_block(_get(activity, "comment", str, where, "") or ""),
        line=0,
        goal_text=goal.text,
    )


def _date(activity: Any, key: str, where: str) -> date | None:
    value = _get(activity, key, str, where, None)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Shape(f"{where}.{key}") from None
