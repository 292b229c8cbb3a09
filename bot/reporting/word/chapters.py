"""Chapters 1 and 2 of the Word file: the goal sections with their activity tables, the closing
sections, and every goal of the year by goal area."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt

from bot.domain.report import ActivityView
from bot.reporting.prepare import PreparedReport
from bot.reporting.text import isodate
from bot.reporting.word.parts import (
    DATE_WIDTH,
    TEXT_WIDTH,
    add_row,
    add_table,
    add_text,
    borders,
    clean,
    drop_empty_first_paragraphs,
    marker,
    merged_row,
    no_wrap,
)


def chapter_1(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    heading = document.add_heading(f"1 {t('chapter1_title')}", level=1)
    heading.paragraph_format.page_break_before = True
    for paragraph in report.intro:
        add_text(document, paragraph)
    for item in report.sections:
        document.add_heading(clean(f"{item.number} {item.section.text}"), level=2)
        if item.section.activities:
            _activities_table(document, report, item.section.activities)
    for part in report.closing:
        document.add_heading(clean(f"{part.number} {part.title}"), level=2)
        for paragraph in part.paragraphs:
            add_text(document, paragraph)


def _activities_table(
    document: DocxDocument, report: PreparedReport, activities: tuple[ActivityView, ...]
) -> None:
    """The seed's three-column table: an activity is a group of rows Word keeps on one page."""
    t = report.t
    columns = [TEXT_WIDTH - 2 * DATE_WIDTH, DATE_WIDTH, DATE_WIDTH]
    table = add_table(document, columns, header=[t("col_activities"), t("col_start"), t("col_end")])
    for activity in activities:
        title_cell, start_cell, end_cell = add_row(table, columns)
        kept = []  # paragraphs that keep with the next, so the activity's rows stay together
        for cell in (title_cell, start_cell, end_cell):
            borders(cell, top=("6", "BFBFBF"))
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
        no_wrap(start_cell)
        no_wrap(end_cell)
        kept += [start_cell.paragraphs[0], end_cell.paragraphs[0]]

        if activity.purpose:
            cell = merged_row(table, columns)
            kept += add_text(cell, activity.purpose)
        status_cell = merged_row(table, columns)
        marker(status_cell.paragraphs[0], activity.status, activity.status_label or t("no_status"))
        if activity.comment:
            kept.append(status_cell.paragraphs[0])
            comment_cell = merged_row(table, columns)
            add_text(comment_cell, activity.comment)
        for paragraph in kept:
            paragraph.paragraph_format.keep_with_next = True
    drop_empty_first_paragraphs(table)
    document.add_paragraph()


def chapter_2(document: DocxDocument, report: PreparedReport) -> None:
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
