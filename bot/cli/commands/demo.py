"""`uppsikt demo [DIR]`: a demo database from the bundled seed, and its report."""

from __future__ import annotations

import argparse

from bot.cli.context import CommandContext, CommandError


def demo(context: CommandContext, args: argparse.Namespace) -> None:
    from bot.services.demo import build_demo

    directory = args.dir
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(
            context.tr("cli_file_error", path=directory, error=exc.strerror or exc)
        ) from exc
    settings = context.settings.replace(
        database_url=f"sqlite:///{(directory / 'uppsikt-demo.db').resolve()}"
    )
    outcome = build_demo(directory, settings=settings)
    for warning in outcome.warnings:
        context.warn(context.tr("cli_warning", text=warning))
    context.say(
        context.tr(
            "cli_demo_done",
            db=outcome.database,
            period=outcome.period,
            files="\n".join(f"  {p}" for p in outcome.files),
        )
    )
