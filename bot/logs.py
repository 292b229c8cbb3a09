"""Logging for `uppsikt run`: text or JSON lines, third-party chatter kept at WARNING."""

from __future__ import annotations

import logging

from bot.config import Settings

QUIET = ("slack_sdk", "slack_bolt", "fontTools", "weasyprint", "apscheduler", "httpx", "msal")


def configure_logging(settings: Settings) -> None:
    """Configure the root logger once for the process."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
