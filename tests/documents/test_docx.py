"""The Word file, read back with python-docx: real heading styles and tables, the content in
the order of the data, the chart's pictures, page fields, and user text kept as text."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.domain.report import ReportView
from bot.reporting.chart import STATUS_COLOURS
from bot.reporting.text import paragraphs
from bot.reporting.word import clean, render_docx
from tests.documents.support import COMMITTEE, MUNICIPALITY, small_view, squash


@pytest.fixture(scope="module")
def document(seed_docx: bytes) -> Document:
    return docx.Document(BytesIO(seed_docx))


def _blocks(document: Document) -> Iterator[Paragraph | Table]:
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def _text(document: Document) -> str:
    """All body text in document order, tables cell by cell (a merged cell once)."""
    parts: list[str] = []
    for block in _blocks(document):
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        parts.append(cell.text)
    return squash("\n".join(parts))


def _headings(document: Document) -> list[tuple[int, str]]:
    result = []
    for block in _blocks(document):
        if isinstance(block, Paragraph) and block.style.style_id.startswith("Heading"):
            result.append((int(block.style.style_id.removeprefix("Heading")), block.text))
    return result


def _in_order(text: str, needles: list[str], *, start: int = 0) -> int:
    position = start
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"not found after position {position}: {needle!r}"
        position = found + len(needle)
    return position


def test_headings_are_word_built_in_styles_in_report_order(
    document: Document, seed_view: ReportView
) -> None:
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        # Built-in: Word shows them as "Rubrik 1-3" in Swedish, and the TOC and navigation use them.
        assert style.builtin and style.style_id == f"Heading{level}"
    headings = _headings(document)
    expected = [
        (1, "Sammanfattning"),
        (2, "Status i korthet"),
        (2, "Avvikelser och vänteläge"),
        (2, "Saknade rapporter per enhet"),
        (2, "Planeringskontroll"),
        (1, "1 Redovisning av arbete för de politiska målen"),
    ]
    for section in seed_view.sections:
        expected.append((2, f"{section.number} {section.text}"))
    expected += [
        (2, "1.21 Rapportering och uppföljning"),
        (2, "1.22 Avgränsning"),
        (1, "2 Kommunstyrelsens mål"),
        (2, "Mål inom målområde Barn och Unga"),
        (2, "Mål inom målområde Vuxna"),
        (2, "Mål inom målområde Äldre +65"),
        (2, "Mål inom målområde Tillväxt"),
        (2, "Verksamhetsmål för god ekonomisk hushållning"),
    ]
    assert headings == expected


def test_cover_then_contents_field(document: Document, seed_docx: bytes) -> None:
    blocks = list(_blocks(document))
    first = [b for b in blocks[:8] if isinstance(b, Paragraph) and b.text]
    assert first[0].text == MUNICIPALITY
    assert first[1].text == "Uppsiktsrapport" and first[1].style.name == "Title"
    cover_facts = next(b for b in blocks if isinstance(b, Table))
    assert [[c.text for c in row.cells] for row in cover_facts.rows] == [
        ["Till", COMMITTEE],
        ["Period", "Tertial 1 2024 (januari–april)"],
        ["Datum", "2024-05-14"],
    ]
    body = document.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert document.sections[0].different_first_page_header_footer
    # Word is asked to fill in the contents on opening; the setting sits in schema order.
    with zipfile.ZipFile(BytesIO(seed_docx)) as archive:
        settings = archive.read("word/settings.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings
    assert settings.index("w:updateFields") < settings.index("<w:compat>")


def test_header_and_footer_carry_title_committee_and_page_fields(document: Document) -> None:
    section = document.sections[0]
    assert section.header.paragraphs[0].text == (
        f"Uppsiktsrapport till kommunstyrelsens arbetsutskott\t{COMMITTEE}"
    )
    footer = section.footer.paragraphs[0]
    # The fields' text until Word updates them.
    assert footer.text == f"{MUNICIPALITY} · Tertial 1 2024\tSida 1 av 1"
    title = f"{MUNICIPALITY}: Uppsiktsrapport till kommunstyrelsens arbetsutskott, Tertial 1 2024"
    assert document.core_properties.title == title
    assert document.core_properties.author == MUNICIPALITY
    instructions = [i.text.strip() for i in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_every_goal_and_activity_in_the_order_of_the_data(
    document: Document, seed_view: ReportView
) -> None:
    text = _text(document)
    position = text.find("1 Redovisning av arbete för de politiska målen")
    assert position > 0
    count = 0
    for section in seed_view.sections:
        position = _in_order(text, [f"{section.number} {section.text}"], start=position)
        for activity in section.activities:
            needles = [activity.title]
            needles += [f"• {line.name}" for line in activity.unit_tree]
            needles += [str(activity.start), str(activity.end)]
            needles += [" ".join(lines) for lines in paragraphs(activity.purpose)]
            needles.append(f"● {activity.status_label}")
            needles += [" ".join(lines) for lines in paragraphs(activity.comment)]
            position = _in_order(text, [squash(n) for n in needles], start=position)
            count += 1
    assert count == 79
    _in_order(
        text, ["1.21 Rapportering och uppföljning", "Sjukfrånvaron ska minska."], start=position
    )


def test_activities_are_real_tables_with_a_repeating_header(
    document: Document, seed_view: ReportView
) -> None:
    tables = [
        b
        for b in _blocks(document)
        if isinstance(b, Table) and b.rows[0].cells[0].text == "Verksamhetens aktiviteter"
    ]
    assert len(tables) == len(seed_view.sections) == 20
    for table, section in zip(tables, seed_view.sections, strict=True):
        header = table.rows[0]._tr
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert [c.text for c in table.rows[0].cells] == [
            "Verksamhetens aktiviteter",
            "Startdatum",
            "Slutdatum",
        ]
        titles = [
            row.cells[0].paragraphs[0].text
            for row in table.rows[1:]
            if row.cells[0]._tc is not row.cells[1]._tc
        ]
        assert titles == [a.title for a in section.activities]
        # Rows never split across pages.
        for row in table.rows:
            assert row._tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None


def test_summary_counts_and_chart_pictures(document: Document, seed_docx: bytes) -> None:
    text = _text(document)
    _in_order(
        text,
        [
            "Perioden omfattar 79 aktiviteter: 79 har rapporterats och 0 saknar rapport.",
            "Status i korthet",
            "Barn och Unga Totalt 21",
            "Verksamhetsmål för god ekonomisk hushållning Totalt 3",
            "■ Ej påbörjad (6)",
            "■ Vänteläge (3)",
            "Alla målområden 6 47 7 15 1 3 0 79",
        ],
    )
    # One bar picture per goal area, each with its counts as alternative text.
    shapes = document.inline_shapes
    assert len(shapes) == 5
    descriptions = [s._inline.docPr.get("descr") for s in shapes]
    assert descriptions[0] == (
        "Barn och Unga: Ej påbörjad 1, Pågående enligt plan 14, Pågående med avvikelse 4, "
        "Avslutad enligt plan 2"
    )
    with zipfile.ZipFile(BytesIO(seed_docx)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert images and all(n.endswith(".png") for n in images)
        png = archive.read(images[0])
    width, height, pixels = _decode_png(png)
    assert (width, height) == (960, 40)
    # Barn och Unga's bar: 21 of the scale's 30 (Tillväxt), starting with its 1 not started.
    assert pixels[0][0] == _rgb(STATUS_COLOURS["not_started"])
    assert pixels[20][40] == _rgb(STATUS_COLOURS["on_track"])
    assert pixels[20][959] == _rgb("#f2f2f2")  # the track beyond 21/30


def test_import_notes_are_not_in_the_word_file(document: Document, seed_view: ReportView) -> None:
    (note,) = seed_view.import_notes  # the seed's 1.18: a comment whose header was lost
    text = _text(document)
    assert squash(note.text)[:40] not in text
    assert "kunde knytas" not in text


def test_user_text_with_markup_and_control_characters_comes_out_as_text(
    small_docx: bytes,
) -> None:
    document = docx.Document(BytesIO(small_docx))
    text = _text(document)
    assert '<script>alert("å")</script> & <!channel> <b>fet</b> **inte fet** ny rad' in text
    assert "Kulturkväll <i>för</i> alla" in text
    assert clean("a\x00b\x0bc\ud800d") == "ab\ncd"


def test_changes_and_planning_check_in_word(small_docx: bytes) -> None:
    document = docx.Document(BytesIO(small_docx))
    assert (2, "Förändringar sedan 2024-T1") in _headings(document)
    _in_order(
        _text(document),
        [
            "Avvikelser och vänteläge",
            "Öppna träffpunkt i Östavall: Pågående med avvikelse (2024-T1: Pågående enligt plan)",
            "Saknade rapporter per enhet",
            "Samhällsbyggnad Detaljplan för Ånge centrum (mål 1.3; 2024-T1: Pågående enligt plan)",
            "Förändringar sedan 2024-T1",
            "Aktivitet Mål 2024-T1 2024-T2",
            "Hälsosamma scheman 1.1 Ej påbörjad ● Pågående enligt plan",
            "Kulturkväll <i>för</i> alla 1.2 ej rapporterad ● Avslutad enligt plan",
            "Planeringskontroll",
            "3 enheter har färre än 2 aktiviteter mot kommunstyrelsens mål.",
            "3 enheter har ingen aktivitet mot verksamhetsmålet för god ekonomisk hushållning.",
            "Samhällsbyggnad 1 0",
            "Social verksamhet 0 1",
        ],
    )


def test_english_word_file() -> None:
    document = docx.Document(
        BytesIO(render_docx(small_view("en"), committee="Executive board", municipality=""))
    )
    text = _text(document)
    assert "Follow-up report" in text and "Changes since 2024-T1" in text
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer == "Tertial 2, 2024\tPage 1 of 1"


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _decode_png(data: bytes) -> tuple[int, int, list[list[tuple[int, int, int]]]]:
    """Decode an 8-bit RGB PNG with filter 0 rows (what chart.png writes)."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    position, idat, width, height = 8, b"", 0, 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", chunk[:10])
            assert (depth, colour_type) == (8, 2)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 3 * width
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0
        rows.append([tuple(line[1 + 3 * x : 4 + 3 * x]) for x in range(width)])
    return width, height, rows  # type: ignore[return-value]


