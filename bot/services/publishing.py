"""The compiled report: preview it, and publish it to the committee channel as one act, once.

Every publication is stored as an immutable version (the content as data, the files byte for
byte with their SHA-256), written as pending before the post and marked published after it: a
second press while it is under way, or of a report that has not changed since the last version,
publishes nothing; a failed post leaves no version behind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.config import Settings
from bot.domain.actors import ChatUser
from bot.domain.periods import PeriodKey
from bot.domain.report import ReportView, Summary
from bot.reporting import render_document, render_report
from bot.services import audit
from bot.services.channels import committee_channel
from bot.services.core import Core
from bot.services.errors import Refused
from bot.services.identity import resolve_actor
from bot.services.reporting import UnknownPeriodError, load_report_view, template_options
from storage.db import session_scope
from storage.models import Period, ReportVersion, utcnow
from storage.queries import get_period

logger = logging.getLogger(__name__)

# A pending version older than this was left by a process that died mid-publish.
PENDING_TIMEOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class ReportPreview:
    """What the secretary sees before publishing."""

    period: str
    summary: Summary
    can_publish: bool


@dataclass(frozen=True)
class Published:
    period: str
    version: int
    channel: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class VersionInfo:
    """A published version as listed."""

    period: str
    version: int
    published_at: datetime | None
    published_by: str
    surface: str
    pdf_sha256: str
    docx_sha256: str | None
    content_sha256: str


def compile_view(core: Core, *, period: PeriodKey) -> ReportView:
    """The period's report view, or Refused("unknown_period")."""
    try:
        with session_scope(core.engine) as session:
            return load_report_view(
                session,
                period=period,
                language=core.settings.language,
                timezone_now=utcnow().astimezone(core.settings.timezone),
            )
    except UnknownPeriodError:
        raise Refused("unknown_period", period=str(period)) from None


