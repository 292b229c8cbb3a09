"""The App Home tab: the person's units and activities, and every unit's progress for a secretary."""

from __future__ import annotations

from typing import Any

from bot.domain.reminder_policy import ReminderSchedule
from bot.domain.reporting import ActivityItem, AdminPeriodRow, PeriodInfo, UnitProgress
from bot.slack import ids
from bot.slack.blocks.admin import admin_home_blocks
from bot.slack.blocks.common import (
    MAX_VIEW_BLOCKS,
    NAME_LIMIT,
    UNIT_LIMIT,
    Block,
    button,
    context,
    divider,
    excerpt,
    format_datetime,
    pack_sections,
    section,
    unit_activity_blocks,
)
from bot.slack.messages import language_or_default, msg

# Sections of the secretary's all-units list (each up to 3000 characters, ~30 units)
ALL_UNITS_SECTIONS = 5


def _period_text(period: PeriodInfo | None, language: str) -> str:
    if period is None:
        return msg(language, "home_no_period")
    if not period.is_open:
        return msg(language, "home_period_not_open", period=period.key)
    deadline = msg(language, "deadline", deadline=format_datetime(period.deadline, language))
    return msg(language, "home_period_open", period=period.key, deadline=deadline)


def _commands(language: str, *, is_admin: bool, is_secretary: bool) -> str:
    commands = [f"`{ids.COMMAND} status`"]
    if is_secretary:
        commands.append(f"`{ids.COMMAND} {msg(language, 'cmd_report')} PERIOD`")
    if is_admin:
        commands.append(f"`{ids.COMMAND} {msg(language, 'cmd_remind')} PERIOD`")
        commands.append(f"`{ids.COMMAND} deadline PERIOD {msg(language, 'cmd_deadline_args')}`")
    commands.append(f"`{ids.COMMAND} {msg(language, 'cmd_help')}`")
    return msg(language, "home_commands", commands=", ".join(commands))


def all_units_blocks(
    all_units: list[UnitProgress], period: PeriodInfo | None, language: str, *, max_sections: int
) -> list[Block]:
    """Return every unit's progress, units with missing statuses first, packed compactly."""
    ordered = sorted(all_units, key=lambda p: (p.missing <= 0, p.unit_path))
    lines = []
    for progress in ordered:
        marker = ":red_circle:" if progress.missing > 0 else ":white_check_mark:"
        counts = msg(
            language, "progress_reported", reported=progress.reported, total=progress.total
        )
        lines.append(f"{marker} {excerpt(progress.unit_path, UNIT_LIMIT)}: {counts}")
    period_key = period.key if period is not None else "–"
    blocks = [section(msg(language, "home_all_units", period=period_key))]
    packed, used = pack_sections(lines, max_sections=max_sections)
    blocks += packed
    if used < len(lines):
        blocks.append(context(msg(language, "home_more_units", count=len(lines) - used)))
    return blocks


def build_home(
    *,
    language: str,
    person_name: str | None,
    period: PeriodInfo | None,
    units: list[tuple[UnitProgress, list[ActivityItem]]],
    all_units: list[UnitProgress] | None,
    is_admin: bool,
    is_secretary: bool,
    admin_periods: list[AdminPeriodRow] | None = None,
    schedule: ReminderSchedule | None = None,
) -> dict[str, Any]:
    """Build the App Home view (≤ 100 blocks whatever the number of units and activities).

    `admin_periods` (with `schedule`) adds the admin's section: periods to change, the
    reminder schedule, a new period.
    """
    language = language_or_default(language)
    footer = context(_commands(language, is_admin=is_admin, is_secretary=is_secretary))

    if person_name is None:
        blocks: list[Block] = [
            section(f"*{msg(language, 'home_greeting_unknown')}*"),
            section(msg(language, "not_registered")),
            context(msg(language, "home_help")),
        ]
        return {"type": "home", "blocks": blocks}

    greeting = msg(language, "home_greeting", name=excerpt(person_name, NAME_LIMIT))
    blocks = [
        section(f"*{greeting}*\n{_period_text(period, language)}"),
        {
            "type": "actions",
            "elements": [button(msg(language, "button_refresh"), ids.HOME_REFRESH, "refresh")],
        },
        divider(),
    ]
    secretary: list[Block] = []
    if all_units is not None:
        secretary = [
            divider(),
            *all_units_blocks(all_units, period, language, max_sections=ALL_UNITS_SECTIONS),
        ]

    admin: list[Block] = []
    if admin_periods is not None:
        admin = admin_home_blocks(admin_periods, schedule, language)

    budget = MAX_VIEW_BLOCKS - len(blocks) - len(secretary) - len(admin) - 1  # the footer
    if units:
        unit_blocks, hidden = unit_activity_blocks(
            units, period=period, language=language, max_blocks=budget
        )
        blocks += unit_blocks
        if hidden:
            blocks.append(context(msg(language, "home_more", count=hidden)))
    elif not (is_secretary or is_admin):
        blocks.append(section(msg(language, "home_no_units")))
    blocks += secretary
    blocks += admin
    blocks.append(footer)
    return {"type": "home", "blocks": blocks}
