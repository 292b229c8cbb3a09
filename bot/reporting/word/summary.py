"""The summary of the Word file, in the order of the PDF: one glance page (chart and counts),
deviations and on hold with their comments, missing reports by unit, the changes since the
previous tertial in one table, the planning check. Each activity is listed at most once."""

from __future__ import annotations

from io import BytesIO

from docx.document import Document as DocxDocument
from docx.shared import Cm, Mm, Pt, RGBColor

from bot.reporting.chart import MISSING, MISSING_STROKE, STATUS_COLOURS, bar_png, chart_bars, legend
from bot.reporting.prepare import PreparedReport
from bot.reporting.word.decisions import decisions
from bot.reporting.word.parts import (
    GREY,
    SHORT,
    TEXT_WIDTH,
    add_row,
    add_table,
    add_text,
    clean,
    marker,
    page_break,
    right,
    set_text,
)


def summary(document: DocxDocument, report: PreparedReport) -> None:
    """Add the summary: the glance page first, then the lists and the planning check."""
    t = report.t
    lists = report.summary
    document.add_heading(t("summary_title"), level=1)
    document.add_paragraph(lists.totals_text)
    if lists.changes_text:
        document.add_paragraph(lists.changes_text)
    decisions(document, report)
    document.add_heading(t("glance_title"), level=2)
    _chart(document, report)
    if report.view.summary.per_area:
        _counts_table(document, report)
    page_break(document)

    _attention(document, report)
    _missing(document, report)
    if report.view.changes is not None:
        _changes(document, report)
    _planning(document, report)


def _small_paragraph(document: DocxDocument, text: str, *, indent: bool = True) -> None:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.left_indent = Cm(0.6)
    paragraph.paragraph_format.space_after = Pt(1)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(clean(text))
    run.font.size = Pt(9)
    run.font.color.rgb = GREY


