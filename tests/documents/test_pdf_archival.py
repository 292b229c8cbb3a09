"""The PDF as an archival, accessible record, read back with pypdf: PDF/A-2a and PDF/UA-1
identification, the structure tree (headings, tables with scoped headers, the chart's
alternative text), the language, the title, and every font embedded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

from bot.domain.report import ReportView
from bot.reporting.pdf import render_pdf
from tests.documents.support import COMMITTEE, MUNICIPALITY, small_view

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"
TITLE = f"{MUNICIPALITY}: Uppsiktsrapport till kommunstyrelsens arbetsutskott, Tertial 1 2024"


@pytest.fixture(scope="module")
def reader(seed_pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(seed_pdf))


def _elements(reader: PdfReader) -> Iterator[tuple[DictionaryObject, tuple[str, ...]]]:
    """Every structure element reachable from the root, with the types of its ancestors."""
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    stack: list[tuple[Any, tuple[str, ...]]] = [(root, ())]
    while stack:
        element, ancestors = stack.pop()
        yield element, ancestors
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, IndirectObject):
                child = kid.get_object()
                if child.get("/Type") == "/StructElem":
                    stack.append((child, (*ancestors, str(element.get("/S", "")))))


def test_identifies_itself_as_pdf_a_2a_and_pdf_ua_1(seed_pdf: bytes, reader: PdfReader) -> None:
    assert seed_pdf.startswith(b"%PDF-1.7")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    rdf = ElementTree.fromstring(
        xmp.split(b"<x:xmpmeta", 1)[1].split(b">", 1)[1].rsplit(b"</x:xmpmeta>", 1)[0]
    )
    identification = {}
    for description in rdf.iter(f"{RDF}Description"):
        identification.update(description.attrib)
    assert identification[f"{PDFAID}part"] == "2"
    assert identification[f"{PDFAID}conformance"] == "A"
    assert identification[f"{PDFUAID}part"] == "1"
    # PDF/A: the colours are defined by an embedded sRGB profile.
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    assert intent.get_object()["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"
    titles = [
        li.text
        for li in rdf.iter(f"{RDF}li")
        if li.get("{http://www.w3.org/XML/1998/namespace}lang")
    ]
    assert TITLE in titles


def test_title_language_and_marked_content(reader: PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    assert reader.metadata is not None and reader.metadata.title == TITLE
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "sv"
    # Tab order follows the structure on every page.
    assert {page["/Tabs"] for page in reader.pages} == {"/S"}


def test_the_structure_has_headings_in_order_and_tables_with_scoped_headers(
    reader: PdfReader, seed_view: ReportView
) -> None:
    kinds: Counter[str] = Counter()
    scopes: Counter[tuple[str, str]] = Counter()
    data_cells_with_headers = 0
    for element, ancestors in _elements(reader):
        kind = str(element.get("/S", ""))
        kinds[kind] += 1
        if kind == "/TH":
            group = ancestors[-2] if len(ancestors) >= 2 else ""
            scopes[(group, str(element["/A"]["/Scope"]))] += 1
        if kind == "/TD" and element.get("/A", {}).get("/Headers"):
            data_cells_with_headers += 1
    assert kinds["/Document"] == 1
    assert kinds["/H1"] == 1  # the cover's title
    # Contents, summary, chapters 1 and 2; then the summary's parts, goals, closing and areas.
    assert kinds["/H2"] == 4
    assert kinds["/H3"] >= 4 + len(seed_view.sections) + 2 + len(seed_view.all_goals)
    assert kinds["/Figure"] == 1
    assert kinds["/Table"] >= len(seed_view.sections) + 2  # the counts, and one per goal
    # Column headers in the heads, row headers in the bodies: nothing else.
    assert {group for group, _scope in scopes} <= {"/THead", "/TBody", "/TFoot"}
    assert scopes[("/THead", "/Column")] >= 3 * len(seed_view.sections)
    assert scopes[("/TBody", "/Row")] >= len(seed_view.summary.per_area)
    assert not [key for key in scopes if key[0] == "/THead" and key[1] != "/Column"]
    assert data_cells_with_headers > 79


def test_the_chart_has_its_numbers_as_alternative_text(reader: PdfReader) -> None:
    (figure,) = [e for e, _ in _elements(reader) if e.get("/S") == "/Figure"]
    alt = str(figure["/Alt"])
    assert alt.startswith("Stapeldiagram, status per målområde. Barn och Unga: 21 aktiviteter (")
    assert "Tillväxt: 30 aktiviteter (Ej påbörjad 3, Pågående enligt plan 18" in alt


def test_every_font_is_embedded(reader: PdfReader) -> None:
    fonts = {}
    for page in reader.pages:
        for name, font in page["/Resources"].get("/Font", {}).items():
            fonts[name] = font.get_object()
    assert fonts
    for name, font in fonts.items():
        descriptors = [d.get_object()["/FontDescriptor"] for d in font.get("/DescendantFonts", [])]
        if "/FontDescriptor" in font:
            descriptors.append(font["/FontDescriptor"])
        assert descriptors, name
        for descriptor in descriptors:
            files = {k for k in descriptor.get_object() if k.startswith("/FontFile")}
            assert files & {"/FontFile2", "/FontFile3"}, (name, font["/BaseFont"])
        assert "DejaVu" in str(font["/BaseFont"])  # the fonts the stylesheet names


def test_running_headers_are_artifacts_and_all_other_content_is_in_the_structure(
    reader: PdfReader,
) -> None:
    reached: dict[int, set[int]] = {}
    for element, _ in _elements(reader):
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int) and "/Pg" in element:
                page = element.raw_get("/Pg")
                reached.setdefault(page.idnum, set()).add(kid)
    artifacts = 0
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        page_id = page.indirect_reference.idnum  # type: ignore[union-attr]
        for operands, operator in content.operations:
            if operator == b"BDC" and "/MCID" in operands[1]:
                assert operands[1]["/MCID"] in reached.get(page_id, set()), page_id
            elif operator == b"BMC" and operands[0] == "/Artifact":
                artifacts += 1
    # At least the running header and footer of every page after the cover.
    assert artifacts >= 3 * (len(reader.pages) - 1)


def test_links_of_the_contents_say_where_they_lead(reader: PdfReader) -> None:
    contents = {
        str(a.get_object().get("/Contents"))
        for page in reader.pages[:2]
        for a in page.get("/Annots", [])
    }
    assert {"Sammanfattning", "1.1 Sjukfrånvaron ska minska.", "2 Kommunstyrelsens mål"} <= contents
    assert "summary" not in contents and "goal-1-1" not in contents


def test_an_english_pdf_says_so() -> None:
    reader = PdfReader(BytesIO(render_pdf(small_view("en"), committee="Executive board")))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == "Follow-up report to Executive board, Tertial 2, 2024"


def test_weasyprint_has_nothing_to_warn_about(caplog: pytest.LogCaptureFixture) -> None:
    """No unknown CSS, no missing font or HarfBuzz subsetter, no image without alt text."""
    with caplog.at_level("WARNING", logger="weasyprint"):
        render_pdf(small_view(), committee=COMMITTEE, municipality=MUNICIPALITY)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
