"""The audit trail: every change that matters, who, when, through which surface.

Changes are written by the service that makes them, in the same transaction; nothing in Uppsikt
updates or deletes them (and the database refuses to). Status versions are their own record
(every save is a new row with its author and time) and are read into the trail from there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.actors import COMMAND_LINE, Actor
from bot.domain.periods import PeriodKey
from bot.services.core import Core
from bot.services.errors import Refused
from storage.db import session_scope
from storage.models import Activity, AuditEvent, Person, StatusReport
from storage.queries import get_period


@dataclass(frozen=True)
class AuditLine:
    """One line of the trail, oldest first."""

    at: datetime
    actor: str
    surface: str
    action: str
    subject: str
    details: dict[str, object]


def record(
    session: Session,
    *,
    action: str,
    actor: Actor | None,
    period_id: int | None = None,
    subject: str = "",
    **details: object,
) -> None:
    """Write one audit event in the caller's transaction (None: the command line's operator)."""
    session.add(
        AuditEvent(
            period_id=period_id,
            actor_person_id=actor.person_id if actor else None,
            actor_name=(actor.display_name if actor else "")[:200],
            surface=actor.user.platform if actor else COMMAND_LINE,
            action=action,
            subject=subject[:500],
            details=json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
        )
    )


def audit_trail(core: Core, *, period: PeriodKey | None) -> list[AuditLine]:
    """Everything that happened to a period: its changes, decisions, publications, and every
    status version, oldest first. Without a period: what belongs to none (roles, substitutes,
    the channels, the reminder schedule)."""
    if period is None:
        with session_scope(core.engine) as session:
            return [
                AuditLine(
                    e.at, e.actor_name or "–", e.surface, e.action, e.subject, json.loads(e.details)
                )
                for e in session.exec(
                    select(AuditEvent)
                    .where(col(AuditEvent.period_id).is_(None))
                    .order_by(col(AuditEvent.id))
                ).all()
            ]
    with session_scope(core.engine) as session:
        row = get_period(session, year=period.year, tertial=period.tertial)
        if row is None:
            raise Refused("unknown_period", period=str(period))
        lines = [
            AuditLine(
                e.at, e.actor_name or "–", e.surface, e.action, e.subject, json.loads(e.details)
            )
            for e in session.exec(
                select(AuditEvent)
                .where(AuditEvent.period_id == row.id)
                .order_by(col(AuditEvent.id))
            ).all()
        ]
        on_behalf = {
            p.id: p.name
            for p in session.exec(
                select(Person).join(
                    StatusReport, col(StatusReport.on_behalf_of_person_id) == col(Person.id)
                )
            ).all()
        }
        for report, title in session.exec(
            select(StatusReport, Activity.title)
            .join(Activity, col(Activity.id) == col(StatusReport.activity_id))
            .where(StatusReport.period_id == row.id)
            .order_by(col(StatusReport.id))
        ).all():
            details: dict[str, object] = {"status": report.status, "version": report.version}
            if report.on_behalf_of_person_id:
                details["on_behalf_of"] = on_behalf.get(report.on_behalf_of_person_id, "")
            lines.append(
                AuditLine(
                    report.created_at,
                    report.author_name or "–",
                    report.source,
                    "status",
                    title,
                    details,
                )
            )
    return sorted(lines, key=lambda line: line.at)
