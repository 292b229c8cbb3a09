"""The compiled report in every format: Markdown, HTML, JSON, PDF and Word.

One package, one preparation (`prepare.py`: the `PreparedReport` every format renders from) and
one module per format or job:

- `text.py`: escaping and formatting filters; `templates.py`: the Jinja2 environment;
- `markup.py`: Markdown and HTML (and the print HTML of the PDF); `jsondoc.py`: JSON;
- `chart.py`: the status chart (SVG, and PNG bars for Word);
- `pdf.py`: the PDF (WeasyPrint, PDF/A-2 and tagged); `word/`: the Word file (python-docx).

`render_report` returns text (md, html, json), `render_document` bytes (pdf, docx). WeasyPrint
and python-docx are imported on first use: most commands never need them.
"""

from __future__ import annotations

from pathlib import Path

from bot.domain.report import ReportView
from bot.reporting.jsondoc import render_json
from bot.reporting.markup import render_markup
from bot.reporting.prepare import PreparedReport, prepare_report
from bot.reporting.templates import PACKAGED_TEMPLATE_DIR, make_environment

TEXT_FORMATS = ("md", "html", "json")
DOCUMENT_FORMATS = ("pdf", "docx")
FORMATS = TEXT_FORMATS + DOCUMENT_FORMATS
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

__all__ = [
    "DOCUMENT_FORMATS",
    "FORMATS",
    "MEDIA_TYPES",
    "PACKAGED_TEMPLATE_DIR",
    "TEXT_FORMATS",
    "PreparedReport",
    "prepare_report",
    "render_document",
    "render_report",
]


def render_report(
    view: ReportView,
    fmt: str,
    *,
    committee: str,
    municipality: str = "",
    template_dir: Path | None = None,
    for_print: bool = False,
) -> str:
    """Render the report view as `md`, `html` or `json`; raise ValueError for another format.

    `for_print` (HTML only) renders the document WeasyPrint turns into the PDF: a cover, a table
    of contents and running headers and footers around the same content.
    """
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(TEXT_FORMATS)})")
    # Built per call: a report is rendered a few times a tertial, and a fresh loader never
    # serves a municipality's template from a stale cache.
    env = make_environment(template_dir=template_dir, autoescape_html=True)
    report = prepare_report(view, committee=committee, municipality=municipality, env=env)
    if fmt == "json":
        if for_print:
            raise ValueError("for_print applies to the html format only")
        return render_json(report)
    return render_markup(report, fmt, env=env, for_print=for_print)


def render_document(
    view: ReportView,
    fmt: str,
    *,
    committee: str,
    municipality: str = "",
    template_dir: Path | None = None,
) -> bytes:
    """Render the report view as a `pdf` or `docx` file; raise ValueError for another format."""
    if fmt == "pdf":
        from bot.reporting.pdf import render_pdf

        return render_pdf(
            view, committee=committee, municipality=municipality, template_dir=template_dir
        )
    if fmt == "docx":
        from bot.reporting.word import render_docx

        return render_docx(
            view, committee=committee, municipality=municipality, template_dir=template_dir
        )
    raise ValueError(f"unknown document format {fmt!r} (known: {', '.join(DOCUMENT_FORMATS)})")
