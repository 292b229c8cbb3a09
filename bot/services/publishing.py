"""Publishing the compiled report to the committee channel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain.periods import PeriodKey
from bot.domain.report import ReportView
from bot.render import render_report
from bot.services.access import Actor
from bot.services.notifier import Notifier
from bot.services.reporting import UnknownPeriodError, load_report_view
from bot.services.status import Refused
from storage.db import session_scope
from storage.models import utcnow


@dataclass(frozen=True)
class Published:
    period: str
    channel: str
    file_id: str


def compile_view(engine: Engine, *, period: PeriodKey, settings: Settings) -> ReportView:
    """The period's report view, or Refused("unknown_period")."""
    try:
        with session_scope(engine) as session:
            return load_report_view(
                session,
                period=period,
                language=settings.language,
                timezone_now=utcnow().astimezone(settings.timezone),
            )
    except UnknownPeriodError:
        raise Refused("unknown_period", period=str(period)) from None


def publish_report(
    engine: Engine, *, notifier: Notifier, period: PeriodKey, settings: Settings, actor: Actor
) -> Published:
    """Post the summary and the full report document to the committee channel (secretaries only)."""
    if not actor.is_secretary:
        raise Refused("not_secretary")
    if not settings.committee_channel:
        raise Refused("no_committee_channel")
    view = compile_view(engine, period=period, settings=settings)
    html = render_report(
        view,
        "html",
        committee=settings.committee,
        municipality=settings.municipality,
        template_dir=settings.template_dir,
    )
    title = (
        f"Uppsiktsrapport {period}" if settings.language == "sv" else f"Follow-up report {period}"
    )
    file_id = notifier.publish_report(
        settings.committee_channel,
        period=str(period),
        summary=view.summary,
        document=html.encode("utf-8"),
        filename=f"uppsiktsrapport-{period}.html",
        title=title,
    )
    return Published(period=str(period), channel=settings.committee_channel, file_id=file_id)
