"""The `uppsikt` command line: subcommands, their options and help, in the configured language."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot import __version__
from bot.cli.commands import db, decision, demo, imports, period, report, run, teams
from bot.cli.translation import translator
from bot.domain.periods import PeriodKey, parse_period

REPORT_FORMATS = ("md", "html", "json", "pdf", "docx")


def _period_type(language: str):
    tr = translator(language)

    def period_arg(text: str) -> PeriodKey:
        try:
            return parse_period(text)
        except ValueError:
            raise argparse.ArgumentTypeError(tr("period_format", text=text)) from None

    return period_arg


def build_parser(language: str) -> argparse.ArgumentParser:
    """The command line, every help text from the catalogue."""
    tr = translator(language)
    period_arg = _period_type(language)
    parser = argparse.ArgumentParser(
        prog="uppsikt", description=tr("cli_description"), epilog=tr("cli_epilog")
    )
    parser.add_argument(
        "--version", action="version", version=f"uppsikt {__version__}", help=tr("argparse_version")
    )
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        metavar=tr("cli_metavar_command"),
        title=tr("argparse_subcommands"),
    )

    db_parser = commands.add_parser("db", help=tr("cli_help_db"), description=tr("cli_help_db"))
    db_commands = db_parser.add_subparsers(
        dest="db_command", required=True, metavar=tr("cli_metavar_action")
    )
    db_commands.add_parser(
        "upgrade", help=tr("cli_help_db_upgrade"), description=tr("cli_help_db_upgrade")
    ).set_defaults(func=db.upgrade)
    db_backup = db_commands.add_parser(
        "backup", help=tr("cli_help_db_backup"), description=tr("cli_help_db_backup")
    )
    db_backup.add_argument(
        "file", type=Path, metavar=tr("cli_metavar_file"), help=tr("cli_help_backup_file")
    )
    db_backup.set_defaults(func=db.backup)
    db_restore = db_commands.add_parser(
        "restore", help=tr("cli_help_db_restore"), description=tr("cli_help_db_restore")
    )
    db_restore.add_argument(
        "file", type=Path, metavar=tr("cli_metavar_file"), help=tr("cli_help_backup_file")
    )
    db_restore.set_defaults(func=db.restore)

    imp = commands.add_parser(
        "import", help=tr("cli_help_import"), description=tr("cli_help_import")
    )
    imp_commands = imp.add_subparsers(
        dest="import_command", required=True, metavar=tr("cli_metavar_kind")
    )
    plan = imp_commands.add_parser(
        "plan", help=tr("cli_help_import_plan"), description=tr("cli_help_import_plan")
    )
    plan.add_argument(
        "file", type=Path, metavar=tr("cli_metavar_file"), help=tr("cli_help_plan_file")
    )
    plan.add_argument(
        "--people", type=Path, metavar=tr("cli_metavar_file"), help=tr("cli_help_plan_people")
    )
    plan.add_argument(
        "--areas", type=Path, metavar=tr("cli_metavar_file"), help=tr("cli_help_plan_areas")
    )
    plan.add_argument(
        "--year", type=int, metavar=tr("cli_metavar_year"), help=tr("cli_help_plan_year")
    )
    plan.add_argument(
        "--period", type=period_arg, metavar="PERIOD", help=tr("cli_help_plan_period")
    )
    plan.set_defaults(func=imports.plan)
    template = imp_commands.add_parser(
        "template", help=tr("cli_help_import_template"), description=tr("cli_help_import_template")
    )
    template.add_argument(
        "file", type=Path, metavar=tr("cli_metavar_file"), help=tr("cli_help_template_file")
    )
    template.add_argument("--force", action="store_true", help=tr("cli_help_force"))
    template.set_defaults(func=imports.template)
    rep_import = imp_commands.add_parser(
        "report", help=tr("cli_help_import_report"), description=tr("cli_help_import_report")
    )
    rep_import.add_argument(
        "file", type=Path, metavar=tr("cli_metavar_file"), help=tr("cli_help_report_file")
    )
    rep_import.add_argument(
        "--period", type=period_arg, required=True, metavar="PERIOD", help=tr("cli_help_period_arg")
    )
    rep_import.set_defaults(func=imports.report)

    export = commands.add_parser(
        "export", help=tr("cli_help_export"), description=tr("cli_help_export")
    )
    export.add_argument(
        "--period", type=period_arg, required=True, help=tr("cli_help_period_arg"), metavar="PERIOD"
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar=tr("cli_metavar_file"),
        help=tr("cli_help_export_output"),
    )
    export.set_defaults(func=imports.export)

    rep = commands.add_parser(
        "report",
        help=tr("cli_help_report"),
        description=tr("cli_help_report"),
        usage=tr("cli_usage_report"),
    )
    rep.add_argument("period", metavar="PERIOD", help=tr("cli_help_report_period"))
    rep.add_argument("versions_of", nargs="?", metavar="PERIOD", help=argparse.SUPPRESS)
    rep.add_argument("--format", choices=REPORT_FORMATS, help=tr("cli_help_report_format"))
    rep.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar=tr("cli_metavar_file"),
        help=tr("cli_help_report_output"),
    )
    rep.add_argument(
        "--version", type=int, dest="version", metavar="N", help=tr("cli_help_report_version")
    )
    rep.set_defaults(func=report.dispatch, period_type=period_arg, parser=rep)

    commands.add_parser(
        "run", help=tr("cli_help_run"), description=tr("cli_help_run")
    ).set_defaults(func=run.run_bot)

    per = commands.add_parser(
        "period", help=tr("cli_help_period"), description=tr("cli_help_period")
    )
    per_commands = per.add_subparsers(
        dest="period_command", required=True, metavar=tr("cli_metavar_action")
    )
    per_open = per_commands.add_parser(
        "open", help=tr("cli_help_period_open"), description=tr("cli_help_period_open")
    )
    per_open.add_argument(
        "period", type=period_arg, help=tr("cli_help_period_arg"), metavar="PERIOD"
    )
    per_open.add_argument(
        "--deadline", metavar=tr("cli_metavar_datetime"), help=tr("cli_help_period_deadline_opt")
    )
    per_open.add_argument("--force", action="store_true", help=tr("cli_help_period_force"))
    per_open.set_defaults(func=period.open_)
    per_deadline = per_commands.add_parser(
        "deadline", help=tr("cli_help_period_deadline"), description=tr("cli_help_period_deadline")
    )
    per_deadline.add_argument(
        "period", type=period_arg, help=tr("cli_help_period_arg"), metavar="PERIOD"
    )
    per_deadline.add_argument(
        "deadline", help=tr("cli_help_deadline_arg"), metavar=tr("cli_metavar_datetime")
    )
    per_deadline.add_argument("--force", action="store_true", help=tr("cli_help_period_force"))
    per_deadline.set_defaults(func=period.deadline)
    per_close = per_commands.add_parser(
        "close", help=tr("cli_help_period_close"), description=tr("cli_help_period_close")
    )
    per_close.add_argument(
        "period", type=period_arg, help=tr("cli_help_period_arg"), metavar="PERIOD"
    )
    per_close.set_defaults(func=period.close)
    per_commands.add_parser(
        "list", help=tr("cli_help_period_list"), description=tr("cli_help_period_list")
    ).set_defaults(func=period.list_)

    dec = commands.add_parser(
        "decision", help=tr("cli_help_decision"), description=tr("cli_help_decision")
    )
    dec.add_argument("period", type=period_arg, metavar="PERIOD", help=tr("cli_help_period_arg"))
    dec.add_argument("kind", choices=sorted(decision.KINDS), help=tr("cli_help_decision_kind"))
    dec.add_argument("--reason", metavar="TEXT", help=tr("cli_help_decision_reason"))
    dec.add_argument(
        "--activity",
        action="append",
        metavar=tr("cli_metavar_activity"),
        help=tr("cli_help_decision_activity"),
    )
    dec.add_argument(
        "--activity-reason",
        action="append",
        metavar="TEXT",
        help=tr("cli_help_decision_activity_reason"),
    )
    dec.add_argument(
        "--deadline", metavar=tr("cli_metavar_datetime"), help=tr("cli_help_decision_deadline")
    )
    dec.add_argument("--force", action="store_true", help=tr("cli_help_period_force"))
    dec.add_argument(
        "--board-meeting", metavar=tr("cli_metavar_date"), help=tr("cli_help_decision_board")
    )
    dec.add_argument(
        "--presenter", metavar=tr("cli_metavar_name"), help=tr("cli_help_decision_presenter")
    )
    dec.add_argument("--version", type=int, metavar="N", help=tr("cli_help_decision_version"))
    dec.set_defaults(func=decision.decide)

    aud = commands.add_parser("audit", help=tr("cli_help_audit"), description=tr("cli_help_audit"))
    aud.add_argument(
        "period", type=period_arg, nargs="?", metavar="PERIOD", help=tr("cli_help_audit_period")
    )
    aud.set_defaults(func=decision.audit)

    subst = commands.add_parser(
        "substitute", help=tr("cli_help_substitute"), description=tr("cli_help_substitute")
    )
    subst_commands = subst.add_subparsers(
        dest="substitute_command", required=True, metavar=tr("cli_metavar_action")
    )
    subst_add = subst_commands.add_parser(
        "add", help=tr("cli_help_substitute_add"), description=tr("cli_help_substitute_add")
    )
    subst_add.add_argument(
        "--for",
        dest="person",
        required=True,
        metavar=tr("cli_metavar_email"),
        help=tr("cli_help_substitute_for"),
    )
    subst_add.add_argument(
        "--by", required=True, metavar=tr("cli_metavar_email"), help=tr("cli_help_substitute_by")
    )
    subst_add.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar=tr("cli_metavar_date"),
        help=tr("cli_help_substitute_from"),
    )
    subst_add.add_argument(
        "--to",
        dest="end",
        required=True,
        metavar=tr("cli_metavar_date"),
        help=tr("cli_help_substitute_to"),
    )
    subst_add.set_defaults(func=decision.substitute_add)
    subst_commands.add_parser(
        "list", help=tr("cli_help_substitute_list"), description=tr("cli_help_substitute_list")
    ).set_defaults(func=decision.substitute_list)
    subst_end = subst_commands.add_parser(
        "end", help=tr("cli_help_substitute_end"), description=tr("cli_help_substitute_end")
    )
    subst_end.add_argument("id", type=int, metavar="ID", help=tr("cli_help_substitute_id"))
    subst_end.set_defaults(func=decision.substitute_end)

    demo_parser = commands.add_parser(
        "demo", help=tr("cli_help_demo"), description=tr("cli_help_demo")
    )
    demo_parser.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=Path("uppsikt-demo"),
        metavar=tr("cli_metavar_dir"),
        help=tr("cli_help_demo_dir"),
    )
    demo_parser.set_defaults(func=demo.demo)

    teams_parser = commands.add_parser(
        "teams", help=tr("cli_help_teams"), description=tr("cli_help_teams")
    )
    teams_commands = teams_parser.add_subparsers(
        dest="teams_command", required=True, metavar=tr("cli_metavar_action")
    )
    teams_package = teams_commands.add_parser(
        "package", help=tr("cli_help_teams_package"), description=tr("cli_help_teams_package")
    )
    teams_package.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("uppsikt-teams.zip"),
        metavar=tr("cli_metavar_file"),
        help=tr("cli_help_teams_output"),
    )
    teams_package.set_defaults(func=teams.package)
    return parser
