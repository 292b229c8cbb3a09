"""Reporting a status: who may, the form to fill in, and saving a new version exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from bot.domain.actors import Actor, ChatUser
from bot.domain.periods import PeriodKey
from bot.domain.reporting import ActivityItem, PeriodInfo, StatusInput
from bot.domain.status import Status
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from bot.services.notifier import ReminderContent
from bot.services.progress import (
    activity_items,
    answers_for,
    open_return,
    period_info,
    reporter_rights,
    unit_overview,
)
from storage.db import session_scope
from storage.models import (
    UNIT_PATH_SEPARATOR,
    Activity,
    ActivityUnit,
    Goal,
    Period,
    ReminderMessage,
    StatusReport,
    Unit,
    utcnow,
)
from storage.queries import add_status_report, get_period

logger = logging.getLogger(__name__)

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database


@dataclass(frozen=True)
class MessageRef:
    """A message a save came from: where it is (channel and ts, or conversation and activity)."""

    platform: str
    channel: str
    ts: str


@dataclass(frozen=True)
class StatusForm:
    """What the status form (a Slack modal) shows: the activity and the period."""

    item: ActivityItem
    period: PeriodInfo


@dataclass(frozen=True)
class SaveOutcome:
    """What became of a save. `stored` is false when it changed nothing or came too late.

    `unit_id` is the unit of the message the save came from, taken from Uppsikt's own log of
    what it sent to this person (never from what the platform sent back); None when the
    message is not one of theirs, which leaves that message alone.
    """

    activity_id: int
    period: str
    status: Status
    comment: str
    version: int
    stored: bool
    superseded: bool
    author_name: str
    unit_id: int | None = None
    message: MessageRef | None = None
    view: ReminderContent | None = None


def local_date(core: Core) -> date:
    """Today in the configured zone (substitutes' ranges are whole local days)."""
    return core.now().astimezone(core.settings.timezone).date()


def check_ids(*ids: int | None) -> None:
    """Refuse ids no database row can have (a forged 12-digit id, a negative one)."""
    for value in ids:
        if value is not None and not 0 < value <= MAX_ID:
            raise Refused("unknown_activity")


def check_can_report(
    session: Session, *, actor: Actor, activity_id: int, period: PeriodKey
) -> tuple[Period, Activity]:
    """Raise Refused unless this person may report on this activity in this period now."""
    check_ids(activity_id)
    if not actor.is_known:
        raise Refused("not_registered")
    period_row = get_period(session, year=period.year, tertial=period.tertial)
    if period_row is None:
        raise Refused("unknown_period", period=str(period))
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise Refused("unknown_activity")
    goal = session.get(Goal, activity.goal_id)
    if goal is None or goal.year != period_row.year:
        raise Refused("wrong_period", period=str(period))
    paths = session.exec(
        select(Unit.path)
        .join(ActivityUnit, col(ActivityUnit.unit_id) == col(Unit.id))
        .where(ActivityUnit.activity_id == activity_id)
    ).all()
    reporter_paths = (
        session.exec(select(Unit.path).where(col(Unit.id).in_(actor.reporter_unit_ids))).all()
        if actor.reporter_unit_ids
        else []
    )
    # A reporter of a unit also answers for the units below it.
    if not any(
        path == mine or path.startswith(mine + UNIT_PATH_SEPARATOR)
        for path in paths
        for mine in reporter_paths
    ):
        raise Refused("not_reporter")
    if period_row.state == "returned":
        # Only what the committee returned is open again; everything else stays closed.
        returned = open_return(session, period=period_row)
        if returned is None or activity_id not in returned.reasons:
            raise Refused("not_returned", period=str(period))
    elif period_row.state != "open":
        raise Refused("period_closed", period=str(period))
    return period_row, activity


def status_form(core: Core, *, user: ChatUser, activity_id: int, period: PeriodKey) -> StatusForm:
    """The form for one activity, if this person may report on it now; else Refused."""
    actor = resolve_actor(core, user)
    with session_scope(core.engine) as session:
        period_row, _activity = check_can_report(
            session, actor=actor, activity_id=activity_id, period=period
        )
        item = activity_items(session, period=period_row, activity_ids=[activity_id])[activity_id]
        return StatusForm(item=item, period=period_info(period_row, core.settings.timezone))


def message_unit(
    session: Session, *, person_id: int | None, message: MessageRef | None
) -> int | None:
    """The unit of a reminder Uppsikt sent this person at that place, or None."""
    if message is None or person_id is None or not message.channel or not message.ts:
        return None
    row = session.exec(
        select(ReminderMessage).where(
            ReminderMessage.person_id == person_id,
            ReminderMessage.platform == message.platform,
            ReminderMessage.channel == message.channel,
            ReminderMessage.ts == message.ts,
        )
    ).first()
    return row.unit_id if row is not None else None


def actor_in_session(session: Session, actor: Actor, *, on: date) -> Actor:
    """The actor with reporter rights read again inside a unit of work (they may have changed,
    and a substitute's end with their range)."""
    if actor.person_id is None:
        return actor
    own, acting = reporter_rights(session, person_id=actor.person_id, on=on)
    return Actor(
        user=actor.user,
        person_id=actor.person_id,
        name=actor.name,
        email=actor.email,
        is_admin=actor.is_admin,
        is_secretary=actor.is_secretary,
        reporter_unit_ids=own | {unit for unit, _person in acting},
        acting_for=acting,
    )


def _on_behalf(session: Session, actor: Actor, activity_id: int) -> int | None:
    """Whom a save answers for: None when the actor reports for the activity's units
    themselves, else the absent reporter they stand in for."""
    if not actor.acting_for:
        return None
    paths = session.exec(
        select(Unit.path)
        .join(ActivityUnit, col(ActivityUnit.unit_id) == col(Unit.id))
        .where(ActivityUnit.activity_id == activity_id)
    ).all()

    def covers(unit_ids: set[int]) -> bool:
        mine = session.exec(select(Unit.path).where(col(Unit.id).in_(unit_ids))).all()
        return any(p == m or p.startswith(m + UNIT_PATH_SEPARATOR) for p in paths for m in mine)

    own = set(actor.reporter_unit_ids) - {u for u, _p in actor.acting_for}
    if own and covers(own):
        return None
    for unit_id, person_id in sorted(actor.acting_for):
        if covers({unit_id}):
            return person_id
    return None


def store_status(
    session: Session,
    *,
    actor: Actor,
    activity_id: int,
    period: PeriodKey,
    status_input: StatusInput,
    source: str,
    acted_at: datetime | None,
    local_today: date,
) -> SaveOutcome:
    """Inside one transaction: check, then add a version unless unchanged or superseded."""
    actor = actor_in_session(session, actor, on=local_today)
    period_row, _activity = check_can_report(
        session, actor=actor, activity_id=activity_id, period=period
    )
    # Lock the activity so concurrent saves of it take turns for the next version number
    # (PostgreSQL; SQLite has one writer at a time anyway).
    session.exec(select(Activity.id).where(Activity.id == activity_id).with_for_update()).one()
    current = session.exec(
        select(StatusReport)
        .where(StatusReport.activity_id == activity_id, StatusReport.period_id == period_row.id)
        .order_by(col(StatusReport.version).desc())
    ).first()
    comment = status_input.comment
    if comment is None:
        comment = current.comment if current else ""
    base = {"activity_id": activity_id, "period": str(period), "author_name": actor.name}
    if current is not None and acted_at is not None:
        current_time = current.acted_at or current.created_at
        # Platforms sign times to the second: within one second, arrival order decides.
        if int(acted_at.timestamp()) < int(current_time.timestamp()):
            # An older action (a replayed or delayed request) never overwrites a newer version.
            return _kept(base, current, superseded=True)
    assert period_row.id is not None
    report = add_status_report(
        session,
        activity_id=activity_id,
        period_id=period_row.id,
        status=status_input.status.value,
        comment=comment,
        author_person_id=actor.person_id,
        author_name=actor.name,
        source=source,
        current=current,
        skip_if_unchanged=True,
    )
    if report is None:
        assert current is not None
        return _kept(base, current, superseded=False)
    report.acted_at = acted_at or utcnow()
    report.on_behalf_of_person_id = _on_behalf(session, actor, activity_id)
    session.add(report)
    return _outcome(base, report, stored=True, superseded=False)


def _kept(base: dict[str, object], current: StatusReport, *, superseded: bool) -> SaveOutcome:
    """The outcome of a save that stored nothing: the version that stands."""
    return _outcome(base, current, stored=False, superseded=superseded)


def _outcome(
    base: dict[str, object], row: StatusReport, *, stored: bool, superseded: bool
) -> SaveOutcome:
    return SaveOutcome(
        **base,  # type: ignore[arg-type]
        status=Status(row.status),
        comment=row.comment,
        version=row.version,
        stored=stored,
        superseded=superseded,
    )


def record_status(
    core: Core,
    *,
    user: ChatUser,
    activity_id: int,
    period: PeriodKey,
    status_input: StatusInput,
    source: str,
    acted_at: datetime | None = None,
    message: MessageRef | None = None,
    with_view: bool = False,
) -> SaveOutcome:
    """Save a status for the acting person: a new version, once, or Refused with nothing stored.

    With `with_view`, the outcome carries the refreshed content of the message it came from
    (only when that message is a reminder Uppsikt sent this person).
    """
    check_ids(activity_id)
    actor = resolve_actor(core, user)
    outcome = _save(core, actor, activity_id, period, status_input, source, acted_at)
    unit_id = None
    view = None
    with session_scope(core.engine) as session:
        unit_id = message_unit(session, person_id=actor.person_id, message=message)
        if unit_id is not None and with_view:
            view = reminder_content(core, session, actor=actor, unit_id=unit_id, period=period)
    return SaveOutcome(
        **{
            **outcome.__dict__,
            "unit_id": unit_id,
            "message": message if unit_id is not None else None,
            "view": view,
        }
    )


def _save(
    core: Core,
    actor: Actor,
    activity_id: int,
    period: PeriodKey,
    status_input: StatusInput,
    source: str,
    acted_at: datetime | None,
) -> SaveOutcome:
    for attempt in range(5):
        try:
            with session_scope(core.engine, write=True) as session:
                return store_status(
                    session,
                    actor=actor,
                    activity_id=activity_id,
                    period=period,
                    status_input=status_input,
                    source=source,
                    acted_at=acted_at,
                    local_today=local_date(core),
                )
        except IntegrityError:
            # Only without row locks (never on PostgreSQL): read again and retry.
            if attempt == 4:
                raise
        except OperationalError:
            logger.exception("the database could not take a status save")
            raise Refused("try_again", retry=True) from None
    raise AssertionError("unreachable")


def reminder_content(
    core: Core, session: Session, *, actor: Actor, unit_id: int, period: PeriodKey
) -> ReminderContent | None:
    """A unit's reminder as it stands now, if this person reports for the unit."""
    if not answers_for(session, reporter_unit_ids=actor.reporter_unit_ids, unit_id=unit_id):
        return None
    period_row = get_period(session, year=period.year, tertial=period.tertial)
    if period_row is None:
        return None
    overview = unit_overview(session, period=period_row, unit_ids=[unit_id], include_subunits=True)
    if not overview:
        return None
    unit, progress, items = overview[0]
    return ReminderContent(
        unit_id=unit_id,
        unit_path=unit.path,
        period=period_info(period_row, core.settings.timezone),
        items=tuple(items),
        progress=progress,
        language=core.settings.language,
    )


def reminder_view(
    core: Core, *, user: ChatUser, message: MessageRef, period: PeriodKey
) -> ReminderContent | None:
    """The refreshed content of a reminder message, if Uppsikt sent it to this person."""
    actor = resolve_actor(core, user)
    with session_scope(core.engine) as session:
        unit_id = message_unit(session, person_id=actor.person_id, message=message)
        if unit_id is None:
            return None
        return reminder_content(core, session, actor=actor, unit_id=unit_id, period=period)
