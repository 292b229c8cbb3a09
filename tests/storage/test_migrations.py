"""Migrations on an empty SQLite file and an empty PostgreSQL database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from bot.config import load_settings
from storage.db import (
    DatabaseError,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    make_engine,
    session_scope,
    upgrade,
)
from storage.models import Activity, Goal, Period, StatusReport
from storage.queries import add_status_report, current_reports

TABLES = {
    "unit",
    "goal_area",
    "goal",
    "activity",
    "activity_unit",
    "person",
    "unit_role",
    "global_role",
    "period",
    "status_report",
    "import_note",
    "reminder_message",
    "handled_event",
    "chat_account",
    "report_version",
    "submission_inbox",
    "scheduler_lease",
    "reminder_settings",
}


def _engine(url: str):
    return make_engine(
        load_settings(env={"DATABASE_URL": url}, dotenv_path="/nonexistent").database_url
    )


def test_upgrade_head_on_empty_database_creates_every_table(database_url: str) -> None:
    engine = _engine(database_url)
    assert current_revision(engine) is None
    before, after = upgrade(engine)
    assert before is None and after == head_revision()
    assert TABLES <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()


def test_autogenerate_finds_no_difference_after_upgrade(database_url: str) -> None:
    engine = _engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _not_scheduler_table},
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def _not_scheduler_table(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name == "apscheduler_jobs")


def test_apscheduler_table_is_left_alone(database_url: str) -> None:
    engine = _engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE apscheduler_jobs (id VARCHAR(191) PRIMARY KEY)"))
    ensure_schema(engine)  # an otherwise empty database is upgraded despite the scheduler table
    upgrade(engine)
    assert "apscheduler_jobs" in inspect(engine).get_table_names()


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    engine = _engine(database_url)
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())


def test_foreign_database_is_refused_not_touched(database_url: str) -> None:
    engine = _engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY)"))
    with pytest.raises(DatabaseError, match="no Uppsikt schema"):
        ensure_schema(engine)
    assert set(inspect(engine).get_table_names()) == {"customers"}


def test_database_behind_is_told_to_upgrade(database_url: str) -> None:
    engine = _engine(database_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(DatabaseError, match="uppsikt db upgrade"):
        ensure_schema(engine)


def test_times_round_trip_aware_utc_and_versions_are_unique(database_url: str) -> None:
    engine = _engine(database_url)
    upgrade(engine)
    stockholm = timezone(timedelta(hours=2))
    deadline = datetime(2024, 9, 10, 16, 0, tzinfo=stockholm)
    with session_scope(engine) as session:
        period = Period(year=2024, tertial=2, deadline=deadline)
        goal = Goal(year=2024, number="1.1", text="Sjukfrånvaron ska minska")
        session.add(period)
        session.add(goal)
        session.flush()
        activity = Activity(goal_id=goal.id, title="Åtgärd å ä ö")
        session.add(activity)
        session.flush()
        for n, status in enumerate(["on_track", "deviating", "done"]):
            add_status_report(
                session,
                activity_id=activity.id,
                period_id=period.id,
                status=status,
                comment=f"version {n + 1}",
                author_person_id=None,
                author_name="test",
                source="test",
            )
        ids = (period.id, activity.id)
    with session_scope(engine) as session:
        stored = session.get(Period, ids[0])
        assert stored.deadline == deadline
        assert stored.deadline.utcoffset() == timedelta(0)
        assert stored.deadline.tzinfo is not None
        assert stored.deadline.astimezone(UTC).hour == 14
        current = current_reports(session, period_id=ids[0])
        assert current[ids[1]].version == 3
        assert current[ids[1]].status == "done"
        assert current[ids[1]].comment == "version 3"
        assert session.get(Activity, ids[1]).title == "Åtgärd å ä ö"
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(
                StatusReport(
                    activity_id=ids[1], period_id=ids[0], version=2, status="done", comment=""
                )
            )


def test_the_head_read_from_the_files_is_alembics_and_so_is_the_current_revision(
    database_url: str,
) -> None:
    """Commands read the head and the database's revision without loading Alembic: both must be
    exactly what Alembic says."""
    from alembic.script import ScriptDirectory

    from storage.db import MIGRATIONS_DIR

    assert head_revision() == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        command.upgrade(alembic_config(engine), "0009")
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == "0009"
        assert current_revision(engine) == "0009"
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
