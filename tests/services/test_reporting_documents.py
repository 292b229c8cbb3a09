"""Compiling from storage with the previous tertial, and rendering documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.services.plan_import import import_plan
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
