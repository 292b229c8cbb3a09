"""Messages of the command line: help texts, argparse's own words, and results."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "cli_metavar_command": "KOMMANDO",
        "cli_metavar_action": "ÅTGÄRD",
        "cli_metavar_kind": "SLAG",
        "cli_usage_report": "uppsikt report PERIOD [--format FORMAT] [-o FIL] [--version N]\n       uppsikt report versions PERIOD",
        "cli_help_report_period": "perioden, till exempel 2024-T1 (eller versions PERIOD: lista publicerade versioner)",
        "cli_versions_period_missing": "ange perioden: uppsikt report versions 2024-T1",
        # --- argparse's own words -----------------------------------------------------------
        "argparse_usage": "användning: ",
        "argparse_positional": "argument",
        "argparse_options": "flaggor",
        "argparse_help": "visa den här hjälpen och avsluta",
        "argparse_version": "visa versionen och avsluta",
        "argparse_required": "följande argument krävs: %s",
        "argparse_unrecognized": "okända argument: %s",
        "argparse_invalid_choice": "ogiltigt val: %(value)r (välj bland %(choices)s)",
        "argparse_argument": "argument %(argument_name)s: %(message)s",
        "argparse_error": "%(prog)s: fel: %(message)s\n",
        "argparse_expected_one": "ett värde behövs",
        "argparse_expected_optional": "högst ett värde",
        "argparse_expected_many": "minst ett värde",
        "argparse_invalid_type": "ogiltigt värde för %(type)s: %(value)r",
        "argparse_ambiguous": "tvetydig flagga: %(option)s kan vara %(matches)s",
        "argparse_not_allowed": "kan inte användas tillsammans med %s",
        "argparse_one_required": "ett av argumenten %s krävs",
        "argparse_ignored": "ignorerat värde %r",
        "argparse_expected_n": "%s värden behövs",
        "argparse_open_file": "kan inte öppna '%(filename)s': %(error)s",
        "argparse_subcommands": "kommandon",
        # --- help texts -----------------------------------------------------------------------
        "cli_description": "Uppsikt: uppföljning per tertial av kommunens mål, till utskottet.",
        "cli_epilog": "Skriv uppsikt KOMMANDO --help för mer om ett kommando.",
        "cli_help_db": "underhåll av databasen",
        "cli_help_db_upgrade": "uppgradera databasen till den här versionen",
        "cli_help_import": "importera en plan eller en publicerad rapport, eller skriv en mall",
        "cli_help_import_plan": "importera en plan från CSV eller XLSX",
        "cli_help_plan_file": "planens fil (.csv eller .xlsx)",
        "cli_help_plan_people": "CSV-fil med personer (i XLSX: bladet Personer)",
        "cli_help_plan_areas": "CSV-fil med målområden (i XLSX: bladet Målområden)",
        "cli_help_plan_year": "målens år (annars tas det från planens datum)",
        "cli_help_plan_period": "period för kolumnerna Status och Kommentar, till exempel 2024-T2",
        "cli_help_import_template": "skriv en importmall (.xlsx; .csv skriver också NAMN-personer.csv och NAMN-malomraden.csv)",
        "cli_help_template_file": "mallens fil",
        "cli_help_force": "skriv över en befintlig fil",
        "cli_help_import_report": "importera en publicerad rapport (.txt, .pdf eller .json)",
        "cli_help_report_file": "rapportens fil",
        "cli_help_period_arg": "perioden, till exempel 2024-T1",
        "cli_help_export": "exportera en periods aktiviteter och statusar",
        "cli_help_export_output": "fil att skriva (.csv, .xlsx eller .json)",
        "cli_help_report": "sammanställ en periods rapport",
        "cli_help_report_format": "format: md, html, json, pdf eller docx (annars efter filens ändelse)",
        "cli_help_report_output": "fil att skriva (annars standard ut)",
        "cli_help_report_version": "ge tillbaka en publicerad version exakt som den publicerades",
        "cli_help_run": "starta boten (Slack och/eller Teams) och påminnelseschemat",
        "cli_help_period": "öppna, ändra, stänga och lista perioder",
        "cli_help_period_open": "öppna en period med dess deadline",
        "cli_help_period_deadline_opt": (
            'lokal tid, till exempel "2024-09-10 16:00" (annars 16:00 sista dagen)'
        ),
        "cli_help_period_deadline": "ändra en periods deadline",
        "cli_help_deadline_arg": 'lokal tid, till exempel "2024-09-10 16:00"',
        "cli_help_period_force": "godta en deadline som redan passerats eller ligger utanför perioden",
        "cli_help_period_close": "stäng en period: inga fler rapporter",
        "cli_help_period_list": "perioder med hur långt varje enhet kommit",
        "cli_help_demo": "bygg en demodatabas av den medföljande rapporten",
        "cli_help_demo_dir": "katalog för demon (standard: uppsikt-demo)",
        "cli_help_teams": "Microsoft Teams: appaketet",
        "cli_help_teams_package": "skriv Teams-appens paket (zip) att ladda upp i Teams administrationscenter",
        "cli_help_teams_output": "zip-filen att skriva",
        # --- results --------------------------------------------------------------------------
        "cli_error": "Fel: {text}",
        "cli_warning": "Varning: {text}",
        "cli_written": "Skrev {path}",
        "cli_db_upgraded": "Databasen {url} är uppgraderad: {before} -> {after}.",
        "cli_db_current": "Databasen {url} är redan på senaste versionen ({after}).",
        "cli_demo_done": (
            "Demon är klar. Databas: {db}\nRapporten för {period} finns i:\n{files}\n"
            "Öppna HTML-filen i en webbläsare, eller kör till exempel:\n"
            "  DATABASE_URL=sqlite:///{db} uppsikt report {period} --format md"
        ),
        "cli_run_missing": "Inställningar saknas för att starta boten: {names}. Se .env.example.",
        "cli_run_nothing": (
            "Varken Slack eller Teams är inställt: sätt SLACK_BOT_TOKEN (och "
            "SLACK_SIGNING_SECRET eller SLACK_APP_TOKEN) eller TEAMS_APP_ID. Se .env.example."
        ),
        "cli_run_http": "Uppsikt lyssnar på http://{host}:{port}/slack/events (hälsa: /healthz)",
        "cli_run_socket": "Uppsikt är ansluten till Slack i Socket Mode",
        "cli_run_teams": "Uppsikt lyssnar efter Teams på http://{host}:{port}/api/messages",
        "cli_run_health": "Hälsa och mätvärden på http://{host}:{port}/healthz",
        "cli_run_stopped": "Uppsikt har stoppats",
        "cli_run_slack_failed": "Slack svarade inte som väntat: {error}",
        "cli_run_teams_failed": "Teams kunde inte startas: {error}",
        "cli_scheduler_on": (
            "Påminnelseschemat körs i den här processen (svep var {seconds}:e sekund)"
        ),
        "cli_scheduler_standby": (
            "En annan process kör påminnelseschemat för den här databasen; den här processen "
            "tar över om den andra slutar (inom {seconds} sekunder)"
        ),
        "cli_scheduler_taken": (
            "En annan process kör redan påminnelseschemat för den här SQLite-databasen "
            "({holder}). Stoppa den först, eller använd PostgreSQL för flera processer."
        ),
        "cli_scheduler_off": "Påminnelseschemat är avstängt (UPPSIKT_SCHEDULER=off)",
        "cli_period_opened": "Perioden {period} är öppen, sista dag för rapportering {deadline}.",
        "cli_period_deadline": "Ny deadline för {period}: {deadline}.",
        "cli_period_unchanged": "Perioden {period} var redan så: {deadline}.",
        "cli_period_closed": "Perioden {period} är stängd; den tar inte emot fler rapporter.",
        "cli_period_line": (
            "{period}  {state:7}  deadline {deadline}  rapporterat {reported} av {total} aktiviteter"
        ),
        "cli_period_unit": "    {unit}: {reported} av {total}",
        "cli_no_periods": "Inga perioder ännu.",
        "cli_state_open": "öppen",
        "cli_state_closed": "stängd",
        "cli_confirm_hint": "Lägg till --force för att ändå använda den.",
        "cli_versions_none": "Rapporten för {period} har inte publicerats ännu.",
        "cli_version_line": (
            "version {version}  {published}  av {by} ({surface})  PDF sha256 {pdf}"
        ),
        "cli_file_error": "{path}: {error}",
    },
    "en": {
        "cli_metavar_command": "COMMAND",
        "cli_metavar_action": "ACTION",
        "cli_metavar_kind": "KIND",
        "cli_usage_report": "uppsikt report PERIOD [--format FORMAT] [-o FILE] [--version N]\n       uppsikt report versions PERIOD",
        "cli_help_report_period": "the period, for example 2024-T1 (or versions PERIOD: list published versions)",
        "cli_versions_period_missing": "give the period: uppsikt report versions 2024-T1",
        "argparse_usage": "usage: ",
        "argparse_positional": "positional arguments",
        "argparse_options": "options",
        "argparse_help": "show this help message and exit",
        "argparse_version": "show program's version number and exit",
        "argparse_required": "the following arguments are required: %s",
        "argparse_unrecognized": "unrecognized arguments: %s",
        "argparse_invalid_choice": "invalid choice: %(value)r (choose from %(choices)s)",
        "argparse_argument": "argument %(argument_name)s: %(message)s",
        "argparse_error": "%(prog)s: error: %(message)s\n",
        "argparse_expected_one": "expected one argument",
        "argparse_expected_optional": "expected at most one argument",
        "argparse_expected_many": "expected at least one argument",
        "argparse_invalid_type": "invalid %(type)s value: %(value)r",
        "argparse_ambiguous": "ambiguous option: %(option)s could match %(matches)s",
        "argparse_not_allowed": "not allowed with argument %s",
        "argparse_one_required": "one of the arguments %s is required",
        "argparse_ignored": "ignored explicit argument %r",
        "argparse_expected_n": "expected %s arguments",
        "argparse_open_file": "can't open '%(filename)s': %(error)s",
        "argparse_subcommands": "commands",
        "cli_description": "Uppsikt: tertial follow-up of the municipality's goals, for the committee.",
        "cli_epilog": "Run uppsikt COMMAND --help for more on a command.",
        "cli_help_db": "database maintenance",
        "cli_help_db_upgrade": "upgrade the database to this version",
        "cli_help_import": "import a plan or a published report, or write a template",
        "cli_help_import_plan": "import a plan from CSV or XLSX",
        "cli_help_plan_file": "the plan's file (.csv or .xlsx)",
        "cli_help_plan_people": "CSV file of people (in XLSX: the sheet Personer)",
        "cli_help_plan_areas": "CSV file of goal areas (in XLSX: the sheet Målområden)",
        "cli_help_plan_year": "the goals' year (otherwise taken from the plan's dates)",
        "cli_help_plan_period": "period of the Status and Kommentar columns, for example 2024-T2",
        "cli_help_import_template": "write an import template (.xlsx; .csv also writes NAME-people.csv and NAME-goal-areas.csv)",
        "cli_help_template_file": "the template's file",
        "cli_help_force": "overwrite an existing file",
        "cli_help_import_report": "import a published report (.txt, .pdf or .json)",
        "cli_help_report_file": "the report's file",
        "cli_help_period_arg": "the period, for example 2024-T1",
        "cli_help_export": "export a period's activities and statuses",
        "cli_help_export_output": "file to write (.csv, .xlsx or .json)",
        "cli_help_report": "compile a period's report",
        "cli_help_report_format": "format: md, html, json, pdf or docx (otherwise by the file's extension)",
        "cli_help_report_output": "file to write (otherwise standard output)",
        "cli_help_report_version": "give back a published version exactly as it was published",
        "cli_help_run": "start the bot (Slack and/or Teams) and the reminder schedule",
        "cli_help_period": "open, change, close and list periods",
        "cli_help_period_open": "open a period with its deadline",
        "cli_help_period_deadline_opt": (
            'local time, for example "2024-09-10 16:00" (otherwise 16:00 on the last day)'
        ),
        "cli_help_period_deadline": "change a period's deadline",
        "cli_help_deadline_arg": 'local time, for example "2024-09-10 16:00"',
        "cli_help_period_force": "accept a deadline already past or outside the period",
        "cli_help_period_close": "close a period: no more reports",
        "cli_help_period_list": "periods with how far each unit has come",
        "cli_help_demo": "build a demo database from the bundled report",
        "cli_help_demo_dir": "directory of the demo (default: uppsikt-demo)",
        "cli_help_teams": "Microsoft Teams: the app package",
        "cli_help_teams_package": "write the Teams app package (zip) to upload in the Teams admin center",
        "cli_help_teams_output": "the zip file to write",
        "cli_error": "Error: {text}",
        "cli_warning": "Warning: {text}",
        "cli_written": "Wrote {path}",
        "cli_db_upgraded": "Database {url} upgraded: {before} -> {after}.",
        "cli_db_current": "Database {url} is already at the latest version ({after}).",
        "cli_demo_done": (
            "The demo is ready. Database: {db}\nThe report for {period} is in:\n{files}\n"
            "Open the HTML file in a browser, or run for example:\n"
            "  DATABASE_URL=sqlite:///{db} uppsikt report {period} --format md"
        ),
        "cli_run_missing": "Settings missing to start the bot: {names}. See .env.example.",
        "cli_run_nothing": (
            "Neither Slack nor Teams is set up: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET "
            "or SLACK_APP_TOKEN) or TEAMS_APP_ID. See .env.example."
        ),
        "cli_run_http": "Uppsikt is listening on http://{host}:{port}/slack/events (health: /healthz)",
        "cli_run_socket": "Uppsikt is connected to Slack in Socket Mode",
        "cli_run_teams": "Uppsikt is listening for Teams on http://{host}:{port}/api/messages",
        "cli_run_health": "Health and metrics on http://{host}:{port}/healthz",
        "cli_run_stopped": "Uppsikt has stopped",
        "cli_run_slack_failed": "Slack did not answer as expected: {error}",
        "cli_run_teams_failed": "Teams could not be started: {error}",
        "cli_scheduler_on": "The reminder scheduler runs in this process (sweeping every {seconds} s)",
        "cli_scheduler_standby": (
            "Another process runs the reminder scheduler for this database; this process "
            "takes over if it stops (within {seconds} seconds)"
        ),
        "cli_scheduler_taken": (
            "Another process already runs the reminder scheduler for this SQLite database "
            "({holder}). Stop it first, or use PostgreSQL for several processes."
        ),
        "cli_scheduler_off": "The reminder scheduler is off (UPPSIKT_SCHEDULER=off)",
        "cli_period_opened": "Period {period} is open, reports due {deadline}.",
        "cli_period_deadline": "New deadline for {period}: {deadline}.",
        "cli_period_unchanged": "Period {period} was already so: {deadline}.",
        "cli_period_closed": "Period {period} is closed; it takes no more reports.",
        "cli_period_line": (
            "{period}  {state:7}  deadline {deadline}  reported {reported} of {total} activities"
        ),
        "cli_period_unit": "    {unit}: {reported} of {total}",
        "cli_no_periods": "No periods yet.",
        "cli_state_open": "open",
        "cli_state_closed": "closed",
        "cli_confirm_hint": "Add --force to use it anyway.",
        "cli_versions_none": "The report for {period} has not been published yet.",
        "cli_version_line": "version {version}  {published}  by {by} ({surface})  PDF sha256 {pdf}",
        "cli_file_error": "{path}: {error}",
    },
}
