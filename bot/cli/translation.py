"""argparse in the configured language: its own words come from the catalogue too."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from bot.i18n import t

# argparse's English messages (Python 3.11) and their keys in the catalogue.
ARGPARSE_MESSAGES = {
    "usage: ": "argparse_usage",
    "positional arguments": "argparse_positional",
    "options": "argparse_options",
    "show this help message and exit": "argparse_help",
    "show program's version number and exit": "argparse_version",
    "the following arguments are required: %s": "argparse_required",
    "unrecognized arguments: %s": "argparse_unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse_invalid_choice",
    "argument %(argument_name)s: %(message)s": "argparse_argument",
    "%(prog)s: error: %(message)s\n": "argparse_error",
    "expected one argument": "argparse_expected_one",
    "expected at most one argument": "argparse_expected_optional",
    "expected at least one argument": "argparse_expected_many",
    "invalid %(type)s value: %(value)r": "argparse_invalid_type",
    "ambiguous option: %(option)s could match %(matches)s": "argparse_ambiguous",
    "not allowed with argument %s": "argparse_not_allowed",
    "one of the arguments %s is required": "argparse_one_required",
    "ignored explicit argument %r": "argparse_ignored",
    "can't open '%(filename)s': %(error)s": "argparse_open_file",
}


def install(language: str) -> None:
    """Make argparse speak `language` (its module-level gettext hooks are its only seam)."""

    def gettext(message: str) -> str:
        key = ARGPARSE_MESSAGES.get(message)
        return t(language, key) if key else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        if singular == "expected %s argument":
            return t(language, "argparse_expected_one" if n == 1 else "argparse_expected_n")
        return singular if n == 1 else plural

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def translator(language: str) -> Callable[..., str]:
    """A function that gives a message of the catalogue in this language."""

    def tr(key: str, **params: object) -> str:
        return t(language, key, **params)

    return tr