def _attention(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    lists = report.summary
    document.add_heading(t("attention_title"), level=2)
    if not lists.attention:
        document.add_paragraph(lists.attention_empty)
        return
    previous = report.view.changes.previous_period if report.view.changes else ""
    for entry in lists.attention:
        activity = entry.activity
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(1)
        marker(paragraph, activity.status, "")
        paragraph.add_run(clean(activity.title)).bold = True
        paragraph.add_run(f": {clean(activity.status_label or '')}")
        if entry.previous_label:
            before = paragraph.add_run(
                " (" + t("label_previous", previous=previous, status=entry.previous_label) + ")"
            )
            before.font.color.rgb = GREY
        units = report.units(activity.units)
        _small_paragraph(document, f"{t('label_goal')} {entry.goal_number} · {units}")
        if activity.comment:
            add_text(document, activity.comment, indent=Cm(0.6))


def _missing(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    lists = report.summary
    document.add_heading(t("missing_title"), level=2)
    if not lists.missing:
        document.add_paragraph(lists.missing_empty)
        return
    previous = report.view.changes.previous_period if report.view.changes else ""
    columns = [Mm(58), TEXT_WIDTH - Mm(58)]
    header = [t("col_unit"), t("col_missing_activities")]
    table = add_table(document, columns, header=header, header_size=Pt(9))
    table.style = document.styles["Table Grid"]
    for group in lists.missing:
        unit_cell, activities_cell = add_row(table, columns)
        units = report.units(group.units) if group.units else t("no_unit")
        set_text(unit_cell, units, size=Pt(9))
        for index, entry in enumerate(group.items):
            paragraph = (
                activities_cell.paragraphs[0] if index == 0 else activities_cell.add_paragraph()
            )
            paragraph.paragraph_format.space_after = Pt(1)
            title = paragraph.add_run(clean(entry.activity.title))
            title.font.size = Pt(9)
            meta = f" ({t('label_goal').lower()} {entry.goal_number}"
            if entry.previous_label:
                meta += "; " + t("label_previous", previous=previous, status=entry.previous_label)
            meta_run = paragraph.add_run(clean(meta + ")"))
            meta_run.font.size = Pt(8.5)
            meta_run.font.color.rgb = GREY
    document.add_paragraph()


def _chart(document: DocxDocument, report: PreparedReport) -> None:
    """Status per goal area: area name, its stacked bar (a PNG) and its total; then the legend."""
    summary = report.view.summary
    missing_label = report.t("col_missing")
    bars = chart_bars(summary, missing_label=missing_label)
    if not bars:
        return
    scale_total = max(bar.total for bar in bars)
    columns = [Mm(48), Mm(100), Mm(24)]
    table = add_table(document, columns)
    for bar in bars:
        area_cell, bar_cell, total_cell = add_row(table, columns)
        set_text(area_cell, bar.label)
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
        right(total_cell, report.t("chart_total", count=bar.total))
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
    # Nine columns: the longest word of each header fits its column ("Completed",
    # "rapporterad"), so no word breaks inside; the area names wrap between words.
    numbers = [Mm(18.5)] * len(summary.counts) + [Mm(20.5), Mm(11)]
    columns = [TEXT_WIDTH - sum(numbers), *numbers]
    header = [t("col_area"), *(c.label for c in summary.counts), t("col_missing"), t("col_total")]
    table = add_table(document, columns, header=header, header_size=Pt(7.5))
    table.style = document.styles["Table Grid"]
    for area in summary.per_area:
        cells = add_row(table, columns)
        set_text(cells[0], area.area, size=Pt(9))
        values = [c.count for c in area.counts] + [area.missing, area.total]
        for cell, value in zip(cells[1:], values, strict=True):
            right(cell, str(value))
    cells = add_row(table, columns)
    set_text(cells[0], t("all_areas"), bold=True, size=Pt(9))
    values = [c.count for c in summary.counts] + [summary.missing, summary.total]
    for cell, value in zip(cells[1:], values, strict=True):
        right(cell, str(value), bold=True)


def _changes(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    lists = report.summary
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
    if lists.changed:
        columns = [TEXT_WIDTH - Mm(14) - 2 * Mm(40), Mm(14), Mm(40), Mm(40)]
        header = [t("col_activity"), t("label_goal"), previous, report.view.period]
        table = add_table(document, columns, header=header, header_size=Pt(9))
        table.style = document.styles["Table Grid"]
        for entry in lists.changed:
            cells = add_row(table, columns)
            set_text(cells[0], entry.activity.title, size=Pt(9))
            set_text(cells[1], entry.goal_number, size=Pt(9))
            set_text(cells[2], entry.previous_label or "", size=Pt(9))
            marker(
                cells[3].paragraphs[0],
                entry.activity.status,
                entry.activity.status_label or t("changes_not_reported"),
            )
    else:
        document.add_paragraph(lists.changes_empty)
    if lists.changes_note:
        _small_paragraph(document, lists.changes_note, indent=False)


def _planning(document: DocxDocument, report: PreparedReport) -> None:
    t = report.t
    planning = report.view.planning_check
    document.add_heading(t("planning_title"), level=2)
    if report.summary.planning_empty:
        document.add_paragraph(report.summary.planning_empty)
        return
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
    columns = [TEXT_WIDTH - Mm(37), Mm(37)]
    if planning.has_finance_goal:
        header.append(t("col_finance_goal"))
        columns = [TEXT_WIDTH - Mm(74), Mm(37), Mm(37)]
    table = add_table(document, columns, header=header, header_size=Pt(9))
    table.style = document.styles["Table Grid"]
    for unit in planning.flagged:
        cells = add_row(table, columns)
        set_text(cells[0], report.units(unit.unit), size=Pt(9))
        short = unit.board_goal_activities < planning.minimum
        right(
            cells[1],
            str(unit.board_goal_activities),
            bold=short,
            colour=SHORT if short else None,
        )
        if planning.has_finance_goal:
            short = unit.finance_goal_activities == 0
            right(
                cells[2],
                str(unit.finance_goal_activities),
                bold=short,
                colour=SHORT if short else None,
            )
