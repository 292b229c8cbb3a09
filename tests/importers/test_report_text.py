"""Tests for the parser of a published uppsiktsrapport in text form (bot.importers.report)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from bot.importers.report import (
    ParsedActivity,
    ParsedReport,
    parse_report_text,
    read_report_file,
)
from tests.importers.support import MINI, write_pdf

ROOT = Path(__file__).parents[2]
SEED = ROOT / "bot" / "data" / "seed_2024_T1.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "seed_2024_T1_expected.json"
EXPECTED: dict = json.loads(FIXTURE.read_text(encoding="utf-8"))
FURNITURE = ("Sida ", "Verksamhetens aktiviteter", "Uppsiktsrapport till")

SWEDISH_TO_ENGLISH = {
    "Ej påbörjad": "Not started",
    "Pågående enligt plan": "In progress, on track",
    "Pågående med avvikelse": "In progress, deviating",
    "Avslutad enligt plan": "Completed as planned",
    "Avslutad med avvikelse": "Completed with deviation",
    "Vänteläge": "On hold",
}


@cache
def seed_text() -> str:
    return read_report_file(SEED)


@cache
def seed() -> ParsedReport:
    return parse_report_text(seed_text())


def said(report: ParsedReport) -> list[str]:
    """The report's warnings as English text, `line N: ...`."""
    return [w.format("en") for w in report.warnings]


def activity(title_start: str) -> ParsedActivity:
    matches = [a for a in seed().activities if a.title.startswith(title_start)]
    assert len(matches) == 1, [a.title for a in matches]
    return matches[0]


# --- the seed, activity by activity ---------------------------------------------------------


def test_seed_has_every_activity_in_document_order() -> None:
    report = seed()
    assert len(report.activities) == len(EXPECTED["activities"]) == 79
    assert [a.goal_number for a in report.activities] == [e["goal"] for e in EXPECTED["activities"]]
    lines = [a.line for a in report.activities]
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    "index",
    range(len(EXPECTED["activities"])),
    ids=[f"{e['goal']}-{e['title'][:30]}" for e in EXPECTED["activities"]],
)
def test_seed_activity_matches_fixture(index: int) -> None:
    expected = EXPECTED["activities"][index]
    got = seed().activities[index]
    assert got.goal_number == expected["goal"]
    assert got.title == expected["title"]
    assert [" > ".join(path) for path in got.units] == expected["units"]
    assert got.start == date.fromisoformat(expected["start"])
    assert got.end == date.fromisoformat(expected["end"])
    assert got.status == expected["status"]
    for field_name, starts_key in (("purpose", "purpose_starts"), ("comment", "comment_starts")):
        value = getattr(got, field_name)
        if expected[starts_key] == "":
            assert value == "", field_name
        else:
            assert value.startswith(expected[starts_key]), (field_name, value[:80])
    assert got.comment.endswith(expected["comment_ends"]), got.comment[-80:]


def test_seed_activity_line_points_at_title() -> None:
    lines = seed_text().split("\n")
    for got in seed().activities:
        first_line = lines[got.line - 1].strip()
        assert first_line and got.title.startswith(first_line.split(" 20")[0]), got.line


def test_no_page_furniture_in_texts() -> None:
    report = seed()
    texts = [a.title for a in report.activities]
    texts += [a.purpose for a in report.activities] + [a.comment for a in report.activities]
    texts += [u.text for u in report.unplaced]
    for text in texts:
        for furniture in FURNITURE:
            assert furniture not in text, (furniture, text[:80])
        for paragraph in text.split("\n"):
            assert paragraph.strip() not in (
                "Kommunstyrelsen",
                "Uppsiktsrapport till kommunstyrelsen",
            )
        assert text == text.strip()
        assert " \n" not in text  # trailing spaces stripped


# --- the parser's hard cases in the seed ----------------------------------------------------


