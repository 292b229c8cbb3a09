"""The reminder sweep: ask the policy what is due now, send what the log does not hold yet."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select

from bot.domain.calendar import WorkingDays
from bot.domain.periods import PeriodKey
from bot.domain.reminder_policy import AUDIENCE_SECRETARIES, KIND_DRAFT, Occasion, due_now
from bot.services.core import Core
from bot.services.decisions import follow_up_pending
from bot.services.periods import effective_schedule
from bot.services.progress import open_return
from bot.services.publishing import compile_view
from bot.services.reminders import send_reminder_round, send_to_role
from storage.db import session_scope
from storage.models import Period

logger = logging.getLogger(__name__)

_CALENDAR = WorkingDays()


@dataclass
class SweepResult:
    sent: int = 0
    failed: int = 0
    occasions: list[str] = field(default_factory=list)
    followed_up: int = 0  # decisions whose channel lines and reminders this sweep sent


def sweep(core: Core, *, now: datetime) -> SweepResult:
    """Follow up the decisions no process has followed up yet, then send every reminder that
    is due at `now` and not logged yet, for every open period."""
    result = SweepResult()
    try:
        result.followed_up = follow_up_pending(core)
    except Exception:  # the reminders below must still go out; the next sweep retries
        logger.exception("sweep: following up decisions failed")
    with session_scope(core.engine) as session:
        periods = []
        for p in session.exec(
            select(Period).where(col(Period.state).in_(["open", "returned"]))
        ).all():
            returned = open_return(session, period=p)
            if returned is None:
                periods.append((p.id, PeriodKey(p.year, p.tertial), p.deadline, ""))
            elif returned.deadline is not None:
                # A return for completion runs on its own deadline, with keys of its own.
                prefix = f"r{returned.decision_id}-"
                periods.append((p.id, PeriodKey(p.year, p.tertial), returned.deadline, prefix))
    schedule = effective_schedule(core)
    for period_id, key, deadline, prefix in periods:
        due = due_now(
            now=now,
            deadline=deadline,
            period_open=True,
            schedule=schedule,
            zone=core.settings.timezone,
            calendar=_CALENDAR,
        )
        for occasion in due:
            result.occasions.append(f"{key}:{prefix}{occasion.key}")
            try:
                sent, failed = _send(core, key, period_id, occasion, prefix)  # type: ignore[arg-type]
            except Exception:  # one failing occasion must not stop the others; next sweep retries
                logger.exception("sweep: %s %s failed", key, occasion.key)
                result.failed += 1
                continue
            result.sent += sent
            result.failed += failed
    return result


def _send(
    core: Core, key: PeriodKey, period_id: int, occasion: Occasion, prefix: str = ""
) -> tuple[int, int]:
    if occasion.audience != AUDIENCE_SECRETARIES:
        round_result = send_reminder_round(core, period=key, occasion=prefix + occasion.key)
        return round_result.sent, len(round_result.failed)
    summary = None

    def payload_for(notifier):
        nonlocal summary
        if summary is None:
            summary = compile_view(core, period=key).summary
        return notifier.secretary_payload(
            period=str(key), summary=summary, with_publish=occasion.kind == KIND_DRAFT
        )

    return send_to_role(
        core,
        role="secretary",
        period=key,
        period_id=period_id,
        occasion=prefix + occasion.key,
        payload_for=payload_for,
    )