def preview_report(core: Core, *, who: ChatUser, period: PeriodKey) -> ReportPreview:
    """The report's summary for a secretary, with whether it can be published here."""
    if not resolve_actor(core, who).is_secretary:
        raise Refused("not_secretary")
    view = compile_view(core, period=period)
    channel = committee_channel(core, platform=who.platform)
    return ReportPreview(period=str(period), summary=view.summary, can_publish=bool(channel))


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def content_hash(view: ReportView) -> str:
    """A hash of what the report says, not of when it was compiled."""
    document = dataclasses.asdict(view)
    document.pop("generated_at", None)
    data = json.dumps(document, default=_json_default, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _title(settings: Settings, period: PeriodKey) -> str:
    if settings.language == "sv":
        return f"Uppsiktsrapport {period}"
    return f"Follow-up report {period}"


def _render(settings: Settings, view: ReportView, fmt: str) -> bytes:
    return render_document(view, fmt, **template_options(settings))


def publish_report(
    core: Core, *, who: ChatUser, period: PeriodKey, include_docx: bool = False
) -> Published:
    """Publish the report (PDF, and Word when asked) to the committee channel of the platform
    the secretary acts from; secretaries only; all of it or nothing, once."""
    from bot.services.notifier import ReportDocument

    actor = resolve_actor(core, who)
    if not actor.is_secretary:
        raise Refused("not_secretary")
    notifier = core.notifier(who.platform)
    channel = committee_channel(core, platform=who.platform)
    if notifier is None or not channel:
        raise Refused("no_committee_channel")
    settings = core.settings
    view = compile_view(core, period=period)
    digest = content_hash(view)
    pdf = _render(settings, view, "pdf")
    docx = _render(settings, view, "docx") if include_docx else None
    content = render_report(view, "json", **template_options(settings))
    version_id, number = _reserve(
        core,
        period=period,
        digest=digest,
        content=content,
        pdf=pdf,
        docx=docx,
        person_id=actor.person_id,
        name=actor.display_name,
        surface=who.platform,
        channel=channel,
    )
    title = _title(settings, period)
    documents = [
        ReportDocument(pdf, f"uppsiktsrapport-{period}-v{number}.pdf", title, "application/pdf")
    ]
    if docx is not None:
        documents.append(
            ReportDocument(
                docx,
                f"uppsiktsrapport-{period}-v{number}.docx",
                f"{title} (Word)",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        )
    try:
        post = notifier.publish_report(
            channel,
            key=f"{period}:v{number}",
            period=str(period),
            summary=view.summary,
            documents=documents,
        )
    except Exception:
        logger.exception("publishing %s failed; no version is kept", period)
        _forget(core, version_id)
        raise Refused("publish_failed") from None
    with session_scope(core.engine, write=True) as session:
        row = session.get(ReportVersion, version_id)
        assert row is not None
        row.state = "published"
        row.published_at = utcnow()
        row.delivery = json.dumps(
            {"message": post.message, "files": list(post.files)}, sort_keys=True
        )
        session.add(row)
        audit.record(
            session,
            action="published",
            actor=actor,
            period_id=row.period_id,
            subject=f"{period} v{number}",
            pdf_sha256=row.pdf_sha256,
            docx_sha256=row.docx_sha256,
        )
    return Published(str(period), number, post.channel, post.files)


def _reserve(
    core: Core,
    *,
    period: PeriodKey,
    digest: str,
    content: str,
    pdf: bytes,
    docx: bytes | None,
    person_id: int | None,
    name: str,
    surface: str,
    channel: str,
) -> tuple[int, int]:
    """Write the next version as pending, unless one is under way or nothing changed."""
    try:
        with session_scope(core.engine, write=True) as session:
            period_row = get_period(session, year=period.year, tertial=period.tertial)
            if period_row is None:
                raise Refused("unknown_period", period=str(period))
            session.exec(
                select(Period.id).where(Period.id == period_row.id).with_for_update()
            ).one()
            versions = session.exec(
                select(ReportVersion)
                .where(ReportVersion.period_id == period_row.id)
                .order_by(col(ReportVersion.version).desc())
            ).all()
            now = utcnow()
            for row in versions:
                if row.state == "pending" and row.created_at > now - PENDING_TIMEOUT:
                    raise Refused("publish_in_progress", period=str(period))
                if row.state == "pending":  # left by a crash: it was never published
                    session.delete(row)
            published = [v for v in versions if v.state == "published"]
            if (
                published
                and published[0].content_sha256 == digest
                and published[0].channel == channel
                and (docx is None or published[0].docx is not None)
            ):
                raise Refused("already_published", period=str(period), version=published[0].version)
            number = (versions[0].version + 1) if versions else 1
            row = ReportVersion(
                period_id=period_row.id,  # type: ignore[arg-type]
                version=number,
                state="pending",
                content=content,
                content_sha256=digest,
                pdf=pdf,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                docx=docx,
                docx_sha256=hashlib.sha256(docx).hexdigest() if docx is not None else None,
                published_by_person_id=person_id,
                published_by_name=name[:200],
                surface=surface,
                channel=channel,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id, number
    except IntegrityError:  # another publish took the number at the same moment
        raise Refused("publish_in_progress", period=str(period)) from None


def _forget(core: Core, version_id: int) -> None:
    with session_scope(core.engine, write=True) as session:
        row = session.get(ReportVersion, version_id)
        if row is not None and row.state == "pending":
            session.delete(row)


def list_versions(core: Core, *, period: PeriodKey) -> list[VersionInfo]:
    """The published versions of a period's report, oldest first."""
    with session_scope(core.engine) as session:
        period_row = get_period(session, year=period.year, tertial=period.tertial)
        if period_row is None:
            raise Refused("unknown_period", period=str(period))
        rows = session.exec(
            select(ReportVersion)
            .where(ReportVersion.period_id == period_row.id, ReportVersion.state == "published")
            .order_by(col(ReportVersion.version))
        ).all()
        return [
            VersionInfo(
                period=str(period),
                version=r.version,
                published_at=r.published_at,
                published_by=r.published_by_name,
                surface=r.surface,
                pdf_sha256=r.pdf_sha256,
                docx_sha256=r.docx_sha256,
                content_sha256=r.content_sha256,
            )
            for r in rows
        ]


def version_file(core: Core, *, period: PeriodKey, version: int, fmt: str) -> bytes:
    """A published version's stored file (pdf, docx or json), byte for byte."""
    with session_scope(core.engine) as session:
        period_row = get_period(session, year=period.year, tertial=period.tertial)
        if period_row is None:
            raise Refused("unknown_period", period=str(period))
        row = session.exec(
            select(ReportVersion).where(
                ReportVersion.period_id == period_row.id,
                ReportVersion.version == version,
                ReportVersion.state == "published",
            )
        ).first()
        if row is None:
            raise Refused("unknown_version", period=str(period), version=version)
        if fmt == "pdf":
            return bytes(row.pdf)
        if fmt == "docx":
            if row.docx is None:
                raise Refused("version_without_docx", period=str(period), version=version)
            return bytes(row.docx)
        if fmt == "json":
            return row.content.encode("utf-8")
        raise Refused("version_format", format=fmt)
