"""One translation catalogue for every user-facing string, Swedish by default, English complete.

Each area of the product keeps its strings in a module of this package (`MESSAGES = {"sv": {...},
"en": {...}}`); the catalogue is their union. A key lives in exactly one area: a second
definition is an error at import, so one message is one text everywhere.
"""

from __future__ import annotations

import importlib
import string
from collections.abc import Mapping

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
AREAS = ("common", "settings", "report", "slack", "teams", "importers", "cli")

_FORMATTER = string.Formatter()


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    owner: dict[str, str] = {}
    for area in AREAS:
        module = importlib.import_module(f"{__name__}.{area}")
        messages: Mapping[str, Mapping[str, str]] = module.MESSAGES
        for language in LANGUAGES:
            for key, text in messages.get(language, {}).items():
                if key in owner and owner[key] != area:
                    raise RuntimeError(f"message {key!r} is defined in {owner[key]} and {area}")
                owner[key] = area
                merged[language][key] = text
    return merged


CATALOGUE: dict[str, dict[str, str]] = _load()


def language_or_default(language: str | None) -> str:
    """The language if the catalogue has it, else Swedish."""
    return language if language in CATALOGUE else DEFAULT_LANGUAGE


def t(language: str | None, key: str, **params: object) -> str:
    """The message `key` in `language` (Swedish if unknown), with `{placeholders}` filled in.

    A missing key is a programming error and raises KeyError rather than show the key to people.
    """
    text = CATALOGUE[language_or_default(language)][key]
    return text.format(**params) if params else text


def count(language: str | None, key: str, n: int) -> str:
    """`key_one` or `key_other` in `language`, filled with `count=n`."""
    return t(language, f"{key}_one" if n == 1 else f"{key}_other", count=n)


def placeholders(text: str) -> set[str]:
    """The `{names}` a message expects."""
    return {name for _lit, name, _spec, _conv in _FORMATTER.parse(text) if name}
