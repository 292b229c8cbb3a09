"""The committee's decision on a published version of the report (seed, section 1.21).

Approved: the case is closed. Returned for completion (återremiss): the reasons, for the whole
report and/or per activity, and a new deadline; exactly the named activities reopen for their
units, their reporters are reminded with the reason, everything else stays closed. Referred to
the board: the date of the board's meeting and the presenter (the committee's chair); the
report and the decision go to the board's channel when there is one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import col, select

from bot.domain.actors import ChatUser
from bot.domain.deadlines import DeadlineError, parse_deadline, resolve_deadline
from bot.domain.periods import PeriodKey
from bot.domain.report import DecisionRow
from bot.domain.text import clean_text
from bot.services import audit
from bot.services.channels import BOARD_CHANNEL, channel_setting, committee_channel
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from storage.db import session_scope
from storage.models import (
    Activity,
    Decision,
    Goal,
    Period,
    ReportVersion,
    ReturnedActivity,
    utcnow,
)
from storage.queries import get_period

logger = logging.getLogger(__name__)

APPROVED, RETURNED, REFERRED = "approved", "returned", "referred"
KINDS = (APPROVED, RETURNED, REFERRED)
MAX_REASON = 3000


@dataclass(frozen=True)
class DecisionInput:
    """What the secretary records. `version` None is the latest published one."""

    kind: str
    reasons: str = ""
    returned: tuple[tuple[int, str], ...] = ()  # (activity id, reason)
    deadline_text: str | None = None
    deadline_day: date | None = None
    deadline_time: object | None = None
    board_meeting: date | None = None
    presenter: str = ""
    version: int | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class DecisionRecorded:
    period: str
    version: int
    kind: str
    new_deadline: datetime | None = None
    returned: tuple[str, ...] = ()  # titles
    notes: tuple[tuple[str, dict[str, object]], ...] = field(default=())


@dataclass(frozen=True)
class DecisionForm:
    """What the decision form needs: the latest published version and its activities."""

    period: str
    version: int | None
    decided: str | None  # the kind, when the latest version has a decision already
    activities: tuple[tuple[int, str, str], ...]  # (id, goal number, title)


def decision_form(core: Core, *, who: ChatUser, period: PeriodKey) -> DecisionForm:
    """The form's choices, for a secretary."""
    if not resolve_actor(core, who).is_secretary:
        raise Refused("not_secretary")
    with session_scope(core.engine) as session:
        row = _period(session, period)
        latest = _latest_version(session, row)
        decided = None
        if latest is not None:
            existing = session.exec(
                select(Decision).where(Decision.version_id == latest.id)
            ).first()
            decided = existing.kind if existing else None
        activities = _activities(session, period.year)
        return DecisionForm(str(period), latest.version if latest else None, decided, activities)


def _activities(session, year: int) -> tuple[tuple[int, str, str], ...]:
    """The year's activities in report order: (id, goal number, title)."""
    return tuple(
        (a.id or 0, g.number or "", a.title)
        for a, g in session.exec(
            select(Activity, Goal)
            .join(Goal, col(Goal.id) == col(Activity.goal_id))
            .where(Goal.year == year)
            .order_by(col(Goal.position), col(Goal.id), col(Activity.position), col(Activity.id))
        ).all()
    )


def _period(session, period: PeriodKey) -> Period:
    row = get_period(session, year=period.year, tertial=period.tertial)
    if row is None:
        raise Refused("unknown_period", period=str(period))
    return row


def _latest_version(session, period_row: Period) -> ReportVersion | None:
    return session.exec(
        select(ReportVersion)
        .where(ReportVersion.period_id == period_row.id, ReportVersion.state == "published")
        .order_by(col(ReportVersion.version).desc())
    ).first()


def _deadline(core: Core, period: PeriodKey, decision: DecisionInput) -> tuple[datetime, tuple]:
    zone = core.settings.timezone
    try:
        if decision.deadline_text is not None:
            parsed = parse_deadline(
                decision.deadline_text, zone=zone, period=period, now=core.now(),
                confirmed=decision.confirmed,
            )  # fmt: skip
        elif decision.deadline_day is not None and decision.deadline_time is not None:
            parsed = resolve_deadline(
                decision.deadline_day, decision.deadline_time,  # type: ignore[arg-type]
                zone=zone, period=period, now=core.now(), confirmed=decision.confirmed,
            )  # fmt: skip
        else:
            raise Refused("decision_deadline_required")
    except DeadlineError as error:
        refused = Refused(error.key, needs_confirmation=error.needs_confirmation)
        refused.params = dict(error.params)
        raise refused from None
    return parsed.at, parsed.notes


