"""The report parser on malformed input: warnings or doubts, never an exception or lost text."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from bot.importers.report import ParsedReport, parse_report_text, read_report_file
from tests.importers.support import MINI, SEED


@cache
def seed_text() -> str:
    return read_report_file(SEED)


def said(report: ParsedReport) -> list[str]:
    """The report's warnings as English text, `line N: ...`."""
    return [w.format("en") for w in report.warnings]


# --- malformed input: warnings, never an exception or lost text ------------------------------


def test_invalid_date_gives_a_warning() -> None:
    text = MINI.replace("2024-01-01 2024-04-30", "2024-13-01 2024-04-30")
    report = parse_report_text(text)
    first = report.activities[0]
    assert first.title == "Införa hälsosamma scheman"
    assert first.start is None and first.end == date(2024, 4, 30)
    line = text.split("\n").index("2024-13-01 2024-04-30") + 1
    assert any(w.startswith(f"line {line}:") and "2024-13-01" in w for w in said(report))


def test_end_before_start_gives_a_warning() -> None:
    report = parse_report_text(MINI.replace("2024-01-01 2024-04-30", "2024-05-01 2024-04-30"))
    assert any("ends before it starts" in w for w in said(report))


def test_text_without_chapter_structure_gives_warnings() -> None:
    text = "Detta är inte en uppsiktsrapport.\n\nBara lite text\noch en rad till.\n"
    report = parse_report_text(text)
    assert report.activities == [] and report.goals == []
    assert any(w.startswith("line 1:") for w in said(report))
    assert any("goal list" in w for w in said(report))


@pytest.mark.parametrize("text", ["", "\n\n", "• ensam punkt", " Vänteläge", "1.1 Mål"])
def test_degenerate_input_never_raises(text: str) -> None:
    report = parse_report_text(text)
    assert report.warnings


def test_missing_status_is_a_doubt_and_keeps_text() -> None:
    text = MINI.replace(" Pågående enligt plan\n", "")
    report = parse_report_text(text)
    first = report.activities[0]
    assert first.status is None
    assert "Syftet med aktiviteten." in first.purpose and "Det går enligt plan." in first.purpose
    assert [d.key for d in report.doubts] == ["report_no_status"]


def test_no_status_reported_is_an_empty_status_line() -> None:
    report = parse_report_text(MINI.replace(" Pågående enligt plan", " Ingen status rapporterad"))
    first = report.activities[0]
    assert (first.status, first.purpose, first.comment) == (
        None,
        "Syftet med aktiviteten.",
        "Det går enligt plan.",
    )
    assert report.doubts == [] and report.warnings == []


def test_text_before_the_first_activity_is_unplaced() -> None:
    text = MINI.replace(
        "Verksamhetens aktiviteter Startdatum Slutdatum\n\nInföra",
        "Verksamhetens aktiviteter Startdatum Slutdatum\n\nEn lös mening.\n\nInföra",
        1,
    )
    report = parse_report_text(text)
    assert [u.text for u in report.unplaced] == ["En lös mening."]
    assert report.unplaced[0].goal_number == "1.1"
    assert any("En lös mening." in w for w in said(report))
    assert report.activities[0].title == "Införa hälsosamma scheman"


def test_status_without_header_is_unplaced() -> None:
    text = MINI.replace(
        "Det går enligt plan.\n",
        "Det går enligt plan.\n\n Avslutad enligt plan\n\nEn kommentar utan rubrik.\n",
    )
    report = parse_report_text(text)
    assert report.activities[0].comment == "Det går enligt plan."
    assert len(report.unplaced) == 1
    assert "En kommentar utan rubrik." in report.unplaced[0].text
    assert report.warnings


def test_bullet_list_in_a_comment_is_not_a_unit_tree() -> None:
    text = MINI.replace(
        "Det går enligt plan.\n",
        "Det går enligt plan:\n\n• första steget klart\n• andra steget pågår\n",
    )
    report = parse_report_text(text)
    assert len(report.activities) == 2
    assert report.activities[0].comment == (
        "Det går enligt plan:\n\n• första steget klart\n• andra steget pågår"
    )
    assert report.activities[1].title == "Erbjuda anställningar"
    assert report.warnings == []


