"""The small parts every section of the Word file is built from: text, fields, markers, tables.

User text goes in through `clean` (what XML 1.0 cannot hold is dropped) and `add_text` (its
paragraphs and line breaks kept); nothing user-written is ever parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bot.reporting.chart import MISSING_STROKE, STATUS_COLOURS
from bot.reporting.text import paragraphs

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x55, 0x55, 0x55)
SHORT = RGBColor(0xB7, 0x1C, 0x1C)
FONT = "Calibri"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
LEFT, RIGHT, TOP, BOTTOM = Mm(20), Mm(18), Mm(22), Mm(20)
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
# The elements of w:settings that come after w:updateFields (ECMA-376 CT_Settings).
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)
# Wide enough for "2024-01-01" and "Startdatum" in bold on one line (the dates never wrap).
DATE_WIDTH = Mm(27)
# Left and right padding of a table cell: Word's default is 1.9 mm; data tables need the room.
CELL_MARGIN = Mm(1)
# The schema order of a cell's and a table's properties: Word refuses a file out of order.
_TC_PR_ORDER = ("tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar")
_TBL_PR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook",
)  # fmt: skip
MARKER = "\u25cf"  # ●, coloured per status
MISSING_MARKER = "\u25cb"  # ○
# Word refuses what XML 1.0 cannot hold: C0 controls other than tab and newlines, lone
# surrogates and U+FFFE/U+FFFF. A vertical tab or form feed (Word's own line and page breaks,
# pasted into a comment) becomes a line break.
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """Make user text safe for a Word document: text stays text, invalid characters go."""
    return _XML_INVALID.sub("", str(text).replace("\x0b", "\n").replace("\x0c", "\n"))


def small_grey(run: Run) -> Run:
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY
    return run


def field_char(paragraph: Paragraph, kind: str, *, small: bool = False) -> None:
    """Append a field character run: `begin`, `separate` or `end`."""
    run = paragraph.add_run()
    if small:
        small_grey(run)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def field_code(paragraph: Paragraph, instruction: str, *, small: bool = False) -> None:
    run = paragraph.add_run()
    if small:
        small_grey(run)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)


def field(paragraph: Paragraph, instruction: str, shown: str, *, small: bool = False) -> None:
    """Append a field (PAGE, NUMPAGES, ...) with the text shown until Word updates it."""
    field_char(paragraph, "begin", small=small)
    field_code(paragraph, instruction, small=small)
    field_char(paragraph, "separate", small=small)
    shown_run = paragraph.add_run(shown)
    if small:
        small_grey(shown_run)
    field_char(paragraph, "end", small=small)


def page_break(document: DocxDocument) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_text(
    container: DocxDocument | _Cell,
    text: object,
    *,
    style: str | None = None,
    indent: int | None = None,
) -> list[Paragraph]:
    """Add user text: one paragraph per paragraph, line breaks kept. Return the paragraphs."""
    added = []
    for lines in paragraphs(clean(text)):
        paragraph = container.add_paragraph(style=style)
        if indent is not None:
            paragraph.paragraph_format.left_indent = indent
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if index < len(lines) - 1:
                run.add_break()
        added.append(paragraph)
    return added


def marker(paragraph: Paragraph, status: str | None, label: str) -> None:
    """A coloured status marker and the label: colour is never the only signal."""
    if status:
        marker = paragraph.add_run(MARKER + " ")
        marker.font.color.rgb = RGBColor.from_string(STATUS_COLOURS[status][1:])
    else:
        marker = paragraph.add_run(MISSING_MARKER + " ")
        marker.font.color.rgb = RGBColor.from_string(MISSING_STROKE[1:])
    text = paragraph.add_run(clean(label))
    if not status:
        text.font.color.rgb = RGBColor.from_string(MISSING_STROKE[1:])


# --- tables ---------------------------------------------------------------------------------


def insert_in_order(parent: Any, child: Any, order: Sequence[str]) -> None:
    """Insert `child` among `parent`'s children where the schema order puts it."""
    name = child.tag.rsplit("}", 1)[-1]
    later = {qn(f"w:{tag}") for tag in order[order.index(name) + 1 :]}
    successor = next((c for c in parent if c.tag in later), None)
    if successor is not None:
        successor.addprevious(child)
    else:
        parent.append(child)


def cell_margins(table: Table, margin: int) -> None:
    """Give every cell of a table this left and right padding (EMU)."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(margin / 635)))  # twentieths of a point
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    insert_in_order(tbl_pr, margins, _TBL_PR_ORDER)


def no_wrap(cell: _Cell) -> None:
    """Keep a cell's text on one line (a date: never "2024-01-" above "01")."""
    insert_in_order(cell._tc.get_or_add_tcPr(), OxmlElement("w:noWrap"), _TC_PR_ORDER)


def add_table(
    document: DocxDocument,
    columns: Sequence[int],
    *,
    header: list[str] | None = None,
    header_size: Pt | None = None,
    margin: int = CELL_MARGIN,
) -> Table:
    """A table of fixed column widths (EMU), with an optional header row repeated on each page.

    The widths are chosen so that no word of a header breaks inside (test_docx measures them).
    """
    table = document.add_table(rows=0, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    cell_margins(table, margin)
    for column, width in zip(table.columns, columns, strict=True):
        column.width = width
    if header:
        row = table.add_row()
        no_split(row)
        tr_pr = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeat on every page, as the seed does
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, text, width in zip(row.cells, header, columns, strict=True):
            cell.width = width
            run = cell.paragraphs[0].add_run(clean(text))
            run.bold = True
            if header_size is not None:
                run.font.size = header_size
            borders(cell, bottom=("12", "1F4E79"))
    return table


def add_row(table: Table, columns: Sequence[int]) -> list[_Cell]:
    row = table.add_row()
    no_split(row)
    cells = list(row.cells)
    for cell, width in zip(cells, columns, strict=True):
        cell.width = width
    return cells


def no_split(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    tr_pr.append(cant)


def borders(cell: _Cell, **edges: tuple[str, str]) -> None:
    """Set cell borders, e.g. top=("8", "BFBFBF"): size in eighths of a point, colour."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        insert_in_order(tc_pr, borders, _TC_PR_ORDER)
    for edge, (size, colour) in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), size)
        element.set(qn("w:color"), colour)
        borders.append(element)


def right(cell: _Cell, text: str, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    if colour is not None:
        run.font.color.rgb = colour


def set_text(cell: _Cell, text: str, *, bold: bool = False, size: Pt | None = None) -> None:
    """Put user text into a cell's first paragraph."""
    run = cell.paragraphs[0].add_run(clean(text))
    run.bold = bold
    if size is not None:
        run.font.size = size


def merged_row(table: Table, columns: Sequence[int]) -> _Cell:
    cells = add_row(table, columns)
    return cells[0].merge(cells[-1])


def drop_empty_first_paragraphs(table: Table) -> None:
    """`add_text` adds paragraphs to a cell that starts with an empty one: remove that one."""
    for tc in table._tbl.iter(qn("w:tc")):
        paragraphs_in_cell = tc.findall(qn("w:p"))
        if len(paragraphs_in_cell) > 1 and not paragraphs_in_cell[0].xpath("string(.)").strip():
            if not paragraphs_in_cell[0].findall(".//" + qn("w:r")):
                tc.remove(paragraphs_in_cell[0])
