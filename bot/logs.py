"""Logging for `uppsikt run`: text or JSON lines, nothing personal or secret at INFO or above,
third-party chatter kept at WARNING."""

from __future__ import annotations

import logging
import re
import sys

from bot.config import Settings

# Libraries whose INFO lines are noise to an operator (font subsetting, HTTP clients, ...).
QUIET = (
    "slack_sdk",
    "slack_bolt",
    "fontTools",
    "weasyprint",
    "apscheduler",
    "httpx",
    "httpcore",
    "msal",
    "urllib3",
    "waitress",
    "alembic",
    "microsoft_teams",
)
# E-mail addresses and anything shaped like a Slack token or a bearer token.
_PERSONAL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bxox[abposr]-[\w-]+|\bxapp-[\w-]+|\bBearer\s+[\w.~+/=-]+",
    re.IGNORECASE,
)


class Redact(logging.Filter):
    """Mask e-mail addresses and tokens in every record at INFO and above (a safety net: the
    code does not log them, and a library's message must not either)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            message = record.getMessage()
            masked = _PERSONAL.sub("[redacted]", message)
            if masked != message:
                record.msg, record.args = masked, None
        return True


def configure_logging(settings: Settings) -> None:
    """Configure the root logger once for the process."""
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Waitress warns once for every request that waits for a worker thread: a burst of 50 acks
    # would write 50 lines (and spend the time on it). The ack latency metric shows the wait.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
