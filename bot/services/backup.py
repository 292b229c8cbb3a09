"""A consistent copy of a live database, and putting one back onto an empty database.

SQLite: the online backup API (a consistent snapshot while the bot keeps writing). PostgreSQL:
`pg_dump` in its custom format and `pg_restore`, when the PostgreSQL client tools are installed;
the password goes to them through the environment, never the command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import inspect

from bot.config import Settings, redact_url
from bot.services.errors import Refused
from storage.db import make_engine, upgrade

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int
    kind: str  # "sqlite" or "pg_dump"


@dataclass(frozen=True)
class RestoreDone:
    path: Path
    url: str
    revision_before: str | None
    revision_after: str


def _sqlite_path(url: str) -> Path:
    return Path(url.split("sqlite:///", 1)[1])


def _pg_env(url: str) -> dict[str, str]:
    """libpq's environment for a URL (so the password never shows in a process list)."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    env = dict(os.environ)
    env.update(
        PGHOST=parts.hostname or "localhost",
        PGPORT=str(parts.port or 5432),
        PGDATABASE=unquote(parts.path.lstrip("/")),
    )
    if parts.username:
        env["PGUSER"] = unquote(parts.username)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise Refused("backup_tool_missing", tool=name)
    return found


def backup_database(settings: Settings, *, path: Path) -> BackupDone:
    """Write a consistent copy of the configured database to `path` (refused if it exists)."""
    if path.exists():
        raise Refused("backup_exists", path=str(path))
    url = settings.database_url
    if url.startswith("sqlite"):
        source_path = _sqlite_path(url)
        if not source_path.is_file():
            raise Refused("database_unreachable", url=redact_url(url), error=str(source_path))
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        target = sqlite3.connect(path)
        try:
            source.backup(target)  # consistent even while another process writes
        finally:
            target.close()
            source.close()
        return BackupDone(path, path.stat().st_size, "sqlite")
    result = subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}"],
        env=_pg_env(url),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        path.unlink(missing_ok=True)
        raise Refused("backup_failed", error=_first_line(result.stderr))
    return BackupDone(path, path.stat().st_size, "pg_dump")


def restore_database(settings: Settings, *, path: Path) -> RestoreDone:
    """Put a backup onto the configured database, which must be empty, then upgrade it."""
    if not path.is_file():
        raise Refused("backup_missing", path=str(path))
    with path.open("rb") as handle:
        head = handle.read(16)
    url = settings.database_url
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    except Exception as error:
        engine.dispose()
        raise Refused(
            "database_unreachable", url=redact_url(url), error=_first_line(str(error))
        ) from None
    if tables:
        engine.dispose()
        raise Refused("restore_not_empty", url=redact_url(url))
    engine.dispose()
    if url.startswith("sqlite"):
        if not head.startswith(SQLITE_MAGIC):
            raise Refused("restore_wrong_kind", path=str(path), kind="SQLite")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise Refused("restore_wrong_kind", path=str(path), kind="pg_dump")
        env = _pg_env(url)
        result = subprocess.run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={env['PGDATABASE']}",
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if result.returncode != 0:
            raise Refused("restore_failed", error=_first_line(result.stderr))
    engine = make_engine(url)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    return RestoreDone(path, redact_url(url), before, after)


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else "?"
