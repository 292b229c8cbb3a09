"""One goal section: its unit trees, each activity's title, dates, purpose, status and comment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.importers.issues import msg
from bot.importers.report.echoes import Draft, split_echoes
from bot.importers.report.lines import DATES_RE, TRAILING_DATES_RE, Item, is_gap, items_of
from bot.importers.report.model import ParsedActivity
from bot.importers.report.paragraphs import (
    ends_sentence,
    join_paras,
    paragraphs,
    short,
    starts_lower,
    strip_dates,
)
from bot.importers.report.state import ParseState
from bot.importers.report.structure import Section


@dataclass
class _Title:
    parts: list[list[int]]  # item indices of each title block, in order
    dates_idx: int | None  # a separate date line belonging to the title
    start_idx: int  # first item of the activity


def _bullet_runs(items: list[Item]) -> list[tuple[int, int]]:
    """Runs of unit-tree lines as (start, end) item indices."""
    runs: list[tuple[int, int]] = []
    n = len(items)
    i = 0
    while i < n:
        if items[i].kind != "bullet":
            i += 1
            continue
        j = i + 1
        while j < n:
            if items[j].kind == "bullet":
                j += 1
            elif items[j].kind == "text" and items[j].indent >= 2 and items[j - 1].kind == "bullet":
                j += 1  # an indented, wrapped unit name
            elif items[j].kind == "break" and j + 1 < n and items[j + 1].kind == "bullet":
                j += 1  # a tree cut by a page break
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _find_title(items: list[Item], run_start: int, lower: int) -> _Title:
    """Walk back from a unit tree to its title, across a page break if the title was cut."""

    def skip_gaps(k: int) -> tuple[int, bool]:
        saw_break = False
        while k >= lower and is_gap(items[k]):
            saw_break = saw_break or items[k].kind == "break"
            k -= 1
        return k, saw_break

    def block_before(k: int) -> list[int]:
        block: list[int] = []
        while k >= lower and items[k].kind == "text":
            # A title wraps mid-sentence, so an earlier line that ends a sentence is the end of
            # the comment before (text from pypdf has no blank lines between them).
            if block and ends_sentence(strip_dates(items[k].text)):
                break
            block.insert(0, k)
            k -= 1
        return block

    k, _ = skip_gaps(run_start - 1)
    dates_idx: int | None = None
    if k >= lower and items[k].kind == "dates":
        dates_idx = k  # the dates sit between title and tree (title at a page bottom)
        k, _ = skip_gaps(k - 1)
    block = block_before(k)
    if not block:
        return _Title([], dates_idx, dates_idx if dates_idx is not None else run_start)
    parts = [block]
    while True:
        k, saw_break = skip_gaps(block[0] - 1)
        if not saw_break:
            break
        part_dates: int | None = None
        if k >= lower and items[k].kind == "dates" and dates_idx is None:
            part_dates = k
            k, _ = skip_gaps(k - 1)
        previous = block_before(k)
        if not previous:
            break
        last = items[previous[-1]].text
        trailing = TRAILING_DATES_RE.match(last)
        last_text = trailing[1] if trailing else last
        # The block before the page break is the title's first part if the dates were printed
        # on it (or right after it), or if the title's sentence runs on.
        cut = part_dates is not None or trailing is not None
        cut = cut or (starts_lower(items[block[0]].text) and not ends_sentence(last_text))
        if not cut:
            break
        if part_dates is not None:
            dates_idx = part_dates
        parts.insert(0, previous)
        block = previous
    return _Title(parts, dates_idx, parts[0][0])


def parse_section(state: ParseState, section: Section) -> None:
    """Read a goal section's activities into the state."""
    items = items_of(section.lines)
    number = section.number
    marker = next((i for i, it in enumerate(items) if it.kind == "unplaced"), None)
    if marker is not None:
        # Notes printed under their heading: kept as notes again, of this goal or of none.
        noted = [it for it in items[marker + 1 :] if it.kind != "unplaced"]
        state.unplace(
            number if items[marker].text else None,
            paragraphs(noted, logical=state.logical_lines),
            msg("report_reason_noted"),
        )
        items = items[:marker]
    runs = _bullet_runs(items)
    trees: list[tuple[tuple[int, int], _Title]] = []
    lower = 0
    for r, (start, end) in enumerate(runs):
        title = _find_title(items, start, lower)
        next_run = runs[r + 1][0] if r + 1 < len(runs) else len(items)
        k = end
        while k < len(items) and is_gap(items[k]):
            k += 1
        title_dates = title.dates_idx is not None or any(
            TRAILING_DATES_RE.match(items[i].text) for part in title.parts for i in part
        )
        dates_after = k < len(items) and items[k].kind == "dates"
        status_after = any(items[i].kind == "status" for i in range(end, next_run))
        # A bullet list inside a comment has no dates and no status of its own.
        if title_dates or dates_after or status_after:
            trees.append(((start, end), title))
            lower = end

    if not trees:
        if any(not is_gap(it) for it in items):
            state.unplace(
                number,
                paragraphs(items, logical=state.logical_lines),
                msg("report_reason_no_table"),
            )
        else:
            state.warn(section.line, msg("report_section_empty", goal=number))
        return

    first_start = trees[0][1].start_idx
    if any(not is_gap(it) for it in items[:first_start]):
        state.unplace(
            number,
            paragraphs(items[:first_start], logical=state.logical_lines),
            msg("report_reason_before_first"),
        )

    drafts: list[Draft] = []
    for t, ((run_start, run_end), title) in enumerate(trees):
        span_end = trees[t + 1][1].start_idx if t + 1 < len(trees) else len(items)
        drafts.append(_parse_activity(state, number, items, run_start, run_end, title, span_end))
    split_echoes(state, number, drafts)
    for draft in drafts:
        state.activities.append(
            ParsedActivity(
                goal_number=draft.goal_number,
                title=draft.title,
                units=draft.units,
                start=draft.start,
                end=draft.end,
                purpose=draft.purpose,
                status=draft.status,
                comment=join_paras(draft.comment_paras),
                line=draft.line,
                goal_text=section.text,
            )
        )


