"""One validated Settings object (pydantic-settings), built from the environment and `.env` once.

Every bad value is reported at start in one list, naming the variable, in the configured
language (Swedish unless UPPSIKT_LANGUAGE says en). Tokens and secrets never appear in repr,
logs, job arguments or the database.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

LANGUAGES = ("sv", "en")
TEAMS_CLOUDS = ("Public", "USGov", "USGovDoD", "China")
LOG_FORMATS = ("text", "json")
# waitress is what runs; wsgiref (the standard library's) only as a benchmark's reference.
HTTP_SERVERS = ("waitress", "wsgiref")

# Which mapping (and .env file) `load_settings` reads; plain `Settings(...)` reads neither.
_SOURCE: contextvars.ContextVar[tuple[Mapping[str, str], Path | None] | None] = (
    contextvars.ContextVar("uppsikt_settings_source", default=None)
)


class ConfigError(ValueError):
    """A setting is missing or malformed; the message lists every problem."""


def _bad(key: str, **params: object) -> PydanticCustomError:
    return PydanticCustomError("uppsikt", key, {"key": key, **params})


class _MappingEnv(EnvSettingsSource):
    """The environment `load_settings` was given (os.environ, or a test's mapping)."""

    def __init__(self, settings_cls: type[BaseSettings], mapping: Mapping[str, str]) -> None:
        self._mapping = mapping
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return dict(self._mapping)


Csv = Annotated[frozenset[str], NoDecode]
Days = Annotated[tuple[int, ...], NoDecode]


class Settings(BaseSettings):
    """Validated settings; build with `load_settings()` (or directly, for tests)."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        populate_by_name=True,
        arbitrary_types_allowed=True,
        env_ignore_empty=True,
        case_sensitive=True,
    )

    database_url: str = Field("sqlite:///uppsikt.db", validation_alias="DATABASE_URL")
    timezone: ZoneInfo = Field(ZoneInfo("Europe/Stockholm"), validation_alias="UPPSIKT_TIMEZONE")
    language: str = Field("sv", validation_alias="UPPSIKT_LANGUAGE")
    template_dir: Path | None = Field(None, validation_alias="UPPSIKT_TEMPLATE_DIR")
    municipality: str = Field("", validation_alias="UPPSIKT_MUNICIPALITY")
    committee: str = Field("Kommunstyrelsen", validation_alias="UPPSIKT_COMMITTEE")
    # Slack
    slack_bot_token: str = Field("", validation_alias="SLACK_BOT_TOKEN", repr=False)
    slack_signing_secret: str = Field("", validation_alias="SLACK_SIGNING_SECRET", repr=False)
    slack_app_token: str = Field("", validation_alias="SLACK_APP_TOKEN", repr=False)
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")
    host: str = Field("127.0.0.1", validation_alias="UPPSIKT_HOST")
    port: int = Field(3000, validation_alias="UPPSIKT_PORT")
    committee_channel: str = Field("", validation_alias="UPPSIKT_COMMITTEE_CHANNEL")
    board_channel: str = Field("", validation_alias="UPPSIKT_BOARD_CHANNEL")
    admins: Csv = Field(frozenset(), validation_alias="UPPSIKT_ADMINS")
    secretaries: Csv = Field(frozenset(), validation_alias="UPPSIKT_SECRETARIES")
    max_body_bytes: int = 1_000_000
    # Microsoft Teams
    teams_app_id: str = Field("", validation_alias="TEAMS_APP_ID")
    teams_app_password: str = Field("", validation_alias="TEAMS_APP_PASSWORD", repr=False)
    teams_tenant_id: str = Field("", validation_alias="TEAMS_TENANT_ID")
    teams_cloud: str = Field("Public", validation_alias="TEAMS_CLOUD")
    teams_openid_metadata_url: str = Field("", validation_alias="TEAMS_OPENID_METADATA_URL")
    teams_token_issuer: str = Field("", validation_alias="TEAMS_TOKEN_ISSUER")
    teams_authority_host: str = Field("", validation_alias="TEAMS_AUTHORITY_HOST")
    teams_service_url: str = Field("", validation_alias="TEAMS_SERVICE_URL")
    teams_graph_url: str = Field("", validation_alias="TEAMS_GRAPH_URL")
    teams_committee_channel: str = Field("", validation_alias="TEAMS_COMMITTEE_CHANNEL")
    teams_board_channel: str = Field("", validation_alias="TEAMS_BOARD_CHANNEL")
    teams_public_url: str = Field("", validation_alias="TEAMS_PUBLIC_URL")
    teams_host: str = Field("127.0.0.1", validation_alias="TEAMS_HOST")
    teams_port: int = Field(3978, validation_alias="TEAMS_PORT")
    # Reminders and running
    reminder_days: Days = Field((28, 14, 7, 2, 0), validation_alias="UPPSIKT_REMINDER_DAYS")
    reminder_time: time = Field(time(9, 0), validation_alias="UPPSIKT_REMINDER_TIME")
    sweep_seconds: int = Field(300, validation_alias="UPPSIKT_SWEEP_SECONDS")
    scheduler: bool = Field(True, validation_alias="UPPSIKT_SCHEDULER")
    lease_seconds: int = Field(0, validation_alias="UPPSIKT_LEASE_SECONDS")
    health_port: int | None = Field(None, validation_alias="UPPSIKT_HEALTH_PORT")
    http_threads: int = Field(16, validation_alias="UPPSIKT_HTTP_THREADS")
    http_server: str = Field("waitress", validation_alias="UPPSIKT_HTTP_SERVER")
    log_format: str = Field("text", validation_alias="UPPSIKT_LOG_FORMAT")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        source = _SOURCE.get()
        if source is None:
            return (init_settings,)
        mapping, dotenv = source
        sources: list[PydanticBaseSettingsSource] = [
            init_settings,
            _MappingEnv(settings_cls, mapping),
        ]
        if dotenv is not None:
            sources.append(DotEnvSettingsSource(settings_cls, env_file=dotenv))
        return tuple(sources)

    # --- validation, one rule per setting ------------------------------------------------------

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: Any) -> str:
        url = str(value).strip()
        if not url.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise _bad("setting_database_url", url=redact_url(url))
        if url.startswith("postgresql://"):
            # psycopg 3 is the driver we ship; SQLAlchemy's bare scheme would pick psycopg2.
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: Any) -> ZoneInfo:
        if isinstance(value, ZoneInfo):
            return value
        try:
            return ZoneInfo(str(value).strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise _bad("setting_timezone", value=str(value)) from None

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> str:
        language = str(value).strip().lower()
        if language not in LANGUAGES:
            raise _bad("setting_language", value=language, allowed=", ".join(LANGUAGES))
        return language

    @field_validator("template_dir", mode="before")
    @classmethod
    def _template_dir(cls, value: Any) -> Path | None:
        if value is None or str(value).strip() == "":
            return None
        path = Path(str(value).strip()).expanduser()
        if not path.is_dir():
            raise _bad("setting_template_dir", value=str(value))
        return path

    @field_validator(
        "municipality", "committee", "committee_channel", "board_channel", mode="before"
    )
    @classmethod
    def _strip(cls, value: Any) -> str:
        return str(value).strip().lstrip("#") if value is not None else ""

    @field_validator("slack_api_url", mode="before")
    @classmethod
    def _slack_api_url(cls, value: Any) -> str:
        url = str(value).strip()
        if not url.startswith(("https://", "http://")):
            raise _bad("setting_url", value=url)
        return url if url.endswith("/") else url + "/"

    @field_validator("port", "teams_port", "health_port", mode="before")
    @classmethod
    def _port(cls, value: Any) -> int | None:
        if value is None:
            return None
        text = str(value).strip()
        # 0 asks the system for a free port (the tests use it).
        if not text.isdigit() or not 0 <= int(text) < 65536:
            raise _bad("setting_port", value=text)
        return int(text)

    @field_validator("slack_bot_token", mode="before")
    @classmethod
    def _bot_token(cls, value: Any) -> str:
        token = str(value).strip()
        if token and not token.startswith("xoxb-"):
            raise _bad("setting_bot_token")
        return token

    @field_validator("slack_app_token", mode="before")
    @classmethod
    def _app_token(cls, value: Any) -> str:
        token = str(value).strip()
        if token and not token.startswith("xapp-"):
            raise _bad("setting_app_token")
        return token

    @field_validator("admins", "secretaries", mode="before")
    @classmethod
    def _identities(cls, value: Any) -> frozenset[str]:
        """E-mails (lowercased) and chat user ids from a comma- or space-separated list."""
        if isinstance(value, frozenset | set | list | tuple):
            items = [str(i) for i in value]
        else:
            items = str(value).replace(";", ",").replace(" ", ",").split(",")
        return frozenset(i.strip().lower() if "@" in i else i.strip() for i in items if i.strip())

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _reminder_days(cls, value: Any) -> tuple[int, ...]:
        from bot.domain.reminder_policy import parse_reminder_days

        if isinstance(value, tuple | list):
            return tuple(int(v) for v in value)
        try:
            return parse_reminder_days(str(value))
        except ValueError:
            raise _bad("setting_reminder_days", value=str(value)) from None

    @field_validator("reminder_time", mode="before")
    @classmethod
    def _reminder_time(cls, value: Any) -> time:
        from bot.domain.reminder_policy import parse_reminder_time

        if isinstance(value, time):
            return value
        try:
            return parse_reminder_time(str(value))
        except ValueError:
            raise _bad("setting_reminder_time", value=str(value)) from None

    @field_validator("sweep_seconds", mode="before")
    @classmethod
    def _sweep_seconds(cls, value: Any) -> int:
        text = str(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= 3600:
            raise _bad("setting_range", value=text, low=1, high=3600)
        return int(text)

    @field_validator("lease_seconds", mode="before")
    @classmethod
    def _lease_seconds(cls, value: Any) -> int:
        text = str(value).strip()
        if not text.isdigit() or not (int(text) == 0 or 10 <= int(text) <= 86400):
            raise _bad("setting_range", value=text, low=10, high=86400)
        return int(text)

    @field_validator("scheduler", mode="before")
    @classmethod
    def _scheduler(cls, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in ("on", "off"):
            raise _bad("setting_on_off", value=text)
        return text == "on"

    @field_validator("teams_cloud", mode="before")
    @classmethod
    def _teams_cloud(cls, value: Any) -> str:
        text = str(value).strip()
        for cloud in TEAMS_CLOUDS:
            if text.lower() == cloud.lower():
                return cloud
        raise _bad("setting_choice", value=text, allowed=", ".join(TEAMS_CLOUDS))

    @field_validator("http_threads", mode="before")
    @classmethod
    def _http_threads(cls, value: Any) -> int:
        text = str(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= 256:
            raise _bad("setting_range", value=text, low=1, high=256)
        return int(text)

    @field_validator("http_server", mode="before")
    @classmethod
    def _http_server(cls, value: Any) -> str:
        text = str(value).strip().lower()
        if text not in HTTP_SERVERS:
            raise _bad("setting_choice", value=text, allowed=", ".join(HTTP_SERVERS))
        return text

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: Any) -> str:
        text = str(value).strip().lower()
        if text not in LOG_FORMATS:
            raise _bad("setting_choice", value=text, allowed=", ".join(LOG_FORMATS))
        return text

    @field_validator(
        "teams_openid_metadata_url",
        "teams_authority_host",
        "teams_service_url",
        "teams_graph_url",
        "teams_public_url",
        mode="before",
    )
    @classmethod
    def _optional_url(cls, value: Any) -> str:
        url = str(value).strip()
        if url and not url.startswith(("https://", "http://")):
            raise _bad("setting_url", value=url)
        return url.rstrip("/")

    @model_validator(mode="after")
    def _teams_complete(self) -> Settings:
        if self.teams_app_id and not self.teams_tenant_id:
            raise _bad("setting_teams_tenant")
        return self

    # --- derived -----------------------------------------------------------------------------

    @property
    def timezone_name(self) -> str:
        return self.timezone.key

    @property
    def effective_lease_seconds(self) -> int:
        """The lease period: the setting, else three sweeps (at least a minute)."""
        return self.lease_seconds or max(60, 3 * self.sweep_seconds)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated like the originals)."""
        return type(self)(**{**self._values(), **changes})

    def _values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in type(self).model_fields}


