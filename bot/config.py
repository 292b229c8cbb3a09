"""One validated Settings object, built from the environment (and `.env`) once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
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

    if problems:
        raise ConfigError("Invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))
    return Settings(
        database_url=database_url,
        timezone=timezone,
        language=language,
        template_dir=template_dir,
        municipality=values.get("UPPSIKT_MUNICIPALITY", "").strip(),
        committee=values.get("UPPSIKT_COMMITTEE", "").strip() or Settings.committee,
    )


def _redact_url(url: str) -> str:
    """Hide a password in a database URL before it is shown anywhere."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


redact_url = _redact_url