def record_decision(
    core: Core, *, who: ChatUser | None, period: PeriodKey, decision: DecisionInput
) -> DecisionRecorded:
    """Record the committee's decision on the latest published version (secretaries only)."""
    actor = resolve_actor(core, who) if who is not None else None
    if actor is not None and not actor.is_secretary:
        raise Refused("not_secretary")
    if decision.kind not in KINDS:
        raise Refused("bad_request")
    reasons = clean_text(decision.reasons).strip()
    returned = [(a, clean_text(r).strip()) for a, r in decision.returned]
    if len(reasons) > MAX_REASON or any(len(r) > MAX_REASON for _a, r in returned):
        raise Refused("decision_reason_too_long", max=MAX_REASON)
    new_deadline, notes = None, ()
    if decision.kind == RETURNED:
        if not returned and not reasons:
            raise Refused("decision_return_needs_reasons")
        if not returned:
            raise Refused("decision_return_needs_activities")
        if any(not r for _a, r in returned):
            raise Refused("decision_return_needs_reasons")
        new_deadline, notes = _deadline(core, period, decision)
    if decision.kind == REFERRED and decision.board_meeting is None:
        raise Refused("decision_board_meeting_required")
    with session_scope(core.engine, write=True) as session:
        row = _period(session, period)
        session.refresh(row, with_for_update=True)
        latest = _latest_version(session, row)
        if latest is None:
            raise Refused("decision_no_version", period=str(period))
        if decision.version is not None and decision.version != latest.version:
            raise Refused("decision_not_latest", version=decision.version, latest=latest.version)
        if session.exec(select(Decision).where(Decision.version_id == latest.id)).first():
            raise Refused("decision_exists", version=latest.version)
        titles: list[str] = []
        for activity_id, _reason in returned:
            activity = session.get(Activity, activity_id)
            goal = session.get(Goal, activity.goal_id) if activity else None
            if activity is None or goal is None or goal.year != period.year:
                raise Refused("unknown_activity")
            titles.append(activity.title)
        presenter = clean_text(decision.presenter, one_line=True)[:200]
        record = Decision(
            period_id=row.id,  # type: ignore[arg-type]
            version_id=latest.id,  # type: ignore[arg-type]
            kind=decision.kind,
            reasons=reasons,
            new_deadline=new_deadline,
            board_meeting=decision.board_meeting,
            presenter=presenter,
            decided_by_person_id=actor.person_id if actor else None,
            decided_by_name=(actor.display_name if actor else "")[:200],
            surface=who.platform if who else "cli",
        )
        session.add(record)
        session.flush()
        for activity_id, reason in returned:
            session.add(
                ReturnedActivity(decision_id=record.id, activity_id=activity_id, reason=reason)  # type: ignore[arg-type]
            )
        if decision.kind == APPROVED:
            row.state, row.closed_at = "closed", utcnow()
        elif decision.kind == RETURNED:
            row.state, row.closed_at = "returned", None
        else:
            row.state, row.closed_at = "closed", row.closed_at or utcnow()
        session.add(row)
        audit.record(
            session,
            action=f"decision_{decision.kind}",
            actor=actor,
            period_id=row.id,
            subject=f"{period} v{latest.version}",
            reasons=reasons,
            returned=[
                {"activity": t, "reason": r} for t, (_a, r) in zip(titles, returned, strict=True)
            ],
            new_deadline=new_deadline.isoformat() if new_deadline else None,
            board_meeting=str(decision.board_meeting) if decision.board_meeting else None,
            presenter=presenter,
        )
        version_number = latest.version
    return DecisionRecorded(
        str(period), version_number, decision.kind, new_deadline, tuple(titles), notes=notes
    )


@dataclass(frozen=True)
class FollowUp:
    """What followed a decision: the committee told, the board sent the report, reporters
    reminded of a return; `pending` when this process has no chat connection, so the running
    bot's next sweep does it."""

    announced: bool
    board_posted: bool
    reminded: int
    pending: bool = False


def follow_up_decision(core: Core, *, period: PeriodKey) -> FollowUp:
    """After the latest decision: one line to the committee channel; a referral's report to the
    board's channel; a return's reporters reminded now, with the reasons (then the policy runs
    on the new deadline). Safe to repeat: each message is sent once. Without a chat connection
    (the command line) nothing is sent or marked: the running bot's sweep follows it up."""
    with session_scope(core.engine) as session:
        row = _period(session, period)
        found = session.exec(
            select(Decision.id)
            .where(Decision.period_id == row.id)
            .order_by(col(Decision.id).desc())
        ).first()
        if found is None:
            raise Refused("decision_no_version", period=str(period))
    if not core.notifiers:
        return FollowUp(False, False, 0, pending=True)
    return _follow_up(core, int(found))


def follow_up_pending(core: Core) -> int:
    """The sweep's part: follow up every decision no process has followed up yet (made from the
    command line, or the process stopped first). The number followed up."""
    if not core.notifiers:
        return 0
    with session_scope(core.engine) as session:
        pending = session.exec(
            select(Decision.id)
            .where(col(Decision.followed_up_at).is_(None))
            .order_by(col(Decision.id))
        ).all()
    done = 0
    for decision_id in pending:
        try:
            _follow_up(core, int(decision_id))  # type: ignore[arg-type]
            done += 1
        except Exception:  # one failing decision must not stop the others; next sweep retries
            logger.exception("the follow-up of decision %s failed", decision_id)
    return done


