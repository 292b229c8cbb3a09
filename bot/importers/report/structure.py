"""The report's structure: the numbered goal sections of chapter 1 and the goal list at the end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.importers.issues import msg
from bot.importers.report.lines import AREA_RE, CHAPTER_RE, FINANCE_HEADINGS, SECTION_RE, Line
from bot.importers.report.model import ParsedGoal
from bot.importers.report.paragraphs import normalise_goal, short
from bot.importers.report.state import ParseState

# How far back from the goal list a chapter heading ("2 Kommunstyrelsens mål") may sit.
_CHAPTER_LOOKBACK_LINES = 40
# How many wrapped lines a goal heading may have before its activity table starts.
_HEADING_MAX_CONTINUATION = 2


@dataclass
class _Heading:
    idx: int  # index in state.lines
    major: int
    minor: int
    text: str
    has_table: bool
    continuation: list[int]  # indices of the heading's wrapped lines
    body_start: int  # index of the first line after the heading (and its table header)

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass
class Section:
    """A goal's section of chapter 1: its number, heading text and lines."""

    number: str
    text: str  # heading text with its wrapped lines joined
    line: int
    lines: list[Line]


def find_goal_list(state: ParseState) -> tuple[int, int | None]:
    """Return (end of the goal sections, start of the goal list) as line indices."""
    lines = state.lines
    last_table = max((i for i, ln in enumerate(lines) if ln.kind == "header"), default=-1)
    # The goal list has no activity table, so it starts after the last table header.
    first = next(
        (
            i
            for i in range(last_table + 1, len(lines))
            if lines[i].kind == "text"
            and (AREA_RE.match(lines[i].text) or lines[i].text in FINANCE_HEADINGS)
        ),
        None,
    )
    if first is None:
        state.warn(None, msg("report_no_goal_list"))
        return len(lines), None
    chapter = first
    for i in range(first - 1, max(last_table, first - _CHAPTER_LOOKBACK_LINES), -1):
        if lines[i].kind == "text" and CHAPTER_RE.match(lines[i].text):
            chapter = i  # e.g. "2 Kommunstyrelsens mål"
            break
    return chapter, first


def _heading_lookahead(state: ParseState, idx: int, end: int) -> tuple[bool, list[int], int]:
    """Whether an activity table follows a heading, the heading's wrapped lines, body start."""
    continuation: list[int] = []
    j = idx + 1
    while j < end:
        line = state.lines[j]
        if line.kind in ("blank", "furniture"):
            j += 1
        elif line.kind == "header":
            return True, continuation, j + 1
        elif line.kind == "text" and len(continuation) < _HEADING_MAX_CONTINUATION:
            continuation.append(j)
            j += 1
        else:
            break
    return False, [], idx + 1


def find_sections(state: ParseState, goal_end: int) -> list[Section]:
    """Find the numbered sections of the goal chapter ("1.9 ...")."""
    candidates: list[_Heading] = []
    for i in range(goal_end):
        line = state.lines[i]
        match = SECTION_RE.match(line.text) if line.kind == "text" else None
        if match:
            has_table, cont, body = _heading_lookahead(state, i, goal_end)
            candidates.append(
                _Heading(i, int(match[1]), int(match[2]), match[3], has_table, cont, body)
            )
    majors = Counter(c.major for c in candidates if c.has_table)
    if not majors:
        majors = Counter(c.major for c in candidates)
    if not majors:
        _report_ignored(state, 0, goal_end, no_sections=True)
        return []
    major = majors.most_common(1)[0][0]

    # Headings followed by the activity table are the backbone; their numbers must rise. One
    # that does not is a section printed twice or out of place: text the importer cannot trust.
    backbone: list[_Heading] = []
    for cand in candidates:
        if not cand.has_table or cand.major != major:
            continue
        if backbone and cand.minor <= backbone[-1].minor:
            state.doubt(
                state.lines[cand.idx].no,
                msg(
                    "report_heading_out_of_order",
                    number=cand.number,
                    title=short(cand.text),
                    previous=backbone[-1].number,
                ),
            )
            continue
        backbone.append(cand)
    # Sections without a table (1.21 Rapportering ..., 1.22 Avgränsning) are accepted only
    # where their number fits the sequence, so that a comment line such as "1.5 miljoner
    # ..." is not taken for a heading.
    accepted: list[_Heading] = []
    previous = 0
    backbone_ids = {id(c) for c in backbone}
    for cand in candidates:
        if id(cand) in backbone_ids:
            accepted.append(cand)
            previous = cand.minor
            continue
        if cand.has_table or cand.major != major or cand.minor != previous + 1:
            continue
        following = next((b for b in backbone if b.idx > cand.idx), None)
        if following is None or following.minor > cand.minor:
            accepted.append(cand)
            previous = cand.minor

    if not accepted:
        _report_ignored(state, 0, goal_end, no_sections=True)
        return []
    _report_ignored(state, 0, accepted[0].idx, no_sections=False)
    sections: list[Section] = []
    for k, head in enumerate(accepted):
        end = accepted[k + 1].idx if k + 1 < len(accepted) else goal_end
        section_lines = state.lines[head.body_start : end]
        is_goal = head.has_table or any(ln.kind == "status" for ln in section_lines)
        if not is_goal:
            # Prose sections (reporting, scope) are not goals.
            continue
        text = " ".join([head.text, *(state.lines[j].text for j in head.continuation)])
        sections.append(Section(head.number, text, state.lines[head.idx].no, section_lines))
    if not sections:
        _report_ignored(state, 0, goal_end, no_sections=True)
    return sections


