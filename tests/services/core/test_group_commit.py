"""Submissions arriving together share a transaction; each is journalled once or refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.domain.actors import ChatUser
from bot.domain.reporting import StatusInput
from bot.domain.status import Status
from bot.services import inbox
from bot.services.core import Core
from bot.services.identity import find_account, known_person, resolve_actor
from storage import group_commit
from storage.db import LockTimeout, session_scope
from storage.models import StatusReport, SubmissionInbox
from tests.services.core.conftest import SAMHALLSBYGGNAD, T2, World

TABLE = SubmissionInbox.__table__  # type: ignore[attr-defined]


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


@contextmanager
def _inbox_held(engine: Engine) -> Iterator[None]:
    """No insert into the inbox can commit until the block ends."""
    if engine.dialect.name == "sqlite":
        with session_scope(engine, write=True):  # the one writer's turn, in this process
            yield
    else:
        with session_scope(engine) as session:
            session.execute(text("LOCK TABLE submission_inbox IN EXCLUSIVE MODE"))
            yield


def _queue(engine: Engine) -> Any:
    return group_commit._QUEUES[engine]["submission_inbox"]


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every transaction the group commit runs."""
    sizes: list[int] = []
    real = group_commit._Table._transaction

    def counted(self, engine, batch, timeout):  # type: ignore[no-untyped-def]
        sizes.append(len(batch))
        real(self, engine, batch, timeout)

    monkeypatch.setattr(group_commit._Table, "_transaction", counted)
    return sizes


def _row(comment: str, **changes: object) -> dict[str, object]:
    row: dict[str, object] = dict(
        platform="slack",
        workspace="T0UPPSIKT",
        user_id="U0ANNA",
        person_id=None,
        activity_id=1,
        unit_id=None,
        period="2024-T2",
        status="deviating",
        comment=comment,
        keep_comment=False,
        channel=None,
        message_ts=None,
        acted_at=None,
        received_at=datetime.now(UTC),
    )
    row.update(changes)
    return row


def _journal(core: Core, user: ChatUser, activity: int, comment: str) -> None:
    inbox.journal_submission(
        core,
        inbox.Submission(
            user=user,
            activity_id=activity,
            unit_id=None,
            period=T2,
            status_input=StatusInput(Status.DEVIATING, comment),
        ),
    )


def _journalled(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return sorted(session.exec(select(SubmissionInbox.comment)).all())


class _Caller(threading.Thread):
    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.work()
        except BaseException as error:  # noqa: BLE001 (the test looks at it)
            self.error = error


def _lead_blocked(engine: Engine, work: Callable[[], object]) -> _Caller:
    """Start a caller that becomes the writer and waits in its transaction."""
    leader = _Caller(work)
    _wait(
        lambda: (
            engine in group_commit._QUEUES
            and "submission_inbox" in group_commit._QUEUES[engine]
            and _queue(engine).writing
            and not _queue(engine).queue
        ),
        "the first caller to take its own row",
    )
    return leader


def test_submissions_that_arrive_together_share_one_transaction(
    world: World, batches: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox, "JOURNAL_TIMEOUT_SECONDS", 60.0)
    engine = world.core.engine
    anna = world.user("U0ANNA")
    resolve_actor(world.core, anna)
    activity = world.activity_of(SAMHALLSBYGGNAD)

    def submit(n: int) -> Callable[[], None]:
        return lambda: _journal(world.core, anna, activity, f"svar {n:02d}")

    with _inbox_held(engine):
        callers = [_lead_blocked(engine, submit(0))]
        callers += [_Caller(submit(n)) for n in range(1, 30)]
        _wait(lambda: len(_queue(engine).queue) == 29, "29 callers queued")
    for caller in callers:
        caller.join()
    assert [c.error for c in callers] == [None] * 30
    assert _journalled(engine) == [f"svar {n:02d}" for n in range(30)]
    assert batches == [1, 29]  # the first alone, the other 29 in one transaction
    assert not _queue(engine).writing


def test_a_bad_row_in_a_batch_fails_alone(world: World, batches: list[int]) -> None:
    engine = world.core.engine
    with _inbox_held(engine):
        callers = [_lead_blocked(engine, lambda: group_commit.insert(
            engine, TABLE, _row("först"), timeout=60
        ))]  # fmt: skip
        for n in range(5):
            comment = f"god {n}"
            callers.append(
                _Caller(lambda c=comment: group_commit.insert(engine, TABLE, _row(c), timeout=60))
            )
        bad = _Caller(
            lambda: group_commit.insert(engine, TABLE, _row("trasig", user_id=None), timeout=60)
        )
        _wait(lambda: len(_queue(engine).queue) == 6, "six callers queued")
    for caller in [*callers, bad]:
        caller.join()
    assert [c.error for c in callers] == [None] * 6
    assert isinstance(bad.error, IntegrityError) and "user_id" in str(bad.error)
    assert _journalled(engine) == sorted(["först", *(f"god {n}" for n in range(5))])
    assert batches[:2] == [1, 6] and sorted(batches[2:]) == [1] * 6  # then one by one


def test_a_caller_that_waits_too_long_is_refused_and_its_row_never_written(
    world: World,
) -> None:
    engine = world.core.engine
    with _inbox_held(engine):
        leader = _lead_blocked(
            engine, lambda: group_commit.insert(engine, TABLE, _row("väntar"), timeout=60)
        )
        late = _Caller(lambda: group_commit.insert(engine, TABLE, _row("för sent"), timeout=0.2))
        late.join()  # refused while the database is still held
        assert isinstance(late.error, LockTimeout)
        assert _queue(engine).queue == []
    leader.join()
    assert leader.error is None
    assert _journalled(engine) == ["väntar"]


def test_the_store_checks_whose_account_it_is_now(world: World) -> None:
    """The ack may trust a minute-old answer about who a chat user is; the store does not."""
    core = world.core
    anna = world.user("U0ANNA")
    activity = world.activity_of(SAMHALLSBYGGNAD)
    assert known_person(core, anna) is not None  # remembered
    with session_scope(core.engine, write=True) as session:
        account = find_account(session, anna)
        assert account is not None
        account.user_id = "U0ANNA-NY"  # the person has a new account on the platform
        session.add(account)
    _journal(core, anna, activity, "från det gamla kontot")
    drained: list[inbox.Drained] = []
    assert inbox.drain_inbox(core, platform="slack", on_drained=drained.append) == 1
    assert drained[0].refused is not None and drained[0].outcome is None
    with session_scope(core.engine) as session:
        saved = session.exec(
            select(StatusReport).where(
                StatusReport.activity_id == activity, StatusReport.source != "import"
            )
        ).all()
    assert saved == []
