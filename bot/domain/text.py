"""Text at the edges: cleaning what people type or import, and escaping what Slack shows."""

from __future__ import annotations

import re

# C0 controls other than tab and newline, DEL, C1 controls, lone surrogates and the two
# noncharacters U+FFFE/U+FFFF: none of them belongs in a title or a comment, SQLite and
# PostgreSQL treat them differently (PostgreSQL refuses NUL), and XML (XLSX, DOCX) cannot hold them.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: object, *, one_line: bool = False) -> str:
    """Drop characters no document or database can hold; newlines become `\\n` (or spaces)."""
    cleaned = _UNSAFE.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    if one_line:
        cleaned = " ".join(cleaned.split())
    return cleaned


def has_unsafe_characters(text: str) -> bool:
    """Whether `clean_text` would drop anything but line-ending differences."""
    return bool(_UNSAFE.search(text.replace("\r", "")))


def escape_mrkdwn(text: object) -> str:
    """Escape exactly `&`, `<`, `>` (`&` first): a comment `<!channel>` is shown, never pings."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
