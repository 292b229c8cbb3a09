"""A backup taken while reports are being saved, restored onto an empty database: every report
saved before the backup began is there, and the copy is consistent (no half-written versions)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import load_settings
from bot.domain.reporting import StatusInput
from bot.domain.status import Status
from bot.services.backup import backup_database, restore_database
from bot.services.errors import Refused
from bot.services.status import record_status
from storage.db import make_engine, session_scope
from storage.models import StatusReport
from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.services.core.conftest import SAMHALLSBYGGNAD, T2, World


def _comments(url: str) -> list[tuple[int, str]]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return sorted(
                (r.version, r.comment)
                for r in session.exec(select(StatusReport).where(StatusReport.source == "slack"))
            )
    finally:
        engine.dispose()


def test_a_backup_under_writes_restores_every_report_saved_before_it(
    world: World, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    activity = world.activity_of(SAMHALLSBYGGNAD)
    anna = world.user("U0ANNA")
    saved_before: list[str] = []
    started = threading.Event()
    stop = threading.Event()

    def saver() -> None:
        n = 0
        while not stop.is_set():
            record_status(
                world.core,
                user=anna,
                activity_id=activity,
                period=T2,
                status_input=StatusInput(Status.DEVIATING, f"sparad {n}"),
                source="slack",
            )
            if not started.is_set():
                saved_before.append(f"sparad {n}")
            n += 1
            if n == 20:
                started.set()

    thread = threading.Thread(target=saver)
    thread.start()
    assert started.wait(120)
    backup = tmp_path / "uppsikt.backup"
    done = backup_database(world.core.settings, path=backup)
    stop.set()
    thread.join()
    assert done.size > 0

    url = world.core.settings.database_url
    if url.startswith("sqlite"):
        target_url = f"sqlite:///{tmp_path / 'restored.db'}"
        cleanup = None
    else:
        admin = request.getfixturevalue("postgres_server")
        name, target_url = _create_postgres_database(admin)
        cleanup = (admin, name)
    try:
        target = load_settings(env={"DATABASE_URL": target_url}, dotenv_path="/nonexistent")
        restored = restore_database(target, path=backup)
        assert restored.revision_after
        comments = _comments(target.database_url)
        texts = [c for _v, c in comments]
        assert set(saved_before) <= set(texts)  # everything saved before the backup began
        versions = [v for v, _c in comments]
        assert versions == list(range(1, len(versions) + 1))  # a consistent prefix
        # A second restore onto the now full database is refused, changing nothing.
        with pytest.raises(Refused) as refused:
            restore_database(target, path=backup)
        assert refused.value.key == "restore_not_empty"
        assert _comments(target.database_url) == comments
    finally:
        if cleanup is not None:
            _drop_postgres_database(*cleanup)
    with pytest.raises(Refused) as refused:
        backup_database(world.core.settings, path=backup)
    assert refused.value.key == "backup_exists"
