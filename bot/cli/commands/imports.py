"""`uppsikt import plan|report|template` and `uppsikt export`."""

from __future__ import annotations

import argparse

from bot.cli.context import CommandContext, CommandError


def plan(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.importers.plan_file import PlanFileError
    from bot.services.plan_import import import_plan

    engine = context.core().engine
    try:
        result = import_plan(
            engine,
            path=args.file,
            people_path=args.people,
            areas_path=args.areas,
            year=args.year,
            period=args.period,
            settings=context.settings,
        )
    except (PlanFileError, OSError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    context.say(
        context.tr("cli_plan_imported", file=args.file, summary=result.summary(context.language))
    )


def report(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.services.report_import import ReportImportError, import_report

    engine = context.core().engine
    try:
        result = import_report(
            engine, path=args.file, period=args.period, settings=context.settings
        )
    except (ReportImportError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    for warning in result.warnings:
        context.warn(context.tr("cli_warning", text=warning))
    for text in result.unplaced:
        context.warn(context.tr("cli_unplaced", text=text))
    if result.period_created:
        context.say(context.tr("cli_period_created", period=args.period))
    context.say(
        context.tr(
            "cli_report_imported",
            file=args.file,
            period=args.period,
            goals=result.goals,
            areas=result.goal_areas,
            created=result.activities_created,
            updated=result.activities_updated,
            unchanged=result.activities_unchanged,
            reports=result.reports_added,
            units=result.units_created,
        )
    )


def template(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.importers.plan_file import write_plan_template

    write_plan_template(args.file, language=context.language)
    context.say(context.tr("cli_template_written", path=args.file))


def export(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.services.export import export_period

    engine = context.core().engine
    try:
        rows = export_period(
            engine,
            period=args.period,
            path=args.output,
            language=context.language,
            zone=context.settings.timezone,
        )
    except LookupError as exc:
        raise CommandError(context.tr("unknown_period", period=args.period)) from exc
    except (OSError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    context.say(context.tr("cli_exported", rows=rows, period=args.period, path=args.output))
