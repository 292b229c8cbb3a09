"""Status submissions journalled before the acknowledgement and stored right after, exactly once.

A platform wants its answer within seconds, and a burst of submissions must not wait for one
another's saves. A submission with valid input from a known person is written to the inbox (one
small insert) and acknowledged; the drain then stores each entry and removes it in the same
transaction, so an entry becomes exactly one version, however many drains run (threads or
processes: PostgreSQL hands each entry to one of them) and across a crash at any point.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, delete
from sqlalchemy.exc import OperationalError
from sqlmodel import col, select

from bot.domain.actors import Actor, ChatUser
from bot.domain.periods import PeriodKey, parse_period
from bot.domain.reporting import StatusInput
from bot.domain.status import Status
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import find_account, known_person, resolve_actor
from bot.services.status import (
    MessageRef,
    SaveOutcome,
    check_ids,
    local_date,
    message_unit,
    store_status,
)
from storage import group_commit
from storage.db import session_scope
from storage.models import ChatAccount, Person, SubmissionInbox, utcnow

logger = logging.getLogger(__name__)

# How long an insert may wait for a busy database before the person is told to try again
# (the platform's own deadline for the answer is 3 s).
JOURNAL_TIMEOUT_SECONDS = 1.5

_INBOX: Table = SubmissionInbox.__table__  # type: ignore[attr-defined]

_DRAINING: dict[int, threading.Lock] = {}
_DRAINING_GUARD = threading.Lock()


@dataclass(frozen=True)
class Submission:
    """A validated status submission, as the adapter parsed it."""

    user: ChatUser
    activity_id: int
    unit_id: int | None
    period: PeriodKey
    status_input: StatusInput
    acted_at: datetime | None = None
    message: MessageRef | None = None


@dataclass(frozen=True)
class Drained:
    """What became of one journalled submission."""

    user: ChatUser
    outcome: SaveOutcome | None = None
    refused: Refused | None = None


def journal_submission(core: Core, submission: Submission) -> None:
    """Write a submission to the inbox before the ack; Refused (nothing stored) if it cannot be.

    Who the person is is settled here, so the answer can say so at once; whether they may
    report on this activity is checked when it is stored.
    """
    check_ids(submission.activity_id, submission.unit_id)
    person_id = known_person(core, submission.user)
    if person_id is None:
        raise Refused("not_registered")
    message = submission.message
    row = dict(
        platform=submission.user.platform,
        workspace=submission.user.workspace,
        user_id=submission.user.user_id,
        person_id=person_id,
        activity_id=submission.activity_id,
        unit_id=submission.unit_id,
        period=str(submission.period),
        status=submission.status_input.status.value,
        comment=submission.status_input.comment or "",
        keep_comment=submission.status_input.comment is None,
        channel=message.channel if message else None,
        message_ts=message.ts if message else None,
        acted_at=submission.acted_at,
        received_at=utcnow(),
    )
    try:
        # Committed together with the other submissions arriving right now.
        group_commit.insert(core.engine, _INBOX, row, timeout=JOURNAL_TIMEOUT_SECONDS)
    except OperationalError:
        logger.warning("the inbox could not take a submission in time; the person is told")
        raise Refused("try_again", retry=True) from None


def pending_submissions(core: Core, *, platform: str) -> int:
    """How many journalled submissions of a platform wait to be stored."""
    with session_scope(core.engine) as session:
        return len(
            session.exec(
                select(SubmissionInbox.id).where(SubmissionInbox.platform == platform)
            ).all()
        )


def drain_inbox(
    core: Core,
    *,
    platform: str,
    on_drained: Callable[[Drained], None] | None = None,
) -> int | None:
    """Store every journalled submission of a platform, oldest first; return how many, or None
    when another drain in this process is running (it goes on until the inbox is empty).

    Other processes skip the entries a drain holds. `on_drained` runs after each entry's
    transaction committed.
    """
    lock = _drain_lock(core)
    if not lock.acquire(blocking=False):
        return None
    handled = 0
    try:
        _identify_older_entries(core, platform)
        while True:
            try:
                result = _drain_one(core, platform)
            except OperationalError:
                # The database is busy or gone: the entries stay, the next drain stores them.
                logger.exception("the inbox could not be drained now; it is tried again")
                return handled
            except Exception:
                logger.exception("a journalled submission could not be stored")
                result = _discard_oldest(core, platform)
            if result is None:
                return handled
            handled += 1
            if on_drained is not None:
                try:
                    on_drained(result)
                except Exception:
                    logger.exception("work after storing a submission failed")
    finally:
        lock.release()


def _identify_older_entries(core: Core, platform: str) -> None:
    """Entries journalled by an older version carry no person: find them (perhaps asking the
    platform, so outside any transaction) before the entries are stored."""
    with session_scope(core.engine) as session:
        entries = session.exec(
            select(SubmissionInbox.id, SubmissionInbox.workspace, SubmissionInbox.user_id).where(
                SubmissionInbox.platform == platform, col(SubmissionInbox.person_id).is_(None)
            )
        ).all()
    for entry_id, workspace, user_id in entries:
        notifier = core.notifier(platform)
        user = ChatUser(platform, workspace or (notifier.workspace if notifier else ""), user_id)
        try:
            actor = resolve_actor(core, user)
        except Refused:  # the platform cannot tell now: stored as not registered, or later
            continue
        if actor.person_id is None:
            continue
        with session_scope(core.engine, write=True) as session:
            row = session.get(SubmissionInbox, entry_id)
            if row is not None and row.person_id is None:
                row.person_id = actor.person_id
                session.add(row)


def _drain_lock(core: Core) -> threading.Lock:
    with _DRAINING_GUARD:
        return _DRAINING.setdefault(id(core.engine), threading.Lock())


def _discard_oldest(core: Core, platform: str) -> Drained | None:
    """Remove an entry that cannot be stored (a bug, not the database), so others are not held
    up; the person is told it was not stored."""
    with session_scope(core.engine, write=True) as session:
        entry = session.exec(
            select(SubmissionInbox)
            .where(SubmissionInbox.platform == platform)
            .order_by(col(SubmissionInbox.id))
            .limit(1)
        ).first()
        if entry is None:
            return None
        session.delete(entry)
        return Drained(
            user=ChatUser(entry.platform, entry.workspace, entry.user_id),
            refused=Refused("save_failed"),
        )


def _drain_one(core: Core, platform: str) -> Drained | None:
    """Store and remove one entry in one transaction; None when the inbox is empty."""
    with session_scope(core.engine, write=True) as session:
        entry = session.exec(
            select(SubmissionInbox)
            .where(SubmissionInbox.platform == platform)
            .order_by(col(SubmissionInbox.id))
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if entry is None:
            return None
        user = ChatUser(entry.platform, entry.workspace, entry.user_id)
        removed = session.exec(delete(SubmissionInbox).where(col(SubmissionInbox.id) == entry.id))
        if removed.rowcount != 1:  # someone else stored it a moment ago
            return Drained(user=user)
        # Whose account it is now (the ack may have trusted a minute-old answer; an entry
        # journalled by an older version has no person id).
        if entry.workspace:
            account = find_account(session, user)
        else:  # journalled by an older version, which kept no workspace
            account = session.exec(
                select(ChatAccount).where(
                    ChatAccount.platform == entry.platform, ChatAccount.user_id == entry.user_id
                )
            ).first()
        person_id = account.person_id if account is not None else None
        person = session.get(Person, person_id) if person_id else None
        actor = Actor(
            user=user,
            person_id=person.id if person else None,
            name=person.name if person else "",
            email=person.email if person else None,
            is_admin=False,
            is_secretary=False,
            reporter_unit_ids=frozenset(),
        )
        message = (
            MessageRef(entry.platform, entry.channel, entry.message_ts)
            if entry.channel and entry.message_ts
            else None
        )
        try:
            outcome = store_status(
                session,
                actor=actor,
                activity_id=entry.activity_id,
                period=parse_period(entry.period),
                status_input=StatusInput(
                    Status(entry.status), None if entry.keep_comment else entry.comment
                ),
                source=entry.platform,
                acted_at=entry.acted_at,
                local_today=local_date(core),
            )
        except Refused as refused:
            return Drained(user=user, refused=refused)
        unit_id = message_unit(session, person_id=actor.person_id, message=message)
        return Drained(
            user=user,
            outcome=SaveOutcome(
                **{
                    **outcome.__dict__,
                    "unit_id": unit_id,
                    "message": message if unit_id is not None else None,
                }
            ),
        )
