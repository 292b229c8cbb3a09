"""The committee's decisions and a return's answers, in Word: the same content as
report_templates/decisions.html.j2."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.shared import Mm, Pt

from bot.reporting.prepare import PreparedReport
from bot.reporting.text import isodate
from bot.reporting.word.parts import TEXT_WIDTH, add_row, add_table, clean, set_text


def decisions(document: DocxDocument, report: PreparedReport) -> None:
    """A return's reasons and answers, then the history of the case (when there is any)."""
    t = report.t
    view = report.view
    if view.returns:
        document.add_heading(t("returns_title", version=view.returned_version), level=2)
        if view.return_reasons:
            document.add_paragraph(t("returns_reasons"))
            document.add_paragraph(clean(view.return_reasons))
        columns = [Mm(45), Mm(40), (TEXT_WIDTH - Mm(85)) // 2, (TEXT_WIDTH - Mm(85)) // 2]
        header = [t("col_activity"), t("col_reason"), t("col_before"), t("col_now")]
        table = add_table(document, columns, header=header, header_size=Pt(9))
        table.style = document.styles["Table Grid"]
        for answer in view.returns:
            cells = add_row(table, columns)
            set_text(cells[0], answer.title, size=Pt(9))
            set_text(cells[1], answer.reason, size=Pt(9))
            before = answer.before_label or t("changes_not_reported")
            if answer.before_comment:
                before += f": {answer.before_comment}"
            set_text(cells[2], before, size=Pt(9))
            changed = answer.status_changed or answer.comment_changed
            now = answer.status_label or t("changes_not_reported")
            if answer.comment:
                now += f": {answer.comment}"
            now += f" ({t('answer_changed') if changed else t('answer_unchanged')})"
            set_text(cells[3], now, size=Pt(9))
    if view.decisions:
        document.add_heading(t("history_title"), level=2)
        for decision in view.decisions:
            line = t(
                "history_line",
                version=decision.version,
                date=isodate(decision.decided_at),
                decision=t(f"decision_{decision.kind}"),
            )
            if decision.reasons:
                line += f": {decision.reasons}"
            if decision.kind == "returned" and decision.new_deadline:
                line += f" ({t('history_new_deadline', deadline=isodate(decision.new_deadline))})"
            if decision.kind == "referred":
                presenter = decision.presenter or t("decision_chair_presenter")
                meeting = isodate(decision.board_meeting)
                line += f" ({t('history_board', meeting=meeting, presenter=presenter)})"
            document.add_paragraph(clean(line), style="List Bullet")