# --- the table of contents and the tables' widths, read back ----------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DEJAVU = {
    False: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    True: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}


def test_the_contents_lists_every_heading_with_a_page_reference(document: Document) -> None:
    body = document.element.body
    instructions = [i.text.strip() for i in body.iter(qn("w:instrText"))]
    assert instructions[0] == 'TOC \\o "1-2" \\h \\z \\u'
    # The field's levels are the built-in heading styles' outline levels; the contents' own
    # heading is body text (level 9), so it does not list itself.
    styles = {s.style_id: s for s in document.styles}
    for style_id, level in (("Heading1", "0"), ("Heading2", "1"), ("TOCHeading", "9")):
        outline = styles[style_id].element.find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and outline.get(f"{W}val") == level, style_id
    for style_id in ("TOC1", "TOC2"):
        tab = styles[style_id].element.find(f"{W}pPr/{W}tabs/{W}tab")
        assert styles[style_id].name == f"toc {style_id[-1]}"
        assert tab is not None and (tab.get(f"{W}val"), tab.get(f"{W}leader")) == ("right", "dot")

    bookmarks = {}
    headings = []
    entries = []
    for paragraph in document.paragraphs:
        style_id = paragraph.style.style_id
        if style_id in ("Heading1", "Heading2"):
            headings.append((int(style_id[-1]), paragraph.text))
            for start in paragraph._p.iter(qn("w:bookmarkStart")):
                bookmarks[start.get(qn("w:name"))] = paragraph.text
        elif style_id in ("TOC1", "TOC2"):
            (link,) = paragraph._p.iter(qn("w:hyperlink"))
            references = [i.text.split() for i in link.iter(qn("w:instrText"))]
            assert references == [["PAGEREF", link.get(qn("w:anchor")), "\\h"]]
            entries.append((int(style_id[-1]), link.get(qn("w:anchor")), paragraph.text))
    assert len(headings) > 30
    # One entry per heading, in order, each linking to (and taking its page from) its heading.
    assert [(level, text.rstrip("\t")) for level, _, text in entries] == headings
    assert [bookmarks[anchor] for _, anchor, _ in entries] == [text for _, text in headings]
    first, last = entries[0], entries[-1]
    assert first[2].startswith("Sammanfattning") and last[2].startswith("Verksamhetsmål")


