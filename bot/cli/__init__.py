"""The `uppsikt` command: parse, load the settings, run one command, say what happened.

Exit status: 0 done, 1 refused or failed (one clear message), 2 usage or settings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.cli.context import CommandContext, CommandError, UsageError
from bot.cli.parser import build_parser
from bot.cli.translation import install
from bot.config import LANGUAGES, ConfigError, load_settings
from bot.i18n import t
from bot.services.errors import Refused


def _language(environ: Mapping[str, str]) -> str:
    """The language for the parser and settings errors, before settings are validated."""
    raw = (environ.get("UPPSIKT_LANGUAGE") or "").strip().lower()
    if not raw:
        dotenv = Path.cwd() / ".env"
        if dotenv.is_file():
            from dotenv import dotenv_values

            raw = str(dotenv_values(dotenv).get("UPPSIKT_LANGUAGE") or "").strip().lower()
    return raw if raw in LANGUAGES else "sv"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    language = _language(os.environ)
    install(language)
    args = build_parser(language).parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(str(error), file=sys.stderr)
        return 2
    context = CommandContext(settings)
    try:
        args.func(context, args)
    except CommandError as error:
        print(context.tr("cli_error", text=error), file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1
    except Refused as refused:
        text = t(settings.language, refused.key, **refused.params)
        if refused.needs_confirmation:
            text += " " + context.tr("cli_confirm_hint")
        print(context.tr("cli_error", text=text), file=sys.stderr)
        return 1
    finally:
        context.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
