"""What every command function gets: the settings, the language, output, and the database."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from bot.config import Settings
from bot.i18n import t
from bot.services import database
from bot.services.core import Core
from bot.services.errors import Refused


class CommandError(Exception):
    """A user-facing failure: printed as one clear message, exit status 1."""


class UsageError(CommandError):
    """The command was given wrongly (options that contradict, a file type it cannot write):
    printed like any refusal, exit status 2."""


@dataclass
class CommandContext:
    settings: Settings
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    _core: Core | None = None

    @property
    def language(self) -> str:
        return self.settings.language

    def tr(self, key: str, **params: object) -> str:
        return t(self.language, key, **params)

    def say(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)

    def warn(self, text: str) -> None:
        print(text, file=self.stderr, flush=True)

    def core(self) -> Core:
        """The core on the configured database (opened, and upgraded if empty, once)."""
        if self._core is None:
            try:
                engine = database.open_database(self.settings)
            except Refused as refused:
                raise CommandError(self.tr(refused.key, **refused.params)) from None
            self._core = Core(settings=self.settings, engine=engine)
        return self._core

    def close(self) -> None:
        if self._core is not None:
            database.close_database(self._core.engine)
            self._core = None
