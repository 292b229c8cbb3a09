"""`uppsikt import plan|report|template` and `uppsikt export`."""

from __future__ import annotations

import argparse

from bot.cli.context import CommandContext, CommandError, UsageError


def plan(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.importers.issues import ImportOptionsError, ImportRefused
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
    except ImportRefused as exc:
        raise CommandError(exc.render(context.language)) from exc
    except ImportOptionsError as exc:
        raise UsageError(str(exc)) from exc
    context.say(result.summary(context.language))


def report(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.importers.issues import ImportRefused
    from bot.services.report_import import import_report

    engine = context.core().engine
    try:
        result = import_report(
            engine, path=args.file, period=args.period, settings=context.settings
        )
    except ImportRefused as exc:
        raise CommandError(exc.render(context.language)) from exc
    for line in result.warning_lines(context.language):
        context.warn(line)
    context.say(result.summary(context.language))


def template(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.planfile.template import TemplateError, write_plan_template

    try:
        files = write_plan_template(args.file, language=context.language, force=args.force)
    except TemplateError as exc:
        text = context.tr(exc.key, **exc.params)
        if exc.key == "template_unsupported":
            raise UsageError(text) from exc
        raise CommandError(text) from exc
    except OSError as exc:
        raise CommandError(_unwritable(context, args.file, exc)) from exc
    names = ", ".join(str(p) for p in files.all())
    context.say(context.tr("template_written", files=names))


def export(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.importers.issues import ImportOptionsError
    from bot.services.export import ExportError, export_period

    engine = context.core().engine
    try:
        rows = export_period(
            engine,
            period=args.period,
            path=args.output,
            language=context.language,
            zone=context.settings.timezone,
        )
    except ImportOptionsError as exc:
        raise UsageError(str(exc)) from exc
    except ExportError as exc:
        raise CommandError(str(exc)) from exc
    context.say(context.tr("export_done", rows=rows, period=args.period, path=args.output))


def _unwritable(context: CommandContext, path: object, exc: OSError) -> str:
    reason = (
        context.tr("export_reason_permission")
        if isinstance(exc, PermissionError)
        else context.tr("export_reason_other", code=exc.errno or "?")
    )
    return context.tr("export_unwritable", path=path, reason=reason)