def _environment_language(values: Mapping[str, str]) -> str:
    language = (values.get("UPPSIKT_LANGUAGE") or "").strip().lower()
    return language if language in LANGUAGES else "sv"


def load_settings(
    env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = None
) -> Settings:
    """Read and validate settings (the environment wins over `.env`); raise ConfigError naming
    every bad value."""
    import os

    mapping = dict(os.environ if env is None else env)
    path = Path(dotenv_path) if dotenv_path is not None else Path.cwd() / ".env"
    dotenv = path if path.is_file() else None
    language_source = dict(mapping)
    if dotenv is not None and "UPPSIKT_LANGUAGE" not in language_source:
        from dotenv import dotenv_values

        language_source.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    token = _SOURCE.set((mapping, dotenv))
    try:
        return Settings()
    except ValidationError as error:
        raise ConfigError(_describe(error, _environment_language(language_source))) from None
    finally:
        _SOURCE.reset(token)


def _describe(error: ValidationError, language: str) -> str:
    from bot.i18n import t

    aliases = {
        name: str(field.validation_alias or name).upper()
        for name, field in Settings.model_fields.items()
    }
    lines = []
    for problem in error.errors(include_url=False, include_input=False):
        location = problem.get("loc") or ()
        name = aliases.get(str(location[0]), str(location[0])) if location else ""
        context = problem.get("ctx") or {}
        if problem.get("type") == "uppsikt" and "key" in context:
            params = {k: v for k, v in context.items() if k != "key"}
            text = t(language, str(context["key"]), **params)
        else:
            text = t(language, "setting_invalid")
        lines.append(f"  - {name}: {text}" if name else f"  - {text}")
    return t(language, "settings_invalid") + "\n" + "\n".join(lines)


def require_slack(settings: Settings) -> list[str]:
    """The Slack settings `uppsikt run` still needs, by name (empty when all are there)."""
    missing = []
    if not settings.slack_bot_token:
        missing.append("SLACK_BOT_TOKEN")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        missing.append("SLACK_SIGNING_SECRET (SLACK_APP_TOKEN)")
    return missing


def slack_configured(settings: Settings) -> bool:
    return bool(
        settings.slack_bot_token or settings.slack_app_token or settings.slack_signing_secret
    )


def teams_configured(settings: Settings) -> bool:
    return bool(settings.teams_app_id)


def redact_url(url: str) -> str:
    """Hide a password in a database URL before it is shown anywhere."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
