"""The PDF, read back with pypdf: cover, contents, page furniture, and every goal and activity
of the seed in the order of the data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.domain.report import ReportView
from bot.reporting import PACKAGED_TEMPLATE_DIR
from bot.reporting.pdf import ResourceRefused, url_fetcher
from bot.reporting.text import paragraphs
from tests.documents.support import (
    COMMITTEE,
    MUNICIPALITY,
    body_text,
    pdf_pages,
    squash,
)

# The title and running header name the committee of the settings (the seed's own read
# "till kommunstyrelsen", the default committee); the footer names the municipality.
TITLE = "Uppsiktsrapport till kommunstyrelsens arbetsutskott"
PERIOD_TEXT = "Ånge kommun · Tertial 1 2024"


@pytest.fixture(scope="module")
def pages(seed_pdf: bytes) -> list[str]:
    return pdf_pages(seed_pdf)


@pytest.fixture(scope="module")
def body(pages: list[str]) -> str:
    """The text after the cover and the table of contents."""
    return body_text(pages[2:], title=TITLE, committee=COMMITTEE, period_text=PERIOD_TEXT)


def _in_order(text: str, needles: list[str], *, start: int = 0) -> int:
    """Assert each needle occurs after the previous one; return the position after the last."""
    position = start
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"not found after position {position}: {needle!r}"
        position = found + len(needle)
    return position


def test_is_a4_pdf(seed_pdf: bytes) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    assert seed_pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(seed_pdf))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    assert reader.metadata is not None
    assert reader.metadata.title == f"{MUNICIPALITY}: {TITLE}, Tertial 1 2024"
    assert reader.metadata.author == MUNICIPALITY


def test_cover_names_municipality_committee_report_period_and_date(pages: list[str]) -> None:
    cover = squash(pages[0])
    _in_order(
        cover,
        [
            MUNICIPALITY,
            "Uppsiktsrapport",
            "Till Kommunstyrelsens arbetsutskott",
            "Period Tertial 1 2024 (januari–april)",
            "Datum 2024-05-14",
        ],
    )
    # The cover is a page of its own, without running header or footer.
    assert "Sida" not in cover and TITLE not in cover


def test_every_page_after_the_cover_has_header_and_sida_x_av_y(pages: list[str]) -> None:
    total = len(pages)
    assert total > 30
    for number, text in enumerate(pages[1:], start=2):
        assert f"{PERIOD_TEXT} Sida {number} av {total}" in text, number
        assert f"{TITLE} {COMMITTEE}" in text, number


def test_contents_lists_every_section_with_the_page_it_is_on(
    pages: list[str], seed_view: ReportView
) -> None:
    contents = squash(pages[1])
    assert contents.startswith("Innehåll")
    headings = [
        "Sammanfattning",
        "Status i korthet",
        "Avvikelser och vänteläge",
        "Saknade rapporter per enhet",
        "Planeringskontroll",
        "1 Redovisning av arbete för de politiska målen",
        *(f"{s.number} {s.text}" for s in seed_view.sections),
        "1.21 Rapportering och uppföljning",
        "1.22 Avgränsning",
        "2 Kommunstyrelsens mål",
    ]
    _in_order(contents, headings)
    # The number after the dot leader is the page the section's heading is on.
    for number, text in [("1.1", "Sjukfrånvaron ska minska."), ("1.20", "Öka antalet")]:
        entry = re.search(rf"{re.escape(number)} {re.escape(text)}.*?\.+ (\d+)", contents)
        assert entry, number
        page = int(entry.group(1))
        assert squash(pages[page - 1]).find(f"{number} {text}") >= 0, (number, page)


def test_summary_first_with_the_seed_counts(body: str, seed_view: ReportView) -> None:
    summary = body[: body.find("1 Redovisning av arbete för de politiska målen")]
    counts = {c.status: c.count for c in seed_view.summary.counts}
    assert counts == {
        "not_started": 6,
        "on_track": 47,
        "deviating": 7,
        "done": 15,
        "done_deviating": 1,
        "on_hold": 3,
    }
    _in_order(
        summary,
        [
            "Sammanfattning",
            "Perioden omfattar 79 aktiviteter: 79 har rapporterats och 0 saknar rapport.",
            "Status i korthet",
            # The counts table's last row.
            "Alla målområden 6 47 7 15 1 3 0 79",
            "Avvikelser och vänteläge",
            "Saknade rapporter per enhet",
            "Alla aktiviteter har rapporterats.",
            "Planeringskontroll",
        ],
    )
    # The chart's legend, with the counts (pypdf reads the drawing after the page's text).
    for legend in (
        "Ej påbörjad (6) Pågående enligt plan (47) Pågående med avvikelse (7)",
        "Avslutad enligt plan (15) Avslutad med avvikelse (1) Vänteläge (3)",
        "Ej rapporterad (0)",
        "Tillväxt Totalt 30 3 18 2 5 2",
    ):
        assert legend in summary, legend
    # No previous tertial in the database: no changes section.
    assert "Förändringar sedan" not in body
    # Deviations and on hold first, each with its unit and comment, in status order.
    attention = summary[summary.find("Avvikelser och vänteläge") :]
    expected = []
    for activity in seed_view.summary.attention:
        expected += [activity.title, activity.status_label, squash(activity.comment)[:60]]
    _in_order(attention, expected)
    assert len(seed_view.summary.attention) == 11


def test_planning_check_lists_the_units_that_fall_short(body: str, seed_view: ReportView) -> None:
    check = seed_view.planning_check
    planning = body[body.find("Planeringskontroll") :]
    _in_order(
        planning,
        [
            f"{len(check.too_few)} enheter har färre än 2 aktiviteter mot kommunstyrelsens mål.",
            f"{len(check.no_finance_activity)} enheter har ingen aktivitet mot verksamhetsmålet",
            *(unit.unit.split(" > ")[-1] for unit in check.flagged),
        ],
    )


def test_every_goal_and_activity_in_the_order_of_the_data(body: str, seed_view: ReportView) -> None:
    position = body.find("1 Redovisning av arbete för de politiska målen")
    assert position > 0
    activities = 0
    for section in seed_view.sections:
        position = _in_order(body, [f"{section.number} {section.text}"], start=position)
        for activity in section.activities:
            needles = [activity.title]
            needles += [line.name for line in activity.unit_tree]
            needles += [str(activity.start), str(activity.end)]
            needles += [" ".join(lines) for lines in paragraphs(activity.purpose)]
            needles.append(activity.status_label or "")
            needles += [" ".join(lines) for lines in paragraphs(activity.comment)]
            position = _in_order(body, [squash(n) for n in needles], start=position)
            activities += 1
    assert activities == 79
    _in_order(
        body,
        [
            "1.21 Rapportering och uppföljning",
            "1.22 Avgränsning",
            "2 Kommunstyrelsens mål",
            "Mål inom målområde Barn och Unga",
            "Verksamhetsmål för god ekonomisk hushållning",
            "Sjukfrånvaron ska minska.",
        ],
        start=position,
    )


def test_import_notes_are_not_in_the_pdf(body: str, seed_view: ReportView) -> None:
    (note,) = seed_view.import_notes  # the seed's 1.18: a comment whose header was lost
    assert squash(note.text)[:40] not in body
    assert "kunde knytas" not in body


def test_swedish_letters_survive(body: str) -> None:
    for word in ("Ånge", "Äldre +65", "Östavall", "Sjukfrånvaron", "Fränstaskolan", "hälsosamma"):
        assert word in body, word


def test_an_activity_is_not_split_when_it_fits_on_a_page(
    pages: list[str], seed_view: ReportView
) -> None:
    """Title and status of an activity are on one page (each activity of the seed fits)."""
    body_pages = [squash(p) for p in pages[2:]]
    chapter_1 = next(i for i, p in enumerate(body_pages) if "1.1 Sjukfrånvaron" in p)
    split = []
    for section in seed_view.sections:
        for activity in section.activities:
            status_line = squash(f"{activity.status_label} {activity.comment}")[:50]
            title = squash(activity.title)
            title_pages = {i for i, p in enumerate(body_pages) if i >= chapter_1 and title in p}
            status_pages = {
                i for i, p in enumerate(body_pages) if i >= chapter_1 and status_line in p
            }
            if not title_pages & status_pages:
                split.append(activity.title)
    assert split == []


def test_user_text_with_markup_comes_out_as_text(small_pdf: bytes) -> None:
    text = squash("\n".join(pdf_pages(small_pdf)))
    assert '<script>alert("å")</script> & <!channel> <b>fet</b> **inte fet**' in text
    assert "Kulturkväll <i>för</i> alla" in text
    # The vertical tab pasted from Word became a line break, not a stray glyph.
    assert "**inte fet** ny rad" in text and "\x0b" not in text


def test_changes_since_the_previous_tertial_are_in_the_contents_and_the_summary(
    small_pdf: bytes,
) -> None:
    pages = pdf_pages(small_pdf)
    assert "Förändringar sedan 2024-T1" in squash(pages[1])
    text = squash("\n".join(pages[2:]))
    _in_order(
        text,
        [
            "Sedan 2024-T1 har 4 aktiviteter fått ändrad status: nya avvikelser 1, avslutade 1, "
            "rapporterades 2024-T1 men inte nu 1.",
            # Each changed activity once: deviations and missing ones show the previous status.
            "Avvikelser och vänteläge",
            "Öppna träffpunkt i Östavall: Pågående med avvikelse (2024-T1: Pågående enligt plan)",
            "Saknade rapporter per enhet",
            "Detaljplan för Ånge centrum (mål 1.3; 2024-T1: Pågående enligt plan)",
            "Förändringar sedan 2024-T1",
            "Jämförelsen gäller rapportens 4 aktiviteter; 3 av dem rapporterades 2024-T1.",
            "Aktivitet Mål 2024-T1 2024-T2",
            "Hälsosamma scheman 1.1 Ej påbörjad Pågående enligt plan",
            "Kulturkväll <i>för</i> alla 1.2 ej rapporterad Avslutad enligt plan",
            "Aktiviteter med avvikelse, i vänteläge eller utan rapport står i listorna ovan",
            "Planeringskontroll",
        ],
    )
    assert text.count("Öppna träffpunkt i Östavall") == 2  # the summary once, chapter 1 once


def test_english_pdf(tmp_path: Path) -> None:
    from bot.reporting.pdf import render_pdf
    from tests.documents.support import small_view

    pages = pdf_pages(render_pdf(small_view("en"), committee="Executive board"))
    assert "Follow-up report" in pages[0] and "May–August" in pages[0]
    assert "Contents" in pages[1]
    assert f"Page 2 of {len(pages)}" in pages[1]


def test_the_pdf_step_fetches_nothing_outside_the_templates(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    fetch = url_fetcher([PACKAGED_TEMPLATE_DIR, tmp_path])
    assert fetch.fetch(logo.as_uri()).read().startswith(b"\x89PNG")
    assert fetch.fetch("data:text/plain,hej").read() == b"hej"
    for url in ("http://example.invalid/x.css", "file:///etc/hostname", f"{logo.as_uri()}/../../x"):
        with pytest.raises(ResourceRefused):
            fetch.fetch(url)
