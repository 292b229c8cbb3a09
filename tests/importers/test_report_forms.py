"""The report as a public record: Uppsikt's own PDF and JSON read back, everything as stored.

The seed is imported, rendered as PDF (WeasyPrint) and as JSON, and each is imported into a
fresh database: every activity, its units, dates, purpose, status and comment, the goals and
goal areas come back; so does a realistic T2 (changes, missing reports) printed in English.
The PDF opens with a summary that repeats deviations and their comments before chapter 1 prints
them again: it is the report's own, not a page pasted twice. The kept note is an admin's
warning, not the committee's: the JSON holds it (under `admin`), the PDF does not. A PDF cannot
show double spaces, so text is compared with the spaces inside each line collapsed; the JSON
form compares exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.domain.periods import PeriodKey, parse_period
from bot.importers.issues import ReportFileError
from bot.importers.report import parse_report_text
from bot.importers.report.lines import classify_text
from bot.importers.report.pdf import extract_pdf_text
from bot.services.report_import import import_report
from bot.services.reporting import render_period, render_period_document
from storage.db import ensure_schema, make_engine, session_scope
from storage.models import Activity, Goal, GoalArea, ImportNote
from storage.queries import activity_unit_paths, current_reports, get_period
from tests.documents.support import add_t2_reports
from tests.importers.support import SEED

PERIOD = parse_period("2024-T1")
T2 = parse_period("2024-T2")


def _stored(engine: Engine, period: PeriodKey = PERIOD) -> dict[str, object]:
    """What the database says of the period, in a comparable form."""
    with session_scope(engine) as session:
        period_row = get_period(session, year=period.year, tertial=period.tertial)
        assert period_row is not None and period_row.id is not None
        goals = {g.id: g for g in session.exec(select(Goal)).all()}
        areas = {a.id: a.name for a in session.exec(select(GoalArea)).all()}
        activities = session.exec(select(Activity)).all()
        units = activity_unit_paths(session, activity_ids=[a.id for a in activities])
        reports = current_reports(session, period_id=period_row.id)
        notes = session.exec(select(ImportNote).where(ImportNote.period_id == period_row.id)).all()
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
                ((goals[n.goal_id].number if n.goal_id else None, n.text, n.reason) for n in notes),
                key=_note_order,
            ),
        }


def _note_order(note: tuple[str | None, ...]) -> tuple[str, ...]:
    return tuple(part or "" for part in note)


def _spaces(value: object) -> object:
    """Spaces inside each line collapsed: what a PDF can show of a text."""
    if isinstance(value, str):
        return "\n".join(" ".join(line.split()) for line in value.split("\n"))
    if isinstance(value, tuple | list):
        return type(value)(_spaces(v) for v in value)
    return value


def _fresh(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    return engine


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path, Path]:
    """The seed imported, its stored data, and its report as PDF and as JSON."""
    directory = tmp_path_factory.mktemp("published")
    settings = Settings()
    engine = _fresh(directory / "seed.db")
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


@pytest.fixture(scope="module")
def published_t2(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    """A realistic T2 (52 of 79 reported, statuses changed), its stored data, its English PDF."""
    directory = tmp_path_factory.mktemp("published-t2")
    url = f"sqlite:///{directory / 't2.db'}"
    settings = Settings(database_url=url, language="en")
    engine = _fresh(directory / "t2.db")
    import_report(engine, path=SEED, period=PERIOD, settings=settings)
    add_t2_reports(url)
    pdf = directory / "report-2024-T2.pdf"
    pdf.write_bytes(render_period_document(engine, period=T2, fmt="pdf", settings=settings))
    stored = _stored(engine, T2)
    engine.dispose()
    return stored, pdf


@pytest.fixture(scope="module")
def pdf_text(published: tuple[dict[str, object], Path, Path]) -> str:
    """The text of the seed's PDF as the importer reads it (logical lines)."""
    return _pdf_text(published[1])


def _pdf_text(pdf: Path) -> str:
    extracted = extract_pdf_text(pdf, pdf.read_bytes(), [])
    assert extracted is not None and extracted.logical_lines
    return extracted.text


def test_the_seed_as_stored_has_79_activities_and_a_note(
    published: tuple[dict[str, object], Path, Path],
) -> None:
    stored, _, _ = published
    assert len(stored["activities"]) == 79  # type: ignore[arg-type]
    assert [n for n, _, _ in stored["notes"]] == ["1.18"]  # type: ignore[union-attr]


