"""Helpers for the importer tests."""

from __future__ import annotations

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine


def snapshot(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: equal snapshots mean an unchanged database."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for name, table in sorted(metadata.tables.items())
            if name != "alembic_version"
        }
