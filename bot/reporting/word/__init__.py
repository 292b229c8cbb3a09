"""The report as a Word document (python-docx) that a secretary can edit before the meeting.

The same content and order as the PDF, built from Word's own parts: built-in heading styles
(Heading 1-3, shown as "Rubrik 1-3" in a Swedish Word), so the navigation pane and a table of
contents work; real tables with a repeating header row; a TOC field that Word fills in; header
and footer with PAGE and NUMPAGES fields ("Sida X av Y"); the first page without them (cover).

The status chart is a table: the goal area and the counts are text, each area's stacked bar is a
small PNG drawn by `chart.bar_png` (no imaging library needed), and the legend is text with
coloured markers. Word cannot show the SVG of the HTML without a raster fallback, and a whole
chart as one picture would put its words out of reach of editing, search and screen readers.

Modules: `parts` (text, fields, tables), `setup` (styles, page, header and footer), `front`
(the cover), `contents` (the TOC field), `summary`, `chapters`.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docx import Document

from bot.domain.report import ReportView
from bot.reporting.prepare import prepare_report
from bot.reporting.word.chapters import chapter_1, chapter_2
from bot.reporting.word.contents import contents, fill_contents
from bot.reporting.word.front import cover
from bot.reporting.word.parts import clean
from bot.reporting.word.setup import set_up
from bot.reporting.word.summary import summary

__all__ = ["clean", "render_docx"]


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
    set_up(document, report)
    cover(document, report)
    marker = contents(document, report)
    summary(document, report)
    chapter_1(document, report)
    chapter_2(document, report)
    fill_contents(document, marker)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