def test_title_cut_by_page_break_1_19() -> None:
    got = activity("Påbörja ombyggnation")
    assert got.title == (
        "Påbörja ombyggnation i Ånge tätort på stråket mellan resecentrum och det nya "
        "lärcentret/kommunhuset/statens servicecenter"
    )
    assert got.line == 1497
    assert (got.start, got.end) == (date(2024, 2, 1), date(2024, 12, 19))
    assert got.units == [["Kommunstyrelsens förvaltning", "Samhällsbyggnad"]]
    assert got.purpose == (
        "Öka attraktionen av stråket för att öka tillgängligheten och attraktionskraften i Ånge."
    )


def test_dates_on_title_line_1_4() -> None:
    got = activity("Erbjuda 5 nyanlända")
    assert (
        got.title
        == "Erbjuda 5 nyanlända anställning inom ramen för arbetsmarknadspolitiska åtgärder"
    )
    assert got.line == 301
    assert (got.start, got.end) == (date(2024, 3, 1), date(2024, 12, 19))
    assert got.purpose == "För att minska arbetslösheten bland den gruppen"


def test_dates_between_title_and_units_1_19() -> None:
    got = activity("Öka kommunens attraktion")
    assert got.title.endswith("omfattning av satsningarna på kommunala fastigheter")
    assert (got.start, got.end) == (date(2024, 2, 1), date(2024, 6, 30))
    assert got.units == [["Kommunstyrelsens förvaltning", "Samhällsbyggnad", "Fastigheter"]]


def test_units_are_the_leaves_of_the_tree_1_9_and_1_10() -> None:
    root, school = "Kommunstyrelsens förvaltning", "Utbildning"
    assert activity("Att genomföra insatser för god språkutveckling").units == [
        [root, school, "Fränstaskolan F-9"],
        [root, school, "Ånge grundskola F-9"],
    ]
    npf = activity("Minst en NPF-utbildning").units
    assert len(npf) == 9
    assert all(path[:2] == [root, school] and len(path) == 3 for path in npf)
    assert npf[0][2] == "Musikskola" and npf[-1][2] == "Ånge grundskola F-9"
    # A leaf one level up is still a leaf.
    assert activity("Införa hälsosamma scheman").units == [[root, "Social verksamhet"]]


def test_page_break_inside_a_sentence_is_rejoined() -> None:
    assert activity("Att genomföra insatser för god språkutveckling").comment == (
        "Handledare utbildad inom SKUA på högstadiet. Aktiviteten är klar för Ånge grundskola "
        "men är pågående med avvikelse för Fränstaskolan"
    )
    assert activity("Individ och familjeomsorg deltar").purpose.endswith(
        "ett förebyggande arbete i trygghet för våra barn och unga."
    )
    assert "\n\n" not in activity("Individ och familjeomsorg deltar").purpose
    assert activity("Avyttra mark").comment.endswith(
        "Dels RES Renwables Sweden AB samt LIR Teknik AB."
    )
    assert activity("Utökat samarbete").comment.endswith(
        "undervisas av lärare från Bobergsgymnasiet, t.ex. elever med särskild begåvning. "
        "Detta är ett led i att möta samtliga elevers utmaningar och behov."
    )


def test_wrapped_lines_are_joined_and_short_lines_kept() -> None:
    purpose = activity("Införa hälsosamma scheman").purpose
    assert "Inga delade turer, inga långpass" in purpose  # wrapped line joined with a space
    assert (
        "Steg 1 Äldreomsorgen jan - februari\nSteg 2 Stöd och omsorg mars-april\nGenom" in purpose
    )
    # A long line that ends a sentence was still wrapped (the next word would not fit).
    assert "under mars och april. Förvaltningen arbetade" in activity("Införa valfri").comment
    assert activity("Färdigställa förstudie").purpose == (
        "Kan trafik med delade resurser utvecklas för att möta de behov som finns i glesbygd?\n"
        "Hur borde det se ut i så fall?"
    )


