"""The Slack adapter's view of the translation catalogue (bot.i18n)."""

from __future__ import annotations

from bot.i18n import CATALOGUE as MESSAGES
from bot.i18n import DEFAULT_LANGUAGE, language_or_default
from bot.i18n import t as msg

__all__ = ["DEFAULT_LANGUAGE", "MESSAGES", "language_or_default", "msg"]