ECHO = """1.1 Sjukfrånvaron ska minska

Verksamhetens aktiviteter Startdatum Slutdatum

Underteckna strategin

• Kommunstyrelsens förvaltning
  • Stab


2024-03-01 2024-05-31

Strategin ger kommunen verktyg.

 Avslutad enligt plan

Strategin är signerad för kommunen.

{gap}Stödmaterial om hot och våld är framtaget till alla chefer.

Utbildning inom hot och våld

• Kommunstyrelsens förvaltning
  • Social verksamhet


2024-08-01 2024-12-31

Ett led i arbetet med hot och våld.

 Ej påbörjad

En utbildning inom hot och våld är genomförd.

Stödmaterial om hot och våld är framtaget till alla chefer.

Verksamhetsmål för god ekonomisk hushållning

• Sjukfrånvaron ska minska.
"""
PAGE_BREAK = (
    " Uppsiktsrapport till kommunstyrelsen\n\n Kommunstyrelsen\n\n"
    "Verksamhetens aktiviteter Startdatum Slutdatum\n\n"
)


def test_repeated_comment_after_a_page_break_is_unplaced() -> None:
    report = parse_report_text(ECHO.format(gap=PAGE_BREAK))
    first, second = report.activities
    assert first.comment == "Strategin är signerad för kommunen."
    assert second.comment.endswith("Stödmaterial om hot och våld är framtaget till alla chefer.")
    assert [(u.goal_number, u.text) for u in report.unplaced] == [
        ("1.1", "Stödmaterial om hot och våld är framtaget till alla chefer.")
    ]
    assert len(report.warnings) == 1


def test_repeated_comment_without_a_page_break_stays() -> None:
    report = parse_report_text(ECHO.format(gap=""))
    first, _ = report.activities
    assert first.comment == (
        "Strategin är signerad för kommunen.\n\n"
        "Stödmaterial om hot och våld är framtaget till alla chefer."
    )
    assert report.unplaced == [] and report.warnings == []


def test_heading_missing_from_goal_list_is_kept_with_a_warning() -> None:
    report = parse_report_text(MINI.replace("• Arbetslösheten ska minska.", "• Ett annat mål."))
    assert ("1.2", "Arbetslösheten ska minska.", None) in [
        (g.number, g.text, g.area) for g in report.goals
    ]
    assert ("Ett annat mål.", None) in [(g.text, g.number) for g in report.goals]
    assert any("1.2" in w and "not in the goal list" in w for w in said(report))


def test_glued_table_header_keeps_the_following_text() -> None:
    text = MINI.replace(
        "Verksamhetens aktiviteter Startdatum Slutdatum\n\nErbjuda anställningar",
        "Verksamhetens aktiviteter Startdatum SlutdatumErbjuda anställningar",
    )
    report = parse_report_text(text)
    assert report.activities[1].title == "Erbjuda anställningar"
    assert report.warnings == []


def test_table_header_glued_after_text_is_removed() -> None:
    text = MINI.replace(
        "Det går enligt plan.\n",
        "Det går enligt plan. Verksamhetens aktiviteter Startdatum Slutdatum\n",
    )
    report = parse_report_text(text)
    assert report.activities[0].comment == "Det går enligt plan."
    assert report.warnings == []


def test_unit_tree_without_indentation_gives_a_warning() -> None:
    report = parse_report_text(MINI.replace("  • Social verksamhet", "• Social verksamhet"))
    assert report.activities[0].units == [
        ["Kommunstyrelsens förvaltning"],
        ["Social verksamhet"],
    ]
    assert any("not indented" in w for w in said(report))


@pytest.mark.parametrize("cut", range(0, 1800, 50))
def test_truncated_seed_never_raises(cut: int) -> None:
    lines = seed_text().split("\n")
    for part in (lines[:cut], lines[cut:]):
        report = parse_report_text("\n".join(part))
        assert isinstance(report, ParsedReport)
