"""Fixtures for the importer tests: migrated databases (SQLite and PostgreSQL), the seed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from storage.db import ensure_schema, make_engine

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "bot" / "data" / "seed_2024_T1.txt"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An empty, migrated database: a SQLite file, and a PostgreSQL database."""
    engine = make_engine(database_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated SQLite file database (for the many-case tests)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'many.db'}")
    ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings() -> Settings:
    """Default settings: Swedish, Europe/Stockholm."""
    return Settings()


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The bundled seed report's text."""
    return SEED.read_text(encoding="utf-8")
