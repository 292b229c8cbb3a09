"""One validated Settings object, built from the environment (and `.env`) once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

LANGUAGES = ("sv", "en")


class ConfigError(ValueError):
    """Raised when a setting is missing or malformed; the message lists every problem."""


@dataclass(frozen=True)
class Settings:
    """Validated settings; build with `load_settings()`."""

    database_url: str = "sqlite:///uppsikt.db"
    timezone: ZoneInfo = ZoneInfo("Europe/Stockholm")
    language: str = "sv"
    template_dir: Path | None = None
    municipality: str = ""
    committee: str = "Kommunstyrelsen"
    # Slack. Tokens never appear in repr, logs, job arguments or the database.
    slack_bot_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_api_url: str = "https://slack.com/api/"
    host: str = "127.0.0.1"
    port: int = 3000
    committee_channel: str = ""
    admins: frozenset[str] = frozenset()
    secretaries: frozenset[str] = frozenset()
    max_body_bytes: int = 1_000_000
    # Reminders (the sweep inside `uppsikt run`)
    reminder_days: tuple[int, ...] = (28, 14, 7, 2, 0)
    reminder_time: time = time(9, 0)
    sweep_seconds: int = 300
    scheduler: bool = True

    @property
    def timezone_name(self) -> str:
        return self.timezone.key


def _environment(env: Mapping[str, str] | None, dotenv_path: str | Path | None) -> dict[str, str]:
    """Merge `.env` under the real environment: the environment always wins."""
    merged: dict[str, str] = {}
    path = Path(dotenv_path) if dotenv_path is not None else Path.cwd() / ".env"
    if path.is_file():
        merged.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    merged.update(os.environ if env is None else env)
    return merged


def load_settings(
    env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = None
) -> Settings:
    """Read and validate settings; raise ConfigError naming every bad value."""
    values = _environment(env, dotenv_path)
    problems: list[str] = []

    database_url = values.get("DATABASE_URL", "").strip() or Settings.database_url
    if not database_url.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
        problems.append(
            "DATABASE_URL must start with sqlite:// or postgresql:// "
            f"(got {_redact_url(database_url)!r})"
        )
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare scheme would pick psycopg2.
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]

    tz_name = values.get("UPPSIKT_TIMEZONE", "").strip() or "Europe/Stockholm"
    timezone = Settings.timezone
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"UPPSIKT_TIMEZONE {tz_name!r} is not a known IANA time zone")

    language = values.get("UPPSIKT_LANGUAGE", "").strip().lower() or "sv"
    if language not in LANGUAGES:
        problems.append(
            f"UPPSIKT_LANGUAGE must be one of {', '.join(LANGUAGES)} (got {language!r})"
        )

    template_dir: Path | None = None
    raw_dir = values.get("UPPSIKT_TEMPLATE_DIR", "").strip()
    if raw_dir:
        template_dir = Path(raw_dir).expanduser()
        if not template_dir.is_dir():
            problems.append(f"UPPSIKT_TEMPLATE_DIR {raw_dir!r} is not a directory")

    slack_api_url = values.get("SLACK_API_URL", "").strip() or Settings.slack_api_url
    if not slack_api_url.startswith(("https://", "http://")):
        problems.append(f"SLACK_API_URL must be an http(s) URL (got {slack_api_url!r})")
    if not slack_api_url.endswith("/"):
        slack_api_url += "/"
    port_text = values.get("UPPSIKT_PORT", "").strip() or str(Settings.port)
    port = Settings.port
    if not port_text.isdigit() or not 0 <= int(port_text) < 65536:
        # 0 asks the system for a free port (the tests use it).
        problems.append(f"UPPSIKT_PORT must be a port number 0-65535 (got {port_text!r})")
    else:
        port = int(port_text)
    bot_token = values.get("SLACK_BOT_TOKEN", "").strip()
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token (it starts with xoxb-)")
    app_token = values.get("SLACK_APP_TOKEN", "").strip()
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token (it starts with xapp-)")
    channel = values.get("UPPSIKT_COMMITTEE_CHANNEL", "").strip().lstrip("#")

    from bot.domain.reminder_policy import parse_reminder_days, parse_reminder_time

    reminder_days = Settings.reminder_days
    raw_days = values.get("UPPSIKT_REMINDER_DAYS", "").strip()
    if raw_days:
        try:
            reminder_days = parse_reminder_days(raw_days)
        except ValueError as exc:
            problems.append(f"UPPSIKT_REMINDER_DAYS: {exc}")
    reminder_time = Settings.reminder_time
    raw_time = values.get("UPPSIKT_REMINDER_TIME", "").strip()
    if raw_time:
        try:
            reminder_time = parse_reminder_time(raw_time)
        except ValueError as exc:
            problems.append(f"UPPSIKT_REMINDER_TIME: {exc}")
    sweep_text = values.get("UPPSIKT_SWEEP_SECONDS", "").strip() or str(Settings.sweep_seconds)
    sweep_seconds = Settings.sweep_seconds
    if not sweep_text.isdigit() or not 1 <= int(sweep_text) <= 3600:
        problems.append(f"UPPSIKT_SWEEP_SECONDS must be 1-3600 (got {sweep_text!r})")
    else:
        sweep_seconds = int(sweep_text)
    scheduler_text = values.get("UPPSIKT_SCHEDULER", "").strip().lower() or "on"
    if scheduler_text not in ("on", "off"):
        problems.append(f"UPPSIKT_SCHEDULER must be on or off (got {scheduler_text!r})")

    if problems:
        raise ConfigError("Invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))
    return Settings(
        database_url=database_url,
        timezone=timezone,
        language=language,
        template_dir=template_dir,
        municipality=values.get("UPPSIKT_MUNICIPALITY", "").strip(),
        committee=values.get("UPPSIKT_COMMITTEE", "").strip() or Settings.committee,
        slack_bot_token=bot_token,
        slack_signing_secret=values.get("SLACK_SIGNING_SECRET", "").strip(),
        slack_app_token=app_token,
        slack_api_url=slack_api_url,
        host=values.get("UPPSIKT_HOST", "").strip() or Settings.host,
        port=port,
        committee_channel=channel,
        admins=_identities(values.get("UPPSIKT_ADMINS", "")),
        secretaries=_identities(values.get("UPPSIKT_SECRETARIES", "")),
        reminder_days=reminder_days,
        reminder_time=reminder_time,
        sweep_seconds=sweep_seconds,
        scheduler=scheduler_text == "on",
    )


def _identities(raw: str) -> frozenset[str]:
    """E-mails (lowercased) and Slack user ids from a comma- or space-separated list."""
    items = raw.replace(";", ",").replace(" ", ",").split(",")
    return frozenset(i.strip().lower() if "@" in i else i.strip() for i in items if i.strip())


def require_slack(settings: Settings) -> list[str]:
    """The settings `uppsikt run` still needs, by name (empty when all are there)."""
    missing = []
    if not settings.slack_bot_token:
        missing.append("SLACK_BOT_TOKEN")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        missing.append("SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)")
    return missing


def _redact_url(url: str) -> str:
    """Hide a password in a database URL before it is shown anywhere."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


redact_url = _redact_url