def _follow_up(core: Core, decision_id: int) -> FollowUp:
    from bot.services.events import first_time
    from bot.services.reminders import send_reminder_round

    with session_scope(core.engine) as session:
        decision = session.get(Decision, decision_id)
        if decision is None:
            raise Refused("decision_no_version", period="")
        if decision.followed_up_at is not None:
            return FollowUp(False, False, 0)
        row = session.get(Period, decision.period_id)
        version_row = session.get(ReportVersion, decision.version_id)
        assert row is not None and version_row is not None
        period = PeriodKey(row.year, row.tertial)
        kind, version = decision.kind, version_row.version
        meeting, presenter = decision.board_meeting, decision.presenter
        latest = session.exec(
            select(Decision.id)
            .where(Decision.period_id == row.id)
            .order_by(col(Decision.id).desc())
        ).first()
    announced = board = False
    if first_time(core, platform="decision", event_id=f"announce:{decision_id}"):
        announced = _announce(core, period, kind, version)
    if kind == REFERRED and first_time(core, platform="decision", event_id=f"board:{decision_id}"):
        board = _to_board(core, period, version, meeting, presenter)
    reminded = 0
    if kind == RETURNED and latest == decision_id:  # a later decision supersedes the return
        try:
            reminded = send_reminder_round(
                core, period=period, occasion=f"r{decision_id}-returned"
            ).sent
        except Refused:
            logger.warning("the return's first reminders could not be sent now")
    with session_scope(core.engine) as session:
        decision = session.get(Decision, decision_id)
        if decision is not None and decision.followed_up_at is None:
            decision.followed_up_at = utcnow()
            session.add(decision)
    return FollowUp(announced, board, reminded)


def _announce(core: Core, period: PeriodKey, kind: str, version: int) -> bool:
    """One line in the committee channel of every platform that has one."""
    from bot.i18n import t

    text = t(core.settings.language, f"decision_line_{kind}", period=str(period), version=version)
    told = False
    for platform, notifier in core.notifiers.items():
        channel = committee_channel(core, platform=platform)
        if not channel:
            continue
        try:
            notifier.announce(channel, text)
            told = True
        except Exception:
            logger.exception("the committee channel could not be told of the decision")
    return told


def _to_board(
    core: Core, period: PeriodKey, version: int, meeting_day: date | None, presenter: str
) -> bool:
    """The stored report of that version and the decision, to the board's channel."""
    from bot.i18n import t
    from bot.services.notifier import ReportDocument
    from bot.services.publishing import compile_view, version_file

    language = core.settings.language
    pdf = version_file(core, period=period, version=version, fmt="pdf")
    summary = compile_view(core, period=period).summary
    title = t(language, "decision_board_title", period=str(period), version=version)
    documents = [
        ReportDocument(pdf, f"uppsiktsrapport-{period}-v{version}.pdf", title, "application/pdf")
    ]
    posted = False
    for platform, notifier in core.notifiers.items():
        channel = channel_setting(core, platform=platform, name=BOARD_CHANNEL)
        if not channel:
            continue
        try:
            notifier.publish_report(
                channel, key=f"{period}:v{version}:board", period=str(period), summary=summary,
                documents=documents,
            )  # fmt: skip
            meeting = meeting_day.isoformat() if meeting_day else ""
            notifier.announce(
                channel,
                t(language, "decision_board_line", period=str(period), meeting=meeting,
                  presenter=presenter or t(language, "decision_chair")),
            )  # fmt: skip
            posted = True
        except Exception:
            logger.exception("the report could not be sent to the board's channel")
    return posted


def decisions_of(core: Core, *, period: PeriodKey) -> list[DecisionRow]:
    """The decisions on a period's versions, oldest first."""
    from bot.services.reporting import decision_rows

    with session_scope(core.engine) as session:
        return decision_rows(session, period_id=_period(session, period).id)  # type: ignore[arg-type]


def returned_content(content: str) -> dict[int, tuple[str | None, str]]:
    """From a version's stored JSON: activity id -> (status, comment) as they were then."""
    try:
        document = json.loads(content)
    except ValueError:
        return {}
    result: dict[int, tuple[str | None, str]] = {}
    for section in document.get("sections") or []:
        for activity in section.get("activities") or []:
            if isinstance(activity, dict) and isinstance(activity.get("id"), int):
                result[activity["id"]] = (activity.get("status"), activity.get("comment") or "")
    return result


def decision_form_for_operator(core: Core, *, period: PeriodKey) -> DecisionForm:
    """The decision form's choices at the command line (the operator may decide)."""
    with session_scope(core.engine) as session:
        row = _period(session, period)
        latest = _latest_version(session, row)
        activities = _activities(session, period.year)
        return DecisionForm(str(period), latest.version if latest else None, None, activities)
