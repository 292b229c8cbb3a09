"""The report as a Word document (python-docx) that a secretary can edit before the meeting.

The same content and order as the PDF, built from Word's own parts: built-in heading styles
(Heading 1-3, shown as "Rubrik 1-3" in a Swedish Word), so the navigation pane and a table of
contents work; real tables with a repeating header row; a TOC field that Word fills in; header
and footer with PAGE and NUMPAGES fields ("Sida X av Y"); the first page without them (cover).

The status chart is a table: the goal area and the counts are text, each area's stacked bar is a
small PNG drawn by `chart.bar_png` (no imaging library needed), and the legend is text with
coloured markers. Word cannot show the SVG of the HTML without a raster fallback, and a whole
chart as one picture would put its words out of reach of editing, search and screen readers.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bot.documents.chart import MISSING, MISSING_STROKE, STATUS_COLOURS, bar_png, chart_bars, legend
from bot.domain.report import ActivityChange, ActivityView, ReportView
from bot.render import PreparedReport, isodate, paragraphs, prepare_report, unit_path

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
DATE_WIDTH = Mm(24)
MARKER = "\u25cf"  # ●, coloured per status
MISSING_MARKER = "\u25cb"  # ○
# Word refuses what XML 1.0 cannot hold: C0 controls other than tab and newlines, lone
# surrogates and U+FFFE/U+FFFF. A vertical tab or form feed (Word's own line and page breaks,
# pasted into a comment) becomes a line break.
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """Make user text safe for a Word document: text stays text, invalid characters go."""
    return _XML_INVALID.sub("", str(text).replace("\x0b", "\n").replace("\x0c", "\n"))


def render_docx(
    view: ReportView,
    *,
    committee: str,
    municipality: str = "",
    template_dir: Path | None = None,
) -> bytes:
    """Render the report view as a .docx file: cover, contents, summary, chapters 1 and 2."""
    report = prepare_report(
        view, committee=committee, municipality=municipality, template_dir=template_dir
    )
    document = Document()
    _set_up(document, report)
    _cover(document, report)
    _contents(document, report)
    _summary(document, report)
    _chapter_1(document, report)
    _chapter_2(document, report)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- document set-up ---------------------------------------------------------------------------


def _set_up(document: DocxDocument, report: PreparedReport) -> None:
    language = "sv-SE" if report.view.language == "sv" else "en-GB"
    properties = document.core_properties
    properties.title = clean(f"{report.title} – {report.period_text}")
    properties.subject = clean(report.committee)
    properties.author = clean(report.municipality or report.committee)
    properties.language = language
    properties.created = report.view.generated_at
    properties.modified = report.view.generated_at
    properties.last_modified_by = "Uppsikt"

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    r_pr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)  # spelling and hyphenation in the report's language
    r_pr.append(lang)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT
        style.paragraph_format.keep_with_next = True

    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.header_distance = section.footer_distance = Mm(10)
    section.start_type = WD_SECTION_START.NEW_PAGE
    # The cover has no header or footer; the first page's are left empty.
    section.different_first_page_header_footer = True

    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _small(header.add_run(clean(report.title)))
    _small(header.add_run("\t" + clean(report.committee)))

    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _small(footer.add_run(clean(report.period_text) + "\t"))
    pattern = report.t("page_footer")
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece == "{page}":
            _field(footer, "PAGE", "1", small=True)
        elif piece == "{pages}":
            _field(footer, "NUMPAGES", "1", small=True)
        elif piece:
            _small(footer.add_run(piece))

    # Ask Word to update the fields (the table of contents) when the document is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings = document.settings.element
    # Word rejects settings out of schema order: updateFields goes before these.
    following = [qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS]
    successor = next((child for child in settings if child.tag in following), None)
    if successor is not None:
        successor.addprevious(update)
    else:
        settings.append(update)


def _small(run: Run) -> Run:
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY
    return run


def _field_char(paragraph: Paragraph, kind: str, *, small: bool = False) -> None:
    """Append a field character run: `begin`, `separate` or `end`."""
    run = paragraph.add_run()
    if small:
        _small(run)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _field_code(paragraph: Paragraph, instruction: str, *, small: bool = False) -> None:
    run = paragraph.add_run()
    if small:
        _small(run)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)


def _field(paragraph: Paragraph, instruction: str, shown: str, *, small: bool = False) -> None:
    """Append a field (PAGE, NUMPAGES, ...) with the text shown until Word updates it."""
    _field_char(paragraph, "begin", small=small)
    _field_code(paragraph, instruction, small=small)
    _field_char(paragraph, "separate", small=small)
    shown_run = paragraph.add_run(shown)
    if small:
        _small(shown_run)
    _field_char(paragraph, "end", small=small)


def _page_break(document: DocxDocument) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _text(
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


def _labelled(container: DocxDocument, label: str, value: str) -> None:
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(0.6)
    paragraph.paragraph_format.space_after = Pt(1)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(clean(value))


def _marker(paragraph: Paragraph, status: str | None, label: str) -> None:
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


# --- tables ------------------------------------------------------------------------------------


def _table(document: DocxDocument, columns: list[int], *, header: list[str] | None = None) -> Table:
    """A table of fixed column widths (EMU), with an optional header row repeated on each page."""
    table = document.add_table(rows=0, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, columns, strict=True):
        column.width = width
    if header:
        row = table.add_row()
        _no_split(row)
        tr_pr = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeat on every page, as the seed does
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, text, width in zip(row.cells, header, columns, strict=True):
            cell.width = width
            run = cell.paragraphs[0].add_run(clean(text))
            run.bold = True
            _borders(cell, bottom=("12", "1F4E79"))
    return table


def _row(table: Table, columns: list[int]) -> list[_Cell]:
    row = table.add_row()
    _no_split(row)
    cells = list(row.cells)
    for cell, width in zip(cells, columns, strict=True):
        cell.width = width
    return cells


def _no_split(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    tr_pr.append(cant)


def _borders(cell: _Cell, **edges: tuple[str, str]) -> None:
    """Set cell borders, e.g. top=("8", "BFBFBF"): size in eighths of a point, colour."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    for edge, (size, colour) in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), size)
        element.set(qn("w:color"), colour)
        borders.append(element)


