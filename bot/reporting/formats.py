"""Which format a report is written in: `--format`, else the output file's extension."""

from __future__ import annotations

from pathlib import Path

from bot import i18n

# The format a report file gets from its name when no format is given.
EXTENSIONS = {
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".pdf": "pdf",
    ".docx": "docx",
}
DEFAULT_FORMAT = "html"


class FormatError(ValueError):
    """The format asked for and the output file do not fit: a usage error."""


def output_format(fmt: str | None, output: Path | None, *, language: str) -> str:
    """The format to write: `fmt`, else `output`'s extension, else html (standard output).

    A format that contradicts the file's extension, or an unknown extension without a format,
    raises FormatError with a message in `language`: nothing would open the file asked for.
    """
    if output is None:
        return fmt or DEFAULT_FORMAT
    suffix = output.suffix.lower()
    by_extension = EXTENSIONS.get(suffix)
    if fmt is None:
        if by_extension is None:
            raise FormatError(
                i18n.t(
                    language,
                    "report_unknown_extension",
                    path=output,
                    suffix=suffix or '""',
                    extensions=", ".join(EXTENSIONS),
                )
            )
        return by_extension
    if by_extension is not None and by_extension != fmt:
        raise FormatError(
            i18n.t(
                language,
                "report_format_mismatch",
                fmt=fmt,
                path=output,
                suffix=suffix,
                expected=by_extension,
            )
        )
    return fmt
