"""The report as a public record: Uppsikt's own PDF and JSON read back, everything as stored.

The seed is imported, rendered as PDF (WeasyPrint) and as JSON, and each is imported into a
fresh database: every activity, its units, dates, purpose, status and comment, the goals and
goal areas, and the kept note come back. A PDF cannot show double spaces, so text is compared
with the spaces inside each line collapsed; the JSON form compares exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.domain.periods import parse_period
from bot.services.report_import import import_report
from bot.services.reporting import render_period, render_period_document
from storage.db import ensure_schema, make_engine, session_scope
from storage.models import Activity, Goal, GoalArea, ImportNote, Period
from storage.queries import activity_unit_paths, current_reports
from tests.importers.support import SEED

PERIOD = parse_period("2024-T1")


def _stored(engine: Engine) -> dict[str, object]:
    """What the database says of the period, in a comparable form."""
    with session_scope(engine) as session:
        period = session.exec(select(Period)).one()
        goals = {g.id: g for g in session.exec(select(Goal)).all()}
        areas = {a.id: a.name for a in session.exec(select(GoalArea)).all()}
        activities = session.exec(select(Activity)).all()
        units = activity_unit_paths(session, activity_ids=[a.id for a in activities])
        reports = current_reports(session, period_id=period.id)
        notes = session.exec(select(ImportNote)).all()
        return {
            "areas": sorted(areas.values()),
            "goals": sorted(
                (g.number or "", g.text, areas.get(g.area_id), g.is_council_finance_goal)
                for g in goals.values()
            ),
            "activities": sorted(
                (
                    goals[a.goal_id].number or "",
                    a.title,
                    tuple(units[a.id]),
                    a.start,
                    a.end,
                    a.purpose,
                    reports[a.id].status if a.id in reports else None,
                    reports[a.id].comment if a.id in reports else "",
                )
                for a in activities
            ),
            "notes": sorted(
                (goals[n.goal_id].number if n.goal_id else None, n.text) for n in notes
            ),
        }


def _spaces(value: object) -> object:
    """Spaces inside each line collapsed: what a PDF can show of a text."""
    if isinstance(value, str):
        return "\n".join(" ".join(line.split()) for line in value.split("\n"))
    if isinstance(value, tuple | list):
        return type(value)(_spaces(v) for v in value)
    return value


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path, Path]:
    """The seed imported, its stored data, and its report as PDF and as JSON."""
    directory = tmp_path_factory.mktemp("published")
    settings = Settings()
    engine = make_engine(f"sqlite:///{directory / 'seed.db'}")
    ensure_schema(engine)
    import_report(engine, path=SEED, period=PERIOD, settings=settings)
    pdf = directory / "uppsiktsrapport.pdf"
    pdf.write_bytes(render_period_document(engine, period=PERIOD, fmt="pdf", settings=settings))
    document = directory / "uppsiktsrapport.json"
    document.write_text(
        render_period(engine, period=PERIOD, fmt="json", settings=settings), encoding="utf-8"
    )
    stored = _stored(engine)
    engine.dispose()
    return stored, pdf, document


def test_the_seed_as_stored_has_79_activities_and_a_note(
    published: tuple[dict[str, object], Path, Path],
) -> None:
    stored, _, _ = published
    assert len(stored["activities"]) == 79  # type: ignore[arg-type]
    assert [n for n, _ in stored["notes"]] == ["1.18"]  # type: ignore[union-attr]


def test_uppsikts_own_pdf_reads_back_as_stored(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    stored, pdf, _ = published
    engine = make_engine(f"sqlite:///{tmp_path / 'from-pdf.db'}")
    ensure_schema(engine)

    result = import_report(engine, path=pdf, period=PERIOD, settings=settings)

    assert result.activities_created == 79 and result.reports_added == 79
    assert [w.key for w in result.warnings if w.key != "report_status_before_sections"] == [
        "report_unplaced"
    ]
    again = _stored(engine)
    for key in ("areas", "goals", "notes"):
        assert _spaces(again[key]) == _spaces(stored[key]), key
    for got, want in zip(again["activities"], stored["activities"], strict=True):  # type: ignore[call-overload]
        assert _spaces(got) == _spaces(want), want[1]


def test_uppsikts_own_json_reads_back_exactly(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    stored, _, document = published
    engine = make_engine(f"sqlite:///{tmp_path / 'from-json.db'}")
    ensure_schema(engine)

    result = import_report(engine, path=document, period=PERIOD, settings=settings)

    assert result.activities_created == 79 and result.warnings == []
    assert _stored(engine) == stored


def test_the_json_of_another_period_is_refused(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    _, _, document = published
    engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    ensure_schema(engine)
    from bot.importers.issues import ReportFileError

    with pytest.raises(ReportFileError, match="rapporten gäller 2024-T1, inte 2024-T2"):
        import_report(engine, path=document, period=parse_period("2024-T2"), settings=settings)
