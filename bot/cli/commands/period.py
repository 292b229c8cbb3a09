"""`uppsikt period open|deadline|close|list`: the same rule as in chat, the operator as admin."""

from __future__ import annotations

import argparse
from datetime import datetime

from bot.cli.context import CommandContext
from bot.services import periods


def _local(context: CommandContext, moment: datetime) -> str:
    zone = context.settings.timezone
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


def _change(context: CommandContext, change: periods.PeriodChange) -> periods.PeriodChanged:
    changed = periods.change_period(context.core(), who=None, change=change)
    for key, params in changed.notes:
        context.warn(context.tr("cli_warning", text=context.tr(key, **params)))
    return changed


def open_(context: CommandContext, args: argparse.Namespace) -> None:
    changed = _change(
        context,
        periods.PeriodChange(
            period=args.period,
            action=periods.OPEN,
            deadline_text=args.deadline,
            confirmed=args.force,
        ),
    )
    deadline = _local(context, changed.period.deadline)
    context.say(context.tr("cli_period_opened", period=changed.period.key, deadline=deadline))


def deadline(context: CommandContext, args: argparse.Namespace) -> None:
    changed = _change(
        context,
        periods.PeriodChange(
            period=args.period,
            action=periods.DEADLINE,
            deadline_text=args.deadline,
            confirmed=args.force,
        ),
    )
    key = "cli_period_deadline" if changed.changed else "cli_period_unchanged"
    context.say(
        context.tr(
            key, period=changed.period.key, deadline=_local(context, changed.period.deadline)
        )
    )


def close(context: CommandContext, args: argparse.Namespace) -> None:
    changed = _change(context, periods.PeriodChange(period=args.period, action=periods.CLOSE))
    if changed.changed:
        context.say(context.tr("cli_period_closed", period=changed.period.key))


def list_(context: CommandContext, _args: argparse.Namespace) -> None:
    rows = periods.list_periods(context.core())
    if not rows:
        context.say(context.tr("cli_no_periods"))
    for status in rows:
        context.say(
            context.tr(
                "cli_period_line",
                period=status.key,
                state=context.tr(f"cli_state_{status.state}"),
                deadline=_local(context, status.deadline),
                reported=status.reported,
                total=status.total,
            )
        )
        for unit in status.units:
            context.say(
                context.tr(
                    "cli_period_unit", unit=unit.unit_path, reported=unit.reported, total=unit.total
                )
            )
