"""Reading a report file: UTF-8 (or UTF-16) text, a PDF, or the report's JSON form.

Every way a file can fail (missing, unreadable, damaged PDF, binary data, not UTF-8, bad JSON)
is a `ReportFileError` naming the file; the PDF and JSON parsers see untrusted bytes, so what
they raise is such a failure, never a traceback.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from bot.importers.issues import Issue, ReportFileError
from bot.importers.report.json_form import parse_report_json
from bot.importers.report.model import ParsedReport
from bot.importers.report.parser import parse_report_text
from bot.importers.report.pdf import extract_pdf_text
from bot.importers.tables import decode_text, file_issue, read_bytes

REPORT_SUFFIXES = (".txt", ".pdf", ".json")
# Text with more control characters than this share is binary data with a text name.
_MAX_CONTROL_SHARE = 0.01


def read_report(path: str | Path, *, language: str = "sv") -> ParsedReport:
    """Read and parse a report file; raise ReportFileError (naming the file) if it cannot be."""
    path = Path(path)
    issues: list[Issue] = []
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        issues.append(file_issue(path, "report_unsupported", suffix=suffix or path.name))
        raise ReportFileError(issues, language=language)
    data = read_bytes(path, issues)
    if data is None:
        raise ReportFileError(issues, language=language)
    if suffix == ".pdf":
        pdf = extract_pdf_text(path, data, issues)
        if pdf is None:
            raise ReportFileError(issues, language=language)
        return parse_report_text(pdf.text, source=path.name, logical_lines=pdf.logical_lines)
    text = _decode(path, data, issues)
    if text is None:
        raise ReportFileError(issues, language=language)
    if suffix == ".json":
        return parse_report_json(text, source=path.name, language=language)
    return parse_report_text(text, source=path.name)


def read_report_file(path: str | Path, *, language: str = "sv") -> str:
    """A report's text (.txt as is, .pdf extracted); raise ReportFileError if it has none."""
    path = Path(path)
    issues: list[Issue] = []
    data = read_bytes(path, issues)
    suffix = path.suffix.lower()
    text: str | None = None
    if data is not None and suffix == ".pdf":
        pdf = extract_pdf_text(path, data, issues)
        text = pdf.text if pdf else None
    elif data is not None and suffix in (".txt", ".json"):
        text = _decode(path, data, issues)
    elif data is not None:
        issues.append(file_issue(path, "report_unsupported", suffix=suffix or path.name))
    if text is None:
        raise ReportFileError(issues, language=language)
    return text


def _decode(path: Path, data: bytes, issues: list[Issue]) -> str | None:
    """UTF-8 or UTF-16 text; binary data is refused."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = _utf16_without_bom(data)
    text = decode_text(path, data, issues)
    if text is None:
        return None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * max(1, len(text)):
        issues.append(file_issue(path, "report_binary"))
        return None
    return text


def _utf16_without_bom(data: bytes) -> bytes:
    """UTF-16 text saved without a byte-order mark, given one: every other byte is NUL."""
    if len(data) < 4 or len(data) % 2:
        return data
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > 0.9 * len(odd):
        return codecs.BOM_UTF16_LE + data
    if even.count(0) > 0.9 * len(even):
        return codecs.BOM_UTF16_BE + data
    return data
