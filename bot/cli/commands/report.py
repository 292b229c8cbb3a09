"""`uppsikt report PERIOD`: compile it, or give back a published version byte for byte."""

from __future__ import annotations

import argparse
import sys

from bot.cli.context import CommandContext, CommandError, UsageError
from bot.reporting import DOCUMENT_FORMATS
from bot.services.publishing import list_versions, version_file


def _write(context: CommandContext, args: argparse.Namespace, content: str | bytes) -> None:
    if args.output is None:
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return
    try:
        if isinstance(content, bytes):
            args.output.write_bytes(content)
        else:
            args.output.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise CommandError(
            context.tr("cli_file_error", path=args.output, error=exc.strerror or exc)
        ) from exc
    context.warn(context.tr("cli_written", path=args.output))


def dispatch(context: CommandContext, args: argparse.Namespace) -> None:
    """`report PERIOD ...` compiles; `report versions PERIOD` lists the published versions."""
    if args.period == "versions":
        if args.versions_of is None:
            args.parser.error(context.tr("cli_versions_period_missing"))
        args.period = _period(args, args.versions_of)
        versions(context, args)
        return
    if args.versions_of is not None:
        args.parser.error(context.tr("argparse_unrecognized") % args.versions_of)
    args.period = _period(args, args.period)
    compile_report(context, args)


def _period(args: argparse.Namespace, text: str):
    try:
        return args.period_type(text)
    except argparse.ArgumentTypeError as error:
        args.parser.error(str(error))


def compile_report(context: CommandContext, args: argparse.Namespace) -> None:
    """Compile and write a report; pdf and docx go to `-o FILE` or to a redirected stdout."""
    from bot.reporting.formats import FormatError, output_format
    from bot.services.reporting import UnknownPeriodError, render_period, render_period_document

    try:
        fmt = output_format(args.format, args.output, language=context.language)
    except FormatError as exc:  # a usage error: nothing is compiled or written
        raise UsageError(str(exc)) from exc
    binary = fmt in DOCUMENT_FORMATS or args.version is not None
    # Bytes of a PDF or Word file would garble a terminal; a pipe or a redirect is fine.
    if binary and args.output is None and sys.stdout.isatty():
        raise CommandError(context.tr("report_binary_terminal", fmt=fmt))
    if not context.settings.municipality and args.version is None:
        context.warn(context.tr("report_no_municipality"))
    core = context.core()
    if args.version is not None:
        _write(context, args, version_file(core, period=args.period, version=args.version, fmt=fmt))
        return
    try:
        if fmt in DOCUMENT_FORMATS:
            content: str | bytes = render_period_document(
                core.engine, period=args.period, fmt=fmt, settings=context.settings
            )
        else:
            content = render_period(
                core.engine, period=args.period, fmt=fmt, settings=context.settings
            )
    except UnknownPeriodError as exc:
        raise CommandError(context.tr("unknown_period", period=args.period)) from exc
    except ValueError as exc:  # a template that breaks the rules, a refused resource
        raise CommandError(str(exc)) from exc
    _write(context, args, content)


def versions(context: CommandContext, args: argparse.Namespace) -> None:
    """List a period's published versions with their hashes."""
    rows = list_versions(context.core(), period=args.period)
    if not rows:
        context.say(context.tr("cli_versions_none", period=args.period))
    zone = context.settings.timezone
    for row in rows:
        published = (
            f"{row.published_at.astimezone(zone):%Y-%m-%d %H:%M}" if row.published_at else "–"
        )
        context.say(
            context.tr(
                "cli_version_line",
                version=row.version,
                published=published,
                by=row.published_by or "–",
                surface=row.surface,
                pdf=row.pdf_sha256,
            )
        )
