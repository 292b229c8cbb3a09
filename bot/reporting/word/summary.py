"""The summary of the Word file: the status at a glance, deviations, missing reports, changes
and the planning check."""

from __future__ import annotations

from io import BytesIO

from docx.document import Document as DocxDocument
from docx.shared import Cm, Mm, Pt, RGBColor

from bot.domain.report import ActivityChange
from bot.reporting.chart import MISSING, MISSING_STROKE, STATUS_COLOURS, bar_png, chart_bars, legend
from bot.reporting.prepare import PreparedReport
from bot.reporting.text import unit_path
from bot.reporting.word.parts import (
    GREY,
    SHORT,
    TEXT_WIDTH,
    add_row,
    add_table,
    add_text,
    clean,
    labelled,
    marker,
    right,
    set_text,
)


def summary(document: DocxDocument, report: PreparedReport) -> None:
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
            marker(paragraph, activity.status, "")
            paragraph.add_run(clean(activity.title)).bold = True
            paragraph.add_run(f": {clean(activity.status_label or '')}")
            labelled(
                document,
                t("label_goal"),
                f"{report.goal_numbers[activity.id]} {activity.goal_text}",
            )
            labelled(document, t("label_units"), "; ".join(unit_path(u) for u in activity.units))
            if activity.comment:
                label = document.add_paragraph()
                label.paragraph_format.left_indent = Cm(0.6)
                label.paragraph_format.space_after = Pt(1)
                label.paragraph_format.keep_with_next = True
                label.add_run(f"{t('label_comment')}:").bold = True
                add_text(document, activity.comment, indent=Cm(0.6))
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
    # The widest column for "Ej rapporterad", the narrowest for "Totalt": no word is broken.
    numbers = [Mm(15)] * len(summary.counts) + [Mm(19), Mm(12)]
    columns = [TEXT_WIDTH - sum(numbers), *numbers]
    header = [t("col_area"), *(c.label for c in summary.counts), t("col_missing"), t("col_total")]
    table = add_table(document, columns, header=header)
    table.style = document.styles["Table Grid"]
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(8)
    for area in summary.per_area:
        cells = add_row(table, columns)
        set_text(cells[0], area.area)
        values = [c.count for c in area.counts] + [area.missing, area.total]
        for cell, value in zip(cells[1:], values, strict=True):
            right(cell, str(value))
    cells = add_row(table, columns)
    set_text(cells[0], t("all_areas"), bold=True)
    values = [c.count for c in summary.counts] + [summary.missing, summary.total]
    for cell, value in zip(cells[1:], values, strict=True):
        right(cell, str(value), bold=True)
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
    table = add_table(document, columns, header=header)
    table.style = document.styles["Table Grid"]
    for unit in planning.flagged:
        cells = add_row(table, columns)
        set_text(cells[0], unit_path(unit.unit))
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