def _report_ignored(state: ParseState, start: int, end: int, *, no_sections: bool) -> None:
    """Warn about text skipped as prose when it looks like activities or is all there is."""
    region = state.lines[start:end]
    if no_sections:
        texts = [ln for ln in region if ln.kind not in ("blank", "furniture", "header", "summary")]
        if texts:
            state.warn(texts[0].no, msg("report_no_sections_lines", count=len(texts)))
        else:
            state.warn(None, msg("report_no_sections"))
        return
    statuses = [ln for ln in region if ln.kind == "status"]
    if statuses:
        state.warn(statuses[0].no, msg("report_status_before_sections", count=len(statuses)))


def parse_goal_list(state: ParseState, start: int) -> tuple[list[ParsedGoal], list[str]]:
    """The last chapter: goal areas and the goals under each, then the sound-finances goals."""
    goals: list[ParsedGoal] = []
    first_line: dict[int, int] = {}
    areas: list[str] = []
    area: str | None = None
    finance = False
    parts: list[str] | None = None
    parts_line = 0

    def flush() -> None:
        nonlocal parts
        if parts:
            first_line[len(goals)] = parts_line
            goals.append(ParsedGoal(None, " ".join(parts), area, finance))
        parts = None

    for line in state.lines[start:]:
        if line.kind in ("blank", "furniture", "header"):
            continue
        text = line.raw or line.text
        area_match = AREA_RE.match(text)
        if area_match:
            flush()
            area, finance = area_match[1].strip(), False
            if area in areas:
                state.warn(line.no, msg("report_area_twice", area=area))
            else:
                areas.append(area)
        elif text in FINANCE_HEADINGS:
            flush()
            area, finance = None, True
        elif line.kind == "bullet":
            flush()
            parts, parts_line = [line.text], line.no
        elif parts is not None:
            parts.append(text)  # a goal's text wrapped onto the next line
        else:
            state.warn(line.no, msg("report_list_not_goal", excerpt=short(text)))
    flush()
    seen: set[str] = set()
    for index, goal in enumerate(goals):
        key = normalise_goal(goal.text)
        if key in seen:
            state.warn(first_line.get(index), msg("report_goal_twice", excerpt=short(goal.text)))
        seen.add(key)
    return goals, areas


def number_goals(
    state: ParseState, goals: list[ParsedGoal], sections: list[Section], *, have_list: bool
) -> list[ParsedGoal]:
    """Give each listed goal the number of its heading; keep headings missing from the list."""
    by_text = {normalise_goal(g.text): g for g in goals}
    for section in sections:
        goal = by_text.get(normalise_goal(section.text))
        if goal is not None and goal.number is None:
            goal.number = section.number
            continue
        if have_list:
            state.warn(
                section.line,
                msg("report_heading_not_listed", number=section.number, title=short(section.text)),
            )
        goals.append(ParsedGoal(section.number, section.text, None, False))
    return goals
