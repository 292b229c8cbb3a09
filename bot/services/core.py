"""What every service call gets: the settings, the database and the attached chat platforms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.services.notifier import Notifier


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Core:
    """Built once by the composition root; adapters hold it and pass it to every service."""

    settings: Settings
    engine: Engine
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    clock: Callable[[], datetime] = _utcnow

    def attach(self, notifier: Notifier) -> None:
        """Make a chat platform reachable for reminders, answers and publishing."""
        self.notifiers[notifier.platform] = notifier

    def notifier(self, platform: str) -> Notifier | None:
        return self.notifiers.get(platform)

    def now(self) -> datetime:
        return self.clock()

    @property
    def language(self) -> str:
        return self.settings.language
