"""Compiling from storage with the previous tertial, and publishing the PDF (and Word file)."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.services.access import Actor
from bot.services.plan_import import import_plan
from bot.services.publishing import publish_report
from bot.services.reporting import load_report_view, render_period_document
from storage.db import session_scope


def _import(engine: Engine, kit, plan_dir: Path, settings: Settings, period: str, rows) -> None:  # type: ignore[no-untyped-def]
    path = kit.write_csv(plan_dir / f"plan-{period}.csv", rows)
    import_plan(engine, path=path, period=period, settings=settings)


def test_the_view_compares_with_the_previous_tertial_when_it_exists(
    engine: Engine, kit, plan_dir: Path, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    first = kit.activities()
    _import(engine, kit, plan_dir, settings, "2024-T1", first)
    second = [dict(row) for row in first]
    second[1].update(Status="", Kommentar="")  # reported in T1, not in T2
    second[3].update(Status="Pågående med avvikelse", Kommentar="Försenad.")  # T1: none
    second[4].update(Status="Avslutad enligt plan", Kommentar="Klart.")  # T1: on track
    _import(engine, kit, plan_dir, settings, "2024-T2", second)

    with session_scope(engine) as session:
        first_view = load_report_view(session, period=parse_period("2024-T1"), language="sv")
        view = load_report_view(session, period=parse_period("2024-T2"), language="sv")
    assert first_view.changes is None  # 2023-T3 does not exist
    changes = view.changes
    assert changes is not None and changes.previous_period == "2024-T1"
    assert changes.compared == 6  # the plan's statuses for T1: every activity but the fourth
    assert [c.activity.title for c in changes.not_reported_now] == [first[1]["Aktivitet"]]
    assert [c.activity.title for c in changes.new_deviations] == [first[3]["Aktivitet"]]
    assert [c.activity.title for c in changes.completed] == [first[4]["Aktivitet"]]
    assert [c.activity.title for c in changes.status_changed] == [first[4]["Aktivitet"]]
    # The planning check sees the units as the activities name them.
    assert view.planning_check.units_checked > 5


class RecordingNotifier:
    """Records what publishing hands to the chat platform."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def publish_report(self, channel: str, **kwargs: Any) -> list[str]:
        self.calls.append({"channel": channel, **kwargs})
        return [f"F{n}" for n, _ in enumerate(kwargs["documents"], start=1)]


def test_publishing_posts_the_pdf_and_renders_word_on_request(
    engine: Engine, kit, plan_dir: Path, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    _import(engine, kit, plan_dir, settings, "2024-T1", kit.activities())
    settings = replace(settings, committee_channel="C0KOMMITTE", municipality="Ånge kommun")
    secretary = Actor(
        user_id="U0ASA",
        person_id=1,
        name="Åsa Öberg",
        email="asa.oberg@kommun.example",
        is_admin=False,
        is_secretary=True,
        reporter_unit_ids=frozenset(),
    )
    notifier = RecordingNotifier()
    published = publish_report(
        engine,
        notifier=notifier,  # type: ignore[arg-type]
        period=parse_period("2024-T1"),
        settings=settings,
        actor=secretary,
        include_docx=True,
    )
    (call,) = notifier.calls
    assert call["channel"] == "C0KOMMITTE" and published.file_ids == ("F1", "F2")
    pdf, word = call["documents"]
    assert pdf.filename == "uppsiktsrapport-2024-T1.pdf"
    assert pdf.title == "Uppsiktsrapport 2024-T1"
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Ånge kommun" in text and "Uppsiktsrapport" in text
    assert word.filename == "uppsiktsrapport-2024-T1.docx"
    assert docx.Document(BytesIO(word.content)).paragraphs


def test_render_period_document_refuses_an_unknown_format(
    engine: Engine, kit, plan_dir: Path, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    _import(engine, kit, plan_dir, settings, "2024-T1", kit.activities())
    content = render_period_document(
        engine, period=parse_period("2024-T1"), fmt="docx", settings=settings
    )
    assert content.startswith(b"PK")
    with pytest.raises(ValueError, match="odt"):
        render_period_document(engine, period=parse_period("2024-T1"), fmt="odt", settings=settings)