def _width_mm(text: str, *, bold: bool, size_pt: float) -> float:
    from fontTools.ttLib import TTFont

    font = _FONTS.setdefault(bold, TTFont(DEJAVU[bold]))
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    units = sum(metrics[cmap.get(ord(ch), 0) or ".notdef"][0] for ch in text)
    return units / font["head"].unitsPerEm * size_pt * 25.4 / 72


_FONTS: dict[bool, object] = {}


def _too_narrow(table: Table, normal_size: float) -> list[str]:
    """Header words and dates wider than their column (measured in DejaVu Sans, which is wider
    than the Calibri the document names: what fits here fits in Word)."""
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    pad = 2 * 1.9  # Word's default cell padding, mm
    if margins is not None:
        pad = sum(int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right"))
        pad = pad / 20 * 25.4 / 72
    widths = [column.width.mm for column in table.columns]
    problems = []
    for row_index, row in enumerate(table.rows):
        cells = row._tr.findall(qn("w:tc"))
        if len(cells) != len(widths):
            continue  # a merged row: running text, it may wrap
        for cell, width in zip(cells, widths, strict=True):
            usable = width - pad
            for paragraph in cell.findall(qn("w:p")):
                for run in paragraph.findall(qn("w:r")):
                    text = "".join(t.text or "" for t in run.findall(qn("w:t")))
                    size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
                    size_pt = int(size.get(qn("w:val"))) / 2 if size is not None else normal_size
                    bold = run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
                    is_date = bool(re.fullmatch(r"\d{4}-\d\d-\d\d", text))
                    if is_date and cell.find(f"{qn('w:tcPr')}/{qn('w:noWrap')}") is None:
                        problems.append(f"date {text} may wrap")
                    words = [text] if is_date else (text.split() if row_index == 0 else [])
                    for word in words:
                        if _width_mm(word, bold=bold, size_pt=size_pt) > usable:
                            problems.append(f"{word!r} ({size_pt} pt) > {usable:.1f} mm")
    return problems


@pytest.mark.parametrize("language", ["sv", "en"])
def test_table_headers_and_dates_never_break_inside_a_word(
    document: Document, language: str
) -> None:
    if language == "en":
        document = docx.Document(
            BytesIO(render_docx(small_view("en"), committee="Executive board"))
        )
    normal = document.styles["Normal"].font.size.pt
    tables = [b for b in _blocks(document) if isinstance(b, Table)]
    assert len(tables) > 3
    problems = [p for table in tables for p in _too_narrow(table, normal)]
    assert problems == []
    # The checks above look at what they should: dates and header words.
    dates = [c for t in tables for c in t._tbl.iter(qn("w:noWrap"))]
    assert dates


def test_cell_and_table_properties_are_in_schema_order(seed_docx: bytes) -> None:
    """Word refuses a file whose properties are out of the schema's order."""
    cell_order = ["tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar"]
    cell_order += ["textDirection", "tcFitText", "vAlign", "hideMark"]
    table_order = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize"]
    table_order += ["tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd"]
    table_order += ["tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"]
    body = docx.Document(BytesIO(seed_docx)).element.body
    checked = 0
    for tag, order in (("w:tcPr", cell_order), ("w:tblPr", table_order)):
        for properties in body.iter(qn(tag)):
            names = [child.tag.rsplit("}", 1)[-1] for child in properties]
            positions = [order.index(name) for name in names]
            assert positions == sorted(positions), (tag, names)
            checked += 1
    assert checked > 100
