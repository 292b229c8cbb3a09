"""Which year a plan is for: from its dates, checked against `--year` or `--period`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot import i18n
from bot.importers.issues import Issue, msg
from bot.importers.plan.cells import Cells


@dataclass(frozen=True)
class _Dated:
    cells: Cells
    start: date
    end: date


def rows_text(rows: Iterable[int]) -> str:
    """Row numbers as short ranges: `2-5, 9`."""
    numbers = sorted(set(rows))
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    return ", ".join(parts)


def plan_year(
    rows: list[Cells], *, given: int | None, option: str, fallback: int, issues: list[Issue]
) -> int:
    """The plan's year; issues when the dates span years or contradict the year given.

    An activity belongs to every year its dates touch (a project may run 2022-2024). Without a
    year given, the plan's year is the one year every activity touches; none or several is
    refused, naming the rows. With a year given, each activity must touch it.
    """
    dated = [d for d in (_quiet_dates(r) for r in rows) if d is not None]
    if given is not None:
        for entry in dated:
            if not entry.start.year <= given <= entry.end.year:
                key = "start" if entry.start.year > given else "end"
                entry.cells.fail(
                    key,
                    msg(
                        "plan_year_contradicts",
                        start=entry.start,
                        end=entry.end,
                        year=given,
                        option=option,
                    ),
                )
        return given
    if not dated:
        return fallback
    common = set(range(dated[0].start.year, dated[0].end.year + 1))
    for entry in dated[1:]:
        common &= set(range(entry.start.year, entry.end.year + 1))
    if len(common) == 1:
        return common.pop()
    label = dated[0].cells.table.label
    if common:
        issues.append(
            Issue(
                label,
                None,
                None,
                msg(
                    "plan_years_ambiguous",
                    first=min(common),
                    last=max(common),
                    rows=rows_text(d.cells.number for d in dated),
                ),
            )
        )
        return min(common)
    by_year: dict[int, list[int]] = defaultdict(list)
    for entry in dated:
        by_year[entry.start.year].append(entry.cells.number)
    parts = [(year, rows_text(numbers)) for year, numbers in sorted(by_year.items())]

    def detail(language: str) -> str:
        return "; ".join(f"{year}: {i18n.t(language, 'imp_rows', rows=r)}" for year, r in parts)

    issues.append(Issue(label, None, None, msg("plan_years_span", detail=detail)))
    return min(by_year)


def _quiet_dates(row: Cells) -> _Dated | None:
    """The row's dates when both are readable and in order; the row's own check reports the rest."""
    probe = Cells(row.table, row.columns, row.number, row.cells, row.spec)
    start, end = probe.date("start"), probe.date("end")
    if start is None or end is None or end < start:
        return None
    return _Dated(row, start, end)