def _parse_activity(
    state: ParseState,
    number: str,
    items: list[Item],
    run_start: int,
    run_end: int,
    title: _Title,
    span_end: int,
) -> Draft:
    line_no = items[title.start_idx].no
    # Title: its blocks joined into one line; dates printed on a title line are taken off.
    dates: tuple[str, str, int] | None = None
    if title.dates_idx is not None:
        found = DATES_RE.match(items[title.dates_idx].text)
        assert found is not None
        dates = (found[1], found[2], items[title.dates_idx].no)
    words: list[str] = []
    for part in title.parts:
        for i in part:
            text = items[i].text
            trailing = TRAILING_DATES_RE.match(text)
            if trailing:
                text = trailing[1]
                if dates is None:
                    dates = (trailing[2], trailing[3], items[i].no)
                else:
                    state.doubt(
                        items[i].no,
                        msg("report_second_title_dates", dates=f"{trailing[2]} {trailing[3]}"),
                    )
            words.append(text)
    # A title wrapped after a slash ("lärcentret/kommunhuset") had no space there.
    title_text = ""
    for word in words:
        title_text += word if not title_text or title_text.endswith("/") else " " + word
    if not title_text:
        state.warn(line_no, msg("report_no_title", goal=number))

    units = _units(items[run_start:run_end])
    bullets = [it for it in items[run_start:run_end] if it.kind == "bullet"]
    if len(bullets) > 1 and len({it.indent for it in bullets}) == 1:
        # Without indentation the tree cannot be told from a list of separate units.
        state.warn(bullets[0].no, msg("report_units_flat", title=short(title_text)))

    # After the tree: dates (unless they came with the title), purpose, status, comment.
    k = run_end
    while k < span_end and is_gap(items[k]):
        k += 1
    if k < span_end and items[k].kind == "dates":
        if dates is None:
            found = DATES_RE.match(items[k].text)
            assert found is not None
            dates = (found[1], found[2], items[k].no)
        else:
            state.doubt(
                items[k].no,
                msg("report_second_date_line", title=short(title_text), dates=items[k].text),
            )
        k += 1
    statuses = [i for i in range(k, span_end) if items[i].kind == "status"]
    status: str | None = None
    if not statuses:
        # Every printed activity has a status line (Uppsikt's own: "Ingen status rapporterad"):
        # without one, the header was misread or the text after it belongs elsewhere.
        state.doubt(line_no, msg("report_no_status", title=short(title_text)))
        purpose_items, comment_items = items[k:span_end], []
    else:
        first = statuses[0]
        status = items[first].text or None
        purpose_items = items[k:first]
        comment_end = statuses[1] if len(statuses) > 1 else span_end
        comment_items = items[first + 1 : comment_end]
        if len(statuses) > 1:
            state.unplace(
                number,
                paragraphs(items[statuses[1] : span_end], logical=state.logical_lines),
                msg("report_reason_status_without_header", title=short(title_text)),
            )

    for item in [*purpose_items, *comment_items]:
        if item.kind == "dates":
            # A start and end date alone on a line belong to an activity's header, never to
            # running text: a header's lines were lost or pasted here.
            state.doubt(
                item.no, msg("report_stray_dates", dates=item.text, title=short(title_text))
            )
    start = end = None
    if dates is None:
        state.warn(line_no, msg("report_no_dates", title=short(title_text)))
    else:
        start = _date(state, dates[0], dates[2])
        end = _date(state, dates[1], dates[2])
        if start and end and start > end:
            state.warn(dates[2], msg("report_end_before_start", title=short(title_text)))
    return Draft(
        goal_number=number,
        title=title_text,
        units=units,
        start=start,
        end=end,
        purpose=join_paras(paragraphs(purpose_items, logical=state.logical_lines)),
        status=status,
        comment_paras=paragraphs(comment_items, logical=state.logical_lines),
        line=line_no,
    )


def _units(run: list[Item]) -> list[list[str]]:
    """The leaves of a printed unit tree, each as its path from the root."""
    names: list[tuple[int, str]] = []  # (indent, name)
    for item in run:
        if item.kind == "bullet":
            names.append((item.indent, item.text))
        elif item.kind == "text" and names:
            indent, name = names[-1]
            names[-1] = (indent, f"{name} {item.text}")
    paths: list[list[str]] = []
    stack: list[tuple[int, str]] = []
    for indent, name in names:
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, name))
        paths.append([n for _, n in stack])
    leaves: list[list[str]] = []
    for i, path in enumerate(paths):
        # In a printed tree a node's children follow it directly.
        nxt = paths[i + 1] if i + 1 < len(paths) else None
        is_parent = nxt is not None and len(nxt) > len(path) and nxt[: len(path)] == path
        if not is_parent and path not in leaves:
            leaves.append(path)
    return leaves


def _date(state: ParseState, text: str, line: int) -> date | None:
    year, month, day = (int(p) for p in text.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        state.warn(line, msg("report_bad_date", text=text))
        return None