def test_uppsikts_own_pdf_reads_back_as_stored(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    stored, pdf, _ = published
    engine = _fresh(tmp_path / "from-pdf.db")

    result = import_report(engine, path=pdf, period=PERIOD, settings=settings)

    assert result.activities_created == 79 and result.reports_added == 79
    assert result.warnings == []
    again = _stored(engine)
    for key in ("areas", "goals"):
        assert _spaces(again[key]) == _spaces(stored[key]), key
    assert again["notes"] == []  # not in the committee's document
    for got, want in zip(again["activities"], stored["activities"], strict=True):  # type: ignore[call-overload]
        assert _spaces(got) == _spaces(want), want[1]


def test_an_english_t2_pdf_with_changes_and_missing_reports_reads_back_as_stored(
    published_t2: tuple[dict[str, object], Path], tmp_path: Path
) -> None:
    stored, pdf = published_t2
    text = _pdf_text(pdf)
    # The summary lists what chapter 1 prints again: deviations with their comments, the
    # missing reports by unit, the changes since T1.
    assert "Deviations and on hold" in text and "Missing reports by unit" in text
    assert "Changes since 2024-T1" in text
    engine = _fresh(tmp_path / "from-t2-pdf.db")

    result = import_report(engine, path=pdf, period=T2, settings=Settings(language="en"))

    assert result.activities_created == 79 and result.reports_added == 52
    assert result.warnings == []
    again = _stored(engine, T2)
    for key in ("areas", "goals", "notes"):
        assert _spaces(again[key]) == _spaces(stored[key]), key
    for got, want in zip(again["activities"], stored["activities"], strict=True):  # type: ignore[call-overload]
        assert _spaces(got) == _spaces(want), want[1]


def _page(lines: list[str], number: int) -> tuple[int, int]:
    """Where the PDF text's page `number` starts and ends (its "Sida N av M" mark)."""
    marks = [i for i, line in enumerate(lines) if line.startswith("Sida ")]
    return marks[number - 2] + 1, marks[number - 1]


def test_a_page_of_chapter_1_pasted_again_in_the_pdfs_text_is_still_refused(
    pdf_text: str,
) -> None:
    lines = pdf_text.split("\n")
    assert parse_report_text("\n".join(lines), logical_lines=True).doubts == []
    start, end = _page(lines, 12)
    pasted = lines[:end] + lines[start:end] + lines[end:]

    report = parse_report_text("\n".join(pasted), source="r.pdf", logical_lines=True)

    assert any(d.key == "report_repeated_text" for d in report.doubts)


def test_the_summary_is_left_out_by_its_heading_only(pdf_text: str) -> None:
    text = pdf_text
    kinds = {line.text: line.kind for line in classify_text(text)}
    assert kinds["Sammanfattning"] == "summary" and kinds["Avvikelser och vänteläge"] == "summary"
    assert kinds["1 Redovisning av arbete för de politiska målen"] == "text"
    # Without its heading the same lines are text like any other: the deviations' comments
    # printed again in chapter 1 are then a section there twice.
    headless = text.replace("\nSammanfattning\n", "\nSammandrag\n", 1)
    doubts = parse_report_text(headless, source="r.pdf", logical_lines=True).doubts
    assert any(d.key == "report_repeated_text" for d in doubts)
    # Nor without chapter 1's heading after it.
    chapterless = text.replace(
        "\n1 Redovisning av arbete för de politiska målen\n", "\nRedovisning\n", 1
    )
    assert all(line.kind != "summary" for line in classify_text(chapterless))


def test_a_summary_heading_after_the_first_activity_table_is_no_summary() -> None:
    text = "\n".join(
        [
            "1 Redovisning av arbete för de politiska målen",
            "1.1 Sjukfrånvaron ska minska",
            "Verksamhetens aktiviteter Startdatum Slutdatum",
            "Sammanfattning",
            "Pågående enligt plan",
            "1 Redovisning av arbete för de politiska målen",
        ]
    )
    assert all(line.kind != "summary" for line in classify_text(text))


def test_uppsikts_own_json_reads_back_exactly(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    stored, _, document = published
    engine = _fresh(tmp_path / "from-json.db")

    result = import_report(engine, path=document, period=PERIOD, settings=settings)

    assert result.activities_created == 79 and result.warnings == []
    assert _stored(engine) == stored  # the note with its goal and the reason it was kept


def _without_reasons(stored: dict[str, object]) -> dict[str, object]:
    notes = stored["notes"]
    assert isinstance(notes, list)
    return {**stored, "notes": [(number, text) for number, text, _ in notes]}


def test_a_json_note_named_by_its_goal_text_only_finds_its_goal(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    stored, _, document = published
    data = json.loads(document.read_text(encoding="utf-8"))
    (note,) = data["admin"]["import_notes"]
    note.update(goal_number=None, reason="")
    changed = tmp_path / "by-text.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    engine = _fresh(tmp_path / "by-text.db")

    import_report(engine, path=changed, period=PERIOD, settings=settings)

    again = _stored(engine)
    assert _without_reasons(again) == _without_reasons(stored)
    assert [reason for _, _, reason in again["notes"]] == [  # type: ignore[union-attr]
        "en anteckning i den importerade rapporten"
    ]


def test_a_json_published_before_the_notes_moved_still_reads_back(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    """Notes under their goal's section (`sections[].unplaced`), or `unplaced_without_goal`."""
    stored, _, document = published
    data = json.loads(document.read_text(encoding="utf-8"))
    notes = data.pop("admin")["import_notes"]
    for section in data["sections"]:
        section["unplaced"] = [n["text"] for n in notes if n["goal_number"] == section["number"]]
    data["unplaced_without_goal"] = ["Text utan mål."]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    engine = _fresh(tmp_path / "old.db")

    result = import_report(engine, path=old, period=PERIOD, settings=settings)

    assert result.activities_created == 79 and result.warnings == []
    want = _without_reasons(stored)
    want["notes"] = sorted([*want["notes"], (None, "Text utan mål.")], key=_note_order)  # type: ignore[list-item]
    assert _without_reasons(_stored(engine)) == want


def test_a_mistyped_import_note_is_refused_naming_the_field(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    _, _, document = published
    data = json.loads(document.read_text(encoding="utf-8"))
    data["admin"]["import_notes"][0]["text"] = 7
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ReportFileError, match=r"admin\.import_notes\[0\]\.text"):
        import_report(_fresh(tmp_path / "bad.db"), path=bad, period=PERIOD, settings=settings)


def test_the_json_of_another_period_is_refused(
    published: tuple[dict[str, object], Path, Path], tmp_path: Path, settings: Settings
) -> None:
    _, _, document = published
    engine = _fresh(tmp_path / "other.db")

    with pytest.raises(ReportFileError, match="rapporten gäller 2024-T1, inte 2024-T2"):
        import_report(engine, path=document, period=T2, settings=settings)
