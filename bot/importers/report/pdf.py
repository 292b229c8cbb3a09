"""The text of a report's PDF: pdfplumber keeps the reading order of WeasyPrint's tables (pypdf
does not: Uppsikt's own PDF read as 0 of 79 activities through pypdf), pypdf is the fallback."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from bot.importers.issues import Issue
from bot.importers.tables import file_issue

logger = logging.getLogger(__name__)
# A damaged PDF can make a parser recurse or loop through huge object graphs: stop here.
MAX_PAGES = 500


def extract_pdf_text(path: Path, data: bytes, issues: list[Issue]) -> str | None:
    """The PDF's text, page by page; None and an issue when it cannot be read or has none."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        issues.append(file_issue(path, "report_unreadable_pdf"))
        return None
    try:
        pages = _pdfplumber_pages(data)
    except ImportError:
        pages = None
    except Exception:  # a damaged PDF: pdfminer raises many kinds
        logger.info("pdfplumber could not read %s", path.name, exc_info=True)
        pages = None
    if pages is None:
        try:
            pages = _pypdf_pages(data)
        except Exception:  # a damaged PDF: pypdf raises many kinds, and RecursionError
            logger.info("pypdf could not read %s", path.name, exc_info=True)
            issues.append(file_issue(path, "report_unreadable_pdf"))
            return None
    text = "\n".join(pages)
    if not text.strip():
        issues.append(file_issue(path, "report_pdf_no_text"))
        return None
    return text


def _pdfplumber_pages(data: bytes) -> list[str]:
    import pdfplumber

    pages: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:MAX_PAGES]:
            pages.append(page.extract_text(layout=False) or "")
    return pages


def _pypdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
