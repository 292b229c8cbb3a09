"""The cover of the Word file."""

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
    no_wrap,
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
        no_wrap(value_cell)  # the period and the date read as one line each
    page_break(document)
