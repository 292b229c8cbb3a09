"""Publishing the compiled report to the committee channel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.documents import render_document
from bot.domain.periods import PeriodKey
from bot.domain.report import ReportView
from bot.services.access import Actor
from bot.services.notifier import Notifier, ReportDocument
from bot.services.reporting import UnknownPeriodError, load_report_view
from bot.services.status import Refused
from storage.db import session_scope
from storage.models import utcnow


@dataclass(frozen=True)
class Published:
    period: str
    channel: str
    file_ids: tuple[str, ...]


def report_documents(
    view: ReportView, *, period: PeriodKey, settings: Settings, include_docx: bool = False
) -> list[ReportDocument]:
    """The files to post for a report: the PDF, then the Word file when asked for."""
    base_title = (
        f"Uppsiktsrapport {period}" if settings.language == "sv" else f"Follow-up report {period}"
    )
    formats = ["pdf", "docx"] if include_docx else ["pdf"]
    documents = []
    for fmt in formats:
        documents.append(
            ReportDocument(
                content=render_document(
                    view,
                    fmt,
                    committee=settings.committee,
                    municipality=settings.municipality,
                    template_dir=settings.template_dir,
                ),
                filename=f"uppsiktsrapport-{period}.{fmt}",
                title=base_title if fmt == "pdf" else f"{base_title} (Word)",
            )
        )
    return documents


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
    engine: Engine,
    *,
    notifier: Notifier,
    period: PeriodKey,
    settings: Settings,
    actor: Actor,
    include_docx: bool = False,
) -> Published:
    """Post the summary and the report as PDF (and Word, when asked) to the committee channel.

    Secretaries only.
    """
    if not actor.is_secretary:
        raise Refused("not_secretary")
    if not settings.committee_channel:
        raise Refused("no_committee_channel")
    view = compile_view(engine, period=period, settings=settings)
    documents = report_documents(view, period=period, settings=settings, include_docx=include_docx)
    file_ids = notifier.publish_report(
        settings.committee_channel,
        period=str(period),
        summary=view.summary,
        documents=documents,
    )
    return Published(
        period=str(period), channel=settings.committee_channel, file_ids=tuple(file_ids)
    )
