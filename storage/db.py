"""Engine, sessions and migrations."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseError(RuntimeError):
    """Raised when the database cannot be used as it is: an older schema (`revision` says which)
    or tables that are not Uppsikt's (`revision` None)."""

    def __init__(self, message: str, revision: str | None = None) -> None:
        super().__init__(message)
        self.revision = revision


def make_engine(database_url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout on every connection."""
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if ":memory:" not in database_url:
                cursor.execute("PRAGMA journal_mode=WAL")
                # In WAL mode NORMAL is safe against application crashes and saves an fsync
                # per commit; only a power loss can drop the last transactions.
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that points at the packaged migrations and this engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


_REVISION = re.compile(r'^revision(?:: str)? = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision(?:: str \| None)? = (?:"([^"]+)"|None)', re.MULTILINE)


@cache
def head_revision() -> str:
    """The newest migration revision shipped with this version: the one no other revises. Read
    from the files' headers, so a command that needs no upgrade never loads Alembic (a test
    holds it equal to Alembic's own answer)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN.search(source)
        if found:
            revisions.add(found.group(1))
        if down and down.group(1):
            revised.add(down.group(1))
    heads = revisions - revised
    if len(heads) != 1:
        raise DatabaseError(f"The packaged migrations have {len(heads)} heads, not one.")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The database's migration revision, or None for a database never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply all migrations; return (revision before, revision after)."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    return before, head_revision()


def ensure_schema(engine: Engine) -> None:
    """Upgrade an empty database; refuse one that is behind, with the command that fixes it."""
    revision = current_revision(engine)
    if revision == head_revision():
        return
    if revision is None:
        tables = set(inspect(engine).get_table_names()) - {"apscheduler_jobs"}
        if not tables:
            upgrade(engine)
            return
        raise DatabaseError(
            "The database has tables but no Uppsikt schema version; "
            "point DATABASE_URL at an empty database or an Uppsikt one."
        )
    raise DatabaseError(
        f"The database schema is at revision {revision}, this version needs {head_revision()}: "
        "run `uppsikt db upgrade`.",
        revision,
    )


_WRITE_LOCKS: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(engine: Engine) -> threading.Lock | None:
    """SQLite has one writer at a time; queueing writers in-process beats its busy-wait sleeps."""
    if engine.dialect.name != "sqlite":
        return None
    with _WRITE_LOCKS_GUARD:
        lock = _WRITE_LOCKS.get(engine)
        if lock is None:
            lock = _WRITE_LOCKS[engine] = threading.Lock()
        return lock


class LockTimeout(OperationalError):
    """A write waited longer for the database than its unit of work allows."""

    def __init__(self) -> None:
        super().__init__("waiting for the database", None, Exception("lock timeout"))


BUSY_TIMEOUT_MS = 30000


@contextmanager
def session_scope(
    engine: Engine, *, write: bool = False, lock_timeout: float | None = None
) -> Iterator[Session]:
    """One session per unit of work: commit on success, roll back on any error.

    `write=True` marks a unit of work that writes on a hot path (a status save): on SQLite it
    waits its turn in-process instead of in SQLite's busy handler. `lock_timeout` (seconds)
    bounds how long it may wait for locks at all, raising LockTimeout (an OperationalError),
    so an answer that must go out within seconds is never late.
    """
    with _write_turn(engine, lock_timeout) if write else nullcontext():
        with Session(engine, expire_on_commit=False) as session:
            bounded = lock_timeout is not None
            if bounded:
                _bound_waits(session, lock_timeout)  # type: ignore[arg-type]
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                if bounded and engine.dialect.name == "sqlite":
                    session.connection().exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@contextmanager
def _write_turn(engine: Engine, lock_timeout: float | None) -> Iterator[None]:
    """This process's turn to write (SQLite's one writer; nothing to wait for on PostgreSQL),
    LockTimeout if it does not come within `lock_timeout` seconds."""
    lock = _write_lock(engine)
    if lock is None:
        yield
        return
    if not lock.acquire(timeout=-1 if lock_timeout is None else lock_timeout):
        raise LockTimeout()
    try:
        yield
    finally:
        lock.release()


@contextmanager
def write_connection(engine: Engine, *, lock_timeout: float) -> Iterator[Connection]:
    """A Core connection in one write transaction, for a hot path's few rows: what
    `session_scope(write=True, lock_timeout=...)` promises (committed on success, rolled back on
    any error, the wait for locks bounded, LockTimeout past it) without an ORM session's cost."""
    with _write_turn(engine, lock_timeout), engine.connect() as connection:
        ms = max(1, int(lock_timeout * 1000))
        sqlite = engine.dialect.name == "sqlite"
        raw = connection.connection.dbapi_connection
        if sqlite:  # a connection-wide setting, put back afterwards
            raw.execute(f"PRAGMA busy_timeout={ms}")  # type: ignore[union-attr]
        try:
            with connection.begin():
                if not sqlite:
                    _bound_waits_on(connection, ms)
                yield connection
        finally:
            if sqlite:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # type: ignore[union-attr]


def _bound_waits(session: Session, seconds: float) -> None:
    _bound_waits_on(session.connection(), max(1, int(seconds * 1000)))


def _bound_waits_on(connection: Connection, ms: int) -> None:
    if connection.dialect.name == "postgresql":
        # One round trip for both (SET LOCAL each would take one): local to the transaction.
        connection.exec_driver_sql(
            f"SELECT set_config('lock_timeout', '{ms}', true), "
            f"set_config('statement_timeout', '{ms}', true)"
        )
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout={ms}")
