"""The cover and the table of contents of the Word file."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt

from bot.reporting.prepare import PreparedReport
from bot.reporting.text import isodate
from bot.reporting.word.parts import (
    ACCENT,
    GREY,
    add_row,
    add_table,
    clean,
    field_char,
    field_code,
    page_break,
)


def cover(document: DocxDocument, report: PreparedReport) -> None:
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
    table = add_table(document, columns)
    for label, value in facts:
        label_cell, value_cell = add_row(table, columns)
        run = label_cell.paragraphs[0].add_run(label)
        run.bold = True
        run.font.color.rgb = ACCENT
        value_cell.paragraphs[0].add_run(clean(value))
    page_break(document)


def contents_entries(report: PreparedReport) -> list[tuple[int, str]]:
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


def contents(document: DocxDocument, report: PreparedReport) -> None:
    """A TOC field over Heading 1-2, shown with the headings until Word fills in the pages."""
    heading = document.add_paragraph(report.t("toc_title"), style="TOC Heading")
    heading.paragraph_format.keep_with_next = True
    entries = contents_entries(report)
    for index, (level, text) in enumerate(entries):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        if index == 0:  # the field spans the entries' paragraphs, as Word writes it
            field_char(paragraph, "begin")
            field_code(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
            field_char(paragraph, "separate")
        run = paragraph.add_run(clean(text))
        run.bold = level == 1
        if index == len(entries) - 1:
            field_char(paragraph, "end")
    page_break(document)
