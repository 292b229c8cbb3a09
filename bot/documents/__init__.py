"""Committee documents: the compiled report as PDF (WeasyPrint) and as Word (python-docx).

`render_document(view, "pdf" | "docx", ...)` returns the file's bytes. The renderers are imported
on first use: WeasyPrint takes a moment to load and most commands never need it.
"""

from __future__ import annotations

from pathlib import Path

from bot.domain.report import ReportView

DOCUMENT_FORMATS = ("pdf", "docx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


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
        from bot.documents.pdf import render_pdf

        return render_pdf(
            view, committee=committee, municipality=municipality, template_dir=template_dir
        )
    if fmt == "docx":
        from bot.documents.docx import render_docx

        return render_docx(
            view, committee=committee, municipality=municipality, template_dir=template_dir
        )
    raise ValueError(f"unknown document format {fmt!r} (known: {', '.join(DOCUMENT_FORMATS)})")
