"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when it can be reached)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
ENABLE_HINT = (
    "PostgreSQL tests need a server: start it with "
    "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, "
    "or point UPPSIKT_TEST_POSTGRES_URL at one (trust auth); under CI=true they must run."
)
ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "bot" / "data" / "seed_2024_T1.txt"


def _postgres_admin_url() -> str:
    return os.environ.get("UPPSIKT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _postgres_available() -> str | None:
    """Return None if the server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(_postgres_admin_url(), connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: not available here
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of a reachable PostgreSQL server, or skip (fail under CI=true)."""
    problem = _postgres_available()
    if problem is not None:
        message = (
            f"PostgreSQL at {_postgres_admin_url()} is not reachable ({problem}). {ENABLE_HINT}"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return _postgres_admin_url()


def _create_postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"uppsikt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once as a SQLite file and once as a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'uppsikt.db'}"
        return
    admin_url = request.getfixturevalue("postgres_server")
    name, url = _create_postgres_database(admin_url)
    try:
        yield url
    finally:
        _drop_postgres_database(admin_url, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite file database."""
    return f"sqlite:///{tmp_path / 'uppsikt.db'}"


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty PostgreSQL database (skipped, or failed under CI=true, without a server)."""
    admin_url = request.getfixturevalue("postgres_server")
    name, url = _create_postgres_database(admin_url)
    try:
        yield url
    finally:
        _drop_postgres_database(admin_url, name)
