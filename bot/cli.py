"""The `uppsikt` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.config import ConfigError, Settings, load_settings, redact_url
from bot.domain.periods import PeriodKey, parse_period

REPORT_FORMATS = ("md", "html", "json", "pdf", "docx")

MESSAGES = {
    "sv": {
        "db_upgraded": "Databasen {url} är uppgraderad: {before} -> {after}.",
        "db_current": "Databasen {url} är redan på senaste versionen ({after}).",
        "written": "Skrev {path}",
        "template_written": "Skrev importmall {path}",
        "unknown_period": "Perioden {period} finns inte. Importera en plan eller rapport för den först.",
        "report_imported": (
            "Importerade {file} för {period}: {goals} mål i {areas} målområden, "
            "{created} nya och {updated} ändrade aktiviteter ({unchanged} oförändrade), "
            "{reports} statusrapporter, {units} nya enheter."
        ),
        "period_created": "Perioden {period} skapades (stängd, eftersom rapporten redan är publicerad).",
        "warning": "Varning: {text}",
        "unplaced": "Varning: text som inte kunde knytas till en aktivitet sparades som anteckning: {text}",
        "exported": "Exporterade {rows} aktiviteter för {period} till {path}",
        "demo_done": (
            "Demon är klar. Databas: {db}\nRapporten för {period} finns i:\n{files}\n"
            "Öppna HTML-filen i en webbläsare, eller kör till exempel:\n"
            "  DATABASE_URL=sqlite:///{db} uppsikt report {period} --format md"
        ),
        "plan_imported": "Importerade {file}: {summary}",
        "error": "Fel: {text}",
        "run_missing": "Inställningar saknas för att starta boten: {names}. Se .env.example.",
        "run_http": "Uppsikt lyssnar på http://{host}:{port}/slack/events (hälsa: /healthz)",
        "run_socket": "Uppsikt är ansluten till Slack i Socket Mode",
        "run_stopped": "Uppsikt har stoppats",
        "scheduler_on": "Påminnelseschemat körs i den här processen (svep var {seconds}:e sekund)",
        "scheduler_taken": (
            "En annan process kör redan påminnelseschemat för den här databasen; "
            "den här processen kör utan schema"
        ),
        "scheduler_off": "Påminnelseschemat är avstängt (UPPSIKT_SCHEDULER=off)",
        "period_opened": "Perioden {period} är öppen, sista dag för rapportering {deadline}.",
        "period_deadline": "Ny deadline för {period}: {deadline}.",
        "period_closed": "Perioden {period} är stängd; den tar inte emot fler rapporter.",
        "period_line": "{period}  {state:7}  deadline {deadline}  rapporterat {reported}/{total}",
        "period_unit": "    {unit}: {reported}/{total}",
        "no_periods": "Inga perioder ännu.",
        "state_open": "öppen",
        "state_closed": "stängd",
    },
    "en": {
        "db_upgraded": "Database {url} upgraded: {before} -> {after}.",
        "db_current": "Database {url} is already at the latest version ({after}).",
        "written": "Wrote {path}",
        "template_written": "Wrote import template {path}",
        "unknown_period": "Period {period} does not exist. Import a plan or report for it first.",
        "report_imported": (
            "Imported {file} for {period}: {goals} goals in {areas} goal areas, "
            "{created} new and {updated} changed activities ({unchanged} unchanged), "
            "{reports} status reports, {units} new units."
        ),
        "period_created": "Period {period} was created (closed, as the report is already published).",
        "warning": "Warning: {text}",
        "unplaced": "Warning: text that could not be placed with an activity was kept as a note: {text}",
        "exported": "Exported {rows} activities for {period} to {path}",
        "demo_done": (
            "The demo is ready. Database: {db}\nThe report for {period} is in:\n{files}\n"
            "Open the HTML file in a browser, or run for example:\n"
            "  DATABASE_URL=sqlite:///{db} uppsikt report {period} --format md"
        ),
        "plan_imported": "Imported {file}: {summary}",
        "error": "Error: {text}",
        "run_missing": "Settings missing to start the bot: {names}. See .env.example.",
        "run_http": "Uppsikt is listening on http://{host}:{port}/slack/events (health: /healthz)",
        "run_socket": "Uppsikt is connected to Slack in Socket Mode",
        "run_stopped": "Uppsikt has stopped",
        "scheduler_on": "The reminder scheduler runs in this process (sweeping every {seconds} s)",
        "scheduler_taken": (
            "Another process already runs the reminder scheduler for this database; "
            "this process runs without it"
        ),
        "scheduler_off": "The reminder scheduler is off (UPPSIKT_SCHEDULER=off)",
        "period_opened": "Period {period} is open, reports due {deadline}.",
        "period_deadline": "New deadline for {period}: {deadline}.",
        "period_closed": "Period {period} is closed; it takes no more reports.",
        "period_line": "{period}  {state:7}  deadline {deadline}  reported {reported}/{total}",
        "period_unit": "    {unit}: {reported}/{total}",
        "no_periods": "No periods yet.",
        "state_open": "open",
        "state_closed": "closed",
    },
}


class CommandError(Exception):
    """A user-facing failure: printed as one clear message, exit status 1."""


def _period_arg(text: str) -> PeriodKey:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    """The command line: subcommands and their options."""
    parser = argparse.ArgumentParser(
        prog="uppsikt",
        description="Uppsikt: tertial goal follow-up for Swedish municipal committees.",
    )
    parser.add_argument("--version", action="version", version=f"uppsikt {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply database migrations")

    imp = commands.add_parser(
        "import", help="import a plan, a published report, or write a template"
    )
    imp_commands = imp.add_subparsers(dest="import_command", required=True, metavar="KIND")
    plan = imp_commands.add_parser("plan", help="import a plan from CSV or XLSX")
    plan.add_argument("file", type=Path)
    plan.add_argument("--people", type=Path, help="CSV file of people (XLSX: sheet Personer)")
    plan.add_argument("--areas", type=Path, help="CSV file of goal areas (XLSX: sheet Målområden)")
    plan.add_argument(
        "--year", type=int, help="the goals' year (default: the period's, or this year)"
    )
    plan.add_argument("--period", type=_period_arg, help="period for Status/Kommentar columns")
    template = imp_commands.add_parser("template", help="write an import template (.xlsx or .csv)")
    template.add_argument("file", type=Path)
    report = imp_commands.add_parser("report", help="import a published report (.txt or .pdf)")
    report.add_argument("file", type=Path)
    report.add_argument("--period", type=_period_arg, required=True, help="e.g. 2024-T1")

    export = commands.add_parser("export", help="export a period's activities and statuses")
    export.add_argument("--period", type=_period_arg, required=True)
    export.add_argument("-o", "--output", type=Path, required=True, help=".csv, .xlsx or .json")

    rep = commands.add_parser("report", help="compile a period's report")
    rep.add_argument("period", type=_period_arg)
    rep.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        help="md, html, json, pdf or docx (default: from the extension of -o, else html)",
    )
    rep.add_argument(
        "-o",
        "--output",
        type=Path,
        help="file to write: .md, .html/.htm, .json, .pdf or .docx (default: standard output)",
    )

    commands.add_parser("run", help="start the Slack bot (Socket Mode or HTTP)")

    per = commands.add_parser("period", help="open, change, close and list periods")
    per_commands = per.add_subparsers(dest="period_command", required=True, metavar="ACTION")
    per_open = per_commands.add_parser("open", help="open a period with its deadline")
    per_open.add_argument("period", type=_period_arg)
    per_open.add_argument(
        "--deadline", help='local time, e.g. "2024-09-10 16:00" (default: 16:00 on the last day)'
    )
    per_deadline = per_commands.add_parser("deadline", help="change a period's deadline")
    per_deadline.add_argument("period", type=_period_arg)
    per_deadline.add_argument("deadline", help='local time, e.g. "2024-09-10 16:00"')
    per_close = per_commands.add_parser("close", help="close a period: no more reports")
    per_close.add_argument("period", type=_period_arg)
    per_commands.add_parser("list", help="periods with progress per unit")

    demo = commands.add_parser("demo", help="build a demo database from the bundled seed report")
    demo.add_argument("dir", nargs="?", type=Path, default=Path("uppsikt-demo"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    messages = MESSAGES[settings.language]
    try:
        _dispatch(args, settings, messages)
    except CommandError as exc:
        print(messages["error"].format(text=exc), file=sys.stderr)
        return 1
    return 0


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    from storage.db import DatabaseError, ensure_schema, make_engine

    engine = make_engine(settings.database_url)
    try:
        ensure_schema(engine)
    except DatabaseError as exc:
        raise CommandError(str(exc)) from exc
    except Exception as exc:  # connection refused, bad file path, ...
        raise CommandError(
            f"cannot open the database {redact_url(settings.database_url)}: {exc}"
        ) from exc
    return engine


def _dispatch(args: argparse.Namespace, settings: Settings, messages: dict[str, str]) -> None:
    if args.command == "db":
        _db_upgrade(settings, messages)
    elif args.command == "import" and args.import_command == "template":
        from bot.importers.plan_file import write_plan_template

        write_plan_template(args.file, language=settings.language)
        print(messages["template_written"].format(path=args.file))
    elif args.command == "import" and args.import_command == "plan":
        _import_plan(args, settings, messages)
    elif args.command == "import" and args.import_command == "report":
        _import_report(_engine(settings), args.file, args.period, settings, messages)
    elif args.command == "export":
        _export(args, settings, messages)
    elif args.command == "report":
        _report(args, settings, messages)
    elif args.command == "demo":
        _demo(args.dir, settings, messages)
    elif args.command == "run":
        _run(settings, messages)
    elif args.command == "period":
        _period(args, settings, messages)


def _db_upgrade(settings: Settings, messages: dict[str, str]) -> None:
    from storage.db import make_engine, upgrade

    try:
        before, after = upgrade(make_engine(settings.database_url))
    except Exception as exc:
        raise CommandError(f"cannot upgrade {redact_url(settings.database_url)}: {exc}") from exc
    key = "db_current" if before == after else "db_upgraded"
    print(messages[key].format(url=redact_url(settings.database_url), before=before, after=after))


def _import_plan(args: argparse.Namespace, settings: Settings, messages: dict[str, str]) -> None:
    from bot.importers.plan_file import PlanFileError
    from bot.services.plan_import import import_plan

    engine = _engine(settings)
    try:
        result = import_plan(
            engine,
            path=args.file,
            people_path=args.people,
            areas_path=args.areas,
            year=args.year,
            period=args.period,
            settings=settings,
        )
    except PlanFileError as exc:
        raise CommandError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    print(
        messages["plan_imported"].format(file=args.file, summary=result.summary(settings.language))
    )


def _import_report(
    engine, path: Path, period: PeriodKey, settings: Settings, messages: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    from bot.services.report_import import ReportImportError, import_report

    try:
        result = import_report(engine, path=path, period=period, settings=settings)
    except (ReportImportError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    for warning in result.warnings:
        print(messages["warning"].format(text=warning), file=sys.stderr)
    for text in result.unplaced:
        print(messages["unplaced"].format(text=text), file=sys.stderr)
    if result.period_created:
        print(messages["period_created"].format(period=period))
    print(
        messages["report_imported"].format(
            file=path,
            period=period,
            goals=result.goals,
            areas=result.goal_areas,
            created=result.activities_created,
            updated=result.activities_updated,
            unchanged=result.activities_unchanged,
            reports=result.reports_added,
            units=result.units_created,
        )
    )


def _export(args: argparse.Namespace, settings: Settings, messages: dict[str, str]) -> None:
    from bot.services.export import export_period

    engine = _engine(settings)
    try:
        rows = export_period(
            engine,
            period=args.period,
            path=args.output,
            language=settings.language,
            zone=settings.timezone,
        )
    except LookupError as exc:
        raise CommandError(messages["unknown_period"].format(period=args.period)) from exc
    except (OSError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    print(messages["exported"].format(rows=rows, period=args.period, path=args.output))


def _report(args: argparse.Namespace, settings: Settings, messages: dict[str, str]) -> None:
    """Compile and write a report; pdf and docx go to `-o FILE` or to a redirected stdout."""
    from bot import i18n
    from bot.reporting import DOCUMENT_FORMATS
    from bot.reporting.formats import FormatError, output_format
    from bot.services.reporting import UnknownPeriodError, render_period, render_period_document

    try:
        fmt = output_format(args.format, args.output, language=settings.language)
    except FormatError as exc:
        # A usage error (exit 2, like argparse's): nothing is compiled or written.
        print(messages["error"].format(text=exc), file=sys.stderr)
        raise SystemExit(2) from exc
    binary = fmt in DOCUMENT_FORMATS
    # Bytes of a PDF or Word file would garble a terminal; a pipe or a redirect is fine.
    if binary and args.output is None and sys.stdout.isatty():
        raise CommandError(i18n.t(settings.language, "report_binary_terminal", fmt=fmt))
    if not settings.municipality:
        print(i18n.t(settings.language, "report_no_municipality"), file=sys.stderr)
    engine = _engine(settings)
    try:
        if binary:
            content: str | bytes = render_period_document(
                engine, period=args.period, fmt=fmt, settings=settings
            )
        else:
            content = render_period(engine, period=args.period, fmt=fmt, settings=settings)
    except UnknownPeriodError as exc:
        raise CommandError(messages["unknown_period"].format(period=args.period)) from exc
    except ValueError as exc:  # a template that breaks the rules, a refused resource
        raise CommandError(str(exc)) from exc
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
        raise CommandError(f"{args.output}: {exc.strerror or exc}") from exc
    print(messages["written"].format(path=args.output), file=sys.stderr)


def _demo(directory: Path, settings: Settings, messages: dict[str, str]) -> None:
    from dataclasses import replace

    from bot.services.demo import build_demo

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"{directory}: {exc.strerror or exc}") from exc
    demo_settings = replace(
        settings, database_url=f"sqlite:///{(directory / 'uppsikt-demo.db').resolve()}"
    )
    outcome = build_demo(directory, settings=demo_settings)
    for warning in outcome.warnings:
        print(messages["warning"].format(text=warning), file=sys.stderr)
    print(
        messages["demo_done"].format(
            db=outcome.database,
            period=outcome.period,
            files="\n".join(f"  {p}" for p in outcome.files),
        )
    )


def _period(args: argparse.Namespace, settings: Settings, messages: dict[str, str]) -> None:
    from bot.domain.periods import default_deadline
    from bot.services import periods
    from bot.services.status import Refused

    engine = _engine(settings)
    zone = settings.timezone

    def local(moment) -> str:  # type: ignore[no-untyped-def]
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"

    try:
        if args.period_command == "open":
            deadline = (
                periods.parse_local_deadline(args.deadline, zone)
                if args.deadline
                else default_deadline(args.period, zone)
            )
            row, _created = periods.open_period(engine, period=args.period, deadline=deadline)
            print(messages["period_opened"].format(period=row.key, deadline=local(row.deadline)))
        elif args.period_command == "deadline":
            deadline = periods.parse_local_deadline(args.deadline, zone)
            row = periods.set_deadline(engine, period=args.period, deadline=deadline)
            print(messages["period_deadline"].format(period=row.key, deadline=local(row.deadline)))
        elif args.period_command == "close":
            row = periods.close_period(engine, period=args.period)
            print(messages["period_closed"].format(period=row.key))
        else:
            rows = periods.list_periods(engine)
            if not rows:
                print(messages["no_periods"])
            for status in rows:
                print(
                    messages["period_line"].format(
                        period=status.key,
                        state=messages[f"state_{status.state}"],
                        deadline=local(status.deadline),
                        reported=status.reported,
                        total=status.total,
                    )
                )
                for unit in status.units:
                    print(
                        messages["period_unit"].format(
                            unit=unit.unit_path, reported=unit.reported, total=unit.total
                        )
                    )
    except Refused as refused:
        raise CommandError(messages["unknown_period"].format(period=args.period)) from refused
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


def _run(settings: Settings, messages: dict[str, str]) -> None:
    import logging
    import signal

    from bot.config import require_slack
    from bot.slack.app import build_app

    missing = require_slack(settings)
    if missing:
        raise CommandError(messages["run_missing"].format(names=", ".join(missing)))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    engine = _engine(settings)
    socket_mode = bool(settings.slack_app_token)
    try:
        app, services = build_app(settings, engine, socket_mode=socket_mode)
    except Exception as exc:  # auth.test refused the token, or Slack is unreachable
        raise CommandError(f"Slack: {exc}") from exc
    reminders = None
    if settings.scheduler:
        from scheduler.runner import start_scheduler

        reminders = start_scheduler(engine, notifier=services.notifier, settings=settings)
        print(
            messages["scheduler_on" if reminders else "scheduler_taken"].format(
                seconds=settings.sweep_seconds
            ),
            flush=True,
        )
    else:
        print(messages["scheduler_off"], flush=True)
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(app, settings.slack_app_token)
        print(messages["run_socket"], flush=True)
        try:
            handler.start()
        finally:
            if reminders:
                reminders.stop()
            services.background.shutdown(wait=True)
        return
    from bot.slack.server import make_http_server, make_wsgi_app

    server = make_http_server(
        settings.host,
        settings.port,
        make_wsgi_app(app, engine=engine, max_body_bytes=settings.max_body_bytes),
    )

    def stop(_signum: int, _frame: object) -> None:
        import threading

        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    host, port = server.server_address[:2]
    print(messages["run_http"].format(host=host, port=port), flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if reminders:
            reminders.stop()
        # Let acknowledged submissions and message updates finish before exiting.
        services.background.shutdown(wait=True)
        print(messages["run_stopped"], flush=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