def test_paragraphs_are_separated_by_blank_lines() -> None:
    assert activity("Anlägga fiberanslutning Sillre").comment == (
        "Bidrag beviljat.\n\nProjektering pågår, införsäljning påbörjas under Q2-24."
    )
    assert activity("Arrangera 4 stycken").comment.count("\n\n") == 4


def test_activities_without_purpose_1_20() -> None:
    fibre = [a for a in seed().activities if a.goal_number == "1.20"]
    assert len(fibre) == 7
    assert all(a.purpose == "" for a in fibre)
    assert [a.status for a in fibre] == [
        "on_track",
        "on_track",
        "on_hold",
        "on_hold",
        "done",
        "done",
        "done",
    ]


def test_comment_with_lost_header_is_unplaced_1_18() -> None:
    report = seed()
    assert len(report.unplaced) == 1
    unplaced = report.unplaced[0]
    expected = EXPECTED["unplaced"][0]
    assert unplaced.goal_number == "1.18" == expected["goal"]
    assert unplaced.text == expected["text"]
    assert unplaced.line == expected["line"] == 1419
    assert "page break" in unplaced.reason.format("en")
    assert activity("Underteckna den regionala Strategin").comment == (
        "Den regionala strategin för jämställdhet är signerad för Ånge kommun."
    )
    # The activity whose comment it repeats keeps its own text, and none is invented.
    assert activity("Utbildningsinsats inom hot och våld").comment == (
        "En utbildning inom hot och våld genomförd under perioden.\n\n"
        "Stödmaterial är framtaget till chefer kring våld och hot. Fråga kring hot och våld är "
        "tillagd i mall för medarbetarsamtalet"
    )
    assert not any(a.title.startswith(("Resursbrist", "Fråga kring")) for a in report.activities)
    assert len([a for a in report.activities if a.goal_number == "1.18"]) == 3
    warnings = [w for w in said(report) if w.startswith("line 1419:")]
    assert len(warnings) == 1 and "Resursbrist" in warnings[0]


def test_seed_has_no_other_warnings() -> None:
    assert len(seed().warnings) == 1, seed().warnings


# --- goals and goal areas from the last chapter ---------------------------------------------


def test_goals_and_areas_from_the_last_chapter() -> None:
    report = seed()
    assert report.goal_areas == ["Barn och Unga", "Vuxna", "Äldre +65", "Tillväxt"]
    assert report.goal_areas == EXPECTED["goal_areas"]
    got = [
        {
            "number": g.number,
            "text": g.text,
            "area": g.area,
            "is_council_finance_goal": g.is_council_finance_goal,
        }
        for g in report.goals
    ]
    assert got == EXPECTED["goals"]
    assert len(report.goals) == 20


def test_council_finance_goal() -> None:
    finance = [g for g in seed().goals if g.is_council_finance_goal]
    assert len(finance) == 1
    assert finance[0].text == "Sjukfrånvaron ska minska."
    assert finance[0].number == "1.1"  # heading "1.1 Sjukfrånvaron ska minska" has no period
    assert finance[0].area is None


def test_wrapped_goal_texts_and_headings() -> None:
    by_number = {g.number: g.text for g in seed().goals}
    assert by_number["1.6"] == (
        "Skapa ett ökat utbud av aktiviteter för alla, genom avtalssamverkan med "
        "föreningslivet/civilsamhället."
    )
    assert by_number["1.15"] == (
        "Förbättra näringslivsklimatet. Svenskt Näringslivs sammantagna betyg ska öka."
    )
    numbers = {g.number for g in seed().goals}
    assert numbers == {f"1.{i}" for i in range(1, 21)}  # 1.21 and 1.22 are not goals


# --- other forms of the same report ---------------------------------------------------------


def test_english_status_labels_are_read() -> None:
    lines = []
    for line in seed_text().split("\n"):
        label = line.strip()
        lines.append(" " + SWEDISH_TO_ENGLISH[label] if label in SWEDISH_TO_ENGLISH else line)
    report = parse_report_text("\n".join(lines))
    assert [a.status for a in report.activities] == [e["status"] for e in EXPECTED["activities"]]
    assert [a.comment for a in report.activities] == [a.comment for a in seed().activities]