def _right(cell: _Cell, text: str, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    if colour is not None:
        run.font.color.rgb = colour


def _set(cell: _Cell, text: str, *, bold: bool = False) -> None:
    run = cell.paragraphs[0].add_run(clean(text))
    run.bold = bold


# --- cover and contents ------------------------------------------------------------------------


def _cover(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    if report.municipality:
        municipality = document.add_paragraph()
        run = municipality.add_run(clean(report.municipality))
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = ACCENT
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = Cm(6)
    title = document.add_paragraph(t("cover_kind"), style="Title")
    title.paragraph_format.keep_with_next = True
    subtitle = document.add_paragraph()
    subtitle_run = subtitle.add_run(t("chapter1_title"))
    subtitle_run.font.size = Pt(14)
    subtitle_run.font.color.rgb = GREY
    subtitle.paragraph_format.space_after = Cm(1.5)
    facts = (
        (t("cover_recipient"), report.committee),
        (t("cover_period"), f"{report.period_text} ({report.period_months})"),
        (t("cover_date"), isodate(report.view.generated_at)),
    )
    columns = [Cm(3), Cm(10)]
    table = _table(document, columns)
    for label, value in facts:
        label_cell, value_cell = _row(table, columns)
        run = label_cell.paragraphs[0].add_run(label)
        run.bold = True
        run.font.color.rgb = ACCENT
        value_cell.paragraphs[0].add_run(clean(value))
    _page_break(document)


def _contents_entries(report: PreparedReport) -> list[tuple[int, str]]:
    t = report.t
    view = report.view
    entries = [(1, t("summary_title")), (2, t("glance_title"))]
    entries += [(2, t("attention_title")), (2, t("missing_title"))]
    if view.changes is not None:
        entries.append((2, t("changes_title", previous=view.changes.previous_period)))
    entries += [(2, t("planning_title")), (1, f"1 {t('chapter1_title')}")]
    entries += [(2, f"{item.number} {item.section.text}") for item in report.sections]
    entries += [(2, f"{part.number} {part.title}") for part in report.closing]
    entries.append((1, f"2 {t('chapter2_title')}"))
    entries += [
        (2, area.area if area.is_council_finance else t("goals_in_area", area=area.area))
        for area in view.all_goals
    ]
    return entries


def _contents(document: DocxDocument, report: PreparedReport) -> None:
    """A TOC field over Heading 1-2, shown with the headings until Word fills in the pages."""
    heading = document.add_paragraph(report.t("toc_title"), style="TOC Heading")
    heading.paragraph_format.keep_with_next = True
    entries = _contents_entries(report)
    for index, (level, text) in enumerate(entries):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        if index == 0:  # the field spans the entries' paragraphs, as Word writes it
            _field_char(paragraph, "begin")
            _field_code(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
            _field_char(paragraph, "separate")
        run = paragraph.add_run(clean(text))
        run.bold = level == 1
        if index == len(entries) - 1:
            _field_char(paragraph, "end")
    _page_break(document)


# --- summary -----------------------------------------------------------------------------------


def _summary(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    view = report.view
    summary = view.summary
    document.add_heading(t("summary_title"), level=1)
    document.add_paragraph(
        t(
            "summary_totals",
            total=summary.total,
            reported=summary.reported,
            missing=summary.missing,
        )
    )

    document.add_heading(t("glance_title"), level=2)
    _chart(document, report)
    _counts_table(document, report)

    document.add_heading(t("attention_title"), level=2)
    if summary.attention:
        for activity in summary.attention:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_before = Pt(6)
            paragraph.paragraph_format.space_after = Pt(1)
            _marker(paragraph, activity.status, "")
            paragraph.add_run(clean(activity.title)).bold = True
            paragraph.add_run(f": {clean(activity.status_label or '')}")
            _labelled(
                document,
                t("label_goal"),
                f"{report.goal_numbers[activity.id]} {activity.goal_text}",
            )
            _labelled(document, t("label_units"), "; ".join(unit_path(u) for u in activity.units))
            if activity.comment:
                label = document.add_paragraph()
                label.paragraph_format.left_indent = Cm(0.6)
                label.paragraph_format.space_after = Pt(1)
                label.paragraph_format.keep_with_next = True
                label.add_run(f"{t('label_comment')}:").bold = True
                _text(document, activity.comment, indent=Cm(0.6))
    else:
        document.add_paragraph(t("attention_none"))

    document.add_heading(t("missing_title"), level=2)
    if summary.missing_by_unit:
        for missing in summary.missing_by_unit:
            unit = unit_path(missing.unit) if missing.unit else t("no_unit")
            document.add_paragraph(clean(unit), style="List Bullet")
            for title in missing.activities:
                document.add_paragraph(clean(title), style="List Bullet 2")
    else:
        document.add_paragraph(t("missing_none"))

    if view.changes is not None:
        _changes(document, report)
    _planning(document, report)


def _chart(document: DocxDocument, report: PreparedReport) -> None:
    """Status per goal area: area name, its stacked bar (a PNG) and its total; then the legend."""
    summary = report.view.summary
    missing_label = report.t("col_missing")
    bars = chart_bars(summary, missing_label=missing_label)
    if not bars:
        return
    scale_total = max(bar.total for bar in bars)
    columns = [Mm(48), Mm(100), Mm(24)]
    table = _table(document, columns)
    for bar in bars:
        area_cell, bar_cell, total_cell = _row(table, columns)
        _set(area_cell, bar.label)
        picture = (
            bar_cell.paragraphs[0]
            .add_run()
            .add_picture(BytesIO(bar_png(bar, scale_total=scale_total)), width=Mm(98), height=Mm(4))
        )
        # Alternative text: what the bar shows, for screen readers and for anyone editing.
        doc_pr = picture._inline.docPr
        doc_pr.set(
            "descr",
            clean(
                f"{bar.label}: "
                + ", ".join(f"{s.label} {s.count}" for s in bar.segments if s.count)
            ),
        )
        _right(total_cell, report.t("chart_total", count=bar.total))
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(4)
    for index, entry in enumerate(legend(summary, missing_label=missing_label)):
        swatch = paragraph.add_run(("    " if index else "") + "\u25a0 ")
        colour = MISSING_STROKE if entry.status == MISSING else STATUS_COLOURS[entry.status]
        swatch.font.color.rgb = RGBColor.from_string(colour[1:])
        label = paragraph.add_run(clean(f"{entry.label} ({entry.count})"))
        label.font.size = Pt(9)


def _counts_table(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    summary = report.view.summary
    # The widest column for "Ej rapporterad", the narrowest for "Totalt": no word is broken.
    numbers = [Mm(15)] * len(summary.counts) + [Mm(19), Mm(12)]
    columns = [TEXT_WIDTH - sum(numbers), *numbers]
    header = [t("col_area"), *(c.label for c in summary.counts), t("col_missing"), t("col_total")]
    table = _table(document, columns, header=header)
    table.style = document.styles["Table Grid"]
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(8)
    for area in summary.per_area:
        cells = _row(table, columns)
        _set(cells[0], area.area)
        values = [c.count for c in area.counts] + [area.missing, area.total]
        for cell, value in zip(cells[1:], values, strict=True):
            _right(cell, str(value))
    cells = _row(table, columns)
    _set(cells[0], t("all_areas"), bold=True)
    values = [c.count for c in summary.counts] + [summary.missing, summary.total]
    for cell, value in zip(cells[1:], values, strict=True):
        _right(cell, str(value), bold=True)
    document.add_paragraph()


def _change_items(
    document: DocxDocument, report: PreparedReport, items: tuple[ActivityChange, ...]
) -> None:
    t = report.t
    if not items:
        document.add_paragraph(t("none"))
        return
    for change in items:
        activity = change.activity
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(clean(activity.title)).bold = True
        paragraph.add_run(
            ": "
            + t(
                "changes_from_to",
                before=change.previous_label or t("changes_not_reported"),
                after=activity.status_label or t("changes_not_reported"),
            )
        )
        context = paragraph.add_run(
            clean(
                f" ({report.goal_numbers[activity.id]} · "
                + "; ".join(unit_path(u) for u in activity.units)
                + ")"
            )
        )
        context.font.color.rgb = GREY


def _changes(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    changes = report.view.changes
    assert changes is not None
    previous = changes.previous_period
    document.add_heading(t("changes_title", previous=previous), level=2)
    document.add_paragraph(
        t(
            "changes_compared",
            total=report.view.summary.total,
            compared=changes.compared,
            previous=previous,
        )
    )
    if not changes.any_change:
        document.add_paragraph(t("changes_none", previous=previous))
        return
    document.add_heading(t("changes_status_changed"), level=3)
    _change_items(document, report, changes.status_changed)
    document.add_heading(t("changes_new_deviations"), level=3)
    _change_items(document, report, changes.new_deviations)
    document.add_heading(t("changes_completed"), level=3)
    _change_items(document, report, changes.completed)
    document.add_heading(t("changes_not_reported_now", previous=previous), level=3)
    _change_items(document, report, changes.not_reported_now)


def _planning(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    planning = report.view.planning_check
    document.add_heading(t("planning_title"), level=2)
    document.add_paragraph(
        t("planning_intro", minimum=planning.minimum, units=planning.units_checked)
    )
    if planning.too_few:
        finding = t(
            "planning_too_few",
            units=report.tn("units", len(planning.too_few)),
            minimum=planning.minimum,
        )
    else:
        finding = t("planning_too_few_none", minimum=planning.minimum)
    document.add_paragraph(finding, style="List Bullet")
    if not planning.has_finance_goal:
        finding = t("planning_no_finance_goal", year=report.view.year)
    elif planning.no_finance_activity:
        finding = t(
            "planning_no_finance", units=report.tn("units", len(planning.no_finance_activity))
        )
    else:
        finding = t("planning_no_finance_none")
    document.add_paragraph(finding, style="List Bullet")
    if not planning.flagged:
        return
    header = [t("col_unit"), t("col_board_goals")]
    columns = [TEXT_WIDTH - Mm(38), Mm(38)]
    if planning.has_finance_goal:
        header.append(t("col_finance_goal"))
        columns = [TEXT_WIDTH - Mm(76), Mm(38), Mm(38)]
    table = _table(document, columns, header=header)
    table.style = document.styles["Table Grid"]
    for unit in planning.flagged:
        cells = _row(table, columns)
        _set(cells[0], unit_path(unit.unit))
        short = unit.board_goal_activities < planning.minimum
        _right(
            cells[1],
            str(unit.board_goal_activities),
            bold=short,
            colour=SHORT if short else None,
        )
        if planning.has_finance_goal:
            short = unit.finance_goal_activities == 0
            _right(
                cells[2],
                str(unit.finance_goal_activities),
                bold=short,
                colour=SHORT if short else None,
            )


# --- chapters ----------------------------------------------------------------------------------


def _chapter_1(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    heading = document.add_heading(f"1 {t('chapter1_title')}", level=1)
    heading.paragraph_format.page_break_before = True
    for paragraph in report.intro:
        _text(document, paragraph)
    for item in report.sections:
        document.add_heading(clean(f"{item.number} {item.section.text}"), level=2)
        if item.section.activities:
            _activities_table(document, report, item.section.activities)
        if item.section.unplaced:
            document.add_heading(t("unplaced_title"), level=3)
            for text in item.section.unplaced:
                _text(document, text)
    if report.view.unplaced_without_goal:
        document.add_heading(t("unplaced_without_goal_title"), level=2)
        for text in report.view.unplaced_without_goal:
            _text(document, text)
    for part in report.closing:
        document.add_heading(clean(f"{part.number} {part.title}"), level=2)
        for paragraph in part.paragraphs:
            _text(document, paragraph)


def _activities_table(
    document: DocxDocument, report: PreparedReport, activities: tuple[ActivityView, ...]
) -> None:
    """The seed's three-column table: an activity is a group of rows Word keeps on one page."""
    t = report.t
    columns = [TEXT_WIDTH - 2 * DATE_WIDTH, DATE_WIDTH, DATE_WIDTH]
    table = _table(document, columns, header=[t("col_activities"), t("col_start"), t("col_end")])
    for activity in activities:
        title_cell, start_cell, end_cell = _row(table, columns)
        kept = []  # paragraphs that keep with the next, so the activity's rows stay together
        for cell in (title_cell, start_cell, end_cell):
            _borders(cell, top=("6", "BFBFBF"))
        title = title_cell.paragraphs[0]
        title.add_run(clean(activity.title)).bold = True
        title.paragraph_format.space_before = Pt(4)
        kept.append(title)
        for line in activity.unit_tree:
            unit = title_cell.add_paragraph(f"\u2022 {clean(line.name)}")
            unit.paragraph_format.left_indent = Cm(0.3 + 0.5 * line.depth)
            unit.paragraph_format.space_after = Pt(0)
            kept.append(unit)
        start_cell.paragraphs[0].add_run(isodate(activity.start, t("no_date")))
        end_cell.paragraphs[0].add_run(isodate(activity.end, t("no_date")))
        kept += [start_cell.paragraphs[0], end_cell.paragraphs[0]]

        if activity.purpose:
            cell = _merged_row(table, columns)
            kept += _text(cell, activity.purpose)
        status_cell = _merged_row(table, columns)
        _marker(status_cell.paragraphs[0], activity.status, activity.status_label or t("no_status"))
        if activity.comment:
            kept.append(status_cell.paragraphs[0])
            comment_cell = _merged_row(table, columns)
            _text(comment_cell, activity.comment)
        for paragraph in kept:
            paragraph.paragraph_format.keep_with_next = True
    _drop_empty_first_paragraphs(table)
    document.add_paragraph()


def _merged_row(table: Table, columns: list[int]) -> _Cell:
    cells = _row(table, columns)
    return cells[0].merge(cells[-1])


def _drop_empty_first_paragraphs(table: Table) -> None:
    """`_text` adds paragraphs to a cell that starts with an empty one: remove that one."""
    for tc in table._tbl.iter(qn("w:tc")):
        paragraphs_in_cell = tc.findall(qn("w:p"))
        if len(paragraphs_in_cell) > 1 and not paragraphs_in_cell[0].xpath("string(.)").strip():
            if not paragraphs_in_cell[0].findall(".//" + qn("w:r")):
                tc.remove(paragraphs_in_cell[0])


def _chapter_2(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    view = report.view
    heading = document.add_heading(f"2 {t('chapter2_title')}", level=1)
    heading.paragraph_format.page_break_before = True
    document.add_paragraph(t("chapter2_intro", year=view.year))
    for area in view.all_goals:
        title = area.area if area.is_council_finance else t("goals_in_area", area=area.area)
        document.add_heading(clean(title), level=2)
        for goal in area.goals:
            document.add_paragraph(clean(goal), style="List Bullet")
