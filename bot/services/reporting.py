"""Compile a period's report from storage and render it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.domain.periods import PeriodKey
from bot.domain.report import (
    ActivityRow,
    DecisionRow,
    GoalRow,
    NoteRow,
    ReportRow,
    ReportView,
    ReturnRow,
    compile_report,
)
from bot.domain.status import Status
from bot.reporting import render_document, render_report
from storage.db import session_scope
from storage.models import (
    Activity,
    Decision,
    Goal,
    GoalArea,
    ImportNote,
    ReportVersion,
    ReturnedActivity,
    utcnow,
)
from storage.queries import activity_unit_paths, current_reports, get_period


class UnknownPeriodError(LookupError):
    """The period asked for does not exist."""


def load_report_view(
    session: Session,
    *,
    period: PeriodKey,
    language: str,
    timezone_now: datetime | None = None,
) -> ReportView:
    """Read everything a period's report needs and compile the view model."""
    period_row = get_period(session, year=period.year, tertial=period.tertial)
    if period_row is None:
        raise UnknownPeriodError(str(period))
    assert period_row.id is not None

    areas = session.exec(select(GoalArea).order_by(col(GoalArea.position))).all()
    area_names = {a.id: a.name for a in areas}
    goals = session.exec(select(Goal).where(Goal.year == period.year)).all()
    goal_rows = [
        GoalRow(
            id=g.id,  # type: ignore[arg-type]
            number=g.number,
            text=g.text,
            area=area_names.get(g.area_id) if g.area_id else None,
            is_council_finance_goal=g.is_council_finance_goal,
            position=g.position,
        )
        for g in goals
    ]
    goal_ids = [g.id for g in goals]
    activities = (
        session.exec(select(Activity).where(col(Activity.goal_id).in_(goal_ids))).all()
        if goal_ids
        else []
    )
    paths = activity_unit_paths(session, activity_ids=[a.id for a in activities])  # type: ignore[misc]
    activity_rows = [
        ActivityRow(
            id=a.id,  # type: ignore[arg-type]
            goal_id=a.goal_id,
            title=a.title,
            purpose=a.purpose,
            start=a.start,
            end=a.end,
            unit_paths=tuple(paths.get(a.id, [])),  # type: ignore[arg-type]
            position=a.position,
        )
        for a in activities
    ]
    reports = _report_rows(session, period_id=period_row.id)
    # The previous tertial, when it exists, for the changes since then; only this report's
    # activities are compared.
    previous_row = get_period(session, year=period.previous.year, tertial=period.previous.tertial)
    previous_reports = None
    if previous_row is not None and previous_row.id is not None:
        known = {a.id for a in activity_rows}
        previous_reports = {
            activity_id: row
            for activity_id, row in _report_rows(session, period_id=previous_row.id).items()
            if activity_id in known
        }
    notes = [
        NoteRow(goal_id=n.goal_id, text=n.text, reason=n.reason)
        for n in session.exec(
            select(ImportNote)
            .where(ImportNote.period_id == period_row.id)
            .order_by(col(ImportNote.id))
        ).all()
    ]
    return compile_report(
        period=str(period),
        year=period.year,
        tertial=period.tertial,
        goals=goal_rows,
        area_order=[a.name for a in areas],
        activities=activity_rows,
        reports=reports,
        notes=notes,
        language=language,
        generated_at=timezone_now or utcnow(),
        previous_period=str(period.previous) if previous_reports is not None else None,
        previous_reports=previous_reports,
        decisions=decision_rows(session, period_id=period_row.id),
        returns=return_rows(session, period_id=period_row.id),
    )


def decision_rows(session: Session, *, period_id: int) -> list[DecisionRow]:
    """The committee's decisions on a period's versions, oldest first."""
    rows = []
    for decision, version in session.exec(
        select(Decision, ReportVersion.version)
        .join(ReportVersion, col(ReportVersion.id) == col(Decision.version_id))
        .where(Decision.period_id == period_id)
        .order_by(col(Decision.id))
    ).all():
        returned = tuple(
            (title, reason)
            for title, reason in session.exec(
                select(Activity.title, ReturnedActivity.reason)
                .join(Activity, col(Activity.id) == col(ReturnedActivity.activity_id))
                .where(ReturnedActivity.decision_id == decision.id)
                .order_by(col(Activity.position), col(Activity.id))
            ).all()
        )
        rows.append(
            DecisionRow(
                version=version,
                kind=decision.kind,
                reasons=decision.reasons,
                decided_at=decision.created_at,
                decided_by=decision.decided_by_name,
                new_deadline=decision.new_deadline,
                board_meeting=decision.board_meeting,
                presenter=decision.presenter,
                returned=returned,
            )
        )
    return rows


def return_rows(session: Session, *, period_id: int) -> list[ReturnRow]:
    """After the latest decision returned the report: each returned activity with its reason and
    what the returned version said about it."""
    from bot.services.decisions import returned_content

    last = session.exec(
        select(Decision).where(Decision.period_id == period_id).order_by(col(Decision.id).desc())
    ).first()
    if last is None or last.kind != "returned":
        return []
    version = session.get(ReportVersion, last.version_id)
    before = returned_content(version.content) if version is not None else {}
    return [
        ReturnRow(
            activity_id=row.activity_id,
            reason=row.reason,
            before_status=before.get(row.activity_id, (None, ""))[0],
            before_comment=before.get(row.activity_id, (None, ""))[1],
        )
        for row in session.exec(
            select(ReturnedActivity).where(ReturnedActivity.decision_id == last.id)
        ).all()
    ]


def _report_rows(session: Session, *, period_id: int) -> dict[int, ReportRow]:
    return {
        activity_id: ReportRow(
            activity_id=activity_id,
            status=Status(r.status),
            comment=r.comment,
            author_name=r.author_name,
            created_at=r.created_at,
            version=r.version,
        )
        for activity_id, r in current_reports(session, period_id=period_id).items()
    }


def _view(engine: Engine, period: PeriodKey, settings: Settings) -> ReportView:
    with session_scope(engine) as session:
        return load_report_view(
            session,
            period=period,
            language=settings.language,
            timezone_now=utcnow().astimezone(settings.timezone),
        )


def render_period(engine: Engine, *, period: PeriodKey, fmt: str, settings: Settings) -> str:
    """Compile and render a period's report in a format (md, html, json)."""
    return render_report(_view(engine, period, settings), fmt, **template_options(settings))


def render_period_document(
    engine: Engine, *, period: PeriodKey, fmt: str, settings: Settings
) -> bytes:
    """Compile and render a period's report as a document file (pdf, docx)."""
    return render_document(_view(engine, period, settings), fmt, **template_options(settings))


def template_options(settings: Settings) -> dict[str, Any]:
    """What every rendering takes from the settings."""
    return {
        "committee": settings.committee,
        "municipality": settings.municipality,
        "template_dir": settings.template_dir,
    }