def test_mini_report_parses_cleanly() -> None:
    report = parse_report_text(MINI)
    assert report.warnings == [] and report.doubts == []
    assert [(a.goal_number, a.title, a.status) for a in report.activities] == [
        ("1.1", "Införa hälsosamma scheman", "on_track"),
        ("1.2", "Erbjuda anställningar", "on_hold"),
    ]
    assert report.goal_areas == ["Vuxna"]
    assert [(g.number, g.area, g.is_council_finance_goal) for g in report.goals] == [
        ("1.2", "Vuxna", False),
        ("1.1", None, True),
    ]


def test_pdf_round_trip(tmp_path: Path) -> None:
    long_line = (
        "Vi har sökt bidrag hos Post- och telestyrelsen och väntar nu på ett besked om "
        "finansiering av"
    )
    pages = [
        [
            "1 Redovisning av arbete för de politiska målen",
            "1.1 Sjukfrånvaron ska minska",
            "Verksamhetens aktiviteter Startdatum Slutdatum",
            "Införa hälsosamma scheman på alla arbetsplatser inom",
            "äldreomsorg samt stöd och omsorg",
            "• Kommunstyrelsens förvaltning",
            "  • Social verksamhet",
            "   • Stöd och omsorg",
            "   • Särskilt boende",
            "2024-01-01 2024-04-30",
            "Syftet är friskare medarbetare.",
            " Pågående med avvikelse",
            "Schemat är infört på två av tre enheter.",
            "Bygga fiber Åse",
            "• Kommunstyrelsens förvaltning",
            "  • Samhällsbyggnad",
            "2024-01-29 2024-11-25",
            " Vänteläge",
            long_line,
            "Sida 1 av 2",
        ],
        [
            "Uppsiktsrapport till kommunstyrelsen",
            "Kommunstyrelsen",
            "Verksamhetens aktiviteter Startdatum Slutdatum",
            "bygget under året.",
            " 2 Kommunstyrelsens mål",
            "Mål inom målområde Tillväxt",
            "• Öka antalet anslutna fastigheter med fiberanslutning.",
            "Verksamhetsmål för god ekonomisk hushållning",
            "• Sjukfrånvaron ska minska.",
            "Sida 2 av 2",
        ],
    ]
    path = tmp_path / "rapport.pdf"
    write_pdf(pages, path)
    report = parse_report_text(read_report_file(path))
    first, second = report.activities
    assert first.title == (
        "Införa hälsosamma scheman på alla arbetsplatser inom äldreomsorg samt stöd och omsorg"
    )
    assert first.units == [
        ["Kommunstyrelsens förvaltning", "Social verksamhet", "Stöd och omsorg"],
        ["Kommunstyrelsens förvaltning", "Social verksamhet", "Särskilt boende"],
    ]
    assert (first.start, first.end, first.status) == (
        date(2024, 1, 1),
        date(2024, 4, 30),
        "deviating",
    )
    assert first.purpose == "Syftet är friskare medarbetare."
    # pypdf gives no blank line between a comment and the next title.
    assert first.comment == "Schemat är infört på två av tre enheter."
    assert second.title == "Bygga fiber Åse"
    assert second.status == "on_hold"
    assert second.comment == long_line + " bygget under året."
    assert [(g.number, g.area, g.is_council_finance_goal) for g in report.goals] == [
        (None, "Tillväxt", False),
        ("1.1", None, True),
    ]
    assert report.warnings == [] and report.doubts == []


def test_read_report_file_reads_txt_and_rejects_other_types(tmp_path: Path) -> None:
    assert read_report_file(SEED) == SEED.read_bytes().decode("utf-8")
    docx = tmp_path / "rapport.docx"
    docx.write_bytes(b"PK\x03\x04")
    with pytest.raises(ValueError, match=r"\.docx"):
        read_report_file(docx)
    with pytest.raises(ValueError):
        read_report_file(tmp_path / "rapport")
