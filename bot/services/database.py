"""Opening the database for a process: the one place adapters get an engine from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.config import Settings, redact_url
from bot.services.errors import Refused
from storage.db import DatabaseError, current_revision, ensure_schema, head_revision, make_engine
from storage.db import upgrade as upgrade_schema


@dataclass(frozen=True)
class Upgraded:
    url: str
    before: str | None
    after: str


@dataclass(frozen=True)
class Readiness:
    """What /readyz reports about the database."""

    reachable: bool
    at_head: bool
    revision: str | None


def open_database(settings: Settings) -> Engine:
    """The engine for the configured database, upgraded if empty; Refused if it cannot be used."""
    engine = make_engine(settings.database_url)
    url = redact_url(settings.database_url)
    try:
        ensure_schema(engine)
    except DatabaseError as error:
        engine.dispose()
        raise Refused(
            "database_behind" if error.revision else "database_foreign",
            url=url,
            revision=error.revision or "",
            head=head_revision(),
        ) from None
    except Exception as error:  # connection refused, bad file path, ...
        engine.dispose()
        raise Refused("database_unreachable", url=url, error=_first_line(error)) from None
    return engine


def upgrade_database(settings: Settings) -> Upgraded:
    """Apply every migration to the configured database."""
    url = redact_url(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        before, after = upgrade_schema(engine)
    except Exception as error:
        raise Refused("database_upgrade_failed", url=url, error=_first_line(error)) from None
    finally:
        engine.dispose()
    return Upgraded(url, before, after)


def readiness(engine: Engine) -> Readiness:
    """Whether the database answers and carries this version's schema."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except Exception:
        return Readiness(False, False, None)
    return Readiness(True, revision == head_revision(), revision)


def _first_line(error: BaseException) -> str:
    text_ = str(error).strip()
    return text_.splitlines()[0] if text_ else type(error).__name__


def single_process(engine: Engine) -> bool:
    """Whether this database allows one `uppsikt run` only (SQLite)."""
    return engine.dialect.name == "sqlite"


def close_database(engine: Engine) -> None:
    """Return every pooled connection."""
    engine.dispose()
